"""Every theme's PDF reads field by field in pdf.js, pdftotext and pdfminer, for every seed profile
and every JSON Resume fixture: the name first, section headings as words, each role's title,
organisation and dates together and in order (dates on one line), no hyphenated word joined."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cvforge.builder.view_options import section_order
from cvforge.document.view import Document, view_document
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import load_theme
from tests.helpers.printed import printed
from tests.helpers.project import JSON_RESUMES, PROFILES, THEMES
from tests.helpers.textlayer import (
    pdfjs_missing,
    pdfjs_text,
    pdfminer_text,
    pdftotext_text,
    problems,
    without_column,
)

SOURCES = {path.name: path for path in [*PROFILES, *JSON_RESUMES]}


def _skip_reason(extractor: str) -> str | None:
    if extractor == "pdfjs":
        return pdfjs_missing()
    if extractor == "pdftotext" and shutil.which("pdftotext") is None:
        return "pdftotext is not installed (scripts/install-system-deps installs poppler-utils)"
    return None


EXTRACTORS: dict[str, Callable[[Path], str]] = {
    "pdfjs": pdfjs_text,
    "pdftotext": pdftotext_text,
    "pdfminer": pdfminer_text,
}


def document_for(source: Path, theme: str) -> Document:
    return printed(view_document(load_profile(source), section_order(load_theme(theme))), theme)


def wide_column(text: str, document: Document, theme: str) -> str:
    """pdftotext and pdfminer read a sidebar's lines where they sit, so its last ones may come between
    a role's organisation line and its title beside it (README, "sidebar"); each column's own order
    is what a parser needs, and tests/renderers/test_sidebar.py checks the sidebar's."""
    from lxml import html

    from cvforge.renderers.html import render_html

    page = html.fromstring(render_html(document, load_theme(theme), mode="file"))
    return without_column(text, page.xpath("string(//aside)"))


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", SOURCES)
def test_pdf_reads_field_by_field(
    print_pdfs: dict[tuple[str, str], Path], name: str, theme: str, extractor: str
) -> None:
    reason = _skip_reason(extractor)
    if reason:
        pytest.skip(reason)
    source = SOURCES[name]
    text = EXTRACTORS[extractor](print_pdfs[name, theme])
    document = document_for(source, theme)
    # pdf.js reads the whole sidebar first; the others read it where it sits
    wide = wide_column(text, document, theme) if theme == "sidebar" and extractor != "pdfjs" else None
    found = problems(text, document, source.read_text("utf-8"), wide)
    assert not found, f"{extractor} reads {name} in {theme} wrongly:\n  " + "\n  ".join(found)
