"""A document's locale: the words themes print, month names and date order, the text direction and
the list comma, all for one BCP 47 tag.

Dates come from CLDR through Babel, for every locale Babel knows. The words come from the translation
tables in `cvforge/data/locales/` (one TOML file a language: its labels, and the headings parsers of
resumes in that language know), then a profile's own `labels:` over them. A word a table lacks falls
back to English, with a warning naming the key. Pure but for reading the shipped tables (cached).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from cvforge.schema.placeholders import fill, label_placeholders
from cvforge.schema.sections import LABEL_KEYS

if TYPE_CHECKING:
    from babel import Locale

LOGGER = logging.getLogger(__name__)
DEFAULT_LOCALE = "en"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
# The digits of the numbering systems CLDR makes a listed language's default (latn: as written).
NATIVE_DIGITS = {
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "beng": "০১২৩৪৫৬৭৮৯",
    "deva": "०१२३४५६७८९",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
}
MONTH_SKELETON = "yMMM"  # "Mar 2022", "März 2022", "2022年3月", "مارس 2022"


@dataclass(frozen=True)
class Table:
    """One shipped translation table: the language's own name, its labels and parser headings."""

    tag: str
    native: str
    labels: Mapping[str, str]
    headings: Mapping[str, tuple[str, ...]]
    date_format: str | None = None  # a month's pattern where resumes differ from CLDR's ("MM/y")


def _tables_dir() -> resources.abc.Traversable:
    return resources.files("cvforge") / "data" / "locales"


@cache
def shipped_tables() -> dict[str, Table]:
    """Every translation table cvforge ships, by tag (en, de, pt-BR, zh-Hans…)."""
    return {tag: shipped_table(tag) for tag in shipped_tags()}


@cache
def shipped_tags() -> tuple[str, ...]:
    """The tags of the shipped tables, from their file names alone, in file name order."""
    names = sorted(entry.name for entry in _tables_dir().iterdir() if entry.name.endswith(".toml"))
    return tuple(name.removesuffix(".toml") for name in names)


@cache
def shipped_table(tag: str) -> Table:
    """One shipped table, read alone: an English resume reads en.toml, not all 36 (12 ms of a build)."""
    data = tomllib.loads((_tables_dir() / f"{tag}.toml").read_text(encoding="utf-8"))
    headings = {key: tuple(words) for key, words in data.get("headings", {}).items()}
    pattern = data.get("date_format")
    labels = dict(data.get("labels", {}))
    return Table(tag, str(data.get("native", tag)), labels, headings, str(pattern) if pattern else None)


def babel_locale(tag: str) -> Locale:
    from babel import Locale

    return Locale.parse(tag.replace("_", "-"), sep="-")


def table_for(tag: str) -> Table | None:
    """The closest shipped table: the tag itself (pt-BR), its script (zh-Hans), then its language (pt)."""
    tags = shipped_tags()
    if tag in tags:
        return shipped_table(tag)
    parsed = babel_locale(tag)
    for candidate in (f"{parsed.language}-{parsed.script}" if parsed.script else None, parsed.language):
        if candidate and candidate in tags:
            return shipped_table(candidate)
    if parsed.language == "zh":  # zh, zh-CN and zh-SG write Simplified; zh-TW, zh-HK Traditional
        return shipped_table("zh-Hant" if parsed.territory in ("TW", "HK", "MO") else "zh-Hans")
    return None


# A figure's change, "45 → 15" or "5% → 25% → 50%": read left to right on any page, its arrow forward
# (the Unicode rules would set it right to left between Arabic or Hebrew words, "15 → 45").
FIGURE_CHANGE = re.compile(r"[\d٠-٩۰-۹][\d٠-٩۰-۹.,%×+]*(?:\s*[→⟶➜]\s*[\d٠-٩۰-۹][\d٠-٩۰-۹.,%×+]*)+")


def text_direction(text: str) -> str | None:
    """'rtl' or 'ltr' after the first strongly directional character (the Unicode rule for a
    paragraph), None when there is none (digits, punctuation)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


@dataclass(frozen=True)
class LocaleView:
    """What renderers need of the locale: the tag for `lang`, the direction, words and dates."""

    tag: str = DEFAULT_LOCALE
    direction: str = "ltr"
    labels: Mapping[str, str] = field(default_factory=dict)
    comma: str = ", "  # between a role and its organisation: "title, organisation", "title، organisation"
    date_format: str | None = None

    @property
    def language(self) -> str:
        return self.tag.split("-")[0]

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def label(self, key: str, **values: object) -> str:
        """A label with its placeholders filled: label("photo_of", name="Jane").

        Themes call this with any key and values, so the key is only ever looked up, never filled
        in, and the label fills just the plain names it takes (`fill`, never `str.format`).
        """
        if key not in LABEL_KEYS:
            raise ValueError(f"'{_clipped(key)}' is not a label cvforge prints (labels: {', '.join(LABEL_KEYS)})")
        text = self.labels.get(key) or english_labels()[key]
        names = label_placeholders(key)
        return fill(text, {name: values[name] for name in names if name in values}, names)

    def count(self, key: str, count: int, digits: int = 0) -> str:
        """A count in words ("3 projects", "03 projects" with two digits): the `<key>_one` or `<key>_other`
        label, as the language's plural rules pick."""
        form = babel_locale(self.tag).plural_form(count)
        return self.label(f"{key}_{'one' if form == 'one' else 'other'}", count=f"{count:0{digits}d}")

    def dir_of(self, text: object) -> str | None:
        """The direction an item needs when it differs from the document's, for `dir` in HTML."""
        found = text_direction(str(text))
        if found is None and self.rtl and any(c.isdigit() for c in str(text)):
            found = "ltr"  # "+971 50 123 4567" read right to left would put its groups backwards
        return found if found and found != self.direction else None

    def comma_for(self, *texts: object) -> str:
        """The comma between two parts: the Arabic "، " in an Arabic-script page or between Arabic
        parts, "、" or "，" between CJK parts as the locale writes it, else the Latin ", "."""
        joined = " ".join(str(t) for t in texts if t)
        if self.comma == "، " or any(unicodedata.bidirectional(c) == "AL" for c in joined):
            return "، "  # between two Latin names too: the page reads it right to left
        if self.comma.strip() and not self.comma.startswith(",") and not _wide(joined):
            return ", "
        return self.comma

    def month(self, year: int, month: int) -> str:
        from babel.dates import format_date, format_skeleton

        day = dt.date(year, month, 1)
        if self.date_format:
            return self._native_digits(format_date(day, self.date_format, locale=babel_locale(self.tag)))
        return self._native_digits(format_skeleton(MONTH_SKELETON, day, locale=babel_locale(self.tag)))

    def year(self, year: int) -> str:
        from babel.dates import format_skeleton

        return self._native_digits(format_skeleton("y", dt.date(year, 1, 1), locale=babel_locale(self.tag)))

    def _native_digits(self, text: str) -> str:
        """Dates in the digits the language writes numbers in (CLDR's default numbering system:
        Persian ۱۴۰۲, not 1402); Babel's date patterns always give Western ones."""
        digits = NATIVE_DIGITS.get(str(babel_locale(self.tag).default_numbering_system))
        return text.translate(str.maketrans("0123456789", digits)) if digits else text


def _clipped(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


@cache
def english_labels() -> dict[str, str]:
    return dict(shipped_table(DEFAULT_LOCALE).labels)


# The comma between a role and its organisation, by language: Arabic script has its own; Japanese
# writes the enumeration comma, Chinese the full-width one; everything else the Latin comma.
_COMMAS = {"ar": "، ", "fa": "، ", "ur": "، ", "ps": "، ", "sd": "، ", "ug": "، ", "ckb": "، ", "ja": "、", "zh": "，"}


@cache
def _resolved(tag: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """A tag's labels (table over English) and the keys that fell back to English."""
    english = english_labels()
    table = table_for(tag)
    own = dict(table.labels) if table else {}
    missing = tuple(key for key in LABEL_KEYS if not own.get(key)) if tag != DEFAULT_LOCALE else ()
    return tuple((key, own.get(key) or english[key]) for key in LABEL_KEYS), missing


def make_locale(
    tag: str | None, date_format: str | None = None, overrides: Mapping[str, str] | None = None, *, warn: bool = True
) -> LocaleView:
    """The LocaleView for a tag (default English), warning about every label that falls back to
    English; `overrides` (a profile's `labels:`) win over the table and silence that."""
    tag = tag or DEFAULT_LOCALE
    resolved, missing = _resolved(tag)
    labels = dict(resolved)
    labels.update(overrides or {})
    left = [key for key in missing if key not in (overrides or {})] if warn else []
    if left and table_for(tag) is None:
        LOGGER.warning(
            "locale %s: cvforge has no translation table for it; its labels are in English "
            "(dates are in %s); set `labels:` in the profile to word them",
            tag,
            tag,
        )
    else:
        for key in left:
            LOGGER.warning("locale %s: no translation for label '%s'; using the English '%s'", tag, key, labels[key])
    parsed = babel_locale(tag)
    direction = "rtl" if parsed.character_order == "right-to-left" or parsed.language in RTL_LANGUAGES else "ltr"
    table = table_for(tag)
    date_format = date_format or (table.date_format if table else None)
    return LocaleView(tag, direction, labels, _COMMAS.get(parsed.language, ", "), date_format)


def locale_names() -> list[tuple[str, str, str, str]]:
    """(tag, English name, native name, direction) of every shipped table, for `cvforge locales`."""
    rows = []
    for tag, table in shipped_tables().items():
        parsed = babel_locale(tag)
        direction = "rtl" if parsed.character_order == "right-to-left" else "ltr"
        rows.append((tag, parsed.get_display_name("en") or tag, table.native, direction))
    return rows
