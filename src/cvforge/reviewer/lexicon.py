"""The word lists review rules read: weak openers, clichés and technology names shipped as data
(`cvforge/data/review/`), codespell's dictionary of common misspellings, and lemminflect's
morphology for telling a past-tense opener from a present one. Each loads once, on first use."""

from __future__ import annotations

import gzip
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

Tense = Literal["past", "present"]


def _data_lines(name: str) -> list[str]:
    text = resources.files("cvforge").joinpath("data", "review", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _phrase_pattern(phrases: list[str], *, at_start: bool) -> re.Pattern[str]:
    """Whole-word, case-insensitive; a hyphen or a space in a phrase matches either."""
    parts = sorted(
        (re.escape(p).replace(r"\-", "[- ]?").replace(r"\ ", r"[- ]") for p in phrases), key=len, reverse=True
    )
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


@dataclass(frozen=True)
class Verbs:
    """lemminflect's English lexicon (from the NLM SPECIALIST Lexicon), verbs and nouns only.

    Read from the data file lemminflect ships rather than through its API, whose import pulls in
    numpy for a model of unknown words that review does not need: half a second saved per run."""

    forms: dict[str, dict[str, str]]  # any form of a verb → {its lemma: its tag (VB, VBD, VBN, VBG, VBZ)}
    nouns: frozenset[str]  # lemmas that are also nouns ("lead", "design")


@lru_cache(maxsize=1)
def verbs() -> Verbs:
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("lemminflect is not installed; `cvforge review` reads its lexicon")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "infl_lu.csv.gz"
    forms: dict[str, dict[str, str]] = {}
    nouns: set[str] = set()
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        lemma, _, rest = line.partition(",")
        if rest.startswith("noun,"):
            nouns.add(lemma)
        elif rest.startswith("verb,"):
            forms.setdefault(lemma, {})[lemma] = "VB"
            past, participle, gerund, third = ([*rest[5:].split(","), "", "", "", ""])[:4]
            for tag, spellings in (("VBD", past), ("VBN", participle or past), ("VBG", gerund), ("VBZ", third)):
                for form in spellings.split("/"):
                    if form:
                        forms.setdefault(form, {}).setdefault(lemma, tag)
    return Verbs(forms, frozenset(nouns))


def verb_lemmas(word: str) -> tuple[str, ...]:
    """The verbs `word` is a form of (empty for a word the lexicon does not know as a verb)."""
    return tuple(verbs().forms.get(word.lower(), ()))


def past_of(word: str) -> str | None:
    """The simple past of the verb `word` is a form of ("Develop" → "developed")."""
    lemmas = verb_lemmas(word)
    if not lemmas:
        return None
    return next((form for form, tags in verbs().forms.items() if tags.get(lemmas[0]) == "VBD"), None)


def tense_of(word: str) -> Tense | None:
    """The tense an opening verb is written in, or None when the word is not clearly a verb in one
    tense: "Cut" and "Set" are both; "Design" and "Lead" are nouns too, so a bullet may open with the noun."""
    lower = word.lower()
    table = verbs()
    tags = set(table.forms.get(lower, {}).values())
    if not tags:
        if len(lower) > 4 and lower.endswith("ed"):  # "Architected": a noun made a verb, past by its ending
            stems = (lower[:-2], lower[:-1], lower[:-3])
            return "past" if any(stem in table.nouns or stem in table.forms for stem in stems) else None
        return None
    past = bool(tags & {"VBD", "VBN"})
    if "VBZ" in tags and not past:
        return "present"
    if tags == {"VB"} and lower not in table.nouns:
        return "present"
    if past and not tags & {"VB", "VBZ"}:
        return "past"
    return None
