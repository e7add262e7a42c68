"""The text as a parser compares it, applied alike to what is expected and what is extracted, so a
detail reads the same whatever forms of Unicode, dashes, hyphenation or Arabic a file holds."""

from __future__ import annotations

import re
import unicodedata

# What `normalise` does, and why each step cannot make a missing detail look present:
# - NFKC folds compatibility forms a PDF may carry (ligatures "ﬁ", full-width letters, NBSP);
# - characters that never show (soft hyphen, zero-width space, word joiner, BOM) are dropped;
# - every dash (hyphen, en dash, em dash, minus) reads as "-", with no space around it, so the
#   view's "2024 – 2026" is found as "2024-2026" or "2024 — 2026" too: the same range;
# - runs of whitespace, line ends included, become one space.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_DASH = re.compile("[\u2010-\u2015\u2212]")
_SPACED_DASH = re.compile(r"\s*-\s*")
_WHITESPACE = re.compile(r"\s+")
# A hyphen at a line end between two letters is either a real one ("event-driven") or a break the
# layout added ("distri-buted"); it is kept as BREAK, which a needle may read as "-" or as nothing.
_LINE_END_HYPHEN = re.compile(r"(?<=\w)-\n(?=\w)")
BREAK = "\x00"
# Right-to-left runs (Arabic, Hebrew), which readers following drawing order return reversed.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
RTL_RUN = re.compile(f"[{_RTL}]+(?: +[{_RTL}]+)*")
# Every PDF extractor puts the letters of an Arabic lam-alef or lam-yeh ligature glyph back in
# drawing order ("الآن" reads "اآلن"), and moves the vowel marks: compared without either.
LAM_LIGATURE = re.compile("(\u0644)([\u0622\u0623\u0625\u0627\u0649\u064a])")
_MARKS = "[\u064b-\u0652\u0670]+"
# A mark inside a word, with the space some extractors put on either side of it; then any other.
_HARAKAT = re.compile(f"(?<=[\u0620-\u064a])\\s?{_MARKS}\\s?(?=[\u0620-\u064a])|{_MARKS}")


def normalise(text: str) -> str:
    """The text as a parser compares it; applied alike to what is expected and what is extracted."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = LAM_LIGATURE.sub(r"\2\1", _HARAKAT.sub("", text))
    text = _LINE_END_HYPHEN.sub(BREAK, text)
    text = _DASH.sub("-", text)
    text = _SPACED_DASH.sub("-", text)
    return _WHITESPACE.sub(" ", text).strip()
