"""The Word file a DOCX is built on: python-docx's default template, or the theme's reference document.

pandoc's reference-doc convention: a theme may ship `static/reference.docx` (or name another file
in its static folder with `[docx] reference = "…"`; `extends` inherits it). Make one by building a
DOCX with cvforge, restyling it in Word (Normal, Title, Heading 1-3, List Bullet, List Number,
Hyperlink, or cvforge's own styles such as Entry Meta, Metric Figure or Tag) and saving it into the
theme. The styles it defines then win over the theme's `[docx]` map; styles it lacks are made as
without it. Only styles and the shared parts behind them (theme fonts and colours, numbering,
settings, embedded fonts) are taken: its text, pictures, headers, footers and page layout are not,
so the output stays one column with everything in the body, where parsers read, and page size and
margins follow the theme's options like the PDF's.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cvforge.errors import ThemeError
from cvforge.renderers.themes import Theme

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

REFERENCE_NAME = "reference.docx"
# Built-in styles the renderer writes with or bases its own on. A reference lacking one gets
# python-docx's definition (lists with their numbering), which the theme's map then restyles.
BUILTIN_STYLES = (
    "Normal",
    "Default Paragraph Font",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Number",
)


@dataclass(frozen=True)
class Template:
    """The document to write into, and the reference's own style definitions to put back at the end."""

    word: WordDocument
    reference: Path | None = None
    saved: tuple[Any, ...] = ()


def style_id(name: str) -> str:
    """The w:styleId of one of our style names; references are aligned to it on opening.

    Setting ids directly skips python-docx's name lookup, which scans every style on each call.
    """
    return name.replace(" ", "")


def find_reference(theme: Theme) -> Path | None:
    """The theme's reference document, if it ships one; a named file that is not there is an error."""
    configured = theme.docx.get("reference")
    path = theme.find_static(str(configured) if configured else REFERENCE_NAME)
    if configured and path is None:
        raise ThemeError(f"theme '{theme.name}': [docx] reference: no file '{configured}' in the theme's static folder")
    return path


def open_template(theme: Theme, names: Iterable[str]) -> Template:
    """Open what the document is built on; `names` are the styles the renderer may restyle."""
    import docx

    reference = find_reference(theme)
    if reference is None:
        return Template(docx.Document())
    word = _open_reference(reference, theme)
    wanted = tuple(dict.fromkeys([*BUILTIN_STYLES, *names]))
    _reset_body(word)
    _keep_shared_parts(word)
    _drop_document_settings(word)
    _align_style_ids(word, wanted)
    saved = _save_styles(word, wanted)
    _add_missing_builtins(word)
    return Template(word, reference, saved)


def restore_reference_styles(template: Template) -> None:
    """Put the reference's definitions back over the theme's restyling: the reference wins where it speaks."""
    from docx.oxml.ns import qn

    styles = template.word.styles.element
    for saved in template.saved:
        if saved.tag == qn("w:docDefaults"):
            current = styles.find(qn("w:docDefaults"))
            if current is not None:
                current.addprevious(deepcopy(saved))
                styles.remove(current)
            continue
        current_named = _named(styles, saved.name_val)
        current_named[0].addprevious(deepcopy(saved))
        for element in current_named:
            styles.remove(element)


# --- opening and emptying the reference -----------------------------------------------------------


@lru_cache(maxsize=1)
def _default_template() -> WordDocument:
    """python-docx's own template, read once, only ever copied from."""
    import docx

    return docx.Document()


def _open_reference(path: Path, theme: Theme) -> WordDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ThemeError(
            f"theme '{theme.name}': {path}: not a Word document (save it as .docx, not a template): {exc}"
        ) from None


def _reset_body(word: WordDocument) -> None:
    """Drop the reference's content and section settings; a plain one-column section takes their place."""
    body = word.element.body
    for child in list(body):
        body.remove(child)
    body.append(deepcopy(_default_template().element.body.sectPr))


def _keep_shared_parts(word: WordDocument) -> None:
    """Keep the parts a body-less document still needs; pictures, headers, footers, comments and the rest go."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    kept = {
        RT.STYLES,
        RT.NUMBERING,
        RT.SETTINGS,
        RT.FONT_TABLE,
        RT.THEME,
        RT.WEB_SETTINGS,
        RT.FOOTNOTES,
        RT.ENDNOTES,
    }
    rels = word.part.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype not in kept]:
        del rels[r_id]


# Settings that belong to the reference file, not to a resume: editing locks, a mail-merge data
# source (Word would ask for it on opening), an attached template, change tracking left on.
_DOCUMENT_SETTINGS = ("documentProtection", "writeProtection", "mailMerge", "attachedTemplate", "trackRevisions")


def _drop_document_settings(word: WordDocument) -> None:
    from docx.oxml.ns import qn

    settings = word.settings.element
    for tag in _DOCUMENT_SETTINGS:
        for element in settings.findall(qn(f"w:{tag}")):
            settings.remove(element)


# --- styles ----------------------------------------------------------------------------------------


def _internal(name: str) -> str:
    """The name Word stores for a built-in style ("heading 1"), compared without case as Word does."""
    from docx.styles import BabelFish

    return BabelFish.ui2internal(name).casefold()


def _named(styles: Any, name: str) -> list[Any]:
    key = _internal(name)
    return [element for element in styles.style_lst if (element.name_val or "").casefold() == key]


def _align_style_ids(word: WordDocument, names: Iterable[str]) -> None:
    """A localised Word writes "Überschrift1" for Heading 1's id; give our styles the ids we write."""
    styles = word.styles.element
    taken = {element.styleId for element in styles.style_lst}
    for name in names:
        found = _named(styles, name)
        wanted = style_id(name)
        if not found or found[0].styleId == wanted:
            continue
        squatter = styles.get_by_id(wanted)
        if squatter is not None:
            spare = next(f"{wanted}{n}" for n in range(1, len(taken) + 2) if f"{wanted}{n}" not in taken)
            _rename_style(word, squatter, spare)
            taken.add(spare)
        _rename_style(word, found[0], wanted)
        taken.add(wanted)


def _rename_style(word: WordDocument, element: Any, new_id: str) -> None:
    """Change a style's id and every reference to it in the styles and numbering parts."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    old_id = element.styleId
    element.styleId = new_id
    roots = [word.styles.element]
    with suppress(KeyError):  # a reference may have no numbering part
        roots.append(cast(Any, word.part.part_related_by(RT.NUMBERING)).element)
    for root in roots:
        for ref in root.xpath(".//w:basedOn | .//w:next | .//w:link | .//w:pStyle"):
            if ref.get(qn("w:val")) == old_id:
                ref.set(qn("w:val"), new_id)


def _save_styles(word: WordDocument, names: Iterable[str]) -> tuple[Any, ...]:
    """Copies of the reference's definitions of our styles, and of its document defaults."""
    from docx.oxml.ns import qn

    styles = word.styles.element
    saved = [deepcopy(found[0]) for name in names if (found := _named(styles, name))]
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        saved.append(deepcopy(defaults))
    return tuple(saved)


def _add_missing_builtins(word: WordDocument) -> None:
    """Copy python-docx's definition of each built-in style the reference lacks."""
    from docx.oxml.ns import qn

    default = _default_template()
    styles = word.styles.element
    for name in BUILTIN_STYLES:
        if _named(styles, name):
            continue
        copy = deepcopy(_named(default.styles.element, name)[0])
        for tag in ("w:link", "w:rsid"):
            for child in copy.findall(qn(tag)):
                copy.remove(child)
        for num_id in copy.xpath("w:pPr/w:numPr/w:numId"):
            num_id.set(qn("w:val"), _copy_numbering(word, default, num_id.get(qn("w:val"))))
        styles.append(copy)


def _copy_numbering(word: WordDocument, default: WordDocument, num_id: str) -> str:
    """Copy one list definition from python-docx's template under fresh ids; returns the new numId."""
    from docx.oxml.ns import qn

    source = default.part.numbering_part.element
    abstract_id = source.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    abstract = deepcopy(source.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0])
    target = _numbering(word)
    fresh = 1 + max((int(value) for value in target.xpath("w:abstractNum/@w:abstractNumId")), default=-1)
    abstract.set(qn("w:abstractNumId"), str(fresh))
    for tag in ("w:nsid", "w:tmpl"):
        for child in abstract.findall(qn(tag)):
            abstract.remove(child)
    following = target.xpath("w:num | w:numIdMacAtCleanup")
    if following:
        following[0].addprevious(abstract)
    else:
        target.append(abstract)
    return str(target.add_num(fresh).numId)


def _numbering(word: WordDocument) -> Any:
    """The numbering part's root, made empty when the reference has none (python-docx cannot)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml
    from docx.parts.numbering import NumberingPart

    try:
        return cast(Any, word.part.part_related_by(RT.NUMBERING)).element
    except KeyError:
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, word.part.package)
        word.part.relate_to(part, RT.NUMBERING)
        return part.element
