"""The compact theme: dense, one page first, headings that stay words, dates on each role's line."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.cli import main
from tests.helpers.outputs import Built
from tests.helpers.project import PROFILES, ROOT
from tests.helpers.textlayer import (
    paper_order,
    pdfjs_missing,
    pdfjs_text,
    pdfminer_text,
    pdftotext_text,
    role_pattern,
    roles,
    squash,
)

SEEDS = [path.stem for path in PROFILES]
EXTRACTORS: dict[str, Callable[[Path], str]] = {
    "pdf.js": pdfjs_text,
    "pdftotext": pdftotext_text,
    "pdfminer": pdfminer_text,
}


@pytest.fixture(scope="module")
def compact(built_themes: dict[str, dict[str, Built]]) -> dict[str, Built]:
    return built_themes["compact"]


def extract(extractor: str, pdf: Path) -> str:
    if extractor == "pdf.js" and (why := pdfjs_missing()):
        pytest.skip(why)
    if extractor == "pdftotext" and not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (make setup installs poppler-utils)")
    return EXTRACTORS[extractor](pdf)


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("seed", SEEDS)
def test_small_caps_headings_extract_as_whole_words(compact: dict[str, Built], seed: str, extractor: str) -> None:
    """Each section heading is a line of its own reading as the word, in capitals ("EXPERIENCE"),
    never as spaced letters ("E X P E R I E N C E") or split at the larger first letter."""
    from cvforge.builder.view_options import section_order
    from cvforge.document.headings import heading_parts
    from cvforge.document.view import view_document
    from cvforge.renderers.themes import load_theme

    lines = {squash(line) for line in extract(extractor, compact[seed].files["pdf"]).splitlines()}
    document = view_document(compact[seed].profile, section_order(load_theme("compact")))
    keys = {section.key for section in document.sections}
    for section in document.sections:
        heading, _ = heading_parts(section.key, section.title, document.locale)  # the parser's word heads it
        if section.key == "about" and "summary" in keys:
            assert squash(heading).upper() not in lines, "on paper About goes when a Summary introduces"
            continue
        assert squash(heading).upper() in lines, f"{seed} through {extractor}: no line {heading.upper()!r}"


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("seed", SEEDS)
def test_right_aligned_dates_stay_with_their_role(compact: dict[str, Built], seed: str, extractor: str) -> None:
    """Organisation, dates and title read together, role after role, in every extractor: the dates
    follow the organisation on its line, the title the line after (on screen the dates stand at the
    right of the title's line)."""
    from cvforge.builder.view_options import section_order
    from cvforge.document.view import view_document
    from cvforge.renderers.themes import load_theme

    text = squash(extract(extractor, compact[seed].files["pdf"]))
    document = view_document(compact[seed].profile, section_order(load_theme("compact")))
    position = 0
    for title, organisation, dates in roles(document):
        fields = [squash(part) for part in paper_order(title, organisation, dates) if part]
        found = role_pattern(title, organisation, dates).search(text, position)
        assert found, f"{seed} through {extractor}: role {fields!r} missing, out of order or apart"
        position = found.end()


@pytest.mark.slow
def test_one_page_target_fits_without_tightening(tmp_path: Path) -> None:
    """The one-page Ledgerline target: classic has to tighten its density to fit; compact fits as it is."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(ROOT / "targets" / "sai-ledgerline-backend.yaml"),
            "--theme",
            "compact",
            "--format",
            "pdf",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(next(out.rglob("sai-ledgerline-backend.match.json")).read_text(encoding="utf-8"))
    pages = report["pages"]
    assert pages["fits"] and pages["pages"] == 1
    assert pages["pages_before_fitting"] == 1 and pages["dropped"] == [] and pages["density"] == pages["density_before"]


def test_denser_than_classic(built_themes: dict[str, dict[str, Built]]) -> None:
    from pypdf import PdfReader

    for seed in SEEDS:
        compact_pages = len(PdfReader(built_themes["compact"][seed].files["pdf"]).pages)
        classic_pages = len(PdfReader(built_themes["classic"][seed].files["pdf"]).pages)
        assert compact_pages <= classic_pages, f"{seed}: compact {compact_pages} pages, classic {classic_pages}"


def _page_fill(pdf: Path) -> list[float]:
    """How far down each page its last line of text reaches, as a share of the page's height."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        fills = []
        for page in document.pages:
            words = [w for w in page.extract_words() if not re.fullmatch(r"\d+ / \d+|\d+/\d+|/|\d+", w["text"])]
            body = [w for w in words if w["bottom"] < float(page.height) * 0.95]  # not the page number
            fills.append(max((w["bottom"] for w in body), default=0.0) / float(page.height))
        return fills


def test_one_page_first(compact: dict[str, Built]) -> None:
    """Sai, who needs about 1.2 pages at the resume's normal size, fits one page; a resume that needs
    more has a real last page (at least 40 % of it used), never a few lines over."""
    fills = {seed: _page_fill(built.files["pdf"]) for seed, built in compact.items()}
    assert len(fills["sai-sushanth-thakkalapally"]) == 1, fills
    for seed, pages in fills.items():
        assert len(pages) == 1 or pages[-1] >= 0.4, f"{seed}: last of {len(pages)} pages {pages[-1]:.0%} used"


def test_type_stays_readable(compact: dict[str, Built]) -> None:
    """The body text (the size most characters are set in) is never below 8.5 pt, however dense."""
    from collections import Counter

    import pdfplumber

    for seed, built in compact.items():
        with pdfplumber.open(built.files["pdf"]) as document:
            sizes = Counter(round(float(char["size"]), 1) for page in document.pages for char in page.chars)
        body = sizes.most_common(1)[0][0]
        assert body >= 8.5, f"{seed}: body text {body} pt"
