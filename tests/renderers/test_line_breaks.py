"""No ragged lines: the no-break spans hold only a number with its unit, a short compound or a name
with its version; the line may break right after them; a separator never starts a line; and no
paragraph line but the last ends more than a quarter short when the next word would fit, in the
lines WeasyPrint lays out for the PDF (the browser's are in tests/browser/test_ragged_lines.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cvforge.builder.view_options import section_order
from cvforge.document.view import view_document
from cvforge.reader.read import load_profile
from cvforge.renderers.glyphs import printable
from cvforge.renderers.html import join_separated, keep_together, render_html
from cvforge.renderers.pdf import lay_out, save_last_page
from cvforge.renderers.themes import load_theme
from tests.helpers.lines import pdf_ragged_lines
from tests.helpers.project import PROFILES, THEMES

_HELD = re.compile(r'<span class="nobr">([^<]*)</span>')


def held(text: str) -> list[str]:
    """The runs `keep_together` wraps in no-break spans, without the space held inside them."""
    return [run.rstrip() for run in _HELD.findall(str(keep_together(text)))]


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("MTTR cut from 45 to 15 minutes", ["15 minutes"]),
        ("reach ~104K writes/s and ~4.5M memtable reads/s", ["~104K writes/s", "reads/s"]),
        ("a 3.5 GB heap and 99.9 % uptime", ["3.5 GB", "99.9 %"]),
        ("full on-call ownership for core services", ["on-call"]),
        ("a zero-downtime JDK 17 migration", ["zero-downtime", "JDK 17"]),
        ("Built on Java 21 and Spring Boot", ["Java 21"]),
    ],
)
def test_only_a_number_with_its_unit_a_short_compound_or_a_version_is_held(text: str, runs: list[str]) -> None:
    assert held(text) == runs


@pytest.mark.parametrize(
    "text",
    ["Delivered a first-of-its-kind solution", "serving 100K+ payees", "from 45 to 15", "90+ downstream clients"],
)
def test_a_number_does_not_stick_to_a_word_nor_a_long_compound_hold_a_line(text: str) -> None:
    """ "100K+ payees" may break (a count, not a unit); "first-of-its-kind" may break after a hyphen."""
    assert held(text) == []


def test_the_line_may_break_right_after_a_held_run() -> None:
    """Chromium never breaks at a space inside a no-wrap span: without the <wbr>, "on-call " would
    stick to "ownership" and the line before would end early."""
    assert str(keep_together("on-call ownership")) == '<span class="nobr">on-call </span><wbr>ownership'


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("full on-call ownership", "full on-\u2060call ownership"),
        ("reach ~104K writes/s and", "reach ~104K \u2060writes/\u2060s and"),
        ("a zero-downtime JDK 17 migration", "a zero-\u2060downtime JDK \u206017 migration"),
        ("a first-of-its-kind solution", "a first-\u2060of-\u2060its-\u2060kind solution"),
    ],
)
def test_on_paper_a_run_is_held_by_word_joiners_and_no_element(text: str, printed: str) -> None:
    """In a tagged PDF each element is its own marked-content sequence: pdf.js ends its text item
    there and the space beside it became a blank item OpenResume drops ("end-to-endfrom"). On paper
    a run is held by word joiners (no break before or after one), which the text layer leaves out;
    the space after the run stays where the line may break. A long compound is held on paper only."""
    assert str(keep_together(text, paper=True)) == printed
    assert "<" not in str(keep_together("serving ~45 min, on-call and first-of-its-kind", paper=True))


def test_a_link_s_text_breaks_after_a_slash_and_a_long_part_before_a_hyphen() -> None:
    """No space to lose in a web address. A part too long for a sidebar may break before a hyphen
    (it ran past the page's edge), never after one, which poppler drops ("architectprofessional")."""
    link = "aws.amazon.com/certified-solutions-architect-professional/"
    held = str(keep_together(link))
    assert keep_together(link, paper=True) == keep_together(link)
    assert held == (
        '<span class="nobr">aws.amazon.com</span>/<wbr><span class="nobr">certified</span><wbr>'
        '<span class="nobr">-solutions</span><wbr><span class="nobr">-architect</span><wbr>'
        '<span class="nobr">-professional</span>/<wbr>'
    )
    assert str(keep_together("github.com/lvasquez/raft-lab")).count("<wbr>") == 2  # short parts stay whole


def test_on_paper_a_separator_is_plain_text() -> None:
    assert str(join_separated(["Kafka", "on-call"], paper=True)) == "Kafka&nbsp;· on-\u2060call"


def test_a_separator_ends_the_item_before_it() -> None:
    """ " ·" is held (the stylesheet makes .sep no-wrap); the space after it is where a line breaks."""
    joined = str(join_separated(["Kafka", "EventBridge"]))
    assert joined == 'Kafka<span class="sep" aria-hidden="true">&nbsp;·</span> EventBridge'
    assert ".sep { white-space: nowrap; }" in (Path("themes/classic/static/style.css").read_text("utf-8"))


@pytest.fixture(scope="module")
def print_layouts() -> dict[tuple[str, str], Any]:
    """(theme, seed) → the WeasyPrint layout cvforge writes as the PDF (at the density it keeps)."""
    layouts: dict[tuple[str, str], Any] = {}
    for name in THEMES:
        theme = load_theme(name)
        for path in PROFILES:
            document = printable(view_document(load_profile(path), section_order(theme)), theme, warn=False)
            kept = save_last_page(document, theme, path.parent)
            printed = render_html(document, kept, mode="file", profile_dir=path.parent)
            layouts[name, path.stem] = lay_out(printed, kept)
    return layouts


# The sidebar theme's PDF once ended Sai's "a zero-downtime JDK 17 migration" line a quarter short,
# when runs were held in no-wrap spans on paper too: the text box before a span ends with a space,
# WeasyPrint measures the line with it, and when "… and built a " fit Pango only without it,
# WeasyPrint kept "migration" alone. Word joiners hold the runs in one text box now.
@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_no_pdf_line_ends_a_quarter_short_when_the_next_word_fits(
    print_layouts: dict[tuple[str, str], Any], theme: str
) -> None:
    found = {seed: pdf_ragged_lines(laid) for (name, seed), laid in print_layouts.items() if name == theme}
    assert {seed: lines for seed, lines in found.items() if lines} == {}


@pytest.mark.slow
def test_the_pdf_measure_finds_a_ragged_line() -> None:
    """The measure can fail: a run held whole after two words leaves the first line three quarters short."""
    from weasyprint import HTML

    html = (
        '<p style="width: 60mm; font: 11pt sans-serif">Built on <span style="white-space: nowrap">'
        "and then a very long glued run</span> of words that goes on.</p>"
    )
    assert [line.split(" ends ")[0] for line in pdf_ragged_lines(HTML(string=html).render())] == ["page 1: 'Built on'"]
