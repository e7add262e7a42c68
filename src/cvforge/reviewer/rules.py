"""The review rules about words: each reads the profile's texts and returns what it found, by path.

Rules about dates and the whole resume live in `timeline.py`; locating and silencing in `engine.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cvforge.reader.source import format_path
from cvforge.reviewer.finding import Severity
from cvforge.reviewer.lexicon import cliches, misspellings, past_of, tech_names, tense_of, verb_lemmas, weak_openers
from cvforge.reviewer.prose import Loc, Text, words_only
from cvforge.schema import Profile

MIN_WORDS = 4
FIGURE_SHARE = 0.5  # a role whose bullets carry a number less often than this is reported
FIGURE = re.compile(
    r"\d|[%$€£¥₹×]|\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundreds?|thousands?|millions?|billions?|dozens?|half|halved|double[ds]?|twice|triple[ds]?|tenfold)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"(?<![\w/-])(?:I(?=[\s,;.!?']|$)|[Mm]y|[Ww]e|[Oo]ur|[Mm]e|[Mm]yself|[Oo]urselves)(?![\w/-])")
WORD = re.compile(r"(?<![\w'])[^\W\d_]+(?:'[^\W\d_]+)*(?!\w)")  # whole words: "Café" is not "Caf"
OPENER = re.compile(r"[A-Za-z][A-Za-z-]*")


@dataclass(frozen=True)
class Raw:
    """A finding before it is located in a file: the path it is about, the rule, severity and message."""

    loc: Loc
    rule: str
    severity: Severity
    message: str


def opening_word(text: str) -> str:
    match = OPENER.match(text.lstrip("*_~`([\"' "))
    return match.group(0) if match else ""


def role_of(loc: Loc) -> Loc | None:
    """The role or project a bullet belongs to (`experience[2]`), or None."""
    if loc[0] in ("experience", "projects") and len(loc) >= 2:
        return loc[:2]
    if loc[0] == "custom" and len(loc) >= 4 and loc[2] == "entries":
        return loc[:4]
    return None


def role_name(profile: Profile, loc: Loc) -> str:
    if loc[0] == "experience" and isinstance(loc[1], int):
        role = profile.experience[loc[1]]
        return " at ".join(p for p in (role.title, role.organisation) if p) or format_path(loc)
    if loc[0] == "projects" and isinstance(loc[1], int):
        return profile.projects[loc[1]].name
    if loc[0] == "custom" and loc[2] == "entries" and isinstance(loc[1], int) and isinstance(loc[3], int):
        entry = profile.custom[loc[1]].entries[loc[3]]
        return entry.title or entry.subtitle or format_path(loc)
    return format_path(loc)


def weak_opener(texts: Sequence[Text]) -> list[Raw]:
    found = []
    for text in texts:
        if text.kind == "bullet" and (match := weak_openers().match(text.plain)):
            said = match.group(0)
            found.append(
                Raw(
                    text.loc,
                    "weak-opener",
                    "warning",
                    f'"{said}" says what the job was, not what you did; start with the verb ("Ran", "Owned", "Cut")',
                )
            )
    return found


def pronoun(texts: Sequence[Text]) -> list[Raw]:
    found = []
    for text in texts:
        if text.kind == "bullet" and (match := PRONOUN.search(words_only(text.raw))):
            found.append(
                Raw(
                    text.loc,
                    "pronoun",
                    "warning",
                    f'"{match.group(0)}" in a bullet: bullets drop the first person; start with the verb '
                    "(the summary and letters may say I)",
                )
            )
    return found


def width_of(text: str) -> int:
    """A text's width in Latin characters: a CJK or other full-width glyph takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def length(texts: Sequence[Text], line_chars: int) -> list[Raw]:
    found = []
    for text in texts:
        if text.kind != "bullet":
            continue
        wide = width_of(text.plain)
        # scripts written without spaces (Chinese, Japanese) count a word as about two glyphs
        words = len(text.plain.split()) if wide == len(text.plain) else wide // 4
        if wide > 2 * line_chars:
            lines = wide / line_chars
            found.append(
                Raw(
                    text.loc,
                    "length",
                    "warning",
                    f"about {lines:.1f} lines at the theme's width "
                    f"({wide} characters, ~{line_chars} a line); "
                    "keep a bullet to two lines: one result, how, and its figure",
                )
            )
        elif words < MIN_WORDS:
            found.append(
                Raw(
                    text.loc,
                    "length",
                    "warning",
                    f"only {words} word{'s' if words != 1 else ''}: say what you did and what came of it",
                )
            )
    return found


def cliche(texts: Sequence[Text]) -> list[Raw]:
    found = []
    for text in texts:
        if text.kind == "names":
            continue
        for match in cliches().finditer(text.plain):
            found.append(
                Raw(
                    text.loc,
                    "cliche",
                    "warning",
                    f'"{match.group(0)}" is a cliché readers skip; show it with something you did instead',
                )
            )
    return found


def spelling(texts: Sequence[Text]) -> list[Raw]:
    table = misspellings()
    names = tech_names().canonical
    found = []
    for text in texts:
        if text.kind == "names":
            continue
        seen: set[str] = set()
        for match in WORD.finditer(words_only(text.raw)):
            word = match.group(0)
            lower = word.lower()
            if lower in seen or lower in names or word.isupper() or not word.isascii():
                continue
            seen.add(lower)
            if (fix := table.get(lower)) is not None:
                suggestion = " or ".join(f'"{f.strip()}"' for f in fix.split(","))
                found.append(Raw(text.loc, "spelling", "warning", f'"{word}" is a common misspelling of {suggestion}'))
    return found


def tech_name(texts: Sequence[Text]) -> list[Raw]:
    """Known misspellings always; another casing of a name that is not a word (PostgreSQL) unless the
    profile writes that casing every time it names the technology."""
    names = tech_names()
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    hits: list[tuple[Text, str, str]] = []
    for text in texts:
        for match in names.pattern.finditer(words_only(text.raw)):
            written = match.group(0)
            canonical = names.canonical[written.casefold()]
            uses[canonical][written] += 1
            hits.append((text, written, canonical))
    found = []
    reported: set[tuple[Loc, str]] = set()
    for text, written, canonical in hits:
        if written == canonical or (text.loc, written) in reported:
            continue
        if written in names.wrong:
            consistent = False
        elif names.strict_case(canonical) and written.casefold() == canonical.casefold():
            consistent = len(uses[canonical]) == 1 and uses[canonical][written] > 1
        else:
            continue
        if not consistent:
            reported.add((text.loc, written))
            found.append(Raw(text.loc, "tech-name", "warning", f'"{written}" is written "{canonical}"'))
    return found


def no_figure(profile: Profile, texts: Sequence[Text]) -> tuple[list[Raw], list[str]]:
    """One finding per role whose bullets mostly carry no figure, and every role's rate for the summary."""
    roles: dict[Loc, list[Text]] = defaultdict(list)
    for text in texts:
        if text.kind == "bullet" and (role := role_of(text.loc)) is not None:
            roles[role].append(text)
    found, rates = [], []
    for role, bullets in roles.items():
        with_figure = sum(bool(FIGURE.search(b.plain)) for b in bullets)
        name = role_name(profile, role)
        rates.append(f"{name}: {share(with_figure, len(bullets))} a number")
        if len(bullets) >= 2 and with_figure < FIGURE_SHARE * len(bullets):
            bare = [format_path(b.loc).rsplit(".", 1)[-1] for b in bullets if not FIGURE.search(b.plain)]
            badges = [b for b in badges_of(profile, role) if FIGURE.search(b)]
            aside = f"; the badges have figures ({', '.join(badges)}), the bullets do not" if badges else ""
            found.append(
                Raw(
                    role,
                    "no-figure",
                    "info",
                    f"{share(with_figure, len(bullets))} a number, percentage, money, time or scale "
                    f"(without: {', '.join(bare)}){aside}; say how much, how many or how fast",
                )
            )
    return found, rates


def badges_of(profile: Profile, role: Loc) -> list[str]:
    """A project's outcome badges ("100K+ customers"), which stand apart from its bullets."""
    if role[0] == "projects" and isinstance(role[1], int):
        return list(profile.projects[role[1]].outcomes)
    return []


def share(part: int, whole: int) -> str:
    """ "3 of 7 bullets carry", "1 of 1 bullet carries"."""
    return f"{part} of {whole} bullets carry" if whole != 1 else f"{part} of 1 bullet carries"


def repeated_verb(profile: Profile, texts: Sequence[Text]) -> list[Raw]:
    """The same opening verb more than twice in a role, or more than four times in the resume."""
    openers: list[tuple[Text, str]] = []
    for text in texts:
        if text.kind == "bullet":
            word = opening_word(text.plain)
            if word and verb_lemmas(word):
                openers.append((text, word.lower()))
    found: list[Raw] = []
    flagged: set[str] = set()
    by_role: dict[tuple[Loc, str], list[Text]] = defaultdict(list)
    for text, word in openers:
        if (role := role_of(text.loc)) is not None:
            by_role[(role, word)].append(text)
    for (role, word), places in by_role.items():
        if len(places) > 2:
            flagged.add(word)
            where = ", ".join(format_path(p.loc) for p in places)
            name = role_name(profile, role)
            message = f'"{word.capitalize()}" opens {len(places)} bullets of {name} ({where}); vary the verbs'
            found.append(Raw(places[2].loc, "repeated-verb", "warning", message))
    everywhere = Counter(word for _, word in openers)
    for word, count in everywhere.items():
        if count > 4 and word not in flagged:
            places = [t for t, w in openers if w == word]
            where = ", ".join(format_path(p.loc) for p in places)
            message = f'"{word.capitalize()}" opens {count} bullets in the resume ({where}); vary the verbs'
            found.append(Raw(places[4].loc, "repeated-verb", "warning", message))
    return found


def tense(profile: Profile, texts: Sequence[Text], current: set[int]) -> list[Raw]:
    """A past role's bullets in the present tense (warning); a current role's in the past (info: a
    finished result in a current job may fairly be past)."""
    found = []
    for text in texts:
        if text.kind != "bullet" or text.loc[0] != "experience" or not isinstance(text.loc[1], int):
            continue
        word = opening_word(text.plain)
        written = tense_of(word) if word else None
        is_current = text.loc[1] in current
        if written == "present" and not is_current:
            message = f'"{word}" is present tense in a past role; write it in the past ("{_past(word)}")'
            found.append(Raw(text.loc, "tense", "warning", message))
        elif written == "past" and is_current:
            message = f'"{word}" is past tense in your current role; ongoing work reads in the present'
            found.append(Raw(text.loc, "tense", "info", message))
    return found


def _past(word: str) -> str:
    past = past_of(word) or word.lower()
    return past.capitalize() if word[:1].isupper() else past
