"""The masthead and the metrics: the two parts whose look (a band, a column of figures) Word
can only say with paragraph shading, borders and tab stops."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cvforge.document.sections import MetricView
from cvforge.document.view import PersonView
from cvforge.renderers.docx.ooxml import add_border, add_hyperlink, add_shading
from cvforge.renderers.docx.paragraphs import SEPARATOR, add_paragraph, add_text, keep_block, new_paragraph
from cvforge.renderers.docx.styles import Look

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.shared import Length
    from docx.text.paragraph import Paragraph


def write_person(word: WordDocument, person: PersonView, look: Look) -> None:
    """Name as Title, then headline, tagline, contacts and availability as body text, never a header.

    With a band (modern) name, headline and tagline sit on the accent fill and the contacts on a
    soft one, both reaching the paper's edges as the PDF's band does; otherwise a rule closes it.
    """
    from docx.shared import Pt, RGBColor

    band = [heading_title(word, person.name)]
    if person.headline:
        band.append(new_paragraph(word, "Headline"))
        add_text(band[-1], person.headline)
    if person.tagline:
        band.append(add_paragraph(word, person.tagline))
        if look.name_band:
            for run in band[-1].runs:
                run.font.color.rgb = RGBColor.from_string(look.name_color or "FFFFFF")
    foot: list[Paragraph] = []
    if person.contacts:
        foot.append(new_paragraph(word))
        for index, contact in enumerate(person.contacts):
            if index:
                add_text(foot[-1], SEPARATOR, "Muted")
            if contact.href:
                add_hyperlink(foot[-1], contact.text, contact.href)
            else:
                add_text(foot[-1], contact.text, "Muted")
    if person.availability:
        foot.append(new_paragraph(word))
        add_text(foot[-1], person.availability, "Label")
    if look.masthead_align == "center":
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        for paragraph in band + foot:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if look.name_band:
        paint_band(band, look.name_band, look)
        if foot and look.band_foot:
            paint_band(foot, look.band_foot, look)
            return
    last = (band + foot)[-1]
    last.paragraph_format.keep_with_next = False
    if look.name_band and not foot:
        return
    add_border(last._p.get_or_add_pPr(), "bottom", look.accent, eighths=12, space=4)
    last.paragraph_format.space_after = Pt(4)


def paint_band(paragraphs: list[Paragraph], fill: str, look: Look) -> None:
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


def heading_title(word: WordDocument, name: str) -> Paragraph:
    paragraph = new_paragraph(word, "Title")
    add_text(paragraph, name)
    return paragraph


def write_metrics(word: WordDocument, metrics: tuple[MetricView, ...]) -> None:
    """Figure | label, in two columns: the labels start at one fixed tab stop past the widest figure,
    and wrap there (a hanging indent), so nothing slides under the figures in Word or LibreOffice."""
    from docx.shared import Pt

    size = word.styles["Metric Figure"].font.size
    figure_size = size.pt if size is not None else 14.0
    widest = max(figure_width(figure_text(m), figure_size) for m in metrics)
    column = Pt(round(min(max(widest + 12, 60), 200)))
    with keep_block(word):
        for metric in metrics:
            write_metric(word, metric, column)


def write_metric(word: WordDocument, metric: MetricView, column: Length) -> None:
    """Figure, tab to the label column, label, then the context under the label in muted text."""
    paragraph = new_paragraph(word, "Metric")
    fmt = paragraph.paragraph_format
    fmt.left_indent = column
    fmt.first_line_indent = -column
    fmt.tab_stops.add_tab_stop(column)
    add_text(paragraph, figure_text(metric), "Metric Figure")
    add_text(paragraph, "\t")
    add_text(paragraph, metric.label)
    if metric.context:
        add_text(paragraph, "", "Muted").add_break()
        add_text(paragraph, metric.context, "Muted")


# Advance widths of Arial Bold (and Liberation Sans Bold, metric-compatible) in ems, by kind of
# character: enough to place the label column past the widest figure without font files at hand.
_WIDTHS = {"digit": 0.556, "space": 0.278, "upper": 0.722, "lower": 0.611, "wide": 1.0, "other": 0.584}


def figure_width(text: str, size: float) -> float:
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


def figure_text(metric: MetricView) -> str:
    return f"{metric.figure} {metric.unit}" if metric.unit else metric.figure
