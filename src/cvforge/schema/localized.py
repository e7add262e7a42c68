"""The language a profile is written in: its locale, month date pattern and own wording of the
words themes print (section titles, "present", "Tech")."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from cvforge.schema.base import DateFormat, Locale, StrictModel
from cvforge.schema.placeholders import PlaceholderError, check_label
from cvforge.schema.sections import LabelKey


def _check_labels(labels: dict[str, str]) -> dict[str, str]:
    """Each label against the placeholders it takes ("Dear {name}," but not "Dear {name:d}"),
    reported at the label's own key: the error is raised with its location inside `labels`."""
    errors: list[InitErrorDetails] = []
    for key, text in labels.items():
        try:
            check_label(key, text)
        except PlaceholderError as exc:
            problem = PydanticCustomError("placeholder", "{problem}", {"problem": str(exc)})
            errors.append(InitErrorDetails(type=problem, loc=(key,), input=text))
    if errors:
        raise ValidationError.from_exception_data("labels", errors)
    return labels


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
    labels: Annotated[dict[LabelKey, str], AfterValidator(_check_labels)] = Field(
        default_factory=dict,
        description="Words the themes print, over the locale's: section titles and fixed words "
        '(`cvforge locales`), e.g. present: "heute". Placeholders are plain names ({name}, {count}) where the '
        "label takes them; {{ and }} are literal braces.",
    )
