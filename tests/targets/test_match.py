"""Job-description terms: multi-word terms, case and punctuation, synonyms, weights, coverage."""

from __future__ import annotations

import pytest

from cvforge.schema.profile import Profile
from cvforge.targets.match import (
    Job,
    Lexicon,
    analyse_job,
    build_vocabulary,
    fold,
    measure_coverage,
    phrase_key,
    profile_terms,
)
from cvforge.targets.target import builtin_lexicon

DESCRIPTION = """\
# Senior Backend Engineer — Payments

Acme is hiring. You will build EVENT-DRIVEN services in Java and spring-boot on k8s, backed by
Postgres and Apache Kafka. We go live every day and react quickly to incidents.
You design REST APIs and write design docs. Experience with Amazon Aurora and OAuth2 helps.
Java and Spring Boot are a must; so is Java 17.

## Nice to have

- Go, Terraform, PCI-DSS.
"""


def analyse(description: str = DESCRIPTION, lexicon: Lexicon | None = None, profile: list[str] = ()) -> Job:
    lexicon = lexicon or builtin_lexicon()
    return analyse_job(description, build_vocabulary(lexicon, profile), lexicon)


def covered(job: Job, text: str) -> set[str]:
    return {job.matcher.terms[key].label for key in job.covered_by(text)}


def weights(job: Job) -> dict[str, int]:
    return {jt.label: jt.weight for jt in job.terms}


def test_keys_ignore_case_punctuation_and_plural() -> None:
    assert phrase_key("Event-Driven") == phrase_key("event driven") == "event driven"
    assert phrase_key("CI/CD") == phrase_key("ci cd")
    assert fold("APIs") == fold("API") == "api"
    assert fold("Queries") == fold("query")
    assert fold("class") == "class"


def test_a_known_description_yields_exactly_these_terms() -> None:
    job = analyse()
    # Heaviest first (Java: three mentions; Spring Boot: two), then in order of first mention.
    assert [jt.label for jt in job.terms] == [
        "Java",
        "Spring Boot",
        "payments",
        "event-driven",
        "Kubernetes",
        "PostgreSQL",
        "Kafka",
        "incident response",
        "REST",
        "design docs",
        "Amazon Aurora",
        "OAuth",
        "Go",
        "Terraform",
        "PCI DSS",
    ]


def test_synonyms_and_spellings_map_to_one_term() -> None:
    job = analyse()
    sources = {jt.label: jt.count for jt in job.terms}
    # k8s → Kubernetes, Postgres → PostgreSQL, Apache Kafka → Kafka, spring-boot → Spring Boot,
    # OAuth2 → OAuth, PCI-DSS → PCI DSS, "Java 17" → Java (its third mention).
    assert sources["Kubernetes"] == sources["PostgreSQL"] == sources["Kafka"] == 1
    assert sources["Spring Boot"] == 2
    assert sources["Java"] == 3
    assert "Apache Kafka" not in sources and "k8s" not in sources


def test_ordinary_words_do_not_match_exact_case_terms() -> None:
    """'go live' and 'react quickly' are not Go and React; the capitalised 'Go' in a list is."""
    job = analyse()
    assert "React" not in weights(job)
    assert [jt.count for jt in job.terms if jt.label == "Go"] == [1]


def test_weights_count_mentions_in_the_main_text_and_nice_to_haves_weigh_least() -> None:
    found = weights(analyse())
    assert found["Java"] == 6  # three mentions, 2 each
    assert found["Spring Boot"] == 4
    assert found["Kafka"] == 2
    assert found["Go"] == found["Terraform"] == found["PCI DSS"] == 1  # only under "Nice to have"


def test_company_names_and_heading_words_are_not_terms() -> None:
    """'Acme' is one capitalised word (not a phrase); 'Senior Backend Engineer' is a role title."""
    labels = {jt.label.casefold() for jt in analyse().terms}
    assert not labels & {"acme", "senior backend engineer", "nice to have", "backend engineer"}


def test_ignore_drops_a_term_and_a_user_table_adds_spellings() -> None:
    lexicon = builtin_lexicon().extended(
        Lexicon({"Kubernetes": ("kubes",), "Aurora": ("Amazon Aurora",)}, frozenset(), frozenset({"Java"}))
    )
    job = analyse("We run kubes and Amazon Aurora, in Java.", lexicon)
    assert [jt.label for jt in job.terms] == ["Kubernetes", "Aurora"]
    assert covered(job, "Operated Kubernetes clusters and Aurora") == {"Kubernetes", "Aurora"}


def test_profile_vocabulary_adds_the_persons_own_terms() -> None:
    profile = Profile.model_validate(
        {
            "person": {"name": "Jane"},
            "skills": {"working_with": ["Go (working)", "AWS / GCP", "Temporal"]},
            "projects": [{"name": "X", "tech": ["Kafka"], "tags": ["payments", "idempotent-retries"]}],
        }
    )
    assert profile_terms(profile) == ["Go", "AWS", "GCP", "Temporal", "Kafka", "payments", "idempotent-retries"]
    job = analyse("Workflows on Temporal with idempotent retries.", profile=profile_terms(profile))
    assert {jt.label: jt.term.source for jt in job.terms} == {"Temporal": "profile", "idempotent-retries": "profile"}


def test_coverage_counts_distinct_terms_and_matches_any_spelling() -> None:
    job = analyse("Java, Kubernetes, PostgreSQL and Kafka.")
    coverage = measure_coverage(job, "Built Java services on k8s with Postgres.")
    assert [jt.label for jt in coverage.covered] == ["Java", "Kubernetes", "PostgreSQL"]
    assert [jt.label for jt in coverage.missing] == ["Kafka"]
    assert coverage.percent == 75.0
    assert measure_coverage(analyse("Nothing to see."), "anything").percent is None


def test_nested_terms_count_as_covered() -> None:
    """A resume saying 'Redis Streams' mentions Redis too; the job's longest match is what it asked for."""
    job = analyse("Redis Streams and Redis.")
    assert [jt.label for jt in job.terms] == ["Redis Streams", "Redis"]
    assert covered(job, "Fan-out on Redis Streams") == {"Redis Streams", "Redis"}


@pytest.mark.parametrize("text", [DESCRIPTION, DESCRIPTION.replace("\n", "\r\n")])
def test_analysis_is_deterministic(text: str) -> None:
    first, second = analyse(text), analyse(text)
    assert [(jt.label, jt.weight, jt.first) for jt in first.terms] == [
        (jt.label, jt.weight, jt.first) for jt in second.terms
    ]


def test_scores_sum_the_weights_of_distinct_terms() -> None:
    job = analyse()
    score = job.score("Java and Java again, Kafka on Kubernetes")
    assert score.points == 6 + 2 + 2
    assert score.terms == ("Java", "Kubernetes", "Kafka")
