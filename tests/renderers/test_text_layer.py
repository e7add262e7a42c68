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
from tests.helpers.textlayer import pdfjs_missing, pdfjs_text, pdfminer_text, pdftotext_text, problems

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
    found = problems(text, document_for(source, theme), source.read_text("utf-8"))
    assert not found, f"{extractor} reads {name} in {theme} wrongly:\n  " + "\n  ".join(found)
