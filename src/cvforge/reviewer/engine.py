"""Review a profile, or a target as tailored: run the rules, place each finding at its line in the
file it came from, and drop what the file silences (`review: {ignore: [...]}` or a
`# cvforge: ignore[rule]` comment on the line)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cvforge.errors import display_path
from cvforge.reader.limits import read_limited
from cvforge.reader.read import validate_profile
from cvforge.reader.source import format_path, parse_text, position
from cvforge.renderers.themes import load_theme
from cvforge.reviewer import rules, timeline
from cvforge.reviewer.finding import Finding
from cvforge.reviewer.prose import Loc, Text, iter_texts
from cvforge.reviewer.width import line_chars
from cvforge.schema import Profile

IGNORE_COMMENT = re.compile(r"#\s*cvforge:\s*ignore(?:\[(?P<rules>[^\]]*)\])?", re.IGNORECASE)
DEFAULT_LINE_CHARS = 100


@dataclass(frozen=True)
class Source:
    """A file's parsed data (with ruamel positions) and its lines, to locate findings and read comments."""

    shown: str
    data: Any  # None for a foreign format, whose paths are not the profile's
    lines: tuple[str, ...]
    parsed: Any = None  # the file's data as parsed, to validate without parsing again

    @classmethod
    def read(cls, path: Path, *, profile: bool = True) -> Source:
        """A profile in a foreign format (JSON Resume, RenderCV) has other paths: its findings carry no lines."""
        shown = display_path(path)
        text = read_limited(path, shown, what="profiles" if profile else "input files").decode("utf-8")
        data = parse_text(text, shown, as_json=path.suffix.lower() == ".json")
        located = data if not profile or (isinstance(data, dict) and "person" in data) else None
        return cls(shown, located, tuple(text.replace("\r\n", "\n").split("\n")), data)

    def locate(self, loc: Loc) -> tuple[int, int]:
        return position(self.data, loc, key=False) if self.data is not None else (0, 0)

    def silenced(self, line: int, rule: str) -> bool:
        if not 0 < line <= len(self.lines):
            return False
        match = IGNORE_COMMENT.search(self.lines[line - 1])
        if match is None:
            return False
        named = match.group("rules")
        return named is None or rule in {r.strip() for r in named.split(",")}


@dataclass
class Review:
    """One file's findings and the figures its summary line reports."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    rates: list[str] = field(default_factory=list)  # "Engineer at Acme: 3 of 7 bullets carry a number"
    pages: int | None = None

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def summary(self) -> str:
        counts = Counter(f.rule for f in self.findings)
        by_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items())) or "no findings"
        noun = "finding" if len(self.findings) == 1 else "findings"
        head = f"{self.file}: {len(self.findings)} {noun}" + (f" ({by_rule})" if self.findings else "")
        return "\n".join([head, *(f"  {rate}" for rate in self.rates)])

    def as_dict(self) -> dict[str, Any]:
        counts = Counter(f.rule for f in self.findings)
        return {
            "file": self.file,
            "findings": [f.as_dict() for f in self.findings],
            "by_rule": dict(sorted(counts.items())),
            "figures": self.rates,
            "pages": self.pages,
        }


def is_english(locale: str | None) -> bool:
    """The word rules (openers, pronouns, verbs, tense, clichés, spelling) know English only."""
    return locale is None or locale.lower().split("-")[0] == "en"


def run_rules(
    profile: Profile,
    texts: Sequence[Text],
    *,
    width: int,
    pages: int | None,
    today: date,
    locale: str | None = None,
) -> tuple[list[rules.Raw], list[str]]:
    """Every rule over the texts shown; the per-role figure rates for the summary. A resume in
    another language gets only the rules that do not read English words."""
    figures, rates = rules.no_figure(profile, texts)
    english = is_english(locale if locale is not None else profile.locale)
    words = (
        [
            *rules.weak_opener(texts),
            *rules.pronoun(texts),
            *rules.repeated_verb(profile, texts),
            *rules.tense(profile, texts, timeline.current_roles(profile)),
            *rules.cliche(texts),
            *rules.spelling(texts),
        ]
        if english
        else []
    )
    raw = [
        *figures,
        *words,
        *rules.length(texts, width),
        *rules.tech_name(texts),
        *timeline.dates(profile, today),
        *timeline.length_of_resume(profile, pages, today),
        *timeline.contact(profile),
    ]
    return raw, rates


def theme_width(profile: Profile, theme: str | None = None, theme_dirs: Sequence[Path] = ()) -> int:
    try:
        return line_chars(load_theme(theme or profile.theme or "classic", theme_dirs))
    except Exception:  # an unknown theme is validate's to report; review measures as classic does
        return DEFAULT_LINE_CHARS


def locate(raw: Sequence[rules.Raw], source: Source, ignore: Collection[str]) -> list[Finding]:
    """Findings placed in the file, minus those the file silences, in file order."""
    found = []
    for item in raw:
        if item.rule in ignore:
            continue
        line, column = source.locate(item.loc)
        if source.silenced(line, item.rule):
            continue
        found.append(Finding(source.shown, line, column, format_path(item.loc), item.rule, item.severity, item.message))
    order = {format_path(item.loc): index for index, item in enumerate(sorted(raw, key=lambda r: _sortable(r.loc)))}
    return sorted(set(found), key=lambda f: (f.line, f.column, order.get(f.path, 0), f.rule, f.message))


def _sortable(loc: Loc) -> tuple[tuple[int, int | str], ...]:
    """Paths in reading order (`bullets[2]` before `bullets[10]`), for data without lines."""
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in loc)


def review_profile(
    profile: Profile,
    source: Source | None = None,
    *,
    pages: int | None = None,
    width: int | None = None,
    today: date | None = None,
) -> Review:
    """Review a loaded profile; without `source` (a profile built in code), findings carry paths only."""
    today = today or date.today()
    texts = list(iter_texts(profile))
    raw, rates = run_rules(profile, texts, width=width or theme_width(profile), pages=pages, today=today)
    where = source or Source("<profile>", None, ())
    return Review(where.shown, locate(raw, where, profile.review.ignore), rates, pages)


def review_file(path: Path, *, pages: int | None = None, today: date | None = None) -> Review:
    """Review a profile file; raises ProfileError when it does not validate (review reads only valid profiles)."""
    source = Source.read(path)
    profile = validate_profile(source.parsed, source.shown, path.parent)  # the same parse locates findings
    return review_profile(profile, source, pages=pages, today=today)
