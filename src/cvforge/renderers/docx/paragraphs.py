"""Paragraphs and runs in cvforge's named styles: the pieces every part of the Word file is made of."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from cvforge.renderers.docx.ooxml import add_hyperlink, apply_run_style, clean
from cvforge.renderers.docx.template import style_id
from cvforge.schema.markup import Inline, Span

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

SEPARATOR = " · "
NBSP = "\u00a0"
# A block (role, project, entry…) shorter than this many estimated lines stays on one page, as the
# PDF's `break-inside: avoid` does; a longer one may break (its head still keeps with its first
# paragraph, no paragraph leaves one line behind), or Word would push it whole to the next page and
# leave a third of a page empty: with 18, aayushi's DOCX ran a page longer than her PDF.
KEEP_LINES = 8
CHARS_PER_LINE = 110


def add_text(paragraph: Paragraph, text: str, style: str | None = None) -> Run:
    return apply_run_style(paragraph.add_run(clean(text)), style)


def new_paragraph(word: WordDocument, style: str | None = None) -> Paragraph:
    paragraph = word.add_paragraph()
    if style is not None:
        paragraph._p.style = style_id(style)
    return paragraph


def add_span(paragraph: Paragraph, span: Span) -> None:
    if span.href:
        add_hyperlink(paragraph, span.text, span.href, bold=span.bold, italic=span.italic, code=span.code)
        return
    run = add_text(paragraph, span.text, "Code" if span.code else None)
    if span.bold:
        run.bold = True
    if span.italic:
        run.italic = True


def add_inline(paragraph: Paragraph, spans: Inline) -> None:
    for span in spans:
        add_span(paragraph, span)


def add_paragraph(word: WordDocument, spans: Inline | None = None, style: str | None = None) -> Paragraph:
    paragraph = new_paragraph(word, style)
    if spans:
        add_inline(paragraph, spans)
    return paragraph


@contextmanager
def keep_block(word: WordDocument) -> Iterator[list[Any]]:
    """Keep what is written inside on one page when it is short (see KEEP_LINES).

    Yields a list that holds the block's w:p elements once the block is written.
    """
    from docx.oxml.ns import qn

    def end() -> int:
        return len(body) - 1 if len(body) and body[-1].tag == qn("w:sectPr") else len(body)

    body = word.element.body
    start = end()
    added: list[Any] = []
    yield added
    added.extend(element for element in body[start : end()] if element.tag == qn("w:p"))
    for paragraph in added:
        paragraph.get_or_add_pPr().keepLines_val = True
    # The block's last paragraph never holds the next block to it, even when its style keeps with
    # the next (an entry that is only a title line is a heading): else a short entry drags the whole
    # next section, heading and diagram, to a new page with it.
    if added:
        added[-1].get_or_add_pPr().keepNext_val = False
    if sum(1 + len(p.text) // CHARS_PER_LINE for p in added) > KEEP_LINES:
        return
    for paragraph in added[:-1]:
        paragraph.get_or_add_pPr().keepNext_val = True
