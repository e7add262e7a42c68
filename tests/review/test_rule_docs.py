"""Every review rule is documented: a row in docs/review.md's table and a section with a finding."""

from __future__ import annotations

import re

from cvforge.schema.review import RULE_IDS
from tests.helpers.project import ROOT

PAGE = (ROOT / "docs" / "review.md").read_text(encoding="utf-8")


def test_every_rule_has_a_row_a_section_and_an_example_finding() -> None:
    for rule in RULE_IDS:
        assert f"| [`{rule}`](#{rule}) |" in PAGE, f"no table row for {rule}"
        section = PAGE.split(f"\n### {rule}\n", 1)[1].split("\n### ", 1)[0]
        assert re.search(rf"^\S+:\d+:\d+: \S+: {re.escape(rule)}: ", section, re.MULTILINE), (
            f"no finding shown for {rule}"
        )


def test_the_table_names_no_rule_that_does_not_exist() -> None:
    assert set(re.findall(r"^\| \[`([a-z-]+)`\]", PAGE, re.MULTILINE)) == set(RULE_IDS)
