"""Document → Markdown (CommonMark), for portals, READMEs and anything that takes pasted Markdown.

Every section kind the view makes has a writer here, in the same order the HTML partials draw it.
Text from the profile is escaped so it can never turn into markup it did not ask for; its own
inline Markdown (already parsed into spans) is written back as CommonMark.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import replace
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

SEPARATOR = " · "
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BANG_AT_END = re.compile(r"(?<!\\)!$")
# What a link destination may hold as is: printable ASCII but space, quotes, angle brackets,
# parentheses, backslash and backtick, which could end the destination or open markup.
_DESTINATION_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "<>()\"'\\`%")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])(?=\s|$)")


def escape(text: str) -> str:
    """Plain text that reads the same in any CommonMark renderer: inline markers, HTML, entity
    references and line-starting block markers are backslash-escaped; nothing else is touched.

    A closing `!` is escaped too: written before a link, it would turn the link into an image."""
    text = _ENTITY.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))
    text = _BANG_AT_END.sub(r"\\!", text)
    lines = [_BLOCK_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], line) for line in text.split("\n")]
    return "\n".join(lines)


def _destination(href: str) -> str:
    """A link destination that cannot end early or open markup: anything but safe ASCII is
    percent-encoded (an existing %XX escape is kept), so the destination is always bare."""
    encoded = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", href)
    depth = 0
    for char in encoded:  # balanced parentheses are read as part of a bare destination; others end it
        depth += (char == "(") - (char == ")")
        if depth < 0:
            break
    parens = "()" if depth == 0 else ""
    return urllib.parse.quote(encoded, safe=_DESTINATION_SAFE + "%" + parens)


def code_span(text: str) -> str:
    """A code span whose delimiter is longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(spans: Inline | None) -> str:
    """Spans → CommonMark; emphasis markers hug the text (spaces move outside), as CommonMark needs."""
    if not spans:
        return ""
    parts: list[str] = []
    for span in spans:
        body = code_span(span.text) if span.code else escape(span.text).replace("\n", "\\\n")
        core = body.strip(" ")
        if not core:
            parts.append(body)
            continue
        lead, trail = body[: len(body) - len(body.lstrip(" "))], body[len(body.rstrip(" ")) :]
        marker = ("**" if span.bold else "") + ("*" if span.italic else "")
        core = f"{marker}{core}{marker[::-1]}"
        if span.href:
            core = f"[{core}]({_destination(span.href)})"
        parts.append(f"{lead}{core}{trail}")
    return "".join(parts)


def _italic(spans: Inline) -> str:
    return inline(tuple(replace(span, italic=True) for span in spans))


def _meta(*parts: str | None) -> str | None:
    text = SEPARATOR.join(p for p in parts if p)
    return f"*{escape(text)}*" if text else None


def _link(text: str, href: str) -> str:
    return f"[{escape(text)}]({_destination(href)})"


def _bullets(items: Iterable[Inline]) -> str | None:
    lines = [f"- {inline(item)}" for item in items]
    return "\n".join(lines) or None


def _fenced(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _labelled(label: str, items: Iterable[str]) -> str:
    return f"**{escape(label)}:** {escape(SEPARATOR.join(items))}"


class Writer:
    """Collects blocks (paragraphs, lists, headings) and joins them with one blank line."""

    def __init__(self, locale: LocaleView | None = None) -> None:
        self.locale = locale or LocaleView()  # the document's words: labels, the role-organisation comma
        self.blocks: list[str] = []

    def add(self, *blocks: str | None) -> None:
        self.blocks.extend(b for b in blocks if b)

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _facets(out: Writer, facets: Iterable[FacetView]) -> None:
    for facet in facets:
        head = f"**{escape(facet.name)}:**"
        out.add(f"{head} {inline(facet.text)}" if facet.text else head, _bullets(facet.items))


def _write_paragraphs(out: Writer, section: Section) -> None:
    out.add(*(inline(p) for p in cast("tuple[Inline, ...]", section.items)))


def _write_numbered(out: Writer, section: Section) -> None:
    items = cast("tuple[Inline, ...]", section.items)
    out.add("\n".join(f"{n}. {inline(item)}" for n, item in enumerate(items, 1)))


def _figure(metric: MetricView) -> str:
    return f"{metric.figure} {metric.unit}" if metric.unit else metric.figure


def _write_metrics(out: Writer, section: Section) -> None:
    lines = []
    for metric in cast("tuple[MetricView, ...]", section.items):
        line = f"- **{escape(_figure(metric))}** {escape(metric.label)}"
        lines.append(f"{line} *({escape(metric.context)})*" if metric.context else line)
    out.add("\n".join(lines))


def _write_timeline(out: Writer, section: Section) -> None:
    for group in cast("tuple[TimelineGroup, ...]", section.items):
        organisation = None
        if group.organisation:
            organisation = _link(group.organisation, group.url) if group.url else escape(group.organisation)
        single = len(group.roles) == 1
        has_head = organisation is not None and (not single or not group.roles[0].title)
        if has_head:
            out.add(f"### {organisation}", _meta(group.dates) if not single else None)
        for role in group.roles:
            level = "####" if has_head else "###"
            if role.title:
                title = escape(role.title)
                comma = out.locale.comma_for(role.title, group.organisation)
                out.add(f"{level} {title}{comma}{organisation}" if organisation and single else f"{level} {title}")
            out.add(_meta(role.team, role.location, role.dates if (role.title or not single or not has_head) else None))
            if has_head and single and not role.title:
                out.add(_meta(group.dates))
            out.add(inline(role.summary), _bullets(role.bullets))
            if role.outcome:
                out.add(f"**{escape(out.locale.label('outcome'))}:** {inline(role.outcome)}")


def _write_project(out: Writer, project: ProjectView) -> None:
    out.add(f"### {escape(project.name)}", _meta(project.kind, project.role, project.organisation, project.year))
    if project.tagline:
        out.add(_italic(project.tagline))
    out.add(*(inline(p) for p in project.description))
    _facets(out, project.facets)
    if project.diagram:
        out.add(_fenced(project.diagram))
    out.add(_bullets(project.bullets))
    if project.outcomes:
        out.add(_labelled(out.locale.label("outcomes"), project.outcomes))
    if project.tech:
        out.add(_labelled(out.locale.label("tech"), project.tech))
    if project.links:
        out.add(SEPARATOR.join(_link(link.text, link.href) for link in project.links))


def _write_projects(out: Writer, section: Section) -> None:
    for project in cast("tuple[ProjectView, ...]", section.items):
        _write_project(out, project)


def _write_skills(out: Writer, section: Section) -> None:
    skills = cast(SkillsView, section.items)
    out.add("\n".join(f"- {_labelled(category, items)}" for category, items in skills.table) or None)
    for group in skills.groups:
        heading = escape(group.name) + (f"{SEPARATOR}{escape(group.depth)}" if group.depth else "")
        out.add(f"### {heading}", inline(group.description), _bullets(group.bullets))
        out.add(escape(SEPARATOR.join(group.items)) if group.items else None)
    if skills.working_with:
        items = skills.working_with
        label = out.locale.label("working_with")
        out.add(_labelled(label, items) if skills.groups or skills.table else escape(SEPARATOR.join(items)))


def _write_snapshots(out: Writer, section: Section) -> None:
    for snapshot in cast("tuple[SnapshotView, ...]", section.items):
        out.add(f"### {escape(snapshot.title)}", _meta(snapshot.label, snapshot.subtitle))
        _facets(out, snapshot.facets)


def _write_entry(out: Writer, entry: Entry) -> None:
    if entry.title:
        out.add(f"### {escape(entry.title)}")
    out.add(_meta(entry.subtitle, entry.meta, entry.dates))
    out.add(*(inline(text) for text in entry.text))
    out.add("\n".join(f"- {_labelled(label, items)}" for label, items in entry.rows) or None)
    if entry.preformatted:
        out.add(_fenced(entry.preformatted))
    out.add(_bullets(entry.bullets))
    if entry.keywords:
        out.add(escape(SEPARATOR.join(entry.keywords)))
    if entry.link:
        out.add(_link(entry.link.text, entry.link.href))


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


def render_markdown_text(document: Document) -> str:
    out = Writer(document.locale)
    person = document.person
    out.add(f"# {escape(person.name)}")
    if person.headline:
        out.add(f"**{escape(person.headline)}**")
    if person.tagline:
        out.add(inline(person.tagline))
    contacts = [_link(c.text, c.href) if c.href else escape(c.text) for c in person.contacts]
    out.add(SEPARATOR.join(contacts) or None)
    if person.availability:
        out.add(f"*{escape(person.availability)}*")
    for section in document.sections:
        writer = SECTION_WRITERS.get(section.kind)
        if writer is None:
            raise RenderError(f"Markdown: no writer for section kind '{section.kind}' (section '{section.key}')")
        out.add(f"## {escape(section.title)}")
        if section.intro:
            out.add(_italic(section.intro))
        writer(out, section)
    return out.text()


def render_markdown(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """The Markdown file, as the build writes it (themes style nothing here; order and titles are the view's)."""
    return render_markdown_text(document).encode("utf-8")
