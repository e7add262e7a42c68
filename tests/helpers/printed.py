"""The sections a theme prints, in the order its print page sets them: what the PDF's headings and
text layer are checked against (the Document's order is the DOCX's and the web page's)."""

from __future__ import annotations

from dataclasses import replace

from cvforge.document.view import Document

# portfolio's body.html.j2: on paper the employers come right after the summary and the figures
PRINT_FIRST = {"portfolio": ("summary", "metrics", "experience")}


def printed(document: Document, theme: str) -> Document:
    """`document` with its sections as `theme` prints them: compact leaves About out when a Summary
    introduces the person; portfolio puts experience before About and Selected Work."""
    sections = document.sections
    keys = {section.key for section in sections}
    if theme == "compact" and "summary" in keys:
        sections = tuple(s for s in sections if s.key != "about")
    first = PRINT_FIRST.get(theme, ())
    if first:
        ahead = [s for key in first for s in sections if s.key == key]
        sections = (*ahead, *(s for s in sections if s.key not in first))
    return replace(document, sections=sections)
