"""A target: one job application's view of a master profile, kept in its own file.

A target names its profile by path and says what to show: which tags, which sections in which
order, how many items and bullets, what headline and summary, how many pages, where the files go,
and optionally the job description to rank everything against. Strict like the profile, so a
typo is a located error, never a silently ignored key.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from cvforge.schema.base import DateFormat, Locale, Markdown, RedactField, StrictModel, Tags
from cvforge.schema.letter import LetterSpec
from cvforge.schema.placeholders import OUTPUT_PLACEHOLDERS, check, safe_component
from cvforge.schema.profile import Headings
from cvforge.schema.review import ReviewSettings
from cvforge.schema.sections import SectionKey

# The profile's section keys, plus "custom" for its custom sections (one Literal, so one clear error).
SectionName = Literal[SectionKey, "custom"]
DEFAULT_OUTPUT = "{profile}/{target}"
Count = Annotated[int, Field(ge=0)]


def _paragraphs(value: Any) -> Any:
    """Let a single string stand for a one-paragraph list."""
    return [value] if isinstance(value, str) else value


def _job_shorthand(value: Any) -> Any:
    """`job: jobs/x.md` is short for `job: {description: jobs/x.md}`."""
    return {"description": value} if isinstance(value, str) else value


class TagFilter(StrictModel):
    """Select items by their tags; untagged items are always kept, and exclude wins over include."""

    include: Tags = Field(
        default_factory=list, description="Keep only tagged items that carry at least one of these tags."
    )
    exclude: Tags = Field(default_factory=list, description="Drop every item that carries any of these tags.")


class Caps(StrictModel):
    """Most items to keep per section, and most bullets and facets per item.

    With a job description the kept ones are the most relevant (ties keep the profile's order);
    without one they are the first ones.
    """

    summary: Count | None = Field(default=None, description="Most summary paragraphs to keep.")
    about: Count | None = Field(default=None, description="Most About paragraphs to keep.")
    metrics: Count | None = Field(default=None, description="Most metrics to keep.")
    skills: Count | None = Field(default=None, description="Skill groups, and separately skill-table rows.")
    experience: Count | None = Field(
        default=None, description="Most roles to keep; the roles kept stay in timeline order."
    )
    projects: Count | None = Field(default=None, description="Most projects to keep.")
    principles: Count | None = Field(default=None, description="Most principles to keep.")
    snapshots: Count | None = Field(default=None, description="Most system-design snapshots to keep.")
    notes: Count | None = Field(default=None, description="Most notes to keep.")
    publications: Count | None = Field(default=None, description="Most publications to keep.")
    education: Count | None = Field(default=None, description="Most education entries to keep.")
    certifications: Count | None = Field(default=None, description="Most certifications to keep.")
    awards: Count | None = Field(default=None, description="Most awards to keep.")
    languages: Count | None = Field(default=None, description="Most languages to keep.")
    custom: Count | None = Field(default=None, description="Entries in each custom section.")
    bullets: Count | None = Field(default=None, description="Bullets per role, project, skill group or entry.")
    facets: Count | None = Field(default=None, description="Facets (Problem, Architecture…) per project or snapshot.")

    def for_section(self, section: str) -> int | None:
        return getattr(self, section, None) if section in type(self).model_fields else None


class JobSpec(StrictModel):
    """The job description to rank the profile against, and how to read it."""

    description: str = Field(min_length=1, description="Plain-text or Markdown file, relative to the target file.")
    terms: list[str] = Field(default_factory=list, description="Extra terms to look for in the description.")
    ignore: list[str] = Field(default_factory=list, description="Terms never to count, e.g. the company's name.")
    synonyms: dict[str, list[str]] = Field(
        default_factory=dict, description="More spellings: term → aliases, added to the built-in table."
    )
    reorder: bool = Field(True, description="Show projects, metrics, skills and bullets most relevant first.")


class Target(StrictModel):
    """The root of a target file."""

    profile: str = Field(min_length=1, description="The profile to tailor, relative to the target file.")
    theme: str | None = Field(None, description="Theme to build with; default: the profile's.")
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Theme options, over the profile's own."
    )
    locale: Locale | None = Field(
        None, description="The resume's language and region (BCP 47), over the profile's; `--locale` wins over it."
    )
    date_format: DateFormat | None = Field(None, description="A CLDR date pattern for month dates, over the profile's.")
    tags: TagFilter = Field(
        default_factory=TagFilter, description="Which tagged items to keep or drop; untagged items are always kept."
    )
    sections: list[SectionName] | None = Field(
        None, description="Sections to show, in this order; the others are left out."
    )
    caps: Caps = Field(
        default_factory=Caps, description="Most items per section, and most bullets and facets per item."
    )
    headline: str | None = Field(None, description="Replaces the profile's headline.")
    tagline: Markdown | None = Field(None, description="Replaces the profile's tagline.")
    summary: Annotated[list[Markdown] | None, BeforeValidator(_paragraphs)] = Field(
        None, description="Replaces the profile's summary paragraphs."
    )
    headings: Headings = Field(default_factory=Headings, description="Section titles and intros, over the profile's.")
    page_limit: int | None = Field(None, ge=1, description="Most PDF pages; the least relevant items go first.")
    output: str = Field(
        DEFAULT_OUTPUT,
        description="Output path under --out without extension; {profile}, {target} and {person} are filled in.",
    )
    job: Annotated[JobSpec | None, BeforeValidator(_job_shorthand)] = Field(
        default=None, description="The job description to rank the profile against and report coverage of."
    )
    company: str | None = Field(None, description="The company applied to: fills {company}, and the packet's subject.")
    role: str | None = Field(None, description="The role applied for: fills {role}, and the packet's subject.")
    letter: LetterSpec | None = Field(
        None, description="A cover letter to build beside the resume, and a packet of both (see Letters)."
    )
    redact: list[RedactField] = Field(
        default_factory=list, description="Contact details to leave out of every output of this target."
    )
    review: ReviewSettings = Field(
        default_factory=ReviewSettings, description="What `cvforge review` leaves out for this target."
    )

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, sections: list[str] | None) -> list[str] | None:
        if sections is not None:
            seen: set[str] = set()
            for name in sections:
                if name in seen:
                    raise ValueError(f"section '{name}' is listed twice")
                seen.add(name)
        return sections

    @field_validator("output")
    @classmethod
    def _output_pattern(cls, pattern: str) -> str:
        check(pattern, OUTPUT_PLACEHOLDERS)  # bare {profile}, {target}, {person}: never a spec or an attribute
        path = PurePosixPath(pattern.replace("\\", "/"))
        parts = pattern.replace("\\", "/").split("/")
        if not pattern.strip() or path.is_absolute() or not all(safe_component(part) for part in parts):
            raise ValueError(
                f"'{pattern}' must be a relative file path inside the output folder: "
                "names joined by '/', none empty, '.', '..' or hidden"
            )
        return pattern


class SynonymTable(StrictModel):
    """A synonyms file: cvforge's built-in one, or a `synonyms.yaml` beside target files."""

    terms: dict[str, list[str]] = Field(default_factory=dict, description="Term → other spellings of it.")
    exact_case: list[str] = Field(default_factory=list, description="Spellings that only match in this case.")
    ignore: list[str] = Field(default_factory=list, description="Terms too generic to count.")
