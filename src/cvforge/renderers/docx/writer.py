"""Document → DOCX: one column of Word's own styles, in the same order as the HTML partials.

ATS parsers read a Word file by paragraph style and text order, so everything sits in the body
(no text boxes, shapes, layout tables, header or footer text), structure uses the built-in Title,
Heading and List styles, and the look lives in a few named styles a reader can restyle in Word.
python-docx is imported lazily: a build that makes no DOCX never pays for it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cvforge.document.headings import parser_heading
from cvforge.document.view import (
    Document,
    Entry,
    FacetView,
    LinkView,
    MetricView,
    PersonView,
    ProjectView,
    RoleView,
    Section,
    SkillGroupView,
    SkillsView,
    SnapshotView,
    TimelineGroup,
)
from cvforge.errors import RenderError
from cvforge.renderers.docx.ooxml import (
    add_border,
    add_hyperlink,
    add_shading,
    apply_run_style,
    clean,
    drop_template_extras,
    set_properties,
    stable_zip,
)
from cvforge.renderers.docx.styles import USED_STYLES, Look, setup_page, setup_styles
from cvforge.renderers.docx.template import open_template, restore_reference_styles, style_id
from cvforge.renderers.themes import Theme
from cvforge.schema.markup import Inline, Span

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.shared import Length
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run


SEPARATOR = " · "
NBSP = "\u00a0"
# A block (role, project, entry…) shorter than this many estimated lines stays on one page, as the
# PDF's `break-inside: avoid` does; a longer one may break (its head still keeps with its first
# paragraph), or Word would push it whole to the next page and leave a third of a page empty.
KEEP_LINES = 18
CHARS_PER_LINE = 110
# Roles under an organisation head sit this far in (points), as the HTML's padded role column does.
ROLE_INDENT = 9
LIST_INDENT_TWIPS = 360  # the default template's List Bullet / List Number indent


def render_docx(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """Build the Word file; the bytes depend only on the document, the theme and SOURCE_DATE_EPOCH.

    It is built on the theme's reference document when it ships one (see `template.py`), whose
    own styles then win over the `[docx]` map.
    """
    look = Look.from_theme(theme)
    template = open_template(theme, USED_STYLES)
    word = template.word
    drop_template_extras(word)
    setup_page(word, look)
    setup_styles(word, look)
    restore_reference_styles(template)
    _write_person(word, document.person, look)
    for section in document.sections:
        _write_section(word, section)
    set_properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return stable_zip(buffer.getvalue())


def _add_text(paragraph: Paragraph, text: str, style: str | None = None) -> Run:
    return apply_run_style(paragraph.add_run(clean(text)), style)


def _new_paragraph(word: WordDocument, style: str | None = None) -> Paragraph:
    paragraph = word.add_paragraph()
    if style is not None:
        paragraph._p.style = style_id(style)
    return paragraph


def _add_span(paragraph: Paragraph, span: Span) -> None:
    if span.href:
        add_hyperlink(paragraph, span.text, span.href, bold=span.bold, italic=span.italic, code=span.code)
        return
    run = _add_text(paragraph, span.text, "Code" if span.code else None)
    if span.bold:
        run.bold = True
    if span.italic:
        run.italic = True


def _add_inline(paragraph: Paragraph, spans: Inline) -> None:
    for span in spans:
        _add_span(paragraph, span)


def _paragraph(word: WordDocument, spans: Inline | None = None, style: str | None = None) -> Paragraph:
    paragraph = _new_paragraph(word, style)
    if spans:
        _add_inline(paragraph, spans)
    return paragraph


def _heading(word: WordDocument, text: str, level: int) -> Paragraph:
    paragraph = _new_paragraph(word, f"Heading {level}")
    _add_text(paragraph, text)
    return paragraph


def _dates(paragraph: Paragraph, dates: str | None) -> None:
    """Dates flush right on the title line: a tab to the style's right tab stop at the text width.

    Spaces become no-break spaces so a range never wraps; a parser reads them as spaces.
    """
    if dates:
        _add_text(paragraph, "\t" + dates.replace(" ", NBSP), "Dates")


def _meta(word: WordDocument, *parts: str | None) -> None:
    """The muted line under a heading: team, place, dates; skipped when there is nothing to say."""
    text = SEPARATOR.join(p for p in parts if p)
    if text:
        _add_text(_new_paragraph(word, "Entry Meta"), text)


def _bullets(word: WordDocument, items: Iterable[Inline], style: str = "List Bullet") -> None:
    for item in items:
        _paragraph(word, item, style)


def _joined(paragraph: Paragraph, items: Iterable[str], style: str | None = None) -> None:
    """Items with muted ' · ' between them, the way the HTML separates tags and badges."""
    for index, item in enumerate(items):
        if index:
            _add_text(paragraph, SEPARATOR, "Muted")
        _add_text(paragraph, item, style)


def _labelled(word: WordDocument, label: str, items: Iterable[str]) -> Paragraph:
    paragraph = _new_paragraph(word)
    _add_text(paragraph, f"{label}: ", "Label")
    _add_text(paragraph, SEPARATOR.join(items))
    return paragraph


def _links(word: WordDocument, links: Iterable[LinkView]) -> None:
    paragraph = _new_paragraph(word)
    for index, link in enumerate(links):
        if index:
            _add_text(paragraph, SEPARATOR, "Muted")
        add_hyperlink(paragraph, link.text, link.href)


def _diagram(word: WordDocument, text: str) -> None:
    """Monospace block: one paragraph, a line break per line, leading spaces kept (xml:space)."""
    paragraph = _new_paragraph(word, "Diagram")
    run = paragraph.add_run()
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            run.add_break()
        for position, chunk in enumerate(line.split("\t")):
            if position:
                run.add_tab()
            if chunk:
                run.add_text(chunk)


@contextmanager
def _block(word: WordDocument) -> Iterator[list[Any]]:
    """Keep what is written inside on one page when it is short (see KEEP_LINES).

    Yields a list that holds the block's w:p elements once the block is written.
    """
    from docx.oxml.ns import qn

    def end() -> int:
        return len(body) - 1 if len(body) and body[-1].tag == qn("w:sectPr") else len(body)

    body = word.element.body
    start = end()
    added: list[Any] = []
    yield added
    added.extend(element for element in body[start : end()] if element.tag == qn("w:p"))
    for paragraph in added:
        paragraph.get_or_add_pPr().keepLines_val = True
    if sum(1 + len(p.text) // CHARS_PER_LINE for p in added) > KEEP_LINES:
        return
    for paragraph in added[:-1]:
        paragraph.get_or_add_pPr().keepNext_val = True


def _indent(paragraphs: Iterable[Any], points: float) -> None:
    """Shift a block right, list items included (their hanging bullet indent moves with them)."""
    from docx.shared import Pt, Twips

    lists = {style_id("List Bullet"), style_id("List Number")}
    for paragraph in paragraphs:
        p_pr = paragraph.get_or_add_pPr()
        if p_pr.style in lists:
            p_pr.ind_left = Twips(LIST_INDENT_TWIPS) + Pt(points)
            p_pr.first_line_indent = -Twips(LIST_INDENT_TWIPS)
        else:
            p_pr.ind_left = Pt(points)


def _facets(word: WordDocument, facets: Iterable[FacetView]) -> None:
    for facet in facets:
        paragraph = _new_paragraph(word)
        _add_text(paragraph, f"{facet.name}:", "Label")
        if facet.text:
            _add_text(paragraph, " ")
            _add_inline(paragraph, facet.text)
        if facet.items:
            paragraph.paragraph_format.keep_with_next = True
            _bullets(word, facet.items)


# --- masthead and sections ------------------------------------------------------------------------


def _write_person(word: WordDocument, person: PersonView, look: Look) -> None:
    """Name as Title, then headline, tagline, contacts and availability as body text, never a header.

    With a band (modern) name, headline and tagline sit on the accent fill and the contacts on a
    soft one, both reaching the paper's edges as the PDF's band does; otherwise a rule closes it.
    """
    from docx.shared import Pt, RGBColor

    band = [_heading_title(word, person.name)]
    if person.headline:
        band.append(_new_paragraph(word, "Headline"))
        _add_text(band[-1], person.headline)
    if person.tagline:
        band.append(_paragraph(word, person.tagline))
        if look.name_band:
            for run in band[-1].runs:
                run.font.color.rgb = RGBColor.from_string(look.name_color or "FFFFFF")
    foot: list[Paragraph] = []
    if person.contacts:
        foot.append(_new_paragraph(word))
        for index, contact in enumerate(person.contacts):
            if index:
                _add_text(foot[-1], SEPARATOR, "Muted")
            if contact.href:
                add_hyperlink(foot[-1], contact.text, contact.href)
            else:
                _add_text(foot[-1], contact.text, "Muted")
    if person.availability:
        foot.append(_new_paragraph(word))
        _add_text(foot[-1], person.availability, "Label")
    if look.name_band:
        _paint_band(band, look.name_band, look)
        if foot and look.band_foot:
            _paint_band(foot, look.band_foot, look)
            return
    last = (band + foot)[-1]
    last.paragraph_format.keep_with_next = False
    if look.name_band and not foot:
        return
    add_border(last._p.get_or_add_pPr(), "bottom", look.accent, eighths=12, space=4)
    last.paragraph_format.space_after = Pt(4)


def _paint_band(paragraphs: list[Paragraph], fill: str, look: Look) -> None:
    """Shade paragraphs as one band out to the paper's edges: same-colour borders as wide as the
    margin (Word joins equal borders of adjacent paragraphs), never a shape or a table."""
    from docx.shared import Cm, Pt

    margin = Cm(look.margin_cm).pt
    width = min(12.0, margin)  # a border is at most 12 pt wide, and may stand 31 pt off the text
    space = round(min(31.0, max(margin - width, 0.0)))
    for paragraph in paragraphs:
        p_pr = paragraph._p.get_or_add_pPr()
        add_border(p_pr, "top", fill, eighths=16, space=4)
        for side in ("left", "right"):
            add_border(p_pr, side, fill, eighths=round(width * 8), space=space)
        add_border(p_pr, "bottom", fill, eighths=16, space=4)
        add_shading(p_pr, fill)
        paragraph.paragraph_format.keep_with_next = True
    paragraphs[-1].paragraph_format.space_after = Pt(8)


def _heading_title(word: WordDocument, name: str) -> Paragraph:
    paragraph = _new_paragraph(word, "Title")
    _add_text(paragraph, name)
    return paragraph


def _write_section(word: WordDocument, section: Section) -> None:
    """One heading line parsers recognise, in the person's own wording (see `headings`)."""
    writer = SECTION_WRITERS.get(section.kind)
    if writer is None:
        raise RenderError(f"DOCX: no writer for section kind '{section.kind}' (section '{section.key}')")
    _heading(word, parser_heading(section.key, section.title), 1)
    if section.intro:
        _paragraph(word, section.intro, "Section Intro")
    writer(word, section)


def _write_paragraphs(word: WordDocument, section: Section) -> None:
    for paragraph in cast("tuple[Inline, ...]", section.items):
        _paragraph(word, paragraph)


def _write_numbered(word: WordDocument, section: Section) -> None:
    _bullets(word, cast("tuple[Inline, ...]", section.items), "List Number")


def _write_metrics(word: WordDocument, section: Section) -> None:
    """Figure | label, in two columns: the labels start at one fixed tab stop past the widest figure,
    and wrap there (a hanging indent), so nothing slides under the figures in Word or LibreOffice."""
    from docx.shared import Pt

    metrics = cast("tuple[MetricView, ...]", section.items)
    size = word.styles["Metric Figure"].font.size
    figure_size = size.pt if size is not None else 14.0
    widest = max(_figure_width(_figure_text(m), figure_size) for m in metrics)
    column = Pt(round(min(max(widest + 12, 60), 200)))
    with _block(word):
        for metric in metrics:
            _write_metric(word, metric, column)


def _write_metric(word: WordDocument, metric: MetricView, column: Length) -> None:
    """Figure, tab to the label column, label, then the context under the label in muted text."""
    paragraph = _new_paragraph(word, "Metric")
    fmt = paragraph.paragraph_format
    fmt.left_indent = column
    fmt.first_line_indent = -column
    fmt.tab_stops.add_tab_stop(column)
    _add_text(paragraph, _figure_text(metric), "Metric Figure")
    _add_text(paragraph, "\t")
    _add_text(paragraph, metric.label)
    if metric.context:
        _add_text(paragraph, "", "Muted").add_break()
        _add_text(paragraph, metric.context, "Muted")


# Advance widths of Arial Bold (and Liberation Sans Bold, metric-compatible) in ems, by kind of
# character: enough to place the label column past the widest figure without font files at hand.
_WIDTHS = {"digit": 0.556, "space": 0.278, "upper": 0.722, "lower": 0.611, "wide": 1.0, "other": 0.584}


def _figure_width(text: str, size: float) -> float:
    """A figure's estimated width in points, erring wide (arrows and symbols count as a full em)."""

    def kind(char: str) -> str:
        if char.isdigit():
            return "digit"
        if char.isspace():
            return "space"
        if char.isupper():
            return "upper"
        if char.islower():
            return "lower"
        return "wide" if ord(char) > 0x2000 else "other"

    return sum(_WIDTHS[kind(char)] for char in text) * size


def _figure_text(metric: MetricView) -> str:
    return f"{metric.figure} {metric.unit}" if metric.unit else metric.figure


def _write_timeline(word: WordDocument, section: Section) -> None:
    for group in cast("tuple[TimelineGroup, ...]", section.items):
        _write_group(word, group)


def _write_group(word: WordDocument, group: TimelineGroup) -> None:
    """Mirror timeline.html.j2: an organisation head only when several roles or an untitled one."""
    single = len(group.roles) == 1
    has_head = bool(group.organisation) and (not single or not group.roles[0].title)
    if has_head:
        head = _new_paragraph(word, "Heading 2")
        _add_organisation(head, group)
        _dates(head, group.dates)
        if single:
            role = group.roles[0]
            _meta(word, role.team, role.location)
    for role in group.roles:
        with _block(word) as added:
            _write_role(word, group, role, has_head=has_head)
        if has_head and not single:
            _indent(added, ROLE_INDENT)


def _add_organisation(paragraph: Paragraph, group: TimelineGroup, style: str | None = None) -> Run:
    """The organisation's name, a hyperlink to its website when the profile gives one."""
    name = cast(str, group.organisation)
    if group.url:
        return add_hyperlink(paragraph, name, group.url)
    return _add_text(paragraph, name, style)


def _write_role(word: WordDocument, group: TimelineGroup, role: RoleView, *, has_head: bool) -> None:
    """A titled role is a heading (level 3 under an organisation head); an untitled one only meta."""
    single = len(group.roles) == 1
    if role.title:
        heading = _heading(word, role.title, 3 if has_head else 2)
        if group.organisation and single:
            _add_text(heading, ", ", "Muted").bold = False
            _add_organisation(heading, group, "Muted").bold = False
        _dates(heading, role.dates)
        _meta(word, role.team, role.location)
    elif not (has_head and single):
        _meta(word, role.team, role.location, None if single else role.dates)
    _write_role_body(word, role)


def _write_role_body(word: WordDocument, role: RoleView) -> None:
    if role.summary:
        _paragraph(word, role.summary)
    _bullets(word, role.bullets)
    if role.outcome:
        paragraph = _new_paragraph(word)
        _add_text(paragraph, "Outcome: ", "Accent Label")
        _add_inline(paragraph, role.outcome)


def _write_projects(word: WordDocument, section: Section) -> None:
    for project in cast("tuple[ProjectView, ...]", section.items):
        with _block(word):
            _write_project(word, project)


def _write_project(word: WordDocument, project: ProjectView) -> None:
    _dates(_heading(word, project.name, 2), project.year)
    _meta(word, project.kind, project.role, project.organisation)
    if project.tagline:
        _paragraph(word, tuple(replace(span, italic=True) for span in project.tagline))
    for text in project.description:
        _paragraph(word, text)
    _facets(word, project.facets)
    if project.diagram:
        _diagram(word, project.diagram)
    _bullets(word, project.bullets)
    if project.outcomes:
        _joined(_new_paragraph(word), project.outcomes, "Outcome")
    if project.tech:
        paragraph = _new_paragraph(word)
        _add_text(paragraph, "Tech: ", "Label")
        _joined(paragraph, project.tech, "Tag")
    if project.links:
        _links(word, project.links)


def _write_skills(word: WordDocument, section: Section) -> None:
    skills = cast(SkillsView, section.items)
    for category, items in skills.table:
        _labelled(word, category, items)
    for group in skills.groups:
        with _block(word):
            _write_skill_group(word, group)
    if skills.working_with:
        if skills.groups or skills.table:
            _labelled(word, "Working with", skills.working_with)
        else:
            _add_text(_new_paragraph(word), SEPARATOR.join(skills.working_with))


def _write_skill_group(word: WordDocument, group: SkillGroupView) -> None:
    heading = _heading(word, group.name, 2)
    if group.depth:
        _add_text(heading, f"{SEPARATOR}{group.depth}", "Muted").bold = False
    if group.description:
        _paragraph(word, group.description)
    _bullets(word, group.bullets)
    if group.items:
        _add_text(_new_paragraph(word), SEPARATOR.join(group.items), "Muted")


def _write_snapshots(word: WordDocument, section: Section) -> None:
    for snapshot in cast("tuple[SnapshotView, ...]", section.items):
        with _block(word):
            _heading(word, snapshot.title, 2)
            _meta(word, snapshot.label, snapshot.subtitle)
            _facets(word, snapshot.facets)


def _write_entries(word: WordDocument, section: Section) -> None:
    for entry in cast("tuple[Entry, ...]", section.items):
        with _block(word):
            _write_entry(word, entry)


def _write_entry(word: WordDocument, entry: Entry) -> None:
    if entry.title:
        _dates(_heading(word, entry.title, 2), entry.dates)
        _meta(word, entry.subtitle, entry.meta)
    else:
        _meta(word, entry.subtitle, entry.meta, entry.dates)
    for text in entry.text:
        _paragraph(word, text)
    for label, items in entry.rows:
        _labelled(word, label, items)
    if entry.preformatted:
        _diagram(word, entry.preformatted)
    _bullets(word, entry.bullets)
    if entry.keywords:
        _joined(_new_paragraph(word), entry.keywords, "Tag")
    if entry.link:
        _links(word, (entry.link,))


SectionWriter = Callable[["WordDocument", Section], None]
SECTION_WRITERS: dict[str, SectionWriter] = {
    "paragraphs": _write_paragraphs,
    "metrics": _write_metrics,
    "timeline": _write_timeline,
    "projects": _write_projects,
    "skills": _write_skills,
    "numbered": _write_numbered,
    "snapshots": _write_snapshots,
    "entries": _write_entries,
}
