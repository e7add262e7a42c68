"""Document → DOCX: one column of Word's own styles, in the same order as the HTML partials.

ATS parsers read a Word file by paragraph style and text order, so everything sits in the body
(no text boxes, shapes, layout tables, header or footer text), structure uses the built-in Title,
Heading and List styles, and the look lives in a few named styles a reader can restyle in Word.
python-docx is imported lazily: a build that makes no DOCX never pays for it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_never, cast

from cvforge.document.headings import heading_parts
from cvforge.document.locale import LocaleView
from cvforge.document.sections import (
    AnySection,
    Bullet,
    BulletsSection,
    EntriesSection,
    Entry,
    ExperienceSection,
    FacetView,
    LinkView,
    MetricsSection,
    NumberedSection,
    ParagraphsSection,
    ProjectsSection,
    ProjectView,
    RoleView,
    SkillGroupView,
    SkillsSection,
    SkillsView,
    SnapshotsSection,
    SnapshotView,
    TimelineGroup,
)
from cvforge.document.view import Document, PersonView
from cvforge.renderers.docx.masthead import write_metrics, write_person
from cvforge.renderers.docx.ooxml import (
    add_hyperlink,
    clean,
    drop_template_extras,
    set_properties,
    stable_zip,
)
from cvforge.renderers.docx.paragraphs import (
    NBSP,
    SEPARATOR,
    add_inline,
    add_paragraph,
    add_text,
    keep_block,
    new_paragraph,
)
from cvforge.renderers.docx.scripts import apply_scripts
from cvforge.renderers.docx.styles import (
    LIST_INDENTS,
    USED_STYLES,
    Look,
    at_density,
    restyle_list_level,
    setup_page,
    setup_styles,
)
from cvforge.renderers.docx.template import open_template, restore_reference_styles, style_id
from cvforge.renderers.themes import Theme
from cvforge.schema.markup import Inline

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run


# The document's locale while its sections are written: labels, commas, parser headings.
_LOCALE: ContextVar[LocaleView] = ContextVar("docx_locale", default=LocaleView())  # noqa: B039 (frozen)
# Roles under an organisation head sit this far in (points), as the HTML's padded role column does.
ROLE_INDENT = 9


def render_docx(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """Build the Word file; the bytes depend only on the document, the theme and SOURCE_DATE_EPOCH.

    It is built on the theme's reference document when it ships one (see `template.py`), whose
    own styles then win over the `[docx]` map. The Word file is set at the PDF's density
    (`styles.at_density`): the one a profile, a target or a page fit chose, or the tighter one the
    PDF took to save a sparse last page. Else it ran a page longer than the PDF.
    """
    from cvforge.renderers.pdf import kept_density

    chosen = str(theme.options.get("density", "normal"))
    density = kept_density(document, theme, profile_dir) if chosen == "normal" else chosen
    word = start_word(theme, document.person, density)
    look = Look.from_theme(theme)
    keys = {section.key for section in document.sections}
    token = _LOCALE.set(document.locale)
    try:
        for section in document.sections:
            if section.key == "about" and "summary" in keys and not look.about_with_summary:
                continue  # as the theme's PDF: the summary introduces the person
            _write_section(word, section, subtitled=look.subtitles == "all" or look.subtitles == section.key)
    finally:
        _LOCALE.reset(token)
    set_properties(word, document)
    return finish_word(word, document.locale)


def start_word(theme: Theme, person: PersonView, density: str | None = None) -> WordDocument:
    """A Word file in the theme's look (on its reference document when it ships one), with the
    masthead written: how a resume and a cover letter both begin. `density`: the one the PDF was
    laid out at (None: the `[docx]` map as it is, the theme at its normal density)."""
    look = at_density(Look.from_theme(theme), density)
    template = open_template(theme, USED_STYLES)
    word = template.word
    drop_template_extras(word)
    setup_page(word, look)
    setup_styles(word, look)
    if template.reference is None:  # a reference document's lists keep their author's markers
        for name in LIST_INDENTS:
            restyle_list_level(word, cast("ParagraphStyle", word.styles[name]), look)
    restore_reference_styles(template)
    write_person(word, person, look)
    return word


def finish_word(word: WordDocument, locale: LocaleView) -> bytes:
    """Mark every run's script and direction for the locale, and save with stable bytes."""
    apply_scripts(word, locale)
    buffer = io.BytesIO()
    word.save(buffer)
    return stable_zip(buffer.getvalue())


def _heading(word: WordDocument, text: str, level: int) -> Paragraph:
    paragraph = new_paragraph(word, f"Heading {level}")
    add_text(paragraph, text)
    return paragraph


def _dates(paragraph: Paragraph, dates: str | None) -> None:
    """Dates flush right on the title line: a tab to the style's right tab stop at the text width.

    Spaces become no-break spaces so a range never wraps; a parser reads them as spaces.
    """
    if dates:
        add_text(paragraph, "\t" + dates.replace(" ", NBSP), "Dates")


def _meta(word: WordDocument, *parts: str | None) -> None:
    """The muted line under a heading: team, place, dates; skipped when there is nothing to say."""
    text = SEPARATOR.join(p for p in parts if p)
    if text:
        add_text(new_paragraph(word, "Entry Meta"), text)


def _bullets(word: WordDocument, items: Iterable[Inline], style: str = "List Bullet") -> None:
    for item in items:
        add_paragraph(word, item, style)


def _points(word: WordDocument, bullets: Iterable[Bullet]) -> None:
    """Each point, then its sub-points as Word's second-level bullets (List Bullet 2)."""
    for bullet in bullets:
        add_paragraph(word, bullet.text, "List Bullet")
        _bullets(word, bullet.subs, "List Bullet 2")


def _numbered(word: WordDocument, items: Sequence[Inline], numbers: Sequence[int]) -> None:
    """Word's own numbering counts up only; a countdown (RenderCV's reversed-numbered sections) is
    written as text, "3. ", in the same list style with its numbering turned off."""
    if list(numbers) == list(range(1, len(items) + 1)):
        _bullets(word, items, "List Number")
        return
    from docx.shared import Pt

    for number, item in zip(numbers, items, strict=True):
        paragraph = new_paragraph(word, "List Number")
        _no_numbering(paragraph)
        # The indent Word's own numbering gives the style (0.25 in, hanging): the number, a tab, the text.
        paragraph.paragraph_format.left_indent = Pt(18)
        paragraph.paragraph_format.first_line_indent = Pt(-18)
        add_text(paragraph, f"{number}.\t")
        add_inline(paragraph, item)


def _no_numbering(paragraph: Paragraph) -> None:
    """numId 0 switches off the style's automatic number for this one paragraph."""
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = 0


def _joined(paragraph: Paragraph, items: Iterable[str], style: str | None = None) -> None:
    """Items with muted ' · ' between them, the way the HTML separates tags and badges."""
    for index, item in enumerate(items):
        if index:
            add_text(paragraph, SEPARATOR, "Muted")
        add_text(paragraph, item, style)


def _labelled(word: WordDocument, label: str, items: Iterable[str]) -> Paragraph:
    paragraph = new_paragraph(word)
    add_text(paragraph, f"{label}: ", "Label")
    add_text(paragraph, SEPARATOR.join(items))
    return paragraph


def _links(word: WordDocument, links: Iterable[LinkView]) -> None:
    paragraph = new_paragraph(word)
    for index, link in enumerate(links):
        if index:
            add_text(paragraph, SEPARATOR, "Muted")
        add_hyperlink(paragraph, link.text, link.href)


def _diagram(word: WordDocument, text: str) -> None:
    """Monospace block: one paragraph, a line break per line, leading spaces kept (xml:space)."""
    paragraph = new_paragraph(word, "Diagram")
    run = paragraph.add_run()
    for index, line in enumerate(clean(text).split("\n")):
        if index:
            run.add_break()
        for position, chunk in enumerate(line.split("\t")):
            if position:
                run.add_tab()
            if chunk:
                run.add_text(chunk)


def _indent(paragraphs: Iterable[Any], points: float) -> None:
    """Shift a block right, list items included (their hanging bullet indent moves with them)."""
    from docx.shared import Pt, Twips

    lists = {style_id(name): indents for name, indents in LIST_INDENTS.items()}
    for paragraph in paragraphs:
        p_pr = paragraph.get_or_add_pPr()
        if p_pr.style in lists:
            left, hanging = lists[p_pr.style]
            p_pr.ind_left = Twips(left) + Pt(points)
            p_pr.first_line_indent = -Twips(hanging)
        else:
            p_pr.ind_left = Pt(points)


def _facets(word: WordDocument, facets: Iterable[FacetView]) -> None:
    for facet in facets:
        paragraph = new_paragraph(word)
        add_text(paragraph, f"{facet.name}:", "Label")
        if facet.text:
            add_text(paragraph, " ")
            add_inline(paragraph, facet.text)
        if facet.items:
            paragraph.paragraph_format.keep_with_next = True
            _bullets(word, facet.items)


# --- sections ------------------------------------------------------------------------------------


def _write_section(word: WordDocument, section: AnySection, *, subtitled: bool = True) -> None:
    """One heading line parsers recognise (see `headings`); the person's own wording, when parsers
    would not know it, on a subtitle line under it rather than joined to it (unless the theme's
    paper leaves it out); then the items."""
    heading, subtitle = heading_parts(section.key, section.title, _LOCALE.get())
    _heading(word, heading, 1)
    if subtitle and subtitled:
        add_text(new_paragraph(word, "Section Subtitle"), subtitle)
    if section.intro:
        add_paragraph(word, section.intro, "Section Intro")
    match section:
        case ParagraphsSection():
            for paragraph in section.items:
                add_paragraph(word, paragraph)
        case MetricsSection():
            write_metrics(word, section.items)
        case ExperienceSection():
            for group in section.items:
                _write_group(word, group)
        case ProjectsSection():
            for project in section.items:
                with keep_block(word):
                    _write_project(word, project)
        case SkillsSection():
            _write_skills(word, section.items)
        case NumberedSection():
            _numbered(word, section.items, section.numbers)
        case BulletsSection():
            _bullets(word, section.items)
        case SnapshotsSection():
            for snapshot in section.items:
                with keep_block(word):
                    _write_snapshot(word, snapshot)
        case EntriesSection():
            for entry in section.items:
                with keep_block(word):
                    _write_entry(word, entry)
        case _:
            assert_never(section)


def _write_group(word: WordDocument, group: TimelineGroup) -> None:
    """Mirror timeline.html.j2: an organisation head only when several roles or an untitled one."""
    single = len(group.roles) == 1
    has_head = bool(group.organisation) and (not single or not group.roles[0].title)
    if has_head:
        head = new_paragraph(word, "Heading 2")
        _add_organisation(head, group)
        _dates(head, group.dates)
        if single:
            role = group.roles[0]
            _meta(word, role.team, role.location)
    wrote = False
    for role in group.roles:
        with keep_block(word) as added:
            _write_role(word, group, role, has_head=has_head)
        wrote = wrote or bool(added)
        if has_head and not single:
            _indent(added, ROLE_INDENT)
    if has_head and not wrote:  # an organisation alone (a role with nothing to say) holds nothing to it
        head._p.get_or_add_pPr().keepNext_val = False


def _add_organisation(paragraph: Paragraph, group: TimelineGroup, style: str | None = None) -> Run:
    """The organisation's name, a hyperlink to its website when the profile gives one (callers
    write it only for a group that names its organisation)."""
    name = group.organisation or ""
    if group.url:
        return add_hyperlink(paragraph, name, group.url)
    return add_text(paragraph, name, style)


def _write_role(word: WordDocument, group: TimelineGroup, role: RoleView, *, has_head: bool) -> None:
    """A titled role is a heading (level 3 under an organisation head); an untitled one only meta."""
    single = len(group.roles) == 1
    if role.title:
        heading = _heading(word, role.title, 3 if has_head else 2)
        if group.organisation and single:
            add_text(heading, _LOCALE.get().comma_for(role.title, group.organisation), "Muted").bold = False
            _add_organisation(heading, group, "Muted").bold = False
        _dates(heading, role.dates)
        _meta(word, role.team, role.location)
    elif not (has_head and single):
        _meta(word, role.team, role.location, None if single else role.dates)
    _write_role_body(word, role)


def _write_role_body(word: WordDocument, role: RoleView) -> None:
    if role.summary:
        add_paragraph(word, role.summary)
    _points(word, role.bullets)
    if role.outcome:
        paragraph = new_paragraph(word)
        add_text(paragraph, f"{_LOCALE.get().label('outcome')}: ", "Accent Label")
        add_inline(paragraph, role.outcome)


def _write_project(word: WordDocument, project: ProjectView) -> None:
    _dates(_heading(word, project.name, 2), project.year)
    _meta(word, project.kind, project.role, project.organisation)
    if project.tagline:
        add_paragraph(word, tuple(replace(span, italic=True) for span in project.tagline))
    for text in project.description:
        add_paragraph(word, text)
    _facets(word, project.facets)
    if project.diagram:
        _diagram(word, project.diagram)
    _points(word, project.bullets)
    if project.outcomes:  # the outcome tags never open a page alone: they keep with the line above
        word.element.body.xpath("w:p[last()]")[0].get_or_add_pPr().keepNext_val = True
        _joined(new_paragraph(word), project.outcomes, "Outcome")
    if project.tech:
        paragraph = new_paragraph(word)
        add_text(paragraph, f"{_LOCALE.get().label('tech')}: ", "Label")
        _joined(paragraph, project.tech, "Tag")
    if project.links:
        _links(word, project.links)


def _write_skills(word: WordDocument, skills: SkillsView) -> None:
    for category, items in skills.table:
        _labelled(word, category, items)
    for group in skills.groups:
        with keep_block(word):
            _write_skill_group(word, group)
    if skills.working_with:
        if skills.groups or skills.table:
            _labelled(word, _LOCALE.get().label("working_with"), skills.working_with)
        else:
            add_text(new_paragraph(word), SEPARATOR.join(skills.working_with))


def _write_skill_group(word: WordDocument, group: SkillGroupView) -> None:
    heading = _heading(word, group.name, 2)
    if group.depth:
        add_text(heading, f"{SEPARATOR}{group.depth}", "Muted").bold = False
    if group.description:
        add_paragraph(word, group.description)
    _points(word, group.bullets)
    if group.items:
        add_text(new_paragraph(word), SEPARATOR.join(group.items), "Muted")


def _write_snapshot(word: WordDocument, snapshot: SnapshotView) -> None:
    _heading(word, snapshot.title, 2)
    _meta(word, snapshot.label, snapshot.subtitle)
    _facets(word, snapshot.facets)


def _write_entry(word: WordDocument, entry: Entry) -> None:
    if entry.title:
        _dates(_heading(word, entry.title, 2), entry.dates)
        _meta(word, entry.subtitle, entry.meta)
    else:
        _meta(word, entry.subtitle, entry.meta, entry.dates)
    for text in entry.text:
        add_paragraph(word, text)
    for label, items in entry.rows:
        _labelled(word, label, items)
    if entry.preformatted:
        _diagram(word, entry.preformatted)
    _points(word, entry.bullets)
    if entry.keywords:
        _joined(new_paragraph(word), entry.keywords, "Tag")
    if entry.link:
        _links(word, (entry.link,))
