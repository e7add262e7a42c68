"""A cover letter: who it is for, what it says, how it ends. Kept in a target (`letter:`) or in a
standalone letter file (`letters/NAME.yaml`) that names its profile.

Body paragraphs, the subject and the salutation may say `{company}`, `{role}` and `{name}`, plain
names and nothing else (see `cvforge.schema.placeholders`); any other brace is a located error here,
and a placeholder whose value the target cannot supply is one when the target is loaded (see
`cvforge.targets.letter`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from cvforge.schema.base import Markdown, RedactField, StrictModel
from cvforge.schema.links import is_remote, reference_problem
from cvforge.schema.placeholders import LETTER_PLACEHOLDERS, check


def _check_placeholders(text: str) -> str:
    """Only `{company}`, `{role}` and `{name}`, bare: never a spec, conversion, attribute or index."""
    return check(text, LETTER_PLACEHOLDERS)


def _check_signature(value: str) -> str:
    problem = reference_problem(value)
    if problem:
        raise ValueError(problem)
    if is_remote(value):
        raise ValueError(f"'{value}' is a remote image; a signature must be a local PNG or JPEG file")
    return value


def _lines(value: Any) -> Any:
    """An address may be one string with line breaks, or a list of lines."""
    return [line.strip() for line in value.splitlines() if line.strip()] if isinstance(value, str) else value


def _paragraphs(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Filled = Annotated[str, AfterValidator(_check_placeholders)]
FilledMarkdown = Annotated[Markdown, AfterValidator(_check_placeholders)]


class Recipient(StrictModel):
    """Who the letter is addressed to; every field is optional."""

    name: str | None = Field(default=None, description="The hiring manager or recruiter, e.g. Dana Rivera.")
    title: str | None = Field(default=None, description="Their title, e.g. Engineering Manager, Payments.")
    company: str | None = Field(default=None, description="The company; default: the target's `company`.")
    address: Annotated[list[str], BeforeValidator(_lines)] = Field(
        default_factory=list, description="Postal address lines, e.g. [200 Market St, San Francisco, CA]."
    )


class LetterSpec(StrictModel):
    """The `letter:` block: a one-page cover letter in the resume's theme."""

    recipient: Recipient = Field(default_factory=Recipient, description="Who the letter is for.")
    date: dt.date | None = Field(
        None, description="The letter's date (YYYY-MM-DD); default: the build date (SOURCE_DATE_EPOCH when set)."
    )
    subject: Filled | None = Field(None, description="A subject line, e.g. Application for {role}.")
    salutation: Filled | None = Field(
        None, description="Default: 'Dear NAME,' from the recipient, else 'Dear Hiring Manager,'."
    )
    body: Annotated[list[FilledMarkdown], BeforeValidator(_paragraphs)] = Field(
        min_length=1, description="Paragraphs with inline Markdown and {company}, {role}, {name} placeholders."
    )
    closing: str | None = Field(
        None,
        min_length=1,
        description="The line before the signature (default: the locale's, in English 'Kind regards,').",
    )
    signature: Annotated[str, AfterValidator(_check_signature)] | None = Field(
        None, description="A PNG or JPEG of a handwritten signature, next to the file that holds the letter."
    )
    enclosures: Literal["auto", "none"] | list[str] = Field(
        "auto", description="'auto': Resume, when the letter goes with one; 'none'; or a list of what is enclosed."
    )


class LetterFile(StrictModel):
    """A standalone letter (`letters/NAME.yaml`): a letter without a job description or a tailored resume."""

    profile: str = Field(min_length=1, description="The sender's profile, relative to this file.")
    theme: str | None = Field(None, description="Theme to build with; default: the profile's.")
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Theme options, over the profile's own."
    )
    company: str | None = Field(default=None, description="The company written to: fills {company}.")
    role: str | None = Field(None, description="The role applied for: fills {role}.")
    redact: list[RedactField] = Field(default_factory=list, description="Contact details to leave out of the letter.")
    letter: LetterSpec = Field(description="The letter itself.")
