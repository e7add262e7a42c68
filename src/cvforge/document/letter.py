"""Letter → LetterDocument: the small tree every letter renderer reads (HTML, PDF, DOCX, Markdown,
text), so the five cannot drift apart. Placeholders are filled, Markdown parsed and the date
written out here, once. Pure: the build date and the profile come in as arguments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cvforge.document.locale import DEFAULT_LOCALE, LocaleView, babel_locale, make_locale
from cvforge.document.sections import AnySection
from cvforge.document.view import PersonView, view_person
from cvforge.schema.markup import Inline, parse_inline
from cvforge.schema.placeholders import fill
from cvforge.schema.profile import Profile

if TYPE_CHECKING:
    from cvforge.schema.letter import LetterSpec  # a letter's own schema: loaded when a letter is read

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class RecipientView:
    """The inside address, line by line: name, title, company, then the postal lines."""

    name: str | None
    title: str | None
    company: str | None
    address: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.name, self.title, self.company, *self.address) if line)


@dataclass(frozen=True)
class LetterDocument:
    """One cover letter, in reading order. `person` is the resume's own header, so themes reuse it."""

    person: PersonView
    recipient: RecipientView
    date: str
    subject: str | None
    salutation: str
    body: tuple[Inline, ...]
    closing: str
    signature: str | None  # a local image next to the file holding the letter
    enclosures: tuple[str, ...]
    company: str | None = None
    locale: LocaleView = field(default_factory=LocaleView)  # the resume's: `lang`, `dir` and the photo's alt
    role: str | None = None
    keywords: tuple[str, ...] = ()
    sections: tuple[AnySection, ...] = ()  # none: header partials that look for resume sections find none

    def section(self, key: str) -> AnySection | None:
        return None

    @property
    def enclosures_line(self) -> str:
        """The enclosures line in the letter's language ("Anlagen: Lebenslauf"); empty without any."""
        if not self.enclosures:
            return ""
        word = self.locale.label("enclosures" if len(self.enclosures) > 1 else "enclosure")
        return f"{word}: {', '.join(self.enclosures)}"

    @property
    def application(self) -> str | None:
        """'Senior Backend Engineer at Ledgerline': the packet's and the files' subject."""
        if self.role and self.company:
            return f"{self.role} at {self.company}"
        return self.role or self.company


def format_letter_date(day: dt.date, locale: LocaleView | None = None) -> str:
    """'1 December 2026' in English (unambiguous in every English-speaking country); in another
    language its own long date from CLDR ('1. Dezember 2026', '2026年12月1日')."""
    if locale is None or locale.tag == DEFAULT_LOCALE:
        return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return format_date(day, "long", locale=babel_locale(locale.tag))


def view_letter(
    profile: Profile,
    spec: LetterSpec,
    *,
    today: dt.date,
    company: str | None = None,
    role: str | None = None,
    with_resume: bool = False,
) -> LetterDocument:
    """Fill and parse the letter. Placeholders without a value were reported when it was loaded."""
    values = {"company": company or "", "role": role or "", "name": profile.person.name}
    recipient = spec.recipient
    view = RecipientView(recipient.name, recipient.title, recipient.company or company, tuple(recipient.address))
    locale = make_locale(profile.locale, profile.date_format, profile.labels, warn=False)
    if spec.salutation:
        salutation = fill(spec.salutation, values)
    elif recipient.name:
        salutation = locale.label("salutation_named", name=recipient.name)
    else:
        salutation = locale.label("salutation")
    if spec.enclosures == "auto":
        enclosures: tuple[str, ...] = (locale.label("resume_enclosure"),) if with_resume else ()
    elif spec.enclosures == "none":
        enclosures = ()
    else:
        enclosures = tuple(spec.enclosures)
    return LetterDocument(
        person=view_person(profile),
        recipient=view,
        date=format_letter_date(spec.date or today, locale),
        subject=fill(spec.subject, values) if spec.subject else None,
        salutation=salutation,
        body=tuple(parse_inline(fill(paragraph, values)) for paragraph in spec.body),
        closing=spec.closing or locale.label("closing"),
        signature=spec.signature,
        enclosures=enclosures,
        company=company,
        role=role,
        locale=locale,
    )
