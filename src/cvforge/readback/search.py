"""Finding a detail in extracted text as a whole word, in any form a faithful reader gives it:
as written, set in capitals, with right-to-left runs in drawing order, across a line-end hyphen."""

from __future__ import annotations

import re

from cvforge.readback.normalise import BREAK, LAM_LIGATURE, RTL_RUN, normalise

# Scripts written without spaces between words: there a detail may touch the next word.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Haystack:
    """Extracted text, normalised once, searched for many details."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)

    def search(self, needle: str, start: int = 0, *, fold_case: bool = False) -> re.Match[str] | None:
        """The first whole-word occurrence of `needle`, in any of its readable forms, at or after `start`."""
        matches = (_pattern(form, fold_case=fold_case).search(self.text, start) for form in _forms(needle, fold_case))
        return min((match for match in matches if match is not None), key=lambda match: match.start(), default=None)


def _forms(needle: str, fold_case: bool) -> list[str]:
    """The needle as written, and as a faithful reader may get it.

    - Set in capitals, unless case is ignored anyway: themes capitalise names and titles (CSS
      text-transform), and the capitals are what the PDF's text holds.
    - Right-to-left runs (Arabic, Hebrew) reversed: PDF readers that follow drawing order, pdfminer
      among them, return them in visual order; the letters are the same, read from the other end.
    """
    written = normalise(needle)
    forms = [written]
    if not fold_case:
        forms.append(written.upper())
    forms.append(LAM_LIGATURE.sub(r"\2\1", RTL_RUN.sub(lambda run: run.group()[::-1], written)))
    return list(dict.fromkeys(forms))


def _pattern(needle: str, *, fold_case: bool) -> re.Pattern[str]:
    """A needle as a whole-word pattern; BREAK may stand for one of its hyphens or sit between letters."""
    parts: list[str] = []
    for index, char in enumerate(needle):
        if char == "-":
            parts.append(f"[-{BREAK}]")
            continue
        parts.append(re.escape(char))
        following = needle[index + 1 : index + 2]
        if char.isalnum() and following.isalnum():
            parts.append(f"{BREAK}?")
    before = r"(?<!\w)" if _word_edge(needle[:1]) else ""
    after = r"(?!\w)" if _word_edge(needle[-1:]) else ""
    return re.compile(before + "".join(parts) + after, re.IGNORECASE if fold_case else 0)


def _word_edge(char: str) -> bool:
    """A letter or digit at a needle's edge must not run on into a longer word ("Go" is not in "Google")."""
    return char.isalnum() and not _UNSPACED.match(char)
