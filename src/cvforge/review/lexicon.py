"""The word lists review rules read: weak openers, clichés and technology names shipped as data
(`cvforge/data/review/`), codespell's dictionary of common misspellings, and lemminflect's
morphology for telling a past-tense opener from a present one. Each loads once, on first use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

Tense = Literal["past", "present"]


def _data_lines(name: str) -> list[str]:
    text = resources.files("cvforge").joinpath("data", "review", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _phrase_pattern(phrases: list[str], *, at_start: bool) -> re.Pattern[str]:
    """Whole-word, case-insensitive; a hyphen or a space in a phrase matches either."""
    parts = sorted((re.escape(p).replace(r"\-", "[- ]?").replace(r"\ ", r"[- ]") for p in phrases), key=len, reverse=True)
    body = "|".join(parts)
    return re.compile(rf"^(?:{body})\b" if at_start else rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def weak_openers() -> re.Pattern[str]:
    return _phrase_pattern(_data_lines("weak-openers.txt"), at_start=True)


@lru_cache(maxsize=1)
def cliches() -> re.Pattern[str]:
    return _phrase_pattern(_data_lines("cliches.txt"), at_start=False)


@dataclass(frozen=True)
class TechNames:
    """Canonical technology names, the misspellings always reported, and a pattern finding any of them."""

    canonical: dict[str, str]  # any spelling, casefolded → the canonical name
    wrong: frozenset[str]  # spellings reported wherever they appear
    pattern: re.Pattern[str]

    def strict_case(self, canonical: str) -> bool:
        """Names with inner capitals, dots, digits or symbols are not ordinary words: any other casing is a slip."""
        return not re.fullmatch(r"[A-Z]?[a-z]+(?: [A-Z]?[a-z]+)*", canonical)


@lru_cache(maxsize=1)
def tech_names() -> TechNames:
    canonical: dict[str, str] = {}
    wrong: set[str] = set()
    for line in _data_lines("tech-names.txt"):
        name, _, variants = line.partition("|")
        name = name.strip()
        canonical[name.casefold()] = name
        for variant in (v.strip() for v in variants.split(",")):
            if variant:
                canonical[variant.casefold()] = name
                wrong.add(variant)
    spellings = sorted(canonical, key=len, reverse=True)
    body = "|".join(re.escape(s) for s in spellings)
    pattern = re.compile(rf"(?<![\w./#+-])(?:{body})(?![\w#+]|[./-]\w)", re.IGNORECASE)
    return TechNames(canonical, frozenset(wrong), pattern)


@lru_cache(maxsize=1)
def misspellings() -> dict[str, str]:
    """codespell's main dictionary: a misspelling → its correction(s), as "fix" or "fix, other"."""
    table: dict[str, str] = {}
    text = resources.files("codespell_lib").joinpath("data", "dictionary.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        wrong, _, fixes = line.partition("->")
        fixes = fixes.strip().rstrip(",")
        if wrong and fixes:
            table[wrong] = fixes
    return table


def verb_lemmas(word: str) -> tuple[str, ...]:
    """The verbs `word` is a form of, by lemminflect's lexicon (empty for a word it knows only as another part of speech)."""
    import lemminflect  # type: ignore[import-untyped]

    found: dict[str, tuple[str, ...]] = lemminflect.getAllLemmas(word.lower(), upos="VERB")
    return found.get("VERB", ())


def tense_of(word: str) -> Tense | None:
    """The tense an opening verb is written in, or None when the word is not clearly a verb in one
    tense: "Cut" and "Set" are both; "Design" and "Lead" are nouns too, so a bullet may open with the noun."""
    import lemminflect

    lower = word.lower()
    lemmas = verb_lemmas(lower)
    if not lemmas:
        if len(lower) > 4 and lower.endswith("ed") and not lemminflect.getAllLemmas(lower):
            oov: dict[str, tuple[str, ...]] = lemminflect.getAllLemmasOOV(lower, upos="VERB")
            return "past" if any(lemma != lower for lemma in oov.get("VERB", ())) else None
        return None
    past = present = base = False
    for lemma in lemmas:
        forms: dict[str, tuple[str, ...]] = lemminflect.getAllInflections(lemma, upos="VERB")
        past |= lower in forms.get("VBD", ()) or lower in forms.get("VBN", ())
        present |= lower in forms.get("VBZ", ())
        base |= lower == lemma or lower in forms.get("VBP", ())
    if past and not (present or base):
        return "past"
    if present and not past:
        return "present"
    if base and not past and not lemminflect.getAllLemmas(lower, upos="NOUN").get("NOUN"):
        return "present"
    return None
