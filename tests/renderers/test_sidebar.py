"""The sidebar theme: two columns on paper whose text still reads header, sidebar, wide column.

Every extractor job portals use reads the PDF: pdf.js and pdfminer (and so `cvforge check`) in the
order the PDF draws its text; pdftotext's default mode by where blocks sit on the page.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from cvforge.readback.verify import check_file
from tests.helpers.outputs import Built
from tests.helpers.project import PROFILES
from tests.helpers.textlayer import column_runs, pdfjs_missing, pdfjs_text, pdfminer_text, pdftotext_text, squash

SEEDS = [path.stem for path in PROFILES]
# Rajkumar's skills are written out as paragraphs and bullets: too long for a narrow column, on
# screen they stay in the wide one, and with nothing left for the sidebar the page is one column.
# On paper the sidebar holds them in short form (test_a_sidebar_of_described_skills_on_paper).
HAS_SIDEBAR = {"aayushi-gupta": True, "rajkumar": False, "sai-sushanth-thakkalapally": True}


def print_html(built: Built) -> str:
    """The HTML the PDF is printed from (the built .html file is the screen's)."""
    from cvforge.builder.view_options import section_order
    from cvforge.document.view import view_document
    from cvforge.renderers.html import render_html
    from cvforge.renderers.themes import load_theme

    theme = load_theme("sidebar")
    return render_html(view_document(built.profile, section_order(theme)), theme, mode="file")


def columns(built: Built) -> dict[str, str]:
    """The header's, the wide column's and the sidebar's text, from the HTML the PDF is printed from."""
    tree = html.fromstring(print_html(built)).getroottree()
    return {
        "H": tree.xpath("string(//header)"),
        "W": tree.xpath("string(//main)"),
        "S": tree.xpath("string(//aside)"),
    }


@pytest.fixture(scope="module")
def sidebar(built_themes: dict[str, dict[str, Built]]) -> dict[str, Built]:
    return built_themes["sidebar"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_sidebar_comes_first_in_the_source(sidebar: dict[str, Built], seed: str) -> None:
    tree = html.parse(str(sidebar[seed].files["html"]))
    # the sidebar floats, so it comes first in the source, and the PDF draws it in that order
    # (test_pdf_reads_header_then_sidebar_then_wide_column)
    expected = ["aside", "main"] if HAS_SIDEBAR[seed] else ["main"]
    assert [el.tag for el in tree.xpath("//div[contains(@class, 'columns')]/*")] == expected
    side = [h.text_content() for h in tree.xpath("//aside//h2")]
    assert all(h not in side for h in ("Summary", "Experience")), side


def test_a_sidebar_of_described_skills_on_paper(sidebar: dict[str, Built]) -> None:
    """Rajkumar's skill groups (each a description, bullets and items) stand beside page 1 on paper,
    one line each ("Backend Engineering: Node.js · …"), where they fell to page 4 in the wide column."""
    built = sidebar["rajkumar"]
    tree = html.fromstring(print_html(built))
    aside = [h.text_content().strip().casefold() for h in tree.xpath("//aside//h2")]
    assert "skills" in aside
    lines = [squash(p.text_content()) for p in tree.xpath("//aside//p[contains(@class, 'skill-line')]")]
    for group in built.profile.skills.groups:
        assert any(line.startswith(f"{group.name}:") and squash(group.items[0]) in line for line in lines), group.name
        assert all(squash(bullet) not in " ".join(lines) for bullet in group.bullets)
    page_one = pdfminer_text(built.files["pdf"]).split("\f")[0]
    assert all(group.name in squash(page_one) for group in built.profile.skills.groups)


def _strict(runs: list[str]) -> bool:
    """Header, then the whole sidebar, then the wide column, never mixed: the wide column's text on
    page 2 then follows its own heading on page 1, not the sidebar's last one (a parser that splits
    sections at headings filed rajkumar's projects under SKILLS when the sidebar came between)."""
    return bool(re.fullmatch(r"H+S+W*", runs[0])) and all(re.fullmatch(r"W*", page) for page in runs[1:])


EXTRACTORS: dict[str, Callable[[Path], str]] = {"pdf.js": pdfjs_text, "pdfminer": pdfminer_text}


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_reads_header_then_sidebar_then_wide_column(sidebar: dict[str, Built], seed: str, extractor: str) -> None:
    if extractor == "pdf.js" and (why := pdfjs_missing()):
        pytest.skip(why)
    built = sidebar[seed]
    runs = column_runs(EXTRACTORS[extractor](built.files["pdf"]), columns(built))
    if extractor == "pdf.js":  # the content stream's order: header, sidebar, wide column, in the source's order
        assert _strict(runs), f"{seed} through {extractor}: page by page {runs}"
    else:  # pdfminer orders blocks by where they sit: the sidebar, whole, where the float ends
        assert runs[0].startswith("H") and all(re.fullmatch(r"H?W*S?W*", page) for page in runs), (
            f"{seed} through {extractor}: page by page {runs}"
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_pdftotext_never_joins_the_columns_into_one_line(sidebar: dict[str, Built], seed: str) -> None:
    """poppler orders blocks by where they sit, so its default mode may alternate between the
    columns' blocks (README, "sidebar"); it never puts text of both on one line, and each column's
    lines stay in their order."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (make setup installs poppler-utils)")
    built = sidebar[seed]
    text = pdftotext_text(built.files["pdf"])
    runs = column_runs(text, columns(built))
    assert runs[0].startswith("H") and not any("X" in page for page in runs), f"{seed}: {runs}"


@pytest.mark.parametrize("seed", SEEDS)
def test_cvforge_check_passes(sidebar: dict[str, Built], seed: str) -> None:
    built = sidebar[seed]
    for fmt in ("pdf", "docx"):
        report = check_file(built.files[fmt], built.profile)
        assert report.ok, f"{seed}.{fmt}: {report.summary()}"


@pytest.mark.parametrize("seed", SEEDS)
def test_docx_is_one_column_in_the_same_order(sidebar: dict[str, Built], seed: str) -> None:
    from docx import Document as Word

    built = sidebar[seed]
    word = Word(str(built.files["docx"]))
    assert not word.tables, "no layout tables: parsers read them cell by cell"
    assert all(len(section._sectPr.xpath("./w:cols[@w:num > 1]")) == 0 for section in word.sections)
    headings = [p.text.strip().lower() for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    tree = html.parse(str(built.files["html"]))
    in_page = [h.text_content().strip().lower() for h in tree.xpath("//main//h2") + tree.xpath("//aside//h2")]
    # Word's heading may carry more ("Projects — Selected work" for a renamed section): same order, same count
    assert len(headings) == len(in_page) and all(b in a for a, b in zip(headings, in_page, strict=True)), (
        headings,
        in_page,
    )


def _page_text_boxes(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's text lines as (left, right, text), in points, through pdfminer."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    pages = []
    for page in extract_pages(str(pdf)):
        lines = [
            (line.x0, line.x1, line.get_text().strip())
            for box in page
            if isinstance(box, LTTextContainer)
            for line in box
            if isinstance(line, LTTextLine) and line.get_text().strip()
        ]
        pages.append(lines)
    return pages


@pytest.mark.parametrize("seed", [seed for seed in SEEDS if HAS_SIDEBAR[seed]])
def test_the_sidebar_sits_beside_page_one_and_later_pages_use_the_full_width(
    sidebar: dict[str, Built], seed: str
) -> None:
    """Every line of the sidebar is on page 1; after page 1 the wide column's lines run past where the
    sidebar stood (no empty right column), and no vertical rule is drawn down a later page."""
    import pdfplumber

    built = sidebar[seed]
    side_text = columns(built)["S"]
    pages = _page_text_boxes(built.files["pdf"])
    with pdfplumber.open(built.files["pdf"]) as pdf:
        width = float(pdf.pages[0].width)
        rules = [
            [e for e in page.edges if e["orientation"] == "v" and e["height"] > 100 and e["x0"] > width / 2]
            for page in pdf.pages
        ]
    side_lines = [text for text in (t for _, _, t in pages[0]) if text and text in side_text and len(text) > 12]
    assert side_lines, f"{seed}: no sidebar line on page 1"
    for number, lines in enumerate(pages[1:], 2):
        assert not any(len(t) > 12 and t in side_text and t not in columns(built)["W"] for _, _, t in lines), number
        assert max(right for _, right, _ in lines) > 0.8 * width, f"{seed}: page {number} keeps an empty right column"
        text_right = max(right for _, right, _ in lines)  # the content box's own edges are not rules
        inside = [edge for edge in rules[number - 1] if edge["x0"] < text_right - 10]
        assert inside == [], f"{seed}: page {number} has a rule running down its right half"
    assert any(right > 0.8 * width for _, right, t in pages[0] if t in columns(built)["W"]), (
        f"{seed}: the wide column never takes the full width on page 1 below the sidebar"
    )
