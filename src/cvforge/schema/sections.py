"""The sections a profile can have: their keys, their titles when the profile names none, the
order themes show them in unless told otherwise, and the headings a person words for them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema

from cvforge.schema.base import Markdown, StrictModel

DEFAULT_TITLES: dict[str, str] = {
    "summary": "Summary",
    "about": "About",
    "metrics": "Highlights",
    "skills": "Skills",
    "experience": "Experience",
    "projects": "Projects",
    "principles": "Principles",
    "snapshots": "System Design",
    "notes": "Writing",
    "publications": "Publications",
    "education": "Education",
    "certifications": "Certifications",
    "awards": "Awards",
    "languages": "Languages",
}
# Every fixed word a theme or renderer prints, besides the section titles above: what a locale's
# translation table (src/cvforge/data/locales/*.toml) and a profile's `labels:` may set.
FIXED_LABELS: tuple[str, ...] = (
    "present",
    "courses",
    "tech",
    "working_with",
    "outcome",
    "outcomes",
    "diagram",
    "contact",
    "get_in_touch",
    "view_selected_work",
    "projects_count_one",
    "projects_count_other",
    "made_with",
    "photo_of",
    "sections_nav",
    "cover_letter",
    "enclosure",
    "enclosures",
    "resume_enclosure",
    "signature_of",
    "salutation",
    "salutation_named",
    "closing",
)
LABEL_KEYS: tuple[str, ...] = (*DEFAULT_TITLES, *FIXED_LABELS)


def _check_label_key(value: str) -> str:
    if value not in LABEL_KEYS:
        raise ValueError(f"'{value}' is not a label cvforge prints (labels: {', '.join(LABEL_KEYS)})")
    return value


LabelKey = Annotated[
    str, AfterValidator(_check_label_key), WithJsonSchema({"type": "string", "enum": list(LABEL_KEYS)})
]
DEFAULT_ORDER: tuple[str, ...] = (
    "summary",
    "metrics",
    "experience",
    "projects",
    "skills",
    "about",
    "principles",
    "snapshots",
    "notes",
    "publications",
    "education",
    "certifications",
    "awards",
    "languages",
    "custom",
)


class Heading(StrictModel):
    """A section's own title and intro line, as the person words them."""

    title: str | None = Field(
        default=None, description='Replaces the default title of the section, e.g. "Selected Work".'
    )
    intro: Markdown | None = Field(
        default=None,
        description='A line shown under the title; in a target, an empty "" hides the intro the profile gives.',
    )


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
    "publications",
    "education",
    "certifications",
    "awards",
    "languages",
]
SECTION_KEYS: tuple[str, ...] = SectionKey.__args__  # type: ignore[attr-defined]


class Headings(StrictModel):
    """Per-section title and intro overrides; an unset one uses the theme's default title."""

    summary: Heading | None = Field(
        default=None, description='Title and intro of the summary section (default title "Summary").'
    )
    about: Heading | None = Field(
        default=None, description='Title and intro of the about section (default title "About").'
    )
    metrics: Heading | None = Field(
        default=None, description='Title and intro of the metrics section (default title "Highlights").'
    )
    skills: Heading | None = Field(
        default=None, description='Title and intro of the skills section (default title "Skills").'
    )
    experience: Heading | None = Field(
        default=None, description='Title and intro of the experience section (default title "Experience").'
    )
    projects: Heading | None = Field(
        default=None, description='Title and intro of the projects section (default title "Projects").'
    )
    principles: Heading | None = Field(
        default=None, description='Title and intro of the principles section (default title "Principles").'
    )
    snapshots: Heading | None = Field(
        default=None, description='Title and intro of the snapshots section (default title "System Design").'
    )
    notes: Heading | None = Field(
        default=None, description='Title and intro of the notes section (default title "Writing").'
    )
    publications: Heading | None = Field(
        default=None, description='Title and intro of the publications section (default title "Publications").'
    )
    education: Heading | None = Field(
        default=None, description='Title and intro of the education section (default title "Education").'
    )
    certifications: Heading | None = Field(
        default=None, description='Title and intro of the certifications section (default title "Certifications").'
    )
    awards: Heading | None = Field(
        default=None, description='Title and intro of the awards section (default title "Awards").'
    )
    languages: Heading | None = Field(
        default=None, description='Title and intro of the languages section (default title "Languages").'
    )
