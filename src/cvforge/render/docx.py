"""Document → DOCX: one column of Word's own styles, in the same order as the HTML partials.

ATS parsers read a Word file by paragraph style and text order, so everything sits in the body
(no text boxes, shapes, layout tables, header or footer text), structure uses the built-in Title,
Heading and List styles, and the look lives in a few named styles a reader can restyle in Word.
python-docx is imported lazily: a build that makes no DOCX never pays for it.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cvforge.errors import RenderError, ThemeError
from cvforge.headings import parser_heading
from cvforge.markup import Inline, Span
from cvforge.render.docx_template import open_template, restore_reference_styles, style_id
from cvforge.themes import Theme
from cvforge.view import (
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

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.text.run import CT_R
    from docx.parts.document import DocumentPart
    from docx.shared import Length
    from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# Two builds of one profile must be identical: timestamps are fixed, or SOURCE_DATE_EPOCH when set
# (the reproducible-builds convention WeasyPrint follows for the PDF too).
STABLE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SEPARATOR = " · "
PROPERTY_LIMIT = 255
# A block (role, project, entry…) shorter than this many estimated lines stays on one page, as the
# HTML's `break-inside: avoid-page` does; longer ones may break, or Word would leave half a page empty.
KEEP_LINES = 12
CHARS_PER_LINE = 105
# Roles under an organisation head sit this far in (points), as the HTML's padded role column does.
ROLE_INDENT = 9
LIST_INDENT_TWIPS = 360  # the default template's List Bullet / List Number indent
USED_STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Number",
    "Headline",
    "Entry Meta",
    "Section Intro",
    "Section Subtitle",
    "Diagram",
    "Hyperlink",
    "Muted",
    "Label",
    "Accent Label",
    "Tag",
    "Code",
    "Metric Figure",
    "Outcome",
)
RULE_COLOR = "D0D7DE"
TINT_COLOR = "F4F6F8"
OUTCOME_COLOR = "1A7F37"
# Characters XML 1.0 cannot hold; lxml refuses them, so they are the only text we ever drop.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEX = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Schema order of w:rPr and w:pPr children: Word refuses a file whose properties are out of order.
_RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


@dataclass(frozen=True)
class Look:
    """The theme's `[docx]` style map and options, checked once: sizes in points, colours as RRGGBB."""

    body_font: str = "Calibri"
    mono_font: str = "Consolas"
    body_size: float = 10
    name_size: float = 22
    heading_size: float = 11
    subheading_size: float = 10.5
    metric_size: float = 14
    text_color: str = "1F2328"
    muted_color: str = "59636E"
    margin_cm: float = 1.8
    heading_caps: bool = True
    heading_rule: float = 6  # eighths of a point under each section heading; 0 for none
    rule_color: str = RULE_COLOR
    heading_color: str = ""  # empty: the accent
    name_color: str = ""  # empty: the text colour
    name_band: str = ""  # a fill behind name and headline (a shaded paragraph, not a shape); empty: none
    accent: str = "1D4F91"
    page_size: str = "A4"

    @classmethod
    def from_theme(cls, theme: Theme) -> Look:
        """Missing keys keep classic's values; a wrong value is the theme's fault, so a ThemeError."""
        style_map: Mapping[str, Any] = theme.docx
        known = {spec.name for spec in fields(cls)} - {"accent", "page_size"}
        # `reference` names the theme's reference .docx; it is read in docx_template, not here.
        if unknown := sorted(set(style_map) - known - {"reference"}):
            valid = ", ".join(sorted(known | {"reference"}))
            raise ThemeError(f"theme '{theme.name}': [docx] has no key '{unknown[0]}' (valid: {valid})")
        values: dict[str, Any] = {}
        for spec in fields(cls):
            key = spec.name
            if key in ("accent", "page_size") or key not in style_map:
                continue
            raw = style_map[key]
            try:
                if isinstance(spec.default, bool):
                    if not isinstance(raw, bool):
                        raise ValueError(raw)
                    values[key] = raw
                elif isinstance(spec.default, float | int):
                    values[key] = float(raw)
                elif key.endswith(("_color", "_band")):
                    values[key] = _hex_color(str(raw)) if raw else ""
                else:
                    values[key] = str(raw)
            except ValueError:
                raise ThemeError(f"theme '{theme.name}': [docx] {key}: invalid value '{raw}'") from None
        try:
            values["accent"] = _hex_color(str(theme.options.get("accent", "#" + cls.accent)))
        except ValueError:
            raise ThemeError(f"theme '{theme.name}': option accent is not a colour") from None
        values["page_size"] = str(theme.options.get("page_size", "A4"))
        return cls(**values)


def _hex_color(value: str) -> str:
    """'#1d4f91', '1d4f91' or '#15a' → '1D4F91', the form Word's w:color wants."""
    if not _HEX.match(value):
        raise ValueError(value)
    digits = value.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return digits.upper()


def clean(text: str) -> str:
    """Text exactly as written, minus the control characters XML (and so python-docx) cannot carry."""
    return _XML_INVALID.sub("", text)


def render_docx(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """Build the Word file; the bytes depend only on the document, the theme and SOURCE_DATE_EPOCH.

    It is built on the theme's reference document when it ships one (see `docx_template`), whose
    own styles then win over the `[docx]` map.
    """
    look = Look.from_theme(theme)
    template = open_template(theme, USED_STYLES)
    word = template.word
    _drop_template_extras(word)
    _setup_page(word, look)
    _setup_styles(word, look)
    restore_reference_styles(template)
    _write_person(word, document.person, look)
    for section in document.sections:
        _write_section(word, section)
    _set_properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return _stable_zip(buffer.getvalue())


# --- package, page and properties -------------------------------------------------------------


def _drop_template_extras(word: WordDocument) -> None:
    """The default template ships a thumbnail of another document and a stale copy of its styles."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package_rels = word.part.package.rels
    for r_id in [r for r, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[r_id]
    part_rels = word.part.rels
    for r_id in [r for r, rel in part_rels.items() if rel.reltype.endswith("/stylesWithEffects")]:
        del part_rels[r_id]


def _setup_page(word: WordDocument, look: Look) -> None:
    from docx.shared import Cm, Inches

    section = word.sections[0]
    if look.page_size == "Letter":
        section.page_width, section.page_height = Inches(8.5), Inches(11)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    margin = Cm(look.margin_cm)
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = margin


def _set_properties(word: WordDocument, document: Document) -> None:
    """Title, author and keywords are what file browsers and ATS imports show; times are fixed."""
    person = document.person
    props = word.core_properties
    props.title = _fit(f"{person.name} — {person.headline}" if person.headline else person.name)
    props.author = _fit(person.name)
    props.subject = _fit(person.headline or "")
    props.keywords = _fit_keywords(document.keywords)
    props.comments = props.category = props.content_status = props.identifier = props.version = ""
    props.last_modified_by = "cvforge"
    props.revision = 1
    props.created = props.modified = props.last_printed = stable_time()


def stable_time() -> datetime:
    """SOURCE_DATE_EPOCH when set to a whole number of seconds, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return STABLE_TIME


def _fit(text: str) -> str:
    """Core properties hold at most 255 characters (python-docx enforces it)."""
    return clean(text)[:PROPERTY_LIMIT]


def _fit_keywords(keywords: Iterable[str]) -> str:
    """As many whole keywords as fit the 255-character property, in their order."""
    kept: list[str] = []
    for keyword in keywords:
        if len(", ".join([*kept, clean(keyword)])) > PROPERTY_LIMIT:
            break
        kept.append(clean(keyword))
    return ", ".join(kept)


def _stable_zip(data: bytes) -> bytes:
    """Re-pack python-docx's zip with fixed entry dates and attributes, keeping its entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# --- styles ---------------------------------------------------------------------------------------


def _setup_styles(word: WordDocument, look: Look) -> None:
    """Restyle the built-in styles from the theme and add the few named ones the content needs."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    styles = word.styles
    _set_doc_defaults(word, look)

    normal = cast("ParagraphStyle", styles["Normal"])
    _font(normal, look.body_font, look.body_size, look.text_color)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1

    title = cast("ParagraphStyle", styles["Title"])
    _font(title, look.body_font, look.name_size, look.name_color or look.text_color, bold=True)
    _remove(title.element.pPr, "w:pBdr", "w:contextualSpacing")
    _remove(title.element.rPr, "w:spacing")
    title.paragraph_format.space_after = Pt(2)
    title.paragraph_format.line_spacing = 1.0

    heading1 = cast("ParagraphStyle", styles["Heading 1"])
    _font(heading1, look.body_font, look.heading_size, look.heading_color or look.accent, bold=True)
    heading1.font.all_caps = look.heading_caps
    if look.heading_caps:
        _letter_spacing(heading1, 0.6)
    heading1.paragraph_format.space_before = Pt(11)
    heading1.paragraph_format.space_after = Pt(4)
    if look.heading_rule > 0:
        _border(heading1.element.get_or_add_pPr(), "bottom", look.rule_color, eighths=round(look.heading_rule), space=1)

    heading2 = cast("ParagraphStyle", styles["Heading 2"])
    _font(heading2, look.body_font, look.subheading_size, look.text_color, bold=True)
    heading2.paragraph_format.space_before = Pt(7)
    heading2.paragraph_format.space_after = Pt(1)

    heading3 = cast("ParagraphStyle", styles["Heading 3"])
    _font(heading3, look.body_font, look.body_size, look.text_color, bold=True)
    heading3.paragraph_format.space_before = Pt(5)
    heading3.paragraph_format.space_after = Pt(1)

    for name in ("List Bullet", "List Number"):
        listed = cast("ParagraphStyle", styles[name])
        _remove(listed.element.pPr, "w:contextualSpacing")
        listed.paragraph_format.space_after = Pt(1.5)

    headline = cast("ParagraphStyle", _add_style(word, "Headline", WD_STYLE_TYPE.PARAGRAPH))
    headline.base_style = normal
    _font(headline, None, look.subheading_size + 1, look.name_color if look.name_band else look.accent, bold=True)
    headline.paragraph_format.space_after = Pt(2)

    meta = cast("ParagraphStyle", _add_style(word, "Entry Meta", WD_STYLE_TYPE.PARAGRAPH))
    meta.base_style = normal
    _font(meta, None, look.body_size - 0.5, look.muted_color)
    meta.paragraph_format.space_after = Pt(2)
    meta.paragraph_format.keep_with_next = True

    intro = cast("ParagraphStyle", _add_style(word, "Section Intro", WD_STYLE_TYPE.PARAGRAPH))
    intro.base_style = normal
    _font(intro, None, None, look.muted_color)
    intro.font.italic = True
    intro.paragraph_format.keep_with_next = True

    subtitle = cast("ParagraphStyle", _add_style(word, "Section Subtitle", WD_STYLE_TYPE.PARAGRAPH))
    subtitle.base_style = normal
    _font(subtitle, None, look.heading_size + 0.5, look.accent)
    subtitle.paragraph_format.space_after = Pt(2)
    subtitle.paragraph_format.keep_with_next = True

    diagram = cast("ParagraphStyle", _add_style(word, "Diagram", WD_STYLE_TYPE.PARAGRAPH))
    diagram.base_style = normal
    _font(diagram, look.mono_font, 8, look.text_color)
    fmt = diagram.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(10)
    fmt.space_before, fmt.space_after = Pt(3), Pt(5)
    fmt.keep_together = True
    p_pr = diagram.element.get_or_add_pPr()
    for side in ("top", "left", "bottom", "right"):
        _border(p_pr, side, RULE_COLOR, eighths=4, space=4)
    _shade(p_pr, TINT_COLOR)
    fmt.left_indent = fmt.right_indent = Pt(5)

    _char_style(word, "Hyperlink", color=look.accent, underline=True, builtin=True)
    _char_style(word, "Muted", color=look.muted_color)
    _char_style(word, "Label", bold=True)
    _char_style(word, "Accent Label", bold=True, color=look.accent)
    _char_style(word, "Tag", color=look.text_color)
    _char_style(word, "Code", font=look.mono_font, size=look.body_size - 1)
    _char_style(word, "Metric Figure", bold=True, color=look.accent, size=look.metric_size)
    _char_style(word, "Outcome", bold=True, color=OUTCOME_COLOR)
    _check_style_ids(word)


def _add_style(word: WordDocument, name: str, kind: WD_STYLE_TYPE, *, builtin: bool = False) -> BaseStyle:
    """styles.add_style without its by-name duplicate scan (ours are new; _check_style_ids verifies)."""
    from docx.styles.style import StyleFactory

    return StyleFactory(word.styles.element.add_style_of_type(name, kind, builtin))


def _check_style_ids(word: WordDocument) -> None:
    """Every name we use maps to the id `style_id` gives it; one pass over the style elements."""
    from docx.styles import BabelFish

    names = {element.styleId: element.name_val for element in word.styles.element.style_lst}
    for name in USED_STYLES:
        if names.get(style_id(name)) != BabelFish.ui2internal(name):
            raise RenderError(f"DOCX: no style '{name}' with id '{style_id(name)}' in the template")


def _set_doc_defaults(word: WordDocument, look: Look) -> None:
    """Replace the template's theme fonts (Cambria/Calibri by theme) with the theme's body font."""
    for r_fonts in word.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"):
        _fonts_on(r_fonts, look.body_font)


def _fonts_on(r_fonts: Any, name: str) -> None:
    """One font for every script slot; theme attributes would override it, so they go."""
    from docx.oxml.ns import qn

    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        r_fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        r_fonts.set(qn(f"w:{attr}"), name)


def _font(
    style: ParagraphStyle | CharacterStyle,
    name: str | None,
    size: float | None,
    color: str | None,
    *,
    bold: bool | None = None,
) -> None:
    from docx.shared import Pt, RGBColor

    if name is not None:
        _fonts_on(style.element.get_or_add_rPr().get_or_add_rFonts(), name)
    if size is not None:
        style.font.size = Pt(size)
        _cs_size(style, size)
    if color is not None:
        style.font.color.rgb = RGBColor.from_string(color)
    if bold is not None:
        style.font.bold = bold


def _cs_size(style: ParagraphStyle | CharacterStyle, size: float) -> None:
    """Complex-script text (Arabic, Hebrew…) takes its size from w:szCs; keep it with w:sz."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = style.element.get_or_add_rPr()
    _remove(r_pr, "w:szCs")
    cs_size = OxmlElement("w:szCs")
    cs_size.set(qn("w:val"), str(round(size * 2)))
    r_pr.append(cs_size)
    _reorder_rpr(r_pr)


def _char_style(
    word: WordDocument,
    name: str,
    *,
    font: str | None = None,
    size: float | None = None,
    color: str | None = None,
    bold: bool | None = None,
    underline: bool = False,
    builtin: bool = False,
) -> None:
    """`builtin` for names Word already knows (Hyperlink), so Word treats it as its own style."""
    from docx.enum.style import WD_STYLE_TYPE

    style = cast("CharacterStyle", _add_style(word, name, WD_STYLE_TYPE.CHARACTER, builtin=builtin))
    style.base_style = word.styles["Default Paragraph Font"]
    _font(style, font, size, color, bold=bold)
    if underline:
        style.font.underline = True


def _remove(parent: Any, *tags: str) -> None:
    from docx.oxml.ns import qn

    if parent is None:
        return
    for tag in tags:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


def _letter_spacing(style: ParagraphStyle, points: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = style.element.get_or_add_rPr()
    _remove(r_pr, "w:spacing")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(points * 20)))
    r_pr.append(spacing)
    _reorder_rpr(r_pr)


def _reorder_rpr(r_pr: Any) -> None:
    """Put w:rPr children back in schema order after appending one."""
    from docx.oxml.ns import qn

    rank = {qn(f"w:{tag}"): index for index, tag in enumerate(_RPR_ORDER)}
    children = sorted(r_pr, key=lambda child: rank.get(child.tag, len(_RPR_ORDER)))
    for child in children:
        r_pr.remove(child)
        r_pr.append(child)


def _border(p_pr: Any, side: str, color: str, *, eighths: int, space: int) -> None:
    """A paragraph rule (w:pBdr), the one way to draw a line without shapes or tables."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _insert_ppr_child(p_pr, borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _shade(p_pr: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _insert_ppr_child(p_pr, shading)


def _insert_ppr_child(p_pr: Any, child: Any) -> None:
    """Insert a w:pPr child at its schema position (python-docx has no setter for pBdr or shd)."""
    from docx.oxml.ns import qn

    rank = {qn(f"w:{tag}"): index for index, tag in enumerate(_PPR_ORDER)}
    mine = rank.get(child.tag, len(_PPR_ORDER))
    for index, existing in enumerate(p_pr):
        if rank.get(existing.tag, len(_PPR_ORDER)) > mine:
            p_pr.insert(index, child)
            return
    p_pr.append(child)


# --- paragraphs, runs and links -------------------------------------------------------------------


def add_hyperlink(
    paragraph: Paragraph, text: str, url: str, *, bold: bool = False, italic: bool = False, code: bool = False
) -> Run:
    """A real w:hyperlink with an external relationship, so Word and parsers see a clickable link."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.run import Run

    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    r = OxmlElement("w:r")
    link.append(r)
    paragraph._p.append(link)
    run = Run(cast("CT_R", r), paragraph)
    run.text = clean(text)
    _run_style(run, "Hyperlink")
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if code:
        styles = cast("DocumentPart", paragraph.part).styles.element
        for font in styles.xpath(f'w:style[@w:styleId="{style_id("Code")}"]/w:rPr/w:rFonts/@w:ascii'):
            run.font.name = str(font)
    return run


def _run_style(run: Run, style: str | None) -> Run:
    if style is not None:
        run._r.style = style_id(style)
    return run


def _add_text(paragraph: Paragraph, text: str, style: str | None = None) -> Run:
    return _run_style(paragraph.add_run(clean(text)), style)


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
    """Name as Title, then headline, tagline, contacts and availability as body text, never a header."""
    from docx.shared import Pt

    last = _heading_title(word, person.name)
    band = [last]
    if person.headline:
        last = _new_paragraph(word, "Headline")
        _add_text(last, person.headline)
        band.append(last)
    if look.name_band:
        _paint_band(band, look.name_band)
    if person.tagline:
        last = _paragraph(word, person.tagline)
    if person.contacts:
        last = _new_paragraph(word)
        for index, contact in enumerate(person.contacts):
            if index:
                _add_text(last, SEPARATOR, "Muted")
            if contact.href:
                add_hyperlink(last, contact.text, contact.href)
            else:
                _add_text(last, contact.text, "Muted")
    if person.availability:
        last = _new_paragraph(word)
        _add_text(last, person.availability, "Label")
    if last is band[-1] and look.name_band:
        return
    p_pr = last._p.get_or_add_pPr()
    _border(p_pr, "bottom", look.accent, eighths=12, space=4)
    last.paragraph_format.space_after = Pt(4)


def _paint_band(paragraphs: list[Paragraph], fill: str) -> None:
    """Shade name and headline as one band; same-colour borders pad it (Word joins equal borders)."""
    from docx.shared import Pt

    for paragraph in paragraphs:
        p_pr = paragraph._p.get_or_add_pPr()
        for side in ("top", "left", "bottom", "right"):
            _border(p_pr, side, fill, eighths=4, space=6)
        _shade(p_pr, fill)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(6)
    paragraphs[-1].paragraph_format.space_after = Pt(10)


def _heading_title(word: WordDocument, name: str) -> Paragraph:
    paragraph = _new_paragraph(word, "Title")
    _add_text(paragraph, name)
    return paragraph


def _write_section(word: WordDocument, section: Section) -> None:
    """A heading parsers recognise (see `headings`), the person's own title under it when it differs."""
    writer = SECTION_WRITERS.get(section.kind)
    if writer is None:
        raise RenderError(f"DOCX: no writer for section kind '{section.kind}' (section '{section.key}')")
    heading, own_title = parser_heading(section.key, section.title)
    _heading(word, heading, 1)
    if own_title:
        _add_text(_new_paragraph(word, "Section Subtitle"), own_title)
    if section.intro:
        _paragraph(word, section.intro, "Section Intro")
    writer(word, section)


def _write_paragraphs(word: WordDocument, section: Section) -> None:
    for paragraph in cast("tuple[Inline, ...]", section.items):
        _paragraph(word, paragraph)


def _write_numbered(word: WordDocument, section: Section) -> None:
    _bullets(word, cast("tuple[Inline, ...]", section.items), "List Number")


def _write_metrics(word: WordDocument, section: Section) -> None:
    """One paragraph per metric, figure | label · context, the figures in a column of their own."""
    from docx.shared import Pt

    metrics = cast("tuple[MetricView, ...]", section.items)
    size = word.styles["Metric Figure"].font.size
    figure_size = size.pt if size is not None else 14.0
    # Widest figure decides the column, estimated from character count (no font metrics here).
    widest = max(len(_figure_text(m)) for m in metrics)
    column = Pt(min(max(widest * figure_size * 0.55 + 8, 56), 170))
    with _block(word):
        for metric in metrics:
            _write_metric(word, metric, column)


def _write_metric(word: WordDocument, metric: MetricView, column: Length) -> None:
    """Figure, tab to the label column, label, then the context in muted text."""
    paragraph = _new_paragraph(word)
    fmt = paragraph.paragraph_format
    fmt.left_indent = column
    fmt.first_line_indent = -column
    fmt.tab_stops.add_tab_stop(column)
    fmt.keep_together = True
    _add_text(paragraph, _figure_text(metric), "Metric Figure")
    _add_text(paragraph, "\t")
    _add_text(paragraph, metric.label)
    if metric.context:
        _add_text(paragraph, SEPARATOR + metric.context, "Muted")


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
        _add_organisation(_new_paragraph(word, "Heading 2"), group)
        if single:
            role = group.roles[0]
            _meta(word, role.team, role.location, group.dates)
        else:
            _meta(word, group.dates)
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
        _meta(word, role.team, role.location, role.dates)
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
    _heading(word, project.name, 2)
    _meta(word, project.kind, project.role, project.organisation, project.year)
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
        _heading(word, entry.title, 2)
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
