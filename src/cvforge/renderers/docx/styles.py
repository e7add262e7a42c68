"""The theme's look in Word: its `[docx]` style map checked once into a Look, the page set up from
it, and the built-in and named paragraph and character styles restyled to match the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, cast

from cvforge.errors import RenderError, ThemeError
from cvforge.renderers.docx.ooxml import add_border, add_shading, remove_children, reorder_rpr
from cvforge.renderers.docx.template import style_id
from cvforge.renderers.themes import Theme

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Length
    from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle


USED_STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "Headline",
    "Entry Meta",
    "Section Intro",
    "Section Subtitle",
    "Diagram",
    "Metric",
    "Hyperlink",
    "Muted",
    "Label",
    "Accent Label",
    "Tag",
    "Dates",
    "Code",
    "Metric Figure",
    "Outcome",
)
RULE_COLOR = "D0D7DE"
TINT_COLOR = "F4F6F8"
OUTCOME_COLOR = "1A7F37"
HEX = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
RULE_SIDES = ("bottom", "left", "top", "none")
ALIGNMENTS = ("left", "center")
CHOICES = {"heading_rule_side": RULE_SIDES, "masthead_align": ALIGNMENTS, "subtitles": ("all", "skills", "none")}
# Where a list item's text starts and how far its marker hangs left of it (twips): the PDF's
# `padding-inline-start: 1.15em`, a round bullet a little in from the margin, not Word's Symbol
# glyph flush at the margin; numbers ("10.") need a wider hang.
# twips (left, hanging); a sub-point (List Bullet 2) sits one bullet indent further in
LIST_INDENTS = {"List Bullet": (290, 190), "List Bullet 2": (580, 190), "List Number": (360, 300)}
BULLET = "\u2022"
SUB_BULLET = "\u25e6"  # the hollow circle the PDF draws for sub-points


@dataclass(frozen=True)
class Look:
    """The theme's `[docx]` style map and options, checked once: sizes in points, colours as RRGGBB."""

    # Arial and Courier New: on every Windows and macOS, and metric-compatible with Liberation Sans
    # and Liberation Mono, which LibreOffice uses in their place, so pages break alike everywhere.
    body_font: str = "Arial"
    mono_font: str = "Courier New"
    body_size: float = 10
    line_spacing: float = 1.1
    gap: float = 1.0  # every space between paragraphs, scaled: the PDF's --gap (compact's is tighter)
    name_size: float = 22
    heading_size: float = 11
    subheading_size: float = 10.5
    metric_size: float = 14
    text_color: str = "1F2328"
    muted_color: str = "59636E"
    margin_cm: float = 1.8
    heading_caps: bool = True
    heading_rule: float = 6  # eighths of a point, the section heading's rule; 0 for none
    heading_rule_side: str = "bottom"  # where that rule sits: bottom, left (a bar), top or none
    rule_color: str = RULE_COLOR
    heading_color: str = ""  # empty: the accent
    name_color: str = ""  # empty: the text colour
    name_band: str = ""  # a fill behind name and headline (a shaded paragraph, not a shape); empty: none
    band_foot: str = ""  # a fill behind the contacts line under the band; empty: none
    masthead_align: str = "left"  # name, headline and contacts: left or center (compact's centred head)
    # Paper's choices the PDF makes too, so Word runs as long: which sections keep the person's own
    # title under the heading parsers know (all, skills, none), and whether About follows a Summary.
    subtitles: str = "all"
    about_with_summary: bool = True
    accent: str = "1D4F91"
    page_size: str = "A4"

    @classmethod
    def from_theme(cls, theme: Theme) -> Look:
        """Missing keys keep classic's values; a wrong value is the theme's fault, so a ThemeError."""
        style_map: Mapping[str, Any] = theme.docx
        known = {spec.name for spec in fields(cls)} - {"accent", "page_size"}
        # `reference` names the theme's reference .docx; it is read in template.py, not here.
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
                elif key.endswith(("_color", "_band", "_foot")):
                    values[key] = hex_color(str(raw)) if raw else ""
                elif raw not in CHOICES.get(key, (raw,)):
                    raise ValueError(raw)
                else:
                    values[key] = str(raw)
            except ValueError:
                raise ThemeError(f"theme '{theme.name}': [docx] {key}: invalid value '{raw}'") from None
        try:
            values["accent"] = hex_color(str(theme.options.get("accent", "#" + cls.accent)))
        except ValueError:
            raise ThemeError(f"theme '{theme.name}': option accent is not a colour") from None
        values["page_size"] = str(theme.options.get("page_size", "A4"))
        return cls(**values)


# How the Word file follows the PDF's density (chosen by a profile, a target or a page fit, or
# tightened to save a sparse last page, see `pdf.save_last_page`): the proportions of classic's own
# steps (9.3 → 8.5 pt type, half the gaps, leading 1.38 → 1.3), so Word's page count follows the PDF's.
# A theme's `[docx]` map is its look at the normal density.
DENSITY_SCALES = {"compact": (0.92, 0.55, 0.95), "airy": (1.07, 1.3, 1.05)}


def at_density(look: Look, density: str | None) -> Look:
    """The look at `density`; the normal one (or None) leaves it as it is."""
    if density not in DENSITY_SCALES:
        return look
    size, gap, leading = DENSITY_SCALES[density]
    return replace(
        look,
        body_size=round(look.body_size * size, 2),
        subheading_size=round(look.subheading_size * size, 2),
        heading_size=round(look.heading_size * size, 2),
        gap=look.gap * gap,
        line_spacing=round(look.line_spacing * leading, 3),
    )


def hex_color(value: str) -> str:
    """'#1d4f91', '1d4f91' or '#15a' → '1D4F91', the form Word's w:color wants."""
    if not HEX.match(value):
        raise ValueError(value)
    digits = value.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return digits.upper()


def page_size(look: Look) -> tuple[Length, Length]:
    from docx.shared import Cm, Inches

    if look.page_size == "Letter":
        return Inches(8.5), Inches(11)
    return Cm(21), Cm(29.7)


def text_width(look: Look) -> Length:
    """The width between the margins: where right-aligned tab stops (dates) sit."""
    from docx.shared import Cm, Emu

    return Emu(page_size(look)[0] - 2 * Cm(look.margin_cm))


def setup_page(word: WordDocument, look: Look) -> None:
    from docx.shared import Cm

    section = word.sections[0]
    section.page_width, section.page_height = page_size(look)
    margin = Cm(look.margin_cm)
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = margin


# --- styles ---------------------------------------------------------------------------------------


def setup_styles(word: WordDocument, look: Look) -> None:
    """Restyle the built-in styles from the theme and add the few named ones the content needs.

    Flow follows the PDF's break rules: headings and entry heads keep with what follows, no
    paragraph leaves a single line behind (widow/orphan control), and title lines carry a right tab
    stop at the text width where the dates sit, as the PDF sets them flush right.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    styles = word.styles
    set_doc_defaults(word, look)
    size = look.body_size
    gap = look.gap

    normal = cast("ParagraphStyle", styles["Normal"])
    set_font(normal, look.body_font, size, look.text_color)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(size * 0.3 * gap)
    normal.paragraph_format.line_spacing = look.line_spacing
    normal.paragraph_format.widow_control = True

    title = cast("ParagraphStyle", styles["Title"])
    set_font(title, look.body_font, look.name_size, look.name_color or look.text_color, bold=True)
    remove_children(title.element.pPr, "w:pBdr", "w:contextualSpacing")
    remove_children(title.element.rPr, "w:spacing")
    title.paragraph_format.space_after = Pt(2)
    title.paragraph_format.line_spacing = 1.0
    _keep(title)

    heading1 = cast("ParagraphStyle", styles["Heading 1"])
    set_font(heading1, look.body_font, look.heading_size, look.heading_color or look.accent, bold=True)
    heading1.font.all_caps = look.heading_caps
    letter_spacing(heading1, 0.6 if look.heading_caps else 0)
    heading1.paragraph_format.space_before = Pt(size * 1.05 * gap)
    heading1.paragraph_format.space_after = Pt(size * 0.45 * gap)
    heading1.paragraph_format.line_spacing = 1.0
    _keep(heading1)
    if look.heading_rule > 0 and look.heading_rule_side != "none":
        p_pr = heading1.element.get_or_add_pPr()
        bar = look.heading_rule_side == "left"
        eighths = round(look.heading_rule)
        add_border(p_pr, look.heading_rule_side, look.rule_color, eighths=eighths, space=5 if bar else 2)
        if bar:  # the bar sits in the margin's edge, the text just right of it, as the PDF's h2
            heading1.paragraph_format.left_indent = Pt(look.heading_rule / 8 + 5)

    tabs = text_width(look)
    for name, heading_size, before in (("Heading 2", look.subheading_size, 0.6), ("Heading 3", size, 0.45)):
        heading = cast("ParagraphStyle", styles[name])
        set_font(heading, look.body_font, heading_size, look.text_color, bold=True)
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(size * before * gap)
        heading.paragraph_format.space_after = Pt(1)
        heading.paragraph_format.line_spacing = look.line_spacing
        heading.paragraph_format.tab_stops.add_tab_stop(tabs, WD_TAB_ALIGNMENT.RIGHT)
        _keep(heading)

    for name in ("List Bullet", "List Bullet 2", "List Number"):
        listed = cast("ParagraphStyle", styles[name])
        remove_children(listed.element.pPr, "w:contextualSpacing")
        listed.paragraph_format.space_after = Pt(size * 0.15 * gap)
        listed.paragraph_format.keep_together = True

    headline = cast("ParagraphStyle", add_style(word, "Headline", WD_STYLE_TYPE.PARAGRAPH))
    headline.base_style = normal
    set_font(headline, None, look.subheading_size + 1, look.name_color if look.name_band else look.accent, bold=True)
    headline.paragraph_format.space_after = Pt(2)
    _keep(headline)

    meta = cast("ParagraphStyle", add_style(word, "Entry Meta", WD_STYLE_TYPE.PARAGRAPH))
    meta.base_style = normal
    set_font(meta, None, size - 0.5, look.muted_color)
    meta.paragraph_format.space_after = Pt(2 * gap)
    _keep(meta)

    intro = cast("ParagraphStyle", add_style(word, "Section Intro", WD_STYLE_TYPE.PARAGRAPH))
    intro.base_style = normal
    set_font(intro, None, None, look.muted_color)
    intro.font.italic = True
    _keep(intro)

    # The person's own name for a section, under the standard heading parsers file it by: small
    # and muted, so it reads as the heading's second line and never as a heading of its own.
    subtitle = cast("ParagraphStyle", add_style(word, "Section Subtitle", WD_STYLE_TYPE.PARAGRAPH))
    subtitle.base_style = normal
    set_font(subtitle, None, size - 0.5, look.muted_color)
    subtitle.paragraph_format.space_before = Pt(0)
    subtitle.paragraph_format.space_after = Pt(size * 0.3 * gap)
    _keep(subtitle)

    metric = cast("ParagraphStyle", add_style(word, "Metric", WD_STYLE_TYPE.PARAGRAPH))
    metric.base_style = normal
    metric.paragraph_format.space_after = Pt(size * 0.35 * gap)
    metric.paragraph_format.keep_together = True
    metric_pr = metric.element.get_or_add_pPr()
    add_border(metric_pr, "left", look.accent, eighths=18, space=6)
    add_shading(metric_pr, TINT_COLOR)

    diagram = cast("ParagraphStyle", add_style(word, "Diagram", WD_STYLE_TYPE.PARAGRAPH))
    diagram.base_style = normal
    set_font(diagram, look.mono_font, 7.5, look.text_color)
    fmt = diagram.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(9)
    fmt.space_before, fmt.space_after = Pt(3 * gap), Pt(5 * gap)
    fmt.keep_together = True
    p_pr = diagram.element.get_or_add_pPr()
    for side in ("top", "left", "bottom", "right"):
        add_border(p_pr, side, RULE_COLOR, eighths=4, space=4)
    add_shading(p_pr, TINT_COLOR)
    fmt.left_indent = fmt.right_indent = Pt(5)

    char_style(word, "Hyperlink", color=look.accent, underline=True, builtin=True)
    char_style(word, "Muted", color=look.muted_color)
    char_style(word, "Label", bold=True)
    char_style(word, "Accent Label", bold=True, color=look.accent)
    char_style(word, "Tag", color=look.text_color)
    char_style(word, "Dates", color=look.muted_color, size=size - 0.5, bold=False)
    char_style(word, "Code", font=look.mono_font, size=size - 1)
    char_style(word, "Metric Figure", bold=True, color=look.accent, size=look.metric_size)
    char_style(word, "Outcome", bold=True, color=OUTCOME_COLOR)
    check_style_ids(word)


def restyle_list_level(word: WordDocument, style: ParagraphStyle, look: Look) -> None:
    """The list's marker as the PDF draws it: a round bullet in the body font (the default
    template's is Symbol's private-use glyph, which other fonts draw as a box) in the accent colour,
    and the indents of LIST_INDENTS. Edits the list definition the style's numbering points to."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import nsmap, qn

    left, hanging = LIST_INDENTS[style.name or ""]
    num_ids = style.element.xpath("w:pPr/w:numPr/w:numId/@w:val")
    numbering = word.part.numbering_part.element
    if not num_ids:
        return
    abstract_ids = numbering.xpath(f'w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId/@w:val')
    levels = (
        []
        if not abstract_ids
        else numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_ids[0]}"]/w:lvl[@w:ilvl="0"]')
    )
    if not levels:
        return
    level = levels[0]
    if style.name in ("List Bullet", "List Bullet 2"):
        level.find(qn("w:lvlText")).set(qn("w:val"), BULLET if style.name == "List Bullet" else SUB_BULLET)
    for tab in level.xpath("w:pPr/w:tabs/w:tab", namespaces=nsmap):
        tab.set(qn("w:pos"), str(left))
    for ind in level.xpath("w:pPr/w:ind", namespaces=nsmap):
        ind.set(qn("w:left"), str(left))
        ind.set(qn("w:hanging"), str(hanging))
    remove_children(level, "w:rPr")
    r_pr = OxmlElement("w:rPr")
    r_fonts = OxmlElement("w:rFonts")
    fonts_on(r_fonts, look.body_font)
    r_pr.append(r_fonts)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), look.heading_color or look.accent)
    r_pr.append(color)
    level.append(r_pr)


def _keep(style: ParagraphStyle) -> None:
    """A heading or an entry's head: never alone at a page's foot, never split over two pages."""
    style.paragraph_format.keep_with_next = True
    style.paragraph_format.keep_together = True


def add_style(word: WordDocument, name: str, kind: WD_STYLE_TYPE, *, builtin: bool = False) -> BaseStyle:
    """styles.add_style without its by-name duplicate scan (ours are new; check_style_ids verifies)."""
    from docx.styles.style import StyleFactory

    return StyleFactory(word.styles.element.add_style_of_type(name, kind, builtin))


def check_style_ids(word: WordDocument) -> None:
    """Every name we use maps to the id `style_id` gives it; one pass over the style elements."""
    from docx.styles import BabelFish

    names = {element.styleId: element.name_val for element in word.styles.element.style_lst}
    for name in USED_STYLES:
        if names.get(style_id(name)) != BabelFish.ui2internal(name):
            raise RenderError(f"DOCX: no style '{name}' with id '{style_id(name)}' in the template")


def set_doc_defaults(word: WordDocument, look: Look) -> None:
    """Replace the template's theme fonts (Cambria/Calibri by theme) with the theme's body font."""
    for r_fonts in word.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"):
        fonts_on(r_fonts, look.body_font)


def fonts_on(r_fonts: Any, name: str) -> None:
    """One font for every script slot; theme attributes would override it, so they go."""
    from docx.oxml.ns import qn

    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        r_fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        r_fonts.set(qn(f"w:{attr}"), name)


def set_font(
    style: ParagraphStyle | CharacterStyle,
    name: str | None,
    size: float | None,
    color: str | None,
    *,
    bold: bool | None = None,
) -> None:
    from docx.shared import Pt, RGBColor

    if name is not None:
        fonts_on(style.element.get_or_add_rPr().get_or_add_rFonts(), name)
    if size is not None:
        style.font.size = Pt(size)
        cs_size(style, size)
    if color is not None:
        style.font.color.rgb = RGBColor.from_string(color)
    if bold is not None:
        style.font.bold = bold


def cs_size(style: ParagraphStyle | CharacterStyle, size: float) -> None:
    """Complex-script text (Arabic, Hebrew…) takes its size from w:szCs; keep it with w:sz."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = style.element.get_or_add_rPr()
    remove_children(r_pr, "w:szCs")
    cs_size = OxmlElement("w:szCs")
    cs_size.set(qn("w:val"), str(round(size * 2)))
    r_pr.append(cs_size)
    reorder_rpr(r_pr)


def char_style(
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

    style = cast("CharacterStyle", add_style(word, name, WD_STYLE_TYPE.CHARACTER, builtin=builtin))
    style.base_style = word.styles["Default Paragraph Font"]
    set_font(style, font, size, color, bold=bold)
    if underline:
        style.font.underline = True


def letter_spacing(style: ParagraphStyle, points: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = style.element.get_or_add_rPr()
    remove_children(r_pr, "w:spacing")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(points * 20)))
    r_pr.append(spacing)
    reorder_rpr(r_pr)
