"""The profile: everything one person keeps about their career, as validated data.

Models mirror what the seed portfolio pages show (metrics, case studies, timelines, skills tables,
principles, design snapshots, notes), so a theme never has to squeeze content into the wrong slot.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from cvforge.schema.base import (
    Date,
    DateFormat,
    EndDate,
    Link,
    Locale,
    Markdown,
    PartialDate,
    PhotoRef,
    StrictModel,
    Tags,
    Url,
)
from cvforge.schema.placeholders import PlaceholderError, check_label
from cvforge.schema.review import ReviewSettings
from cvforge.schema.sections import SECTION_KEYS, Heading, Headings, LabelKey, SectionKey

# Re-exported: the models' own field types, imported from here too.
__all__ = ["SECTION_KEYS", "Heading", "Headings", "Link", "PartialDate", "SectionKey"]


def _text_shorthand(value: Any) -> Any:
    """Let a bare string stand for `{text: ...}` in lists of simple items."""
    return {"text": value} if isinstance(value, str) else value


# Every list of bullets: lines under a point starting with "- " are its sub-points (a nested list).
SUB_POINTS = '; lines under a point that start with "- " are its sub-points. A target can cap and rank them.'


class Address(StrictModel):
    """A postal address in parts (as JSON Resume keeps it); shown on one line under the name."""

    street: str | None = Field(None, description="Street lines; separate several with a newline.")
    postal_code: str | None = Field(
        default=None, description='Postal or ZIP code, shown after the region, e.g. "94115".'
    )
    city: str | None = Field(default=None, description='City or town, e.g. "San Francisco".')
    region: str | None = Field(None, description="State, province or region.")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2, e.g. US, PT, IN.")

    def line(self) -> str | None:
        """ "2712 Broadway St, San Francisco, California 94115, US"."""
        street = ", ".join(part.strip() for part in (self.street or "").splitlines() if part.strip())
        region = " ".join(part for part in (self.region, self.postal_code) if part)
        return ", ".join(part for part in (street, self.city, region, self.country_code) if part) or None


class Person(StrictModel):
    """Who the resume is about, and how to reach them."""

    name: str = Field(
        min_length=1,
        description='Full name, shown as the main heading and in the title and author of the files, e.g. "Jane Doe".',
    )
    headline: str | None = Field(
        None,
        description='Role line shown with the name, e.g. "Senior Backend Engineer"; also the HTML description.',
    )
    tagline: Markdown | None = Field(None, description="One-sentence pitch, shown large on portfolio pages.")
    location: str | None = Field(
        default=None, description='Where you are based, shown with the contacts, e.g. "Lisbon, Portugal".'
    )
    address: Address | None = Field(None, description="Postal address in parts, when it matters.")
    email: str | None = Field(
        None,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description='Shown with the contacts as a mailto: link, e.g. "jane@example.com".',
    )
    phone: str | None = Field(
        default=None, description='Shown with the contacts as written and linked as tel:, e.g. "+351 912 345 678".'
    )
    website: Url | None = Field(
        default=None,
        description='Personal site, shown with the contacts without its scheme, e.g. "https://janedoe.dev".',
    )
    links: list[Link] = Field(
        default_factory=list,
        description="Profiles such as GitHub or LinkedIn, shown with the contacts after the website.",
    )
    availability: str | None = Field(None, description='e.g. "Open to senior backend roles".')
    summary: list[Markdown] = Field(default_factory=list, description="Short profile paragraphs for the top.")
    about: list[Markdown] = Field(default_factory=list, description="Longer About paragraphs.")
    photo: PhotoRef | None = Field(None, description="Shown small and round by themes that have a photo slot.")


class Metric(StrictModel):
    """A headline figure: "670K+ tax identities", or structured as before → after with a unit."""

    value: str | None = Field(None, description='The figure as written: "670K+", "3×".')
    before: str | None = Field(
        default=None, description='The figure before a change, e.g. "45"; with after, drawn as "45 → 15".'
    )
    after: str | None = Field(
        default=None, description='The figure after the change, e.g. "15"; given together with before.'
    )
    unit: str | None = Field(None, description='Shown after the figure: "min", "countries".')
    label: str = Field(
        min_length=1, description='What the figure counts, shown with it, e.g. "MTTR with multi-agent RAG triage".'
    )
    context: str | None = Field(
        default=None, description='A short qualifier shown after the label, e.g. "25+ countries".'
    )
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

    name: str = Field(min_length=1, description='The area, shown as the group heading, e.g. "Backend Engineering".')
    description: Markdown | None = Field(
        default=None, description="A paragraph under the heading on what the area covers."
    )
    depth: str | None = Field(None, description='e.g. "Expert", "Working knowledge".')
    bullets: list[Markdown] = Field(
        default_factory=list, description="Points listed under the description" + SUB_POINTS
    )
    items: list[str] = Field(
        default_factory=list,
        description='Tools and techniques of the area, shown as one line or as tags, e.g. "PostgreSQL".',
    )
    tags: Tags


class SkillRow(StrictModel):
    """One row of a skills table: a category and its items."""

    category: str = Field(min_length=1, description='The row label, e.g. "Languages".')
    items: list[str] = Field(
        min_length=1,
        description='Skills in the row, e.g. "Go", joined by " · "; also the keywords of the HTML and Word files.',
    )
    tags: Tags


class Skills(StrictModel):
    """Skills in the three shapes the seeds use: groups, a flat list and a table."""

    groups: list[SkillGroup] = Field(
        default_factory=list,
        description="Named skill areas, each with its own heading, depth, description, bullets and items.",
    )
    working_with: list[str] = Field(default_factory=list, description="A flat list of core tools.")
    table: list[SkillRow] = Field(
        default_factory=list,
        description='Rows of a category and its skills, e.g. "Languages: Go · Java", shown before the groups.',
    )


class Dated(StrictModel):
    """Start/end dates or a free period label ("Recent"); end must not precede start."""

    start: Date | None = Field(
        default=None, description='When it began, e.g. "2024-03" (shown "Mar 2024"); a year or a full date works too.'
    )
    end: EndDate | None = Field(
        default=None, description='When it ended, e.g. "2026", or "present" (shown "Present"); never before start.'
    )
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

    organisation: str | None = Field(
        default=None,
        description='Employer or client, e.g. "Amazon"; consecutive roles at one organisation are grouped.',
    )
    team: str | None = Field(
        default=None, description='Team or department, shown on the meta line of the role, e.g. "FinTech".'
    )
    title: str | None = Field(default=None, description='Job title, e.g. "Senior Backend Engineer".')
    location: str | None = Field(
        default=None, description='Where the role was based, shown on its meta line, e.g. "Lisbon, Portugal".'
    )
    summary: Markdown | None = Field(default=None, description="A paragraph on the role, shown before its bullets.")
    bullets: list[Markdown] = Field(
        default_factory=list, description="What you did and achieved, one point each" + SUB_POINTS
    )
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

    name: str = Field(min_length=1, description='Label of this part, e.g. "Problem", "Architecture" or "Trade-offs".')
    text: Markdown | None = Field(default=None, description="A paragraph after the name; give text, items or both.")
    items: list[Markdown] = Field(
        default_factory=list, description="Points listed after the name, below the text if there is one."
    )

    @model_validator(mode="after")
    def _has_content(self) -> Self:
        if self.text is None and not self.items:
            raise ValueError("give text or items")
        return self


class Project(Dated):
    """A project or case study, from a one-line card to a full write-up with a diagram.

    `year` dates a one-off; `start`/`end` (and `period`) date a longer piece of work.
    """

    name: str = Field(min_length=1, description='Name of the project, shown as its heading, e.g. "GoKV".')
    kind: str | None = Field(None, description='e.g. "Storage engine", "Backend-heavy".')
    year: Date | None = Field(
        default=None,
        description='When a one-off piece of work was done, e.g. "2026"; longer work gives start and end instead.',
    )
    location: str | None = Field(
        default=None, description='Where the work was done, shown after the organisation, e.g. "Palo Alto, CA".'
    )
    organisation: str | None = Field(
        default=None, description='Who it was for or with, shown on the meta line, e.g. "Amazon".'
    )
    role: str | None = Field(
        default=None, description='Your part in it, shown on the meta line, e.g. "Lead backend & architecture".'
    )
    tagline: Markdown | None = Field(
        default=None,
        description='One line under the name on what it is, e.g. "An LSM-tree key-value store written in Go."',
    )
    description: list[Markdown] = Field(
        default_factory=list,
        description="Paragraphs on the work, shown after the tagline; a single string is one paragraph.",
    )
    facets: list[Facet] = Field(
        default_factory=list,
        description="Named parts of a case study (Problem, Architecture…), shown as labelled text or lists.",
    )
    diagram: str | None = Field(None, description="Preformatted text, shown in monospace as written.")
    bullets: list[Markdown] = Field(default_factory=list, description="Highlights, one point each" + SUB_POINTS)
    outcomes: list[str] = Field(default_factory=list, description='Badges: "Zero downtime", "Zero data loss".')
    tech: list[str] = Field(default_factory=list, description='Technologies used, shown as tags, e.g. "Go".')
    links: list[Link] = Field(
        default_factory=list, description="Code, a demo or a write-up, shown as links at the end of the project."
    )
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

    text: Markdown = Field(
        min_length=1,
        description='The principle, in inline Markdown, shown numbered, e.g. "Design for the failure path first".',
    )
    tags: Tags


class Snapshot(StrictModel):
    """A short system-design snapshot: title, subtitle and named facets."""

    title: str = Field(
        min_length=1, description='The system it is about, shown as the heading, e.g. "Payment Systems".'
    )
    subtitle: str | None = Field(
        default=None, description='A short line after the label, e.g. "Correctness, idempotency, and auditability."'
    )
    label: str | None = Field(None, description='A small kicker, e.g. "System design".')
    facets: list[Facet] = Field(
        default_factory=list,
        description='Named parts of the design, e.g. "Scaling strategy", "Bottlenecks", "Trade-offs".',
    )
    tags: Tags


class Note(StrictModel):
    """A piece of writing or an engineering note."""

    title: str = Field(
        min_length=1, description='Title of the piece, e.g. "Designing APIs that scale beyond the first client".'
    )
    topic: str | None = Field(default=None, description='Its subject, shown under the title, e.g. "API scalability".')
    authors: list[Markdown] = Field(default_factory=list, description="For publications; **bold** your own name.")
    summary: Markdown | None = Field(
        default=None, description="A short paragraph on what it covers, shown after the authors."
    )
    keywords: list[str] = Field(default_factory=list, description="Subjects covered, shown as tags.")
    status: str | None = Field(None, description='e.g. "Draft", "Internal notes (no public link yet)".')
    url: Url | None = Field(default=None, description="Where to read it, shown as a link without its scheme.")
    date: Date | None = Field(default=None, description='When it was published or written, e.g. "2024-03".')
    tags: Tags


class Publication(StrictModel):
    """A paper, article or book with its authors, venue and identifiers, as academics cite them."""

    title: str = Field(min_length=1, description='Title of the work, e.g. "Attention Is All You Need".')
    authors: list[str] = Field(
        default_factory=list,
        description="Authors in the order of the byline; your own name (as in person.name) is highlighted.",
    )
    venue: str | None = Field(
        default=None, description='Journal, conference or publisher, e.g. "NeurIPS 2023" or "Nature".'
    )
    date: Date | None = Field(default=None, description='When it was published, e.g. "2023-07".')
    doi: str | None = Field(
        default=None,
        pattern=r"^10\.\S+/\S+$",
        description='DOI without a resolver, e.g. "10.1038/s41586-021-03819-2"; linked at doi.org.',
    )
    url: Url | None = Field(default=None, description="Where to read it, when there is no DOI or besides it.")
    summary: Markdown | None = Field(default=None, description="A short line on what it found or why it matters.")
    tags: Tags


class Education(Dated):
    """A degree, diploma or course of study."""

    institution: str = Field(
        min_length=1,
        description='School or university, e.g. "University of Lisbon"; the title when no degree or area is given.',
    )
    degree: str | None = Field(
        default=None, description='Degree or diploma, e.g. "MSc"; shown with the area as the title of the entry.'
    )
    area: str | None = Field(default=None, description='Field of study, e.g. "Computer Science".')
    location: str | None = Field(
        default=None, description='Where it is, shown on the meta line, e.g. "Lisbon, Portugal".'
    )
    score: str | None = Field(
        default=None, description='Final grade as written, shown on the meta line, e.g. "GPA 3.8/4.0".'
    )
    summary: Markdown | None = Field(default=None, description="A short paragraph, such as the thesis or focus.")
    courses: list[str] = Field(default_factory=list, description="Notable courses, shown as one line.")
    bullets: list[Markdown] = Field(default_factory=list, description="Points such as honours or projects" + SUB_POINTS)
    url: Url | None = Field(None, description="The institution's website.")
    tags: Tags


class Certification(StrictModel):
    """A certificate, with its issuer and date when known."""

    name: str = Field(
        min_length=1, description='The certificate, e.g. "AWS Certified Solutions Architect – Associate".'
    )
    issuer: str | None = Field(
        default=None, description='Who issued it, shown under the name, e.g. "Amazon Web Services".'
    )
    date: Date | None = Field(default=None, description='When it was earned, e.g. "2023-06".')
    url: Url | None = Field(default=None, description="Where it can be checked, such as a credential page.")
    tags: Tags


class Award(StrictModel):
    """An award or recognition."""

    title: str = Field(min_length=1, description='The award, e.g. "Best Paper Award".')
    awarder: str | None = Field(default=None, description='Who gave it, shown under the title, e.g. "ACM SIGMOD".')
    date: Date | None = Field(default=None, description='When it was received, e.g. "2022".')
    summary: Markdown | None = Field(default=None, description="A short line on what it was for.")
    tags: Tags


class Language(StrictModel):
    """A spoken language and how well."""

    language: str = Field(min_length=1, description='The language, e.g. "Portuguese".')
    fluency: str | None = Field(
        default=None, description='How well, as written, e.g. "Native" or "Professional working proficiency".'
    )
    tags: Tags


class Row(StrictModel):
    """A labelled row inside a custom entry: "Tools: Cursor · GitHub Copilot"."""

    label: str = Field(min_length=1, description='The row label, e.g. "Tools".')
    items: list[str] = Field(min_length=1, description='The values after the label, joined by " · ", e.g. "Cursor".')


class CustomEntry(Dated):
    """One entry of a custom section; every field optional except that it must say something."""

    title: str | None = Field(default=None, description='Heading of the entry, e.g. "Open-source maintainer".')
    subtitle: str | None = Field(
        default=None, description='Shown on the meta line before the location, e.g. "Apache Kafka".'
    )
    location: str | None = Field(default=None, description='Shown on the meta line after the subtitle, e.g. "Remote".')
    text: list[Markdown] = Field(
        default_factory=list, description="Paragraphs of the entry; a single string is one paragraph."
    )
    rows: list[Row] = Field(default_factory=list, description="Labelled rows such as Tools: Cursor · GitHub Copilot.")
    preformatted: str | None = Field(None, description="Shown in monospace as written (code, diagrams).")
    bullets: list[Markdown] = Field(default_factory=list, description="Points, one each" + SUB_POINTS)
    keywords: list[str] = Field(default_factory=list, description="Shown as tags.")
    url: Url | None = Field(default=None, description="A link shown at the end of the entry, without its scheme.")
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


CustomKind = Literal["entries", "text", "bullets", "numbered", "reversed-numbered", "publications", "education"]
LIST_KINDS: tuple[str, ...] = ("text", "bullets", "numbered", "reversed-numbered")


class CustomSection(StrictModel):
    """A section the schema has no name for: entries, or one list of paragraphs, bullets or numbered
    lines (RenderCV's text, bullet, numbered and reversed-numbered sections keep their kind)."""

    title: str = Field(min_length=1, description='Heading of the section, e.g. "Open source".')
    kind: CustomKind = Field(
        default="entries",
        description="entries (the default), or one list: text (paragraphs), bullets, numbered, "
        "reversed-numbered (counting down, newest first), publications, or education.",
    )
    intro: Markdown | None = Field(default=None, description="A line shown under the heading.")
    entries: list[CustomEntry] = Field(
        default_factory=list, description="The section's entries; a target can cap them and rank them by relevance."
    )
    items: list[Markdown] = Field(
        default_factory=list, description="The lines of a text, bullets or numbered section, one item each."
    )
    publications: list[Publication] = Field(
        default_factory=list,
        description="The works of a `kind: publications` section (a second list of papers, e.g. talks or patents).",
    )
    education: list[Education] = Field(
        default_factory=list,
        description="The schools of a `kind: education` section (a second list, e.g. training or exchanges).",
    )
    tags: Tags

    @model_validator(mode="after")
    def _items_match_kind(self) -> Self:
        if self.items and self.kind not in LIST_KINDS:
            kinds = ", ".join(LIST_KINDS)
            raise ValueError(f"items belong to a text, bullets or numbered section; give kind ({kinds})")
        if self.entries and self.kind != "entries":
            raise ValueError(f"a {self.kind} section does not list entries")
        if self.publications and self.kind != "publications":
            raise ValueError("publications belong to a section of kind: publications")
        if self.education and self.kind != "education":
            raise ValueError("education belongs to a section of kind: education")
        return self


PrincipleItem = Annotated[Principle, BeforeValidator(_text_shorthand)]


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


class Profile(StrictModel):
    """The root of a profile file."""

    # The language the profile is written in: its locale, month date pattern and own wording of the
    # words themes print (section titles, "present", "Tech"). First, as editors list them.
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
    person: Person = Field(
        description="Who the resume is about: name, headline, contacts, summary and about paragraphs."
    )
    metrics: list[Metric] = Field(
        default_factory=list,
        description='Headline figures, shown in their own section (titled "Highlights" by default).',
    )
    skills: Skills = Field(
        default_factory=Skills, description="Skills as groups, a table and a flat list, shown in the Skills section."
    )
    experience: list[Experience] = Field(
        default_factory=list,
        description="Roles in the order written; consecutive roles at one organisation form one timeline.",
    )
    projects: list[Project] = Field(
        default_factory=list,
        description="Projects and case studies, from a one-line card to a full write-up with a diagram.",
    )
    principles: list[PrincipleItem] = Field(
        default_factory=list, description="Principles, shown numbered in order; each may be just its text."
    )
    snapshots: list[Snapshot] = Field(
        default_factory=list, description='Short system-design write-ups (a section titled "System Design" by default).'
    )
    notes: list[Note] = Field(
        default_factory=list,
        description='Articles, talks, publications or engineering notes (a section titled "Writing" by default).',
    )
    publications: list[Publication] = Field(
        default_factory=list,
        description="Papers, articles and books with authors, venue, date, DOI and link; your name is highlighted.",
    )
    education: list[Education] = Field(default_factory=list, description="Degrees, diplomas and courses of study.")
    certifications: list[Certification] = Field(
        default_factory=list, description="Certificates, with issuer and date when known."
    )
    awards: list[Award] = Field(default_factory=list, description="Awards and recognitions.")
    languages: list[Language] = Field(default_factory=list, description="Spoken languages and how well.")
    custom: list[CustomSection] = Field(
        default_factory=list,
        description='Sections of your own, shown where "custom" comes in the section order (last by default).',
    )
    headings: Headings = Field(
        default_factory=Headings,
        description="Titles and intros of the built-in sections, replacing their default titles.",
    )
    theme: str | None = Field(None, description="Theme to build with unless the command says otherwise.")
    review: ReviewSettings = Field(
        default_factory=ReviewSettings, description="What `cvforge review` leaves out for this profile."
    )
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Theme options for this profile, e.g. accent colour."
    )
