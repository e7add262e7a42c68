"""Document → an outline of headings, paragraphs and lists: what the Markdown and plain-text files
say, in which order. One walker for both, so they cannot drift apart; a `Formatter` says how each
part is written (`**Tech:**` or `Tech:`, `### Title` or a wrapped line, a link or its address).

Every section kind has a case here, in the order the HTML partials draw it; `assert_never` makes
mypy name this file when a kind is added to `AnySection`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, assert_never

from cvforge.document.locale import LocaleView
from cvforge.document.sections import (
    AnySection,
    Bullet,
    BulletsSection,
    EntriesSection,
    Entry,
    ExperienceSection,
    FacetView,
    MetricsSection,
    MetricView,
    NumberedSection,
    ParagraphsSection,
    ProjectsSection,
    ProjectView,
    SkillsSection,
    SnapshotsSection,
    TimelineGroup,
)
from cvforge.document.view import Document
from cvforge.schema.markup import Inline

SEPARATOR = " · "
Point = tuple[str, Sequence[str]]  # a list item's text and its sub-points, already written
Meta = Sequence[str | None]  # the parts of a muted meta line (team, place, dates); empty ones are left out


class Formatter(Protocol):
    """How an outline is written. Text-making methods return a piece of a line, in the format's own
    markup; block methods add a block (blocks are joined by one blank line). `depth` 1 is a role
    under its organisation's head."""

    def literal(self, text: str) -> str:
        """Profile text written as itself, never as markup."""
        ...

    def inline(self, spans: Inline | None) -> str: ...

    def italic(self, spans: Inline | None) -> str: ...

    def emphasis(self, text: str) -> str:
        """Already written `text`, emphasised (availability)."""
        ...

    def link(self, text: str, href: str) -> str: ...

    def label(self, name: str) -> str:
        """A lead-in such as "Tech:", written before what it labels."""
        ...

    def metric(self, metric: MetricView) -> str:
        """One figure with its label and context, as a list item's text."""
        ...

    def masthead(self, name: str, headline: str | None) -> None: ...

    def contacts(self, items: list[str]) -> None:
        """Written contacts on one line (or as few as fit), separated by " · "."""
        ...

    def section_heading(self, title: str) -> None: ...

    def head(self, title: str | None, metas: Sequence[Meta], depth: int = 0) -> None:
        """An item's title (already written) and its meta lines; Markdown gives each meta line a
        paragraph of its own, plain text puts them all on one line under the title."""
        ...

    def paragraph(self, text: str, depth: int = 0) -> None: ...

    def bullets(self, items: Iterable[str], depth: int = 0) -> None: ...

    def points(self, items: Iterable[Point], depth: int = 0) -> None:
        """A bulleted list whose items may carry sub-points, drawn as a list nested one level."""
        ...

    def numbered(self, items: Sequence[str], numbers: Sequence[int]) -> None: ...

    def preformatted(self, text: str) -> None: ...

    def result(self) -> str: ...


def write_outline(document: Document, out: Formatter) -> str:
    """The whole document through `out`: masthead, then every section's heading, intro and items."""
    person = document.person
    out.masthead(person.name, person.headline)
    out.paragraph(out.inline(person.tagline))
    out.contacts([out.link(c.text, c.href) if c.href else out.literal(c.text) for c in person.contacts])
    if person.availability:
        out.paragraph(out.emphasis(out.literal(person.availability)))
    for section in document.sections:
        out.section_heading(section.title)
        out.paragraph(out.italic(section.intro))
        _write_section(out, section, document.locale)
    return out.result()


def _write_section(out: Formatter, section: AnySection, locale: LocaleView) -> None:
    match section:
        case ParagraphsSection():
            for paragraph in section.items:
                out.paragraph(out.inline(paragraph))
        case NumberedSection():
            out.numbered([out.inline(item) for item in section.items], section.numbers)
        case BulletsSection():
            out.bullets(out.inline(item) for item in section.items)
        case MetricsSection():
            out.bullets(out.metric(metric) for metric in section.items)
        case ExperienceSection():
            for group in section.items:
                _write_group(out, group, locale)
        case ProjectsSection():
            for project in section.items:
                _write_project(out, project, locale)
        case SkillsSection():
            _write_skills(out, section, locale)
        case SnapshotsSection():
            for snapshot in section.items:
                out.head(out.literal(snapshot.title), [(snapshot.label, snapshot.subtitle)])
                _write_facets(out, snapshot.facets)
        case EntriesSection():
            for entry in section.items:
                _write_entry(out, entry)
        case _:
            assert_never(section)


def _labelled(out: Formatter, label: str, items: Iterable[str]) -> str:
    return f"{out.label(label)} {out.literal(SEPARATOR.join(items))}"


def _write_facets(out: Formatter, facets: Iterable[FacetView]) -> None:
    for facet in facets:
        name = out.label(facet.name)
        out.paragraph(f"{name} {out.inline(facet.text)}" if facet.text else name)
        out.bullets(out.inline(item) for item in facet.items)


def _write_group(out: Formatter, group: TimelineGroup, locale: LocaleView) -> None:
    """Mirrors timeline.html.j2: an organisation head when it has several roles or an untitled one."""
    organisation = None
    if group.organisation:
        organisation = out.link(group.organisation, group.url) if group.url else out.literal(group.organisation)
    single = len(group.roles) == 1
    has_head = organisation is not None and (not single or not group.roles[0].title)
    if has_head:
        first = group.roles[0]
        out.head(organisation, [(first.team, first.location), (group.dates,)] if single else [(group.dates,)])
    depth = 1 if has_head and not single else 0
    for role in group.roles:
        if role.title:
            title = out.literal(role.title)
            if organisation and single:
                title += locale.comma_for(role.title, group.organisation) + organisation
            out.head(title, [(role.team, role.location, role.dates)], depth)
        elif not (has_head and single):
            out.head(None, [(role.team, role.location, role.dates)], depth)
        out.paragraph(out.inline(role.summary), depth)
        _points(out, role.bullets, depth)
        if role.outcome:
            out.paragraph(f"{out.label(locale.label('outcome'))} {out.inline(role.outcome)}", depth)


def _points(out: Formatter, bullets: Sequence[Bullet], depth: int = 0) -> None:
    out.points(((out.inline(b.text), tuple(out.inline(sub) for sub in b.subs)) for b in bullets), depth)


def _write_project(out: Formatter, project: ProjectView, locale: LocaleView) -> None:
    out.head(out.literal(project.name), [(project.kind, project.role, project.organisation, project.year)])
    out.paragraph(out.italic(project.tagline))
    for paragraph in project.description:
        out.paragraph(out.inline(paragraph))
    _write_facets(out, project.facets)
    if project.diagram:
        out.preformatted(project.diagram)
    _points(out, project.bullets)
    if project.outcomes:
        out.paragraph(_labelled(out, locale.label("outcomes"), project.outcomes))
    if project.tech:
        out.paragraph(_labelled(out, locale.label("tech"), project.tech))
    if project.links:
        out.paragraph(SEPARATOR.join(out.link(link.text, link.href) for link in project.links))


def _write_skills(out: Formatter, section: SkillsSection, locale: LocaleView) -> None:
    skills = section.items
    out.bullets(_labelled(out, category, items) for category, items in skills.table)
    for group in skills.groups:
        level = f"{SEPARATOR}{out.literal(group.depth)}" if group.depth else ""
        out.head(out.literal(group.name) + level, [])
        out.paragraph(out.inline(group.description))
        _points(out, group.bullets)
        out.paragraph(out.literal(SEPARATOR.join(group.items)))
    if skills.working_with:
        items = skills.working_with
        if skills.groups or skills.table:
            out.paragraph(_labelled(out, locale.label("working_with"), items))
        else:
            out.paragraph(out.literal(SEPARATOR.join(items)))


def _write_entry(out: Formatter, entry: Entry) -> None:
    out.head(out.literal(entry.title) if entry.title else None, [(entry.subtitle, entry.meta, entry.dates)])
    for text in entry.text:
        out.paragraph(out.inline(text))
    out.bullets(_labelled(out, label, items) for label, items in entry.rows)
    if entry.preformatted:
        out.preformatted(entry.preformatted)
    _points(out, entry.bullets)
    if entry.keywords:
        out.paragraph(out.literal(SEPARATOR.join(entry.keywords)))
    if entry.link:
        out.paragraph(out.link(entry.link.text, entry.link.href))
