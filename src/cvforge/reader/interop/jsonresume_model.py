"""JSON Resume's format (schema v1) as Pydantic models, and how a document is recognised as one.
Only the shape of the file: converting it is `jsonresume.py`'s job."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cvforge.reader.interop.base import (
    ForeignDate,
    ForeignModel,
    Text,
    Texts,
)

FORMAT = "JSON Resume"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


# --- the format ----------------------------------------------------------------------------------


class Location(ForeignModel):
    address: Text = None
    postal_code: Text = Field(None, alias="postalCode")
    city: Text = None
    country_code: Text = Field(None, alias="countryCode")
    region: Text = None


class SocialProfile(ForeignModel):
    network: Text = None
    username: Text = None
    url: Text = None


class Basics(ForeignModel):
    name: Text = None
    label: Text = None
    image: Text = None
    email: Text = None
    phone: Text = None
    url: Text = None
    summary: Text = None
    location: Location | None = None
    profiles: list[SocialProfile] = Field(default_factory=list)


class Work(ForeignModel):
    name: Text = None
    location: Text = None
    description: Text = None
    position: Text = None
    url: Text = None
    start_date: ForeignDate = Field(None, alias="startDate")
    end_date: ForeignDate = Field(None, alias="endDate")
    summary: Text = None
    highlights: Texts


class Volunteer(ForeignModel):
    organization: Text = None
    position: Text = None
    url: Text = None
    start_date: ForeignDate = Field(None, alias="startDate")
    end_date: ForeignDate = Field(None, alias="endDate")
    summary: Text = None
    highlights: Texts


class Education(ForeignModel):
    institution: Text = None
    url: Text = None
    area: Text = None
    study_type: Text = Field(None, alias="studyType")
    start_date: ForeignDate = Field(None, alias="startDate")
    end_date: ForeignDate = Field(None, alias="endDate")
    score: Text = None
    gpa: Text = None  # outside the schema, but written by many themes' samples: read as `score`
    courses: Texts


class Award(ForeignModel):
    title: Text = None
    date: ForeignDate = None
    awarder: Text = None
    summary: Text = None


class Certificate(ForeignModel):
    name: Text = None
    date: ForeignDate = None
    url: Text = None
    issuer: Text = None


class Publication(ForeignModel):
    name: Text = None
    publisher: Text = None
    release_date: ForeignDate = Field(None, alias="releaseDate")
    url: Text = None
    summary: Text = None


class Skill(ForeignModel):
    name: Text = None
    level: Text = None
    keywords: Texts


class Language(ForeignModel):
    language: Text = None
    fluency: Text = None


class Interest(ForeignModel):
    name: Text = None
    keywords: Texts


class Reference(ForeignModel):
    name: Text = None
    reference: Text = None


class ResumeProject(ForeignModel):
    name: Text = None
    description: Text = None
    summary: Text = None  # outside the schema, common in themes' samples: read as the description
    highlights: Texts
    keywords: Texts
    start_date: ForeignDate = Field(None, alias="startDate")
    end_date: ForeignDate = Field(None, alias="endDate")
    url: Text = None
    roles: Texts
    entity: Text = None
    type: Text = None


class Resume(ForeignModel):
    """A JSON Resume document. `meta` and `$schema` are tooling data, not resume content."""

    schema_: Any = Field(None, alias="$schema")
    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    publications: list[Publication] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    projects: list[ResumeProject] = Field(default_factory=list)
    meta: Any = None


# --- in: JSON Resume → profile data ----------------------------------------------------------------


SECTION_MODELS: dict[str, type[ForeignModel]] = {
    "work": Work,
    "volunteer": Volunteer,
    "education": Education,
    "awards": Award,
    "certificates": Certificate,
    "publications": Publication,
    "skills": Skill,
    "languages": Language,
    "interests": Interest,
    "references": Reference,
    "projects": ResumeProject,
}
