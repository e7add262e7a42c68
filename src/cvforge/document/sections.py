"""The section kinds a Document holds: one frozen class per kind, each with precisely typed items.

`AnySection` lists every kind once. Writers dispatch with `match section: case MetricsSection(): …`
and end in `assert_never`, so adding a kind to `AnySection` makes mypy name every writer that does
not draw it yet. A kind's `kind` is the theme partial that draws it (`sections/<kind>.html.j2`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeAlias, get_args

from cvforge.schema.markup import Inline

# --- what sections hold ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bullet:
    """One point of a list and the sub-points nested under it (drawn as a second-level list)."""

    text: Inline
    subs: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class MetricView:
    """A figure ready to draw: "45 → 15" with unit "min", or "670K+"."""

    figure: str
    unit: str | None
    label: str
    context: str | None
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class FacetView:
    name: str
    text: Inline | None
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class RoleView:
    title: str | None
    team: str | None
    location: str | None
    dates: str | None
    summary: Inline | None
    bullets: tuple[Bullet, ...]
    outcome: Inline | None


@dataclass(frozen=True)
class TimelineGroup:
    """Consecutive roles at one organisation, read as one timeline."""

    organisation: str | None
    dates: str | None
    roles: tuple[RoleView, ...]
    url: str | None = None


@dataclass(frozen=True)
class LinkView:
    text: str
    href: str


@dataclass(frozen=True)
class ProjectView:
    name: str
    kind: str | None
    year: str | None
    organisation: str | None
    role: str | None
    tagline: Inline | None
    description: tuple[Inline, ...]
    facets: tuple[FacetView, ...]
    diagram: str | None
    bullets: tuple[Bullet, ...]
    outcomes: tuple[str, ...]
    tech: tuple[str, ...]
    links: tuple[LinkView, ...]


@dataclass(frozen=True)
class SkillGroupView:
    name: str
    depth: str | None
    description: Inline | None
    bullets: tuple[Bullet, ...]
    items: tuple[str, ...]


@dataclass(frozen=True)
class SkillsView:
    groups: tuple[SkillGroupView, ...]
    working_with: tuple[str, ...]
    table: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SnapshotView:
    title: str
    subtitle: str | None
    label: str | None
    facets: tuple[FacetView, ...]


@dataclass(frozen=True)
class Entry:
    """A generic entry (notes, education, awards, custom sections): title line, meta line, body."""

    title: str | None
    subtitle: str | None = None
    meta: str | None = None
    dates: str | None = None
    text: tuple[Inline, ...] = ()
    bullets: tuple[Bullet, ...] = ()
    rows: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keywords: tuple[str, ...] = ()
    preformatted: str | None = None
    link: LinkView | None = None


# --- the section kinds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseSection:
    """What every section has: its key (`experience`, `custom-0`), its title and an optional intro."""

    key: str
    title: str
    intro: Inline | None
    kind: ClassVar[str]  # the template that draws it; themes read `section.kind`


@dataclass(frozen=True)
class ParagraphsSection(BaseSection):
    """Prose: the shape of Summary and About."""

    kind: ClassVar[str] = "paragraphs"
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class MetricsSection(BaseSection):
    """Highlights: figures with their labels."""

    kind: ClassVar[str] = "metrics"
    items: tuple[MetricView, ...]


@dataclass(frozen=True)
class ExperienceSection(BaseSection):
    """Experience: roles, grouped by organisation."""

    kind: ClassVar[str] = "timeline"
    items: tuple[TimelineGroup, ...]


@dataclass(frozen=True)
class ProjectsSection(BaseSection):
    """Projects: case studies with facets, diagrams, outcomes and links."""

    kind: ClassVar[str] = "projects"
    items: tuple[ProjectView, ...]


@dataclass(frozen=True)
class SkillsSection(BaseSection):
    """Skills: a category table, described groups and a "working with" line, all in one."""

    kind: ClassVar[str] = "skills"
    items: SkillsView


@dataclass(frozen=True)
class NumberedSection(BaseSection):
    """A numbered list: the shape of Principles and of numbered custom sections."""

    kind: ClassVar[str] = "numbered"
    items: tuple[Inline, ...]

    @property
    def numbers(self) -> tuple[int, ...]:
        """The number printed before each item: 1, 2, 3 … (written as text, so parsers keep it)."""
        return tuple(range(1, len(self.items) + 1))


@dataclass(frozen=True)
class PrinciplesSection(NumberedSection):
    """Principles: a numbered list."""


@dataclass(frozen=True)
class BulletsSection(BaseSection):
    """One bulleted list of lines: a custom section of kind `bullets` (RenderCV's BulletEntry)."""

    kind: ClassVar[str] = "bullets"
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class SnapshotsSection(BaseSection):
    """System design snapshots: a titled set of facets each."""

    kind: ClassVar[str] = "snapshots"
    items: tuple[SnapshotView, ...]


@dataclass(frozen=True)
class EntriesSection(BaseSection):
    """Generic entries (title line, meta line, body): the shape of notes, education, certifications,
    awards, languages and custom sections."""

    kind: ClassVar[str] = "entries"
    items: tuple[Entry, ...]


@dataclass(frozen=True)
class SummarySection(ParagraphsSection):
    """The summary at the top: a few sentences of prose."""


@dataclass(frozen=True)
class AboutSection(ParagraphsSection):
    """About: a longer, personal introduction."""


@dataclass(frozen=True)
class NotesSection(EntriesSection):
    """Notes, papers and write-ups: title, topic, status, authors and a link."""


@dataclass(frozen=True)
class EducationSection(EntriesSection):
    """Education: degree and institution, dates, score, courses."""


@dataclass(frozen=True)
class CertificationsSection(EntriesSection):
    """Certifications: name, issuer, date, link."""


@dataclass(frozen=True)
class AwardsSection(EntriesSection):
    """Awards: title, awarder, date, a line about it."""


@dataclass(frozen=True)
class LanguagesSection(EntriesSection):
    """Spoken languages and their fluency."""


@dataclass(frozen=True)
class PublicationsSection(EntriesSection):
    """Publications: title, venue, date, the byline with the person's own name in bold, DOI and link."""


@dataclass(frozen=True)
class CustomSection(EntriesSection):
    """A section the profile names itself (`custom:`), drawn as entries."""


@dataclass(frozen=True)
class CustomTextSection(ParagraphsSection):
    """A custom section of kind `text`: paragraphs of prose (RenderCV's TextEntry)."""


@dataclass(frozen=True)
class CustomNumberedSection(NumberedSection):
    """A custom section of kind `numbered` (1, 2, 3 …) or `reversed-numbered` (… 3, 2, 1)."""

    descending: bool = False

    @property
    def numbers(self) -> tuple[int, ...]:
        count = len(self.items)
        return tuple(range(count, 0, -1)) if self.descending else tuple(range(1, count + 1))


@dataclass(frozen=True)
class CustomBulletsSection(BulletsSection):
    """A custom section of kind `bullets`."""


@dataclass(frozen=True)
class CustomPublicationsSection(EntriesSection):
    """A custom section of kind `publications`: a second list of works, drawn as Publications are."""


@dataclass(frozen=True)
class CustomEducationSection(EntriesSection):
    """A custom section of kind `education`: a second list of schools (RenderCV's second Education
    section, e.g. "Training"), drawn as Education is."""


# The registry: every section kind, once. Kinds that share a shape (prose, entries) subclass it, so a
# writer may draw them alike with one `case ParagraphsSection()`; a kind of a new shape is a class of
# its own here, a builder in view.SECTION_BUILDERS, a partial in themes/classic/templates/sections/
# and a case in each writer (mypy's assert_never names every writer that lacks it).
AnySection: TypeAlias = (
    SummarySection
    | AboutSection
    | MetricsSection
    | ExperienceSection
    | ProjectsSection
    | SkillsSection
    | PrinciplesSection
    | SnapshotsSection
    | NotesSection
    | PublicationsSection
    | EducationSection
    | CertificationsSection
    | AwardsSection
    | LanguagesSection
    | CustomSection
    | CustomTextSection
    | CustomNumberedSection
    | CustomBulletsSection
    | CustomPublicationsSection
    | CustomEducationSection
)
# What a profile's `custom:` list builds, one class per custom kind.
AnyCustomSection: TypeAlias = (
    CustomSection
    | CustomTextSection
    | CustomNumberedSection
    | CustomBulletsSection
    | CustomPublicationsSection
    | CustomEducationSection
)
SECTION_CLASSES: tuple[type[AnySection], ...] = get_args(AnySection)
