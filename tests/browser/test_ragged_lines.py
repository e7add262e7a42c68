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


# Every separator drawn at the start of its line: its left edge at its block's left edge, with the
# block's text before it (a wrapped list of skills or tags: "· EventBridge").
SEPARATORS_STARTING_LINES_JS = """
() => [...document.querySelectorAll('.sep')].filter((sep) => {
  const block = sep.closest('p, li, dd, h3, div, span.kind');
  const dot = sep.getClientRects()[0];
  if (!block || !dot || dot.width === 0) return false;
  const range = document.createRange();
  range.setStart(block, 0); range.setEndBefore(sep);
  const before = [...range.getClientRects()].filter((r) => r.width > 0 && Math.abs(r.top - dot.top) < dot.height / 2);
  return range.toString().trim() !== '' && before.length === 0;
}).map((sep) => sep.parentElement.textContent.slice(0, 60))
"""


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("theme", THEMES)
def test_no_line_starts_with_a_separator(
    browser: Any, built_themes: dict[str, dict[str, Built]], theme: str, width: str
) -> None:
    found = {}
    for seed, built in built_themes[theme].items():
        context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
        try:
            page = context.new_page()
            page.set_content(built.files["html"].read_text("utf-8"), wait_until="load")
            if starting := page.evaluate(SEPARATORS_STARTING_LINES_JS):
                found[seed] = starting
        finally:
            context.close()
    assert found == {}
