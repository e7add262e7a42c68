"""Shared field types: partial dates, safe URLs, tags and the strict base model.

Kept apart from the entry models so targets (and later formats) reuse the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from cvforge.schema.links import link_problem, reference_problem
from cvforge.schema.markup import link_targets

# Contact details `redact` can leave out of every output of a build.
RedactField = Literal["email", "phone", "location", "address", "website", "links", "photo"]
REDACT_FIELDS: tuple[str, ...] = RedactField.__args__  # type: ignore[attr-defined]

__all__ = [
    "DATE_HINT",
    "Date",
    "EndDate",
    "Link",
    "Markdown",
    "PartialDate",
    "PhotoRef",
    "Plain",
    "StrictModel",
    "Tags",
    "Url",
]

DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD"
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class StrictModel(BaseModel):
    """Unknown keys are errors and models are frozen, so a typo never vanishes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PartialDate(BaseModel):
    """A date known to the year, month or day; `present` is a separate marker on end dates."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(description="The four-digit year, e.g. 2024.")
    month: int | None = Field(
        default=None, description="The month, 1 to 12, when known; shown as its short name (Mar)."
    )
    day: int | None = Field(
        default=None, description="The day of the month, when known; outputs show only month and year."
    )

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def _not_a_date(value: object) -> ValueError:
    shown = value if isinstance(value, str) else repr(value)
    return ValueError(f"'{shown}' is not a date ({DATE_HINT})")


def parse_partial_date(value: Any) -> PartialDate:
    """Accept what YAML hands us for a date: an int year, a datetime.date, or a string."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool):
        raise _not_a_date(value)
    if isinstance(value, int):
        if 1000 <= value <= 9999:
            return PartialDate(year=value)
        raise _not_a_date(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(year=value.year, month=value.month, day=value.day)
    if not isinstance(value, str):
        raise _not_a_date(value)
    match = _DATE_RE.match(value.strip())
    if not match:
        raise _not_a_date(value)
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise _not_a_date(value) from None
    return PartialDate(year=year, month=month, day=day)


ONGOING_WORDS = ("current", "now", "today", "ongoing", "till date", "to date", "currently")


def _parse_end_date(value: Any) -> PartialDate | str:
    if isinstance(value, str) and value.strip().lower() == "present":
        return "present"
    if isinstance(value, str) and value.strip().lower() in ONGOING_WORDS:
        message = f"'{value}' is not a date; write 'present' for something still going on ({DATE_HINT} otherwise)"
        raise ValueError(message)
    return parse_partial_date(value)


def _written_date(value: PartialDate | str) -> str:
    """Dates serialise as written ("2024-03", "present"), so a dumped profile loads back as it was."""
    return value if isinstance(value, str) else value.iso()


_AS_WRITTEN = PlainSerializer(_written_date, return_type=str)
Date = Annotated[PartialDate, BeforeValidator(parse_partial_date), _AS_WRITTEN]
EndDate = Annotated[PartialDate | str, BeforeValidator(_parse_end_date), _AS_WRITTEN]


def _check_url(value: str) -> str:
    problem = link_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_markdown_links(value: str) -> str:
    """A Markdown link is a link like any other: a bad target is an error, not a silently dead link."""
    for target in link_targets(value):
        problem = link_problem(target)
        if problem:
            raise ValueError(f"Markdown link: {problem}")
    return value


def _check_photo(value: str) -> str:
    problem = reference_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_tag(value: str) -> str:
    if not value:
        raise ValueError("a tag cannot be empty")
    return value


Url = Annotated[str, AfterValidator(_check_url)]
Markdown = Annotated[
    str,
    AfterValidator(_check_markdown_links),
    Field(description="Text with inline Markdown: **bold**, *italic*, `code`, [link](url)."),
]
Plain = Annotated[str, Field(description="Plain text, shown as written.")]
PhotoRef = Annotated[
    str,
    AfterValidator(_check_photo),
    Field(description="A PNG or JPEG next to the profile (photo.jpg), or an http(s) URL, which is never fetched."),
]
Tags = Annotated[
    list[Annotated[str, AfterValidator(_check_tag)]],
    Field(default_factory=list, description="Labels used to select items for tailored resumes."),
]


class Link(StrictModel):
    """A labelled link such as a LinkedIn or GitHub profile."""

    url: Url = Field(description='Where the link leads, e.g. "https://github.com/janedoe".')
    network: str | None = Field(None, description="Service name, e.g. LinkedIn, GitHub.")
    label: str | None = Field(
        None,
        description="Text to show; defaults to the URL without its scheme (on a project, to the network when given).",
    )


def check_locale(value: str) -> str:
    """A BCP 47 tag CLDR knows (through Babel): `de`, `pt-BR`, `zh-Hans`, `ar`."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(
            f"'{value}' is not a locale cvforge knows: write a BCP 47 tag such as en, de, pt-BR, ja, zh-Hans or ar"
            " (`cvforge locales` lists the translated ones)"
        ) from None
    return value.replace("_", "-")


_PATTERNS = '"MMM y", "MMMM y", "MM/y"'
# CLDR's date fields (era, years, quarters, months, weeks, days, weekdays). Babel formats a date
# with the others too (hours, minutes, zones) and fails at build time: there is no time to show.
_DATE_FIELDS = frozenset("GyYuUrQqMLwWdDFgEec")


def check_date_format(value: str) -> str:
    """A CLDR date pattern with a year in it and date fields only: "MMMM y", "MM/y", "y年M月"."""
    from babel.dates import parse_pattern

    try:
        pattern = parse_pattern(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"'{value}' is not a CLDR date pattern ({exc}); e.g. {_PATTERNS}") from None
    fields = re.findall(r"%\((\w+)\)s", str(pattern.format))
    not_dates = [field for field in fields if field[0] not in _DATE_FIELDS]
    if not_dates:
        raise ValueError(
            f"'{value}' has a field that is not part of a date: '{not_dates[0]}' (a time or zone); "
            f"quote literal text ('h'); e.g. {_PATTERNS}"
        )
    if not any(field[0] in "yYu" for field in fields):
        raise ValueError(f"'{value}' has no year (y) in it; e.g. {_PATTERNS}")
    return value


Locale = Annotated[str, AfterValidator(check_locale)]
DateFormat = Annotated[str, AfterValidator(check_date_format)]
