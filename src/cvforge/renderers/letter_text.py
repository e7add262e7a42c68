"""LetterDocument → Markdown and plain text, for portals that take a pasted letter.

The sender's block mirrors the resume's Markdown and text masthead (name, headline, contacts);
then date, recipient, subject, salutation, paragraphs, closing and name, in that order.
"""

from __future__ import annotations

from pathlib import Path

from cvforge.document.letter import LetterDocument
from cvforge.renderers import markdown, text
from cvforge.renderers.themes import Theme


def _enclosures(letter: LetterDocument) -> str | None:
    return letter.enclosures_line or None


def render_letter_markdown_text(letter: LetterDocument) -> str:
    out = markdown.MarkdownFormatter()  # the résumé's masthead and contact line, as its Markdown writes them
    person = letter.person
    out.masthead(person.name, person.headline)
    out.contacts([out.link(c.text, c.href) if c.href else out.literal(c.text) for c in person.contacts])
    out.add(markdown.escape(letter.date))
    # Two trailing spaces: a hard line break, so the address keeps its lines in every renderer.
    out.add("  \n".join(markdown.escape(line) for line in letter.recipient.lines) or None)
    if letter.subject:
        out.add(f"**{markdown.escape(letter.subject)}**")
    out.add(markdown.escape(letter.salutation))
    out.add(*(markdown.inline(paragraph) for paragraph in letter.body))
    out.add(f"{markdown.escape(letter.closing)}  \n{markdown.escape(person.name)}")
    enclosures = _enclosures(letter)
    out.add(f"*{markdown.escape(enclosures)}*" if enclosures else None)
    return out.text()


def render_letter_text_string(letter: LetterDocument) -> str:
    out = text.TextFormatter()  # the résumé's contact lines; the letter's name stands without an underline
    person = letter.person
    masthead = [person.name]
    if person.headline:
        masthead += text.wrap(person.headline)
    out.add(masthead)
    out.contacts([out.link(c.text, c.href) if c.href else out.literal(c.text) for c in person.contacts])
    out.add([letter.date])
    out.add(list(letter.recipient.lines) or None)
    out.para(letter.subject)
    out.para(letter.salutation)
    for paragraph in letter.body:
        out.para(text.plain(paragraph))
    out.add([letter.closing, person.name])
    out.para(_enclosures(letter))
    return out.text()


def render_letter_markdown(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> bytes:
    return render_letter_markdown_text(letter).encode("utf-8")


def render_letter_text(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> bytes:
    return render_letter_text_string(letter).encode("utf-8")
