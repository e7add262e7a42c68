"""Document → plain text, for the job-portal boxes that take only pasted text.

Wrapped to 80 columns by display width (a CJK character takes two), lists with hanging indents,
links written out (a pasted URL is the only kind that survives), diagrams kept as drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from cvforge.document.locale import LocaleView
from cvforge.document.view import (
    Document,
    Entry,
    FacetView,
    MetricView,
    ProjectView,
    Section,
    SkillsView,
    SnapshotView,
    TimelineGroup,
)
from cvforge.errors import RenderError
from cvforge.renderers.themes import Theme
from cvforge.schema.markup import Inline

WIDTH = 80
SEPARATOR = " · "
# A run of ordinary characters, one wide (CJK) character, or a run of spaces: the units a line
# may break between. Wide characters break anywhere, as CJK text does.
_TOKENS = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\s+|[^\s]"
)


def display_width(text: str) -> int:
    """Columns a terminal or a monospace text box gives `text`: wide and fullwidth characters take two."""
    return sum(0 if unicodedata.combining(c) else (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in text)


def _words(text: str) -> list[str]:
    """Break opportunities: spaces, and around every wide character."""
    words: list[str] = []
    current = ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            if current:
                words.append(current)
            words.append(" ")
            current = ""
        elif display_width(token) == 2:
            if current:
                words.append(current)
            words.append(token)
            current = ""
        else:
            current += token
    if current:
        words.append(current)
    return words


def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> list[str]:
    """Greedy fill by display width; a word longer than the line (a URL) gets a line of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, prefix = "", first if not lines else rest
        for word in _words(" ".join(paragraph.split())):
            if word == " ":
                line += " " if line else ""
                continue
            candidate = line + word
            if line.strip() and display_width(prefix + candidate) > width:
                lines.append(prefix + line.rstrip())
                prefix, line = rest, word
            else:
                line = candidate
        lines.append(prefix + line.rstrip())
    return lines


def plain(spans: Inline | None) -> str:
    """Spans as text; a link keeps its address in brackets unless the text already shows it."""
    if not spans:
        return ""
    parts = []
    for span in spans:
        text = span.text
        if span.href and not span.href.startswith(("mailto:", "tel:")) and _bare(span.href) not in _bare(text):
            text = f"{text} ({span.href})"
        parts.append(text)
    return "".join(parts)


def _bare(url: str) -> str:
    return re.sub(r"^[a-z]+:(//)?(www\.)?", "", url.strip(), flags=re.IGNORECASE).rstrip("/")


def _link(text: str, href: str) -> str:
    return text if href.startswith(("mailto:", "tel:")) or _bare(href) in _bare(text) else f"{text} ({href})"


class Writer:
    """Blocks of lines, separated by one blank line."""

    def __init__(self, locale: LocaleView | None = None) -> None:
        self.locale = locale or LocaleView()  # the document's words: labels, the role-organisation comma
        self.blocks: list[list[str]] = []

    def add(self, *blocks: list[str] | None) -> None:
        self.blocks.extend(b for b in blocks if b)

    def para(self, text: str | None, indent: str = "") -> None:
        if text:
            self.add(wrap(text, first=indent, rest=indent))

    def head(self, title: str | None, meta: str | None, indent: str = "") -> None:
        """An entry's title with its meta line straight under it, as one block."""
        lines = wrap(title, first=indent, rest=indent) if title else []
        lines += wrap(meta, first=indent, rest=indent) if meta else []
        self.add(lines or None)

    def text(self) -> str:
        return "\n\n".join("\n".join(block) for block in self.blocks) + "\n"


def _list(items: Iterable[str], marker: str = "- ", indent: str = "") -> list[str] | None:
    lines: list[str] = []
    for item in items:
        lines += wrap(item, first=indent + marker, rest=indent + " " * display_width(marker))
    return lines or None


def _joined_lines(items: list[str], width: int = WIDTH) -> list[str] | None:
    """Items joined with " · ", a line broken only between items (a contact is never split)."""
    lines: list[str] = []
    for item in items:
        if lines and display_width(lines[-1] + SEPARATOR + item) <= width:
            lines[-1] += SEPARATOR + item
        else:
            lines.append(item)
    return lines or None


def _meta(*parts: str | None) -> str | None:
    return SEPARATOR.join(p for p in parts if p) or None


def _labelled(label: str, items: Iterable[str]) -> str:
    return f"{label}: {SEPARATOR.join(items)}"


def _heading(title: str, underline: str) -> list[str]:
    return [title, underline * max(display_width(title), 3)]


def _preformatted(text: str) -> list[str]:
    return ["    " + line if line else "" for line in text.rstrip("\n").split("\n")]


def _facets(out: Writer, facets: Iterable[FacetView]) -> None:
    for facet in facets:
        out.para(f"{facet.name}: {plain(facet.text)}" if facet.text else f"{facet.name}:")
        out.add(_list(plain(item) for item in facet.items))


def _write_paragraphs(out: Writer, section: Section) -> None:
    for paragraph in cast("tuple[Inline, ...]", section.items):
        out.para(plain(paragraph))


def _write_numbered(out: Writer, section: Section) -> None:
    items = cast("tuple[Inline, ...]", section.items)
    width = len(str(len(items)))
    lines: list[str] = []
    for number, item in enumerate(items, 1):
        marker = f"{number:>{width}}. "
        lines += wrap(plain(item), first=marker, rest=" " * len(marker))
    out.add(lines)


def _write_metrics(out: Writer, section: Section) -> None:
    items = []
    for metric in cast("tuple[MetricView, ...]", section.items):
        figure = f"{metric.figure} {metric.unit}" if metric.unit else metric.figure
        items.append(f"{figure}  {metric.label}" + (f" ({metric.context})" if metric.context else ""))
    out.add(_list(items))


def _write_timeline(out: Writer, section: Section) -> None:
    """Mirrors timeline.html.j2: an organisation head when it has several roles or an untitled one."""
    for group in cast("tuple[TimelineGroup, ...]", section.items):
        organisation = _link(group.organisation, group.url) if group.organisation and group.url else group.organisation
        single = len(group.roles) == 1
        has_head = organisation is not None and (not single or not group.roles[0].title)
        if has_head:
            role = group.roles[0]
            out.head(organisation, _meta(role.team, role.location, group.dates) if single else group.dates)
        indent = "  " if has_head and not single else ""
        for role in group.roles:
            if role.title:
                comma = out.locale.comma_for(role.title, group.organisation)
                title = f"{role.title}{comma}{organisation}" if organisation and single else role.title
                out.head(title, _meta(role.team, role.location, role.dates), indent)
            elif not (has_head and single):
                out.para(_meta(role.team, role.location, None if single else role.dates), indent)
            out.para(plain(role.summary), indent)
            out.add(_list((plain(b) for b in role.bullets), indent=indent))
            if role.outcome:
                out.para(f"{out.locale.label('outcome')}: {plain(role.outcome)}", indent)


def _write_project(out: Writer, project: ProjectView) -> None:
    out.head(project.name, _meta(project.kind, project.role, project.organisation, project.year))
    out.para(plain(project.tagline))
    for paragraph in project.description:
        out.para(plain(paragraph))
    _facets(out, project.facets)
    if project.diagram:
        out.add(_preformatted(project.diagram))
    out.add(_list(plain(b) for b in project.bullets))
    if project.outcomes:
        out.para(_labelled(out.locale.label("outcomes"), project.outcomes))
    if project.tech:
        out.para(_labelled(out.locale.label("tech"), project.tech))
    if project.links:
        out.para(SEPARATOR.join(_link(link.text, link.href) for link in project.links))


def _write_projects(out: Writer, section: Section) -> None:
    for project in cast("tuple[ProjectView, ...]", section.items):
        _write_project(out, project)


def _write_skills(out: Writer, section: Section) -> None:
    skills = cast(SkillsView, section.items)
    out.add(_list(_labelled(category, items) for category, items in skills.table))
    for group in skills.groups:
        out.head(group.name + (f"{SEPARATOR}{group.depth}" if group.depth else ""), None)
        out.para(plain(group.description))
        out.add(_list(plain(b) for b in group.bullets))
        out.para(SEPARATOR.join(group.items) if group.items else None)
    if skills.working_with:
        items = skills.working_with
        label = out.locale.label("working_with")
        out.para(_labelled(label, items) if skills.groups or skills.table else SEPARATOR.join(items))


def _write_snapshots(out: Writer, section: Section) -> None:
    for snapshot in cast("tuple[SnapshotView, ...]", section.items):
        out.head(snapshot.title, _meta(snapshot.label, snapshot.subtitle))
        _facets(out, snapshot.facets)


def _write_entry(out: Writer, entry: Entry) -> None:
    out.head(entry.title, _meta(entry.subtitle, entry.meta, entry.dates))
    for text in entry.text:
        out.para(plain(text))
    out.add(_list(_labelled(label, items) for label, items in entry.rows))
    if entry.preformatted:
        out.add(_preformatted(entry.preformatted))
    out.add(_list(plain(b) for b in entry.bullets))
    if entry.keywords:
        out.para(SEPARATOR.join(entry.keywords))
    if entry.link:
        out.para(_link(entry.link.text, entry.link.href))


def _write_entries(out: Writer, section: Section) -> None:
    for entry in cast("tuple[Entry, ...]", section.items):
        _write_entry(out, entry)


SECTION_WRITERS: dict[str, Callable[[Writer, Section], None]] = {
    "paragraphs": _write_paragraphs,
    "metrics": _write_metrics,
    "timeline": _write_timeline,
    "projects": _write_projects,
    "skills": _write_skills,
    "numbered": _write_numbered,
    "snapshots": _write_snapshots,
    "entries": _write_entries,
}


def render_text_string(document: Document) -> str:
    out = Writer(document.locale)
    person = document.person
    masthead = _heading(person.name, "=")
    if person.headline:
        masthead += wrap(person.headline)
    out.add(masthead)
    out.para(plain(person.tagline))
    out.add(_joined_lines([_link(c.text, c.href) if c.href else c.text for c in person.contacts]))
    out.para(person.availability)
    for section in document.sections:
        writer = SECTION_WRITERS.get(section.kind)
        if writer is None:
            raise RenderError(f"text: no writer for section kind '{section.kind}' (section '{section.key}')")
        out.add(_heading(section.title.upper(), "-"))
        out.para(plain(section.intro))
        writer(out, section)
    return out.text()


def render_text(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """The plain-text file, as the build writes it."""
    return render_text_string(document).encode("utf-8")
