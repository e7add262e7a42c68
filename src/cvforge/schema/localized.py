"""The language a profile is written in: its locale, month date pattern and own wording of the
words themes print (section titles, "present", "Tech")."""

from __future__ import annotations

from pydantic import Field

from cvforge.schema.base import DateFormat, Locale, StrictModel
from cvforge.schema.sections import LabelKey


class Localized(StrictModel):
    """Fields every profile has for its language; `Profile` adds the content."""

    locale: Locale | None = Field(
        None,
        description="Language and region of the resume (BCP 47: de, pt-BR, ja, ar): its labels, month names, "
        "date order and direction. A target's `locale` and `--locale` win over it; default English.",
    )
    date_format: DateFormat | None = Field(
        None, description='A CLDR date pattern for month dates, over the locale\'s own, e.g. "MMMM y" or "MM/y".'
    )
    labels: dict[LabelKey, str] = Field(
        default_factory=dict,
        description="Words the themes print, over the locale's: section titles and fixed words "
        '(`cvforge locales`), e.g. present: "heute".',
    )
