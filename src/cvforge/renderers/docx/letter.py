"""LetterDocument → DOCX: the resume's Word look (same styles, same masthead), then the letter as
plain body paragraphs a reader can edit before sending. No text boxes, no header or footer text.
The letter is set as its PDF is: prose at 11 pt (10.75 or 10.5 when the PDF had to tighten), and a
short letter lowered on its page by the PDF's lift, not left hanging under the masthead.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from cvforge.document.letter import LetterDocument
from cvforge.reader.signature import read_signature
from cvforge.renderers.docx.ooxml import fit_property, set_properties
from cvforge.renderers.docx.paragraphs import add_inline, add_text, new_paragraph
from cvforge.renderers.docx.writer import finish_word, start_word
from cvforge.renderers.letter import LIFT_STEP_MM, letter_setting
from cvforge.renderers.themes import Theme

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

GAP_PT = 8  # space after each block of the letter, as letter.css's paragraph gap
SIGNATURE_CM = 1.4  # the signature's height, as in letter.css (14 mm)
# letter.css's spacing steps: (type size in pt, line height, paragraph gap in ems), by `fit`.
LETTER_TYPE = {0: (11.0, 1.5, 0.85), 1: (10.75, 1.42, 0.65), 2: (10.5, 1.36, 0.5)}
WORD_SINGLE = 1.15  # Word's "single" line is about 1.15 × the type size: CSS line heights over it
MM_PT = 72 / 25.4


def render_letter_docx(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> bytes:
    """Build the letter's Word file; like the resume's, its bytes depend only on its inputs and SOURCE_DATE_EPOCH."""
    word = start_word(theme, letter.person)
    first = len(word.paragraphs)
    setting = letter_setting(letter, theme, profile_dir, letter_dir)
    _block(word, [letter.date], style="Muted", before=10 + setting.lift * LIFT_STEP_MM * MM_PT)
    if letter.recipient.lines:
        _block(word, list(letter.recipient.lines))
    if letter.subject:
        add_text(_spaced(word), letter.subject, "Accent Label")
    _block(word, [letter.salutation])
    for paragraph in letter.body:
        add_inline(_spaced(word), paragraph)
    add_text(_spaced(word, after=2, before=4), letter.closing)
    if letter.signature is not None and letter_dir is not None:
        _add_signature(_spaced(word, after=0), read_signature(letter_dir, letter.signature).data)
    add_text(_spaced(word), letter.person.name, "Label")
    if letter.enclosures:
        add_text(_spaced(word, before=6), letter.enclosures_line, "Muted")
    _set_type(word.paragraphs[first:], setting.fit)
    set_properties(word, letter)
    properties = word.core_properties
    cover_letter = letter.locale.label("cover_letter")
    title = f"{letter.person.name} — {cover_letter}"
    properties.title = fit_property(f"{title}: {letter.application}" if letter.application else title)
    properties.subject = fit_property(letter.application or cover_letter)
    return finish_word(word, letter.locale)  # a Hebrew letter runs right to left, as its resume does


def _spaced(word: WordDocument, *, after: float = GAP_PT, before: float = 0, style: str | None = None) -> Paragraph:
    from docx.shared import Pt

    paragraph = new_paragraph(word, style)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(before)
    return paragraph


def _block(word: WordDocument, lines: list[str], *, style: str | None = None, before: float = 0) -> None:
    """Lines kept together as one paragraph with line breaks (an address is one block)."""
    paragraph = _spaced(word, before=before)
    for index, line in enumerate(lines):
        run = add_text(paragraph, line, style)
        if index < len(lines) - 1:
            run.add_break()


def _set_type(paragraphs: list[Paragraph], fit: int) -> None:
    """The letter's size, leading and gaps at the PDF's spacing step (a gap as a share of the type)."""
    from docx.shared import Pt

    size, leading, gap = LETTER_TYPE[fit]
    for paragraph in paragraphs:
        paragraph.paragraph_format.line_spacing = round(leading / WORD_SINGLE, 2)
        after = paragraph.paragraph_format.space_after
        if after is not None and after.pt == GAP_PT:
            paragraph.paragraph_format.space_after = Pt(round(size * gap, 1))
        for run in paragraph.runs:
            run.font.size = Pt(size)


def _add_signature(paragraph: Paragraph, image: bytes) -> None:
    from docx.shared import Cm

    paragraph.add_run().add_picture(io.BytesIO(image), height=Cm(SIGNATURE_CM))
