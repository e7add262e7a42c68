"""RenderCV's input format as published (its 2.x schema), as Pydantic models, and how its entry
types are told apart. Only the shape of the file: converting it is `rendercv.py`'s job."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from cvforge.reader.interop.base import (
    ForeignDate,
    ForeignModel,
    ForeignStart,
    Text,
    Texts,
)

FORMAT = "RenderCV"
OneOrMany = str | list[str] | None

SocialNetworkName = Literal[
    "LinkedIn",
    "GitHub",
    "GitLab",
    "IMDB",
    "Instagram",
    "ORCID",
    "Mastodon",
    "StackOverflow",
    "ResearchGate",
    "YouTube",
    "Google Scholar",
    "Telegram",
    "WhatsApp",
    "Leetcode",
    "X",
    "Bluesky",
    "Reddit",
]


# --- the format ----------------------------------------------------------------------------------


class StrictForeign(BaseModel):
    """RenderCV refuses unknown keys outside entries; so do we, with a did-you-mean."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SocialNetwork(StrictForeign):
    network: SocialNetworkName
    username: str


class CustomConnection(StrictForeign):
    fontawesome_icon: str
    placeholder: str
    url: Text = None


class Cv(StrictForeign):
    name: Text = None
    headline: Text = None
    location: Text = None
    email: OneOrMany = None
    photo: Any = None
    phone: OneOrMany = None
    website: OneOrMany = None
    social_networks: list[SocialNetwork] | None = None
    custom_connections: list[CustomConnection] | None = None
    sections: dict[str, list[Any] | None] | None = None
    sort_entries: Literal["reverse-chronological", "chronological", "none"] | None = None  # RenderCV 2.x


class RenderCvFile(StrictForeign):
    cv: Cv
    design: Any = None
    locale: Any = None
    settings: Any = None
    rendercv_settings: Any = None  # RenderCV 1.x's name for `settings`
    locale_catalog: Any = None  # RenderCV 1.x's name for `locale`


class DatedEntry(ForeignModel):
    """Fields every entry with dates shares; RenderCV keeps keys it does not know (for templates)."""

    date: Any = None
    start_date: ForeignStart = None
    end_date: ForeignDate = None
    location: Text = None
    summary: Text = None
    highlights: Texts


class ExperienceEntry(DatedEntry):
    company: str
    position: str


class EducationEntry(DatedEntry):
    institution: str
    area: str
    degree: Text = None
    grade: Text = None  # RenderCV 2.x: "GPA: 3.9/4.0"


class NormalEntry(DatedEntry):
    name: str


class PublicationEntry(ForeignModel):
    title: str
    authors: list[str]
    summary: Text = None
    doi: Text = None
    url: Text = None
    journal: Text = None
    date: Any = None


class OneLineEntry(ForeignModel):
    label: str
    details: str


class BulletEntry(ForeignModel):
    bullet: str


class NumberedEntry(ForeignModel):
    number: str


class ReversedNumberedEntry(ForeignModel):
    reversed_number: str


EntryType = type[ForeignModel] | type[str]
# The keys that identify each entry type, checked in RenderCV's own order.
CHARACTERISTIC_KEYS: tuple[tuple[type[ForeignModel], frozenset[str]], ...] = (
    (OneLineEntry, frozenset({"label", "details"})),
    (NormalEntry, frozenset({"name"})),
    (ExperienceEntry, frozenset({"company", "position"})),
    (EducationEntry, frozenset({"institution", "area", "degree"})),
    (PublicationEntry, frozenset({"title", "authors", "doi", "url", "journal"})),
    (BulletEntry, frozenset({"bullet"})),
    (NumberedEntry, frozenset({"number"})),
    (ReversedNumberedEntry, frozenset({"reversed_number"})),
)


def entry_type(entry: Any) -> EntryType | None:
    """What RenderCV would take this entry for: text, or the first type one of whose keys it has."""
    if isinstance(entry, str):
        return str
    if isinstance(entry, dict):
        keys = set(entry)
        return next((kind for kind, marks in CHARACTERISTIC_KEYS if marks & keys), None)
    return None
