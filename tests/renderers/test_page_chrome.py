"""Page chrome and print order (issue 26): the portfolio prints experience before About and Selected
Work; a role with neither title nor dates draws no timeline dot; no contact band without contact
details; a short diagram is never split between pages; a letter is set at 10.5–11 pt in every
theme and sits on its page as a block, not hanging from the top."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import html

from cvforge.builder.view_options import section_order
from cvforge.document.view import view_document
from cvforge.reader.read import load_profile
from cvforge.renderers.html import render_html
from cvforge.renderers.themes import load_theme
from tests.helpers.outputs import Built
from tests.helpers.project import PROFILES, ROOT, THEMES

SEEDS = {path.stem: path for path in PROFILES}


def page(theme: str, seed: str, media: str) -> html.HtmlElement:
    chosen = load_theme(theme)
    document = view_document(load_profile(SEEDS[seed]), section_order(chosen))
    return html.fromstring(render_html(document, chosen, mode="file" if media == "print" else "embed"))


@pytest.mark.parametrize("seed", SEEDS)
def test_portfolio_prints_experience_before_about_and_selected_work(seed: str) -> None:
    printed = [s.get("id") for s in page("portfolio", seed, "print").xpath("//main//section")]
    assert "experience" in printed
    for later in ("about", "projects"):
        if later in printed:
            assert printed.index("experience") < printed.index(later), printed
    on_screen = [s.get("id") for s in page("portfolio", seed, "screen").xpath("//main//section")]
    assert sorted(on_screen) == sorted(s for s in printed if s != "summary")  # same sections, the site's order


def test_a_role_with_neither_title_nor_dates_gets_no_timeline_dot() -> None:
    roles = page("modern", "aayushi-gupta", "print").xpath("//section[@id='experience']//div[contains(@class,'role')]")
    bare = [r for r in roles if "role-bare" in r.get("class", "")]
    assert len(bare) == 3 and len(roles) == 3  # Amazon, Pine Labs, Niyo: organisations only
    titled = page("modern", "sai-sushanth-thakkalapally", "print").xpath("//div[contains(@class,'role-bare')]")
    assert titled == []
    css = (ROOT / "themes" / "modern" / "static" / "modern.css").read_text("utf-8")
    assert re.search(r"\.role\.role-bare[^{]*\{[^}]*background-image:\s*none", css)


@pytest.mark.parametrize("theme", ["modern", "portfolio"])
def test_no_contact_band_without_contact_details(theme: str) -> None:
    assert page(theme, "rajkumar", "print").xpath("//*[contains(@class,'band-foot')]") == []
    with_contacts = page(theme, "sai-sushanth-thakkalapally", "print")
    assert with_contacts.xpath("//header//*[contains(@class,'contact')]")


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_a_diagram_shorter_than_half_a_page_stays_on_one_page(
    built_themes: dict[str, dict[str, Built]], theme: str
) -> None:
    import pdfplumber

    profile = built_themes[theme]["aayushi-gupta"].profile
    diagrams = [p.diagram for p in profile.projects if p.diagram and p.diagram.count("\n") < 30]
    assert diagrams
    with pdfplumber.open(built_themes[theme]["aayushi-gupta"].files["pdf"]) as pdf:
        pages = [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]
    for diagram in diagrams:
        lines = [re.sub(r"\s+", " ", line).strip() for line in diagram.splitlines() if len(line.strip()) > 8]
        first, last = lines[0], lines[-1]
        holding = [n for n, text in enumerate(pages) if first in text or last in text]
        assert len(holding) == 1, f"{first!r} … {last!r} on pages {[n + 1 for n in holding]}"


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from cvforge import build

    found: dict[str, Path] = {}
    for theme in THEMES:
        out = tmp_path_factory.mktemp(f"letter-{theme}")
        target = ROOT / "targets" / "sai-ledgerline-backend.yaml"
        result = build([target], out_dir=out, formats=("letter",), theme=theme)
        assert result.ok, result.failures
        found[theme] = next(out.rglob("*.letter.pdf"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_a_letter_reads_as_a_letter(letters: dict[str, Path], theme: str) -> None:
    """Body text at 10.5–11 pt (the size most of its characters are set in), and a letter shorter
    than its page leaves neither its top half nor its bottom 40 % empty: it sits as a block."""
    import pdfplumber

    with pdfplumber.open(letters[theme]) as pdf:
        assert len(pdf.pages) == 1
        only = pdf.pages[0]
        sizes = Counter(round(float(char["size"]), 2) for char in only.chars)
        words = only.extract_words()
        height = float(only.height)
    body = sizes.most_common(1)[0][0]
    assert 10.5 <= body <= 11, f"{theme}: letter body at {body} pt"
    bottom = max(float(w["bottom"]) for w in words) / height
    assert bottom > 0.6, f"{theme}: the letter ends {bottom:.0%} down the page; the rest is blank"
