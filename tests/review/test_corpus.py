"""Each rule against the corpus of good and bad bullets (tests/review/bullets.yaml, written for
these tests): its recall on the bad ones and its false positives on the good ones are fixed here."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import cvforge
from cvforge.reviewer.engine import review_profile
from cvforge.reviewer.finding import Finding
from cvforge.reviewer.rules import FIGURE

CORPUS: dict[str, Any] = YAML(typ="safe").load(Path(__file__).with_name("bullets.yaml"))
TODAY = date(2026, 6, 1)
WIDTH = 104  # classic's line, as review measures it


def review_bullets(bullets: list[str], *, current: bool = False) -> list[Finding]:
    """The bullets as one role (ended in 2023, or current), reviewed."""
    role: dict[str, Any] = {"organisation": "Acme", "title": "Engineer", "start": "2020-01", "bullets": bullets}
    role["end"] = "present" if current else "2023-06"
    profile = cvforge.load({"person": {"name": "Test Person", "email": "t@example.com"}, "experience": [role]})
    return review_profile(profile, width=WIDTH, today=TODAY).findings


def flagged(findings: list[Finding], rule: str) -> set[int]:
    """Indexes of the bullets a rule reported."""
    prefix = "experience[0].bullets["
    return {int(f.path[len(prefix) :].split("]")[0]) for f in findings if f.rule == rule and f.path.startswith(prefix)}


# (rule, corpus key, least recall, most false positives)
CASES = [
    ("weak-opener", "weak-opener", 1.0, 0),
    ("pronoun", "pronoun", 1.0, 0),
    ("length", "length", 1.0, 0),
    ("cliche", "cliche", 1.0, 0),
    ("spelling", "spelling", 1.0, 0),
    ("tech-name", "tech-name", 1.0, 0),
]


@pytest.mark.parametrize(("rule", "key", "recall", "false_positives"), CASES)
def test_rule_on_the_corpus(rule: str, key: str, recall: float, false_positives: int) -> None:
    bad, good = CORPUS[key]["bad"], CORPUS[key]["good"]
    caught = flagged(review_bullets(bad), rule)
    missed = [bullet for index, bullet in enumerate(bad) if index not in caught]
    assert len(caught) / len(bad) >= recall, f"{rule} missed: {missed}"
    wrong = [good[index] for index in sorted(flagged(review_bullets(good), rule))]
    assert len(wrong) <= false_positives, f"{rule} reported good bullets: {wrong}"


@pytest.mark.parametrize(("key", "current"), [("tense-past-role", False), ("tense-current-role", True)])
def test_tense_on_the_corpus(key: str, current: bool) -> None:
    bad, good = CORPUS[key]["bad"], CORPUS[key]["good"]
    caught = flagged(review_bullets(bad, current=current), "tense")
    assert caught == set(range(len(bad))), [b for i, b in enumerate(bad) if i not in caught]
    wrong = flagged(review_bullets(good, current=current), "tense")
    assert not wrong, [good[i] for i in sorted(wrong)]


def test_tense_severity_and_fix() -> None:
    past_role = review_bullets(["Manage the on-call rotation for payments"])
    (finding,) = [f for f in past_role if f.rule == "tense"]
    assert finding.severity == "warning" and '"Managed"' in finding.message
    (current,) = [f for f in review_bullets(["Managed the on-call rotation"], current=True) if f.rule == "tense"]
    assert current.severity == "info"


def test_figures_on_the_corpus() -> None:
    assert all(FIGURE.search(b) for b in CORPUS["figure"]["with"]), [
        b for b in CORPUS["figure"]["with"] if not FIGURE.search(b)
    ]
    assert not [b for b in CORPUS["figure"]["without"] if FIGURE.search(b)]


def test_no_figure_reports_the_role_once_as_a_rate() -> None:
    without, with_figure = CORPUS["figure"]["without"], CORPUS["figure"]["with"]
    findings = [f for f in review_bullets([*without[:4], with_figure[0]]) if f.rule == "no-figure"]
    assert len(findings) == 1
    assert findings[0].path == "experience[0]" and findings[0].message.startswith("1 of 5 bullets carry a number")
    assert not [f for f in review_bullets([*with_figure[:3], without[0]]) if f.rule == "no-figure"]


def test_repeated_verb_within_a_role_names_the_places() -> None:
    bullets = ["Built the billing API", "Built the ledger", "Built the invoice renderer", "Cut costs by 10%"]
    (finding,) = [f for f in review_bullets(bullets) if f.rule == "repeated-verb"]
    assert finding.path == "experience[0].bullets[2]"
    for index in range(3):
        assert f"experience[0].bullets[{index}]" in finding.message
    assert not [f for f in review_bullets(bullets[1:]) if f.rule == "repeated-verb"]


def test_repeated_verb_across_the_resume() -> None:
    roles = [
        {
            "organisation": f"Org {n}",
            "title": "Lead",
            "start": f"{2010 + 2 * n}",
            "end": f"{2011 + 2 * n}",
            "bullets": b,
        }
        for n, b in enumerate(
            [["Led the API team", "Led hiring"], ["Led the move to Go", "Shipped X"], ["Led on-call", "Led the audit"]]
        )
    ]
    profile = cvforge.load({"person": {"name": "T", "email": "t@example.com"}, "experience": roles})
    found = [f for f in review_profile(profile, width=WIDTH, today=TODAY).findings if f.rule == "repeated-verb"]
    assert len(found) == 1 and "5 bullets in the resume" in found[0].message
