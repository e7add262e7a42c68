"""Verifying a cover letter's text: who wrote it and how to reach them, who it is for, and every
paragraph, whole and in order."""

from __future__ import annotations

from typing import Any

from cvforge.document.letter import LetterDocument
from cvforge.errors import CheckError
from cvforge.readback.extract import EXTRACTORS, extract_text
from cvforge.readback.search import Haystack
from cvforge.readback.verify import Expected, Finding, Report, check_order

LETTER_ORDER_FIELD = "body order"


def expected_letter_details(letter: LetterDocument) -> list[Expected]:
    """What a reader of a cover letter must get: who wrote it and how to reach them, who it is for,
    and every paragraph, whole."""
    details = [Expected("name", letter.person.name)]
    details += [Expected(f"contact.{contact.kind}", contact.text) for contact in letter.person.contacts]
    details += [Expected(f"recipient[{index}]", line) for index, line in enumerate(letter.recipient.lines)]
    if letter.subject:
        details.append(Expected("subject", letter.subject))
    details.append(Expected("salutation", letter.salutation))
    details += [Expected(f"body[{index}]", _spans_text(paragraph)) for index, paragraph in enumerate(letter.body)]
    details.append(Expected("closing", letter.closing))
    return details


def _spans_text(spans: Any) -> str:
    return "".join(span.text for span in spans)


def verify_letter(letter: LetterDocument, text: str, source: str) -> Report:
    """Look for every detail of the letter in `text`, then check its paragraphs come in order."""
    haystack = Haystack(text)
    findings = [
        Finding(e.field, e.text, found, "found" if found else "missing")
        for e in expected_letter_details(letter)
        for found in [haystack.search(e.text) is not None]
    ]
    anchors = [(f"body[{index}]", _spans_text(paragraph)) for index, paragraph in enumerate(letter.body)]
    if len(anchors) > 1:
        order = check_order(haystack, anchors)
        findings.append(Finding(LETTER_ORDER_FIELD, f"{len(anchors)} paragraphs", order.ok, order.result))
    return Report(source, tuple(findings))


def check_letter_bytes(letter: LetterDocument, data: bytes, kind: str, source: str) -> Report | None:
    """Check a letter's PDF or DOCX (`letter.pdf`, `pdf`…); None for outputs a parser does not read."""
    fmt = kind.removeprefix("letter.")
    if fmt not in EXTRACTORS:
        return None
    try:
        text = extract_text(fmt, data)
    except CheckError as exc:
        raise CheckError(f"{source}: {exc.message}") from None
    return verify_letter(letter, text, source)
