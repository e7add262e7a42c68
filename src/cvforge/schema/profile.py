"""The profile: everything one person keeps about their career, as validated data.

Models mirror what the seed portfolio pages show (metrics, case studies, timelines, skills tables,
principles, design snapshots, notes), so a theme never has to squeeze content into the wrong slot.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from cvforge.schema.base import Date, EndDate, Link, Markdown, PartialDate, PhotoRef, StrictModel, Tags, Url

__all__ = ["Link", "PartialDate"]  # re-exported: the models' own field types, imported from here too


def _text_shorthand(value: Any) -> Any:
    """Let a bare string stand for `{text: ...}` in lists of simple items."""
    return {"text": value} if isinstance(value, str) else value


class Address(StrictModel):
    """A postal address in parts (as JSON Resume keeps it); shown on one line under the name."""

    street: str | None = Field(None, description="Street lines; separate several with a newline.")
    postal_code: str | None = None
    city: str | None = None
    region: str | None = Field(None, description="State, province or region.")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2, e.g. US, PT, IN.")

    def line(self) -> str | None:
        """ "2712 Broadway St, San Francisco, California 94115, US"."""
        street = ", ".join(part.strip() for part in (self.street or "").splitlines() if part.strip())
        region = " ".join(part for part in (self.region, self.postal_code) if part)
        return ", ".join(part for part in (street, self.city, region, self.country_code) if part) or None


class Person(StrictModel):
    """Who the resume is about, and how to reach them."""

    name: str = Field(min_length=1)
    headline: str | None = Field(None, description="Role line under the name.")
    tagline: Markdown | None = Field(None, description="One-sentence pitch, shown large on portfolio pages.")
    location: str | None = None
    address: Address | None = Field(None, description="Postal address in parts, when it matters.")
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = None
    website: Url | None = None
    links: list[Link] = Field(default_factory=list)
    availability: str | None = Field(None, description='e.g. "Open to senior backend roles".')
    summary: list[Markdown] = Field(default_factory=list, description="Short profile paragraphs for the top.")
    about: list[Markdown] = Field(default_factory=list, description="Longer About paragraphs.")
    photo: PhotoRef | None = Field(None, description="Shown small and round by themes that have a photo slot.")


class Metric(StrictModel):
    """A headline figure: "670K+ tax identities", or structured as before → after with a unit."""

    value: str | None = Field(None, description='The figure as written: "670K+", "3×".')
    before: str | None = None
    after: str | None = None
    unit: str | None = Field(None, description='Shown after the figure: "min", "countries".')
    label: str = Field(min_length=1)
    context: str | None = None
    tags: Tags

    @model_validator(mode="after")
    def _value_or_change(self) -> Self:
        if self.value is None and (self.before is None or self.after is None):
            raise ValueError("give a value, or both before and after")
        if (self.before is None) != (self.after is None):
            raise ValueError("before and after go together")
        return self


class SkillGroup(StrictModel):
    """A named area of skills with optional depth and explanation."""

    name: str = Field(min_length=1)
    description: Markdown | None = None
    depth: str | None = Field(None, description='e.g. "Expert", "Working knowledge".')
    bullets: list[Markdown] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    tags: Tags


class SkillRow(StrictModel):
    """One row of a skills table: a category and its items."""

    category: str = Field(min_length=1)
    items: list[str] = Field(min_length=1)
    tags: Tags


class Skills(StrictModel):
    """Skills in the three shapes the seeds use: groups, a flat list and a table."""

    groups: list[SkillGroup] = Field(default_factory=list)
    working_with: list[str] = Field(default_factory=list, description="A flat list of core tools.")
    table: list[SkillRow] = Field(default_factory=list)


class Dated(StrictModel):
    """Start/end dates or a free period label ("Recent"); end must not precede start."""

    start: Date | None = None
    end: EndDate | None = None
    period: str | None = Field(None, description='Free text when dates do not fit: "Recent", "Ongoing".')

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: PartialDate | str | None, info: ValidationInfo) -> PartialDate | str | None:
        start = info.data.get("start")
        if isinstance(end, PartialDate) and isinstance(start, PartialDate) and _precedes(end, start):
            raise ValueError(f"end {end.iso()} is before start {start.iso()}")
        return end


def _precedes(end: PartialDate, start: PartialDate) -> bool:
    """Compare only to the precision both dates share: 2024 does not precede 2024-03."""
    shared = min(len(end.iso()), len(start.iso()))
    return end.iso()[:shared] < start.iso()[:shared]


class Experience(Dated):
    """One role; consecutive roles at the same organisation form one timeline group."""

    organisation: str | None = None
    team: str | None = None
    title: str | None = None
    location: str | None = None
    summary: Markdown | None = None
    bullets: list[Markdown] = Field(default_factory=list)
    outcome: Markdown | None = Field(None, description="One line of results.")
    url: Url | None = Field(None, description="The organisation's website; its name links there.")
    tags: Tags

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not (self.organisation or self.title):
            raise ValueError("give an organisation or a title")
        return self


class Facet(StrictModel):
    """A named part of a case study: Problem, Architecture, Key challenges, or any other name."""

    name: str = Field(min_length=1)
    text: Markdown | None = None
    items: list[Markdown] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> Self:
        if self.text is None and not self.items:
            raise ValueError("give text or items")
        return self


class Project(Dated):
    """A project or case study, from a one-line card to a full write-up with a diagram.

    `year` dates a one-off; `start`/`end` (and `period`) date a longer piece of work.
    """

    name: str = Field(min_length=1)
    kind: str | None = Field(None, description='e.g. "Storage engine", "Backend-heavy".')
    year: Date | None = None
    location: str | None = None
    organisation: str | None = None
    role: str | None = None
    tagline: Markdown | None = None
    description: list[Markdown] = Field(default_factory=list)
    facets: list[Facet] = Field(default_factory=list)
    diagram: str | None = Field(None, description="Preformatted text, shown in monospace as written.")
    bullets: list[Markdown] = Field(default_factory=list)
    outcomes: list[str] = Field(default_factory=list, description='Badges: "Zero downtime", "Zero data loss".')
    tech: list[str] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    tags: Tags

    @model_validator(mode="before")
    @classmethod
    def _description_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("description"), str):
            return {**data, "description": [data["description"]]}
        return data

    @model_validator(mode="after")
    def _one_kind_of_date(self) -> Self:
        if self.year is not None and self.start is not None:
            raise ValueError("give a year, or start and end dates, not both")
        return self


class Principle(StrictModel):
    """One numbered principle."""

    text: Markdown = Field(min_length=1)
    tags: Tags


class Snapshot(StrictModel):
    """A short system-design snapshot: title, subtitle and named facets."""

    title: str = Field(min_length=1)
    subtitle: str | None = None
    label: str | None = Field(None, description='A small kicker, e.g. "System design".')
    facets: list[Facet] = Field(default_factory=list)
    tags: Tags


class Note(StrictModel):
    """A piece of writing or an engineering note."""

    title: str = Field(min_length=1)
    topic: str | None = None
    authors: list[Markdown] = Field(default_factory=list, description="For publications; **bold** your own name.")
    summary: Markdown | None = None
    keywords: list[str] = Field(default_factory=list, description="Subjects covered, shown as tags.")
    status: str | None = Field(None, description='e.g. "Draft", "Internal notes (no public link yet)".')
    url: Url | None = None
    date: Date | None = None
    tags: Tags


class Education(Dated):
    """A degree, diploma or course of study."""

    institution: str = Field(min_length=1)
    degree: str | None = None
    area: str | None = None
    location: str | None = None
    score: str | None = None
    summary: Markdown | None = None
    courses: list[str] = Field(default_factory=list, description="Notable courses, shown as one line.")
    bullets: list[Markdown] = Field(default_factory=list)
    url: Url | None = Field(None, description="The institution's website.")
    tags: Tags


class Certification(StrictModel):
    """A certificate, with its issuer and date when known."""

    name: str = Field(min_length=1)
    issuer: str | None = None
    date: Date | None = None
    url: Url | None = None
    tags: Tags


class Award(StrictModel):
    """An award or recognition."""

    title: str = Field(min_length=1)
    awarder: str | None = None
    date: Date | None = None
    summary: Markdown | None = None
    tags: Tags


class Language(StrictModel):
    """A spoken language and how well."""

    language: str = Field(min_length=1)
    fluency: str | None = None
    tags: Tags


class Row(StrictModel):
    """A labelled row inside a custom entry: "Tools: Cursor · GitHub Copilot"."""

    label: str = Field(min_length=1)
    items: list[str] = Field(min_length=1)


class CustomEntry(Dated):
    """One entry of a custom section; every field optional except that it must say something."""

    title: str | None = None
    subtitle: str | None = None
    location: str | None = None
    text: list[Markdown] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    preformatted: str | None = Field(None, description="Shown in monospace as written (code, diagrams).")
    bullets: list[Markdown] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="Shown as tags.")
    url: Url | None = None
    tags: Tags

    @model_validator(mode="before")
    @classmethod
    def _text_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            return {**data, "text": [data["text"]]}
        return data

    @model_validator(mode="after")
    def _has_content(self) -> Self:
        if not (self.title or self.text or self.rows or self.preformatted or self.bullets or self.keywords):
            raise ValueError("an entry needs a title, text, rows, preformatted text, bullets or keywords")
        return self


class CustomSection(StrictModel):
    """A section the schema has no name for, placed after the built-in ones."""

    title: str = Field(min_length=1)
    intro: Markdown | None = None
    entries: list[CustomEntry] = Field(default_factory=list)
    tags: Tags


class Heading(StrictModel):
    """A section's own title and intro line, as the person words them."""

    title: str | None = None
    intro: Markdown | None = None


SectionKey = Literal[
    "summary",
    "about",
    "metrics",
    "skills",
    "experience",
    "projects",
    "principles",
    "snapshots",
    "notes",
    "education",
    "certifications",
    "awards",
    "languages",
]
SECTION_KEYS: tuple[str, ...] = SectionKey.__args__  # type: ignore[attr-defined]


class Headings(StrictModel):
    """Per-section title and intro overrides; an unset one uses the theme's default title."""

    summary: Heading | None = None
    about: Heading | None = None
    metrics: Heading | None = None
    skills: Heading | None = None
    experience: Heading | None = None
    projects: Heading | None = None
    principles: Heading | None = None
    snapshots: Heading | None = None
    notes: Heading | None = None
    education: Heading | None = None
    certifications: Heading | None = None
    awards: Heading | None = None
    languages: Heading | None = None


PrincipleItem = Annotated[Principle, BeforeValidator(_text_shorthand)]


class Profile(StrictModel):
    """The root of a profile file."""

    person: Person
    metrics: list[Metric] = Field(default_factory=list)
    skills: Skills = Field(default_factory=Skills)
    experience: list[Experience] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    principles: list[PrincipleItem] = Field(default_factory=list)
    snapshots: list[Snapshot] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    custom: list[CustomSection] = Field(default_factory=list)
    headings: Headings = Field(default_factory=Headings)
    theme: str | None = Field(None, description="Theme to build with unless the command says otherwise.")
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Theme options for this profile, e.g. accent colour."
    )
