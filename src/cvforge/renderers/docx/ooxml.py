"""Word plumbing python-docx leaves to us: XML element order, borders and shading, hyperlinks,
fixed core properties and a zip with fixed dates, so two builds of one document are byte-identical.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from cvforge.document.letter import LetterDocument
from cvforge.document.view import (
    Document,
)
from cvforge.errors import RenderError
from cvforge.renderers.docx.template import style_id

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.text.run import CT_R
    from docx.parts.document import DocumentPart
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run


# Two builds of one profile must be identical: timestamps are fixed, or SOURCE_DATE_EPOCH when set
# (the reproducible-builds convention WeasyPrint follows for the PDF too).
STABLE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PROPERTY_LIMIT = 255
# Characters XML 1.0 cannot hold; lxml refuses them, so they are the only text we ever drop.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Schema order of w:rPr and w:pPr children: Word refuses a file whose properties are out of order.
RPR_ORDER = (
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
PPR_ORDER = (
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


def clean(text: str) -> str:
    """Text exactly as written, minus the control characters XML (and so python-docx) cannot carry."""
    return XML_INVALID.sub("", text)


# --- package, page and properties -------------------------------------------------------------


def drop_template_extras(word: WordDocument) -> None:
    """The default template ships a thumbnail of another document and a stale copy of its styles."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package_rels = word.part.package.rels
    for r_id in [r for r, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[r_id]
    part_rels = word.part.rels
    for r_id in [r for r, rel in part_rels.items() if rel.reltype.endswith("/stylesWithEffects")]:
        del part_rels[r_id]


def set_properties(word: WordDocument, document: Document | LetterDocument) -> None:
    """Title, author and keywords are what file browsers and ATS imports show; times are fixed."""
    person = document.person
    props = word.core_properties
    props.title = fit_property(f"{person.name} — {person.headline}" if person.headline else person.name)
    props.author = fit_property(person.name)
    props.subject = fit_property(person.headline or "")
    props.keywords = fit_keywords(document.keywords)
    props.comments = props.category = props.content_status = props.identifier = props.version = ""
    props.last_modified_by = "cvforge"
    props.revision = 1
    props.created = props.modified = props.last_printed = stable_time()


def stable_time() -> datetime:
    """SOURCE_DATE_EPOCH when set to a whole number of seconds, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise RenderError(f"SOURCE_DATE_EPOCH={epoch[:30]} is past the year 9999") from None
    return STABLE_TIME


def fit_property(text: str) -> str:
    """Core properties hold at most 255 characters (python-docx enforces it)."""
    return clean(text)[:PROPERTY_LIMIT]


def fit_keywords(keywords: Iterable[str]) -> str:
    """As many whole keywords as fit the 255-character property, in their order."""
    kept: list[str] = []
    for keyword in keywords:
        if len(", ".join([*kept, clean(keyword)])) > PROPERTY_LIMIT:
            break
        kept.append(clean(keyword))
    return ", ".join(kept)


def stable_zip(data: bytes) -> bytes:
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


def remove_children(parent: Any, *tags: str) -> None:
    from docx.oxml.ns import qn

    if parent is None:
        return
    for tag in tags:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


def reorder_rpr(r_pr: Any) -> None:
    """Put w:rPr children back in schema order after appending one."""
    from docx.oxml.ns import qn

    rank = {qn(f"w:{tag}"): index for index, tag in enumerate(RPR_ORDER)}
    children = sorted(r_pr, key=lambda child: rank.get(child.tag, len(RPR_ORDER)))
    for child in children:
        r_pr.remove(child)
        r_pr.append(child)


def add_border(p_pr: Any, side: str, color: str, *, eighths: int, space: int) -> None:
    """A paragraph rule (w:pBdr), the one way to draw a line without shapes or tables."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        insert_ppr_child(p_pr, borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def add_shading(p_pr: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    insert_ppr_child(p_pr, shading)


def insert_ppr_child(p_pr: Any, child: Any) -> None:
    """Insert a w:pPr child at its schema position (python-docx has no setter for pBdr or shd)."""
    from docx.oxml.ns import qn

    rank = {qn(f"w:{tag}"): index for index, tag in enumerate(PPR_ORDER)}
    mine = rank.get(child.tag, len(PPR_ORDER))
    for index, existing in enumerate(p_pr):
        if rank.get(existing.tag, len(PPR_ORDER)) > mine:
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
    apply_run_style(run, "Hyperlink")
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if code:
        styles = cast("DocumentPart", paragraph.part).styles.element
        for font in styles.xpath(f'w:style[@w:styleId="{style_id("Code")}"]/w:rPr/w:rFonts/@w:ascii'):
            run.font.name = str(font)
    return run


def apply_run_style(run: Run, style: str | None) -> Run:
    if style is not None:
        run._r.style = style_id(style)
    return run
