"""Tailoring, without files: tag selection, section order, caps, relevance order, overrides, warnings."""

from __future__ import annotations

from typing import Any

import pytest

from cvforge.document.view import view_document
from cvforge.schema.profile import Profile
from cvforge.schema.target import Target
from cvforge.targets.match import Job, analyse_job, build_vocabulary
from cvforge.targets.tailoring import plan_tailoring, tailor
from cvforge.targets.target import builtin_lexicon

PROFILE: dict[str, Any] = {
    "person": {"name": "Jane Doe", "headline": "Engineer", "summary": ["Original summary."]},
    "metrics": [
        {"value": "3×", "label": "faster builds", "tags": ["tooling"]},
        {"value": "99.99%", "label": "payment API uptime", "tags": ["payments", "reliability"]},
    ],
    "experience": [
        {
            "organisation": "Acme",
            "title": "Engineer II",
            "start": 2023,
            "end": "present",
            "bullets": ["Ran the design review rota", "Built Kafka consumers", "Cut Postgres latency"],
            "tags": ["backend"],
        },
        {"organisation": "Acme", "title": "Engineer I", "start": 2021, "end": 2023, "tags": ["frontend"]},
        {"organisation": "Initech", "title": "Intern", "start": 2020, "end": 2020},
    ],
    "projects": [
        {"name": "Storefront", "tech": ["React"], "tags": ["frontend"]},
        {"name": "Ledger", "tech": ["Go", "PostgreSQL"], "tags": ["payments", "backend"]},
        {"name": "Queue", "tech": ["Kafka"], "tags": ["backend", "side-project"]},
        {"name": "Notes app", "tags": ["backend"]},
    ],
    "education": [{"institution": "State University", "degree": "BSc"}],
}


def make(target: dict[str, Any], profile: dict[str, Any] = PROFILE) -> tuple[Profile, Target]:
    return Profile.model_validate(profile), Target.model_validate({"profile": "p.yaml", **target})


def job(text: str) -> Job:
    lexicon = builtin_lexicon()
    return analyse_job(text, build_vocabulary(lexicon, []), lexicon)


def names(items: list[Any]) -> list[str]:
    return [getattr(i, "name", None) or getattr(i, "title", None) or getattr(i, "label", "") for i in items]


def test_include_keeps_matching_and_untagged_items_and_exclude_wins() -> None:
    profile, target = make({"tags": {"include": ["backend", "payments"], "exclude": ["side-project"]}})
    tailored, warnings = tailor(profile, target)
    assert names(tailored.projects) == ["Ledger", "Notes app"]
    assert names(tailored.experience) == ["Engineer II", "Intern"]  # the untagged intern role stays
    assert names(tailored.metrics) == ["payment API uptime"]
    assert len(tailored.education) == 1
    assert warnings == []


def test_tag_matching_ignores_case() -> None:
    profile, target = make({"tags": {"exclude": ["FRONTEND"]}})
    assert "Storefront" not in names(tailor(profile, target)[0].projects)


def test_sections_set_the_order_and_leave_the_rest_out() -> None:
    profile, target = make({"sections": ["projects", "summary", "experience"]})
    tailored, _ = tailor(profile, target)
    assert tailored.options["sections"] == "projects,summary,experience"
    document = view_document(tailored, tailored.options["sections"].split(","))
    assert [s.key for s in document.sections] == ["projects", "summary", "experience"]
    assert tailored.metrics == [] and tailored.education == []


def test_caps_keep_the_first_items_without_a_job() -> None:
    profile, target = make({"caps": {"projects": 2, "bullets": 1}})
    tailored, _ = tailor(profile, target)
    assert names(tailored.projects) == ["Storefront", "Ledger"]
    assert tailored.experience[0].bullets == ["Ran the design review rota"]


def test_caps_keep_the_most_relevant_with_a_job_and_show_them_most_relevant_first() -> None:
    profile, target = make({"caps": {"projects": 2, "bullets": 2}})
    tailored, _ = tailor(profile, target, job("Go and PostgreSQL for payments; Kafka for events; Postgres tuning."))
    # Ledger: Go 2 + PostgreSQL 4 + payments 2; Queue: Kafka 2; Storefront and Notes app: nothing.
    assert names(tailored.projects) == ["Ledger", "Queue"]
    assert tailored.experience[0].bullets == ["Cut Postgres latency", "Built Kafka consumers"]
    assert names(tailored.experience) == ["Engineer II", "Engineer I", "Intern"]  # timelines keep their order


def test_relevance_ties_keep_the_profile_order() -> None:
    profile, target = make({"caps": {"projects": 3}})
    tailored, _ = tailor(profile, target, job("Kubernetes everywhere."))  # matches no project
    assert names(tailored.projects) == ["Storefront", "Ledger", "Queue"]


def test_reorder_can_be_switched_off() -> None:
    profile, target = make({"job": {"description": "j.md", "reorder": False}})
    tailored, _ = tailor(profile, target, job("Kafka."))
    assert names(tailored.projects) == ["Storefront", "Ledger", "Queue", "Notes app"]


def test_overrides_replace_headline_summary_and_only_the_heading_fields_they_set() -> None:
    data = {**PROFILE, "headings": {"projects": {"title": "Selected work", "intro": "Real work."}}}
    profile, target = make(
        {
            "headline": "Payments Engineer",
            "summary": "One paragraph, from the target.",
            "headings": {"projects": {"intro": ""}, "experience": {"title": "Career"}},
            "theme": "classic",
            "options": {"accent": "#0a7a5a"},
        },
        data,
    )
    tailored, _ = tailor(profile, target)
    assert tailored.person.headline == "Payments Engineer"
    assert tailored.person.summary == ["One paragraph, from the target."]
    assert tailored.person.name == "Jane Doe"
    assert tailored.headings.projects is not None and tailored.headings.projects.title == "Selected work"
    assert tailored.headings.projects.intro == ""
    assert tailored.headings.experience is not None and tailored.headings.experience.title == "Career"
    assert (tailored.theme, tailored.options["accent"]) == ("classic", "#0a7a5a")
    projects = view_document(tailored).section("projects")
    assert projects is not None and projects.title == "Selected work" and projects.intro is None


def test_the_original_profile_is_untouched() -> None:
    profile, target = make({"caps": {"projects": 1}, "headline": "Other"})
    before = profile.model_dump()
    tailor(profile, target, job("Kafka"))
    assert profile.model_dump() == before


def test_warnings_name_unknown_tags_with_a_suggestion_and_empty_sections() -> None:
    profile, target = make({"tags": {"include": ["payment", "backend"]}, "sections": ["summary", "awards"]})
    _, warnings = tailor(profile, target)
    assert "tags.include: no item of the profile has the tag 'payment' (did you mean 'payments'?)" in warnings
    assert "sections: the profile has nothing to show under 'awards'" in warnings


def test_a_tag_filter_that_empties_a_section_is_reported() -> None:
    profile, target = make({"tags": {"include": ["tooling"]}})
    _, warnings = tailor(profile, target)
    assert "tags: every item under 'projects' is left out by the tag filter" in warnings


def test_the_plan_says_why_each_item_is_left_out() -> None:
    profile, target = make({"tags": {"exclude": ["frontend"]}, "caps": {"projects": 1}, "sections": ["projects"]})
    plan = plan_tailoring(profile, target, job("Go"))
    reasons = {u.label: plan.dropped.get(u.path) for u in plan.units if u.kind == "item"}
    assert reasons["Storefront"] == "excluded by tag 'frontend'"
    assert reasons["Ledger"] is None
    assert reasons["Queue"] == "over the cap of 1"
    assert reasons["State University"] == "section not shown"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"sections": ["projects", "projects"]}, "section 'projects' is listed twice"),
        ({"output": "../{target}"}, "must be a relative file path inside the output folder"),
        ({"output": "{profile}/{when}"}, "unknown placeholder '{when}'"),
        ({"output": "{profile:}/{target}"}, "'{profile:}' has a format spec"),
        ({"output": "{profile}/{target.__class__}"}, "'{target.__class__}' reaches into an attribute"),
    ],
)
def test_target_values_are_validated(target: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("{", r"\{")):
        make(target)
