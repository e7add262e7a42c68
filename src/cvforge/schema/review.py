"""What `cvforge review` may be told in a profile or target: the rules to silence there."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cvforge.schema.base import StrictModel

RuleId = Literal[
    "no-figure",
    "weak-opener",
    "pronoun",
    "repeated-verb",
    "tense",
    "length",
    "cliche",
    "spelling",
    "tech-name",
    "dates",
    "length-of-resume",
    "contact",
    "job-term",
]
RULE_IDS: tuple[RuleId, ...] = RuleId.__args__  # type: ignore[attr-defined]


class ReviewSettings(StrictModel):
    """`review: {ignore: [cliche]}`: rules `cvforge review` does not report for this file."""

    ignore: list[RuleId] = Field(
        default_factory=list, description='Review rules to silence for this file, e.g. ["cliche", "no-figure"].'
    )
