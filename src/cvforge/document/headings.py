"""Section headings an applicant tracking system (ATS) recognises, and how a person's own wording fits.

ATS parsers split a resume into sections by matching heading lines against a vocabulary
("Experience", "Work History", "Skills"…). A heading such as "Selected Work" or "Featured
engineering work" is not in it, and its word "work" can send the projects into the work history.
So a section parsers look for gets one heading line that starts with a name they know:

- the person's title as written when it is in the vocabulary ("Work Experience") or contains the
  section's standard word ("Featured Projects", "Technical Skills & Tools");
- otherwise the standard name, a dash, then the person's wording: "Projects — Selected Work";
  or, where a writer has a line for it (Word), the standard name alone as the heading and the
  person's wording on a subtitle line under it (`heading_parts`).

Sections parsers do not split out keep the person's title. `heading_key` is the reverse, what
`cvforge check` uses to prove a Word file's headings are recognised. Pure.
"""

from __future__ import annotations

import re
from functools import cache

from cvforge.document.locale import DEFAULT_LOCALE, LocaleView, shipped_table, shipped_tables, table_for

# Section key → the heading to use, then other headings parsers know for that section (lower case,
# "&" written "and"), in English; each language's table (`cvforge/data/locales/`) has its own.
# Only sections ATS parsers split out are here; the rest keep the person's title.
RECOGNISED: dict[str, tuple[str, tuple[str, ...]]] = {
    key: (shipped_table(DEFAULT_LOCALE).labels[key], words)
    for key, words in shipped_table(DEFAULT_LOCALE).headings.items()
}
_SPACES = re.compile(r"\s+")


def _plain(title: str) -> str:
    return _SPACES.sub(" ", title.replace("&", " and ")).strip().casefold()


HEADING_JOIN = " — "


def _has_words(plain: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", plain) is not None


def parser_heading(key: str, title: str, locale: LocaleView | None = None) -> str:
    """The one heading line for a section: the person's title when parsers know it, else prefixed
    with the standard heading of the document's language ("Berufserfahrung — Stationen")."""
    heading, subtitle = heading_parts(key, title, locale)
    return f"{heading}{HEADING_JOIN}{subtitle}" if subtitle else heading


def heading_parts(key: str, title: str, locale: LocaleView | None = None) -> tuple[str, str | None]:
    """The heading a parser files the section under, and the person's own wording when that is
    not it: ("Projects", "Selected Work"), or ("Featured Projects", None) when parsers know it."""
    if key not in RECOGNISED:
        return title, None
    standard, variants = RECOGNISED[key]
    table = table_for(locale.tag) if locale else None
    if locale is not None and table is not None and key in table.headings:
        standard = locale.label(key)
        variants = (*table.headings[key], *(v for v in variants if table.tag == DEFAULT_LOCALE))
    plain = _plain(title)
    if plain in variants or _has_words(plain, standard.casefold()):
        return title, None
    return standard, title


HEADING_WORDS = 8  # a longer line is body text, whatever words it holds


def heading_key(line: str) -> str | None:
    """The section a parser files a short line under: a known name it starts with, or the
    section's standard word anywhere in it ("Featured Projects"), in any shipped language; None
    for anything else."""
    plain = _plain(line)
    if not plain or len(plain.split()) > HEADING_WORDS:
        return None
    for key, languages in _vocabulary().items():
        for standard, variants in languages:
            if _has_words(plain, _plain(standard)) or any(plain == v or plain.startswith(f"{v} ") for v in variants):
                return key
    return None


@cache
def _vocabulary() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Every language's headings by section, English first: `check` knows a localized resume's."""
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {key: [] for key in RECOGNISED}
    tables = shipped_tables()
    for tag in (DEFAULT_LOCALE, *sorted(t for t in tables if t != DEFAULT_LOCALE)):
        table = tables[tag]
        for key, words in table.headings.items():
            if key in found:
                found[key].append((table.labels[key], tuple(_plain(w) for w in words)))
    return {key: tuple(value) for key, value in found.items()}
