"""No ragged lines in the browser: in every theme's page at phone and desktop width, no paragraph
line but the last ends more than a quarter of its column short when the next word would fit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.lines import browser_ragged_lines
from tests.helpers.outputs import Built
from tests.helpers.project import THEMES

WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("theme", THEMES)
def test_no_line_ends_a_quarter_short_when_the_next_word_fits(
    browser: Any, built_themes: dict[str, dict[str, Built]], theme: str, width: str
) -> None:
    found = {
        seed: lines
        for seed, built in built_themes[theme].items()
        if (lines := browser_ragged_lines(browser, built.files["html"].read_text("utf-8"), WIDTHS[width]))
    }
    assert found == {}


def test_the_measure_finds_words_stuck_together(browser: Any) -> None:
    """The measure can fail: a number held to the next word ("21 extraordinarily", as the spans once
    did) pushes "21" off a line it fitted on; the <wbr> after the span frees it."""
    stuck = (
        '<p style="width: 200px; font: 16px sans-serif">Built it on Java <span class="nobr" '
        'style="white-space: nowrap">21 </span>extraordinarily well, and then more words</p>'
    )
    assert len(browser_ragged_lines(browser, stuck, 390)) == 1
    freed = stuck.replace("21 </span>", "21 </span><wbr>")
    assert browser_ragged_lines(browser, freed, 390) == []
