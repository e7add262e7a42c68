"""Scripts and direction in Word: which font and language each run's script takes, and which
paragraphs read right to left.

Word picks a run's font by script slot: `w:ascii`/`w:hAnsi` for Latin, `w:eastAsia` for Chinese,
Japanese and Korean, `w:cs` ("complex script") for Arabic and Hebrew, and draws complex-script
text bold or sized only through `w:bCs`/`w:szCs`. The theme's styles name one Latin font for every
slot, so each run holding another script gets that script's font and language here, after the
document is written: nothing upstream needs to know.

Fonts are named for Word, which uses the first name it is given and has no fallback list: the
fonts Windows and Office for Mac install for each script (Yu Gothic, Microsoft YaHei/JhengHei,
Malgun Gothic, Arial for Arabic and Hebrew). LibreOffice, lacking those, takes the
font fontconfig offers for the characters (Noto Sans CJK, DejaVu Sans), so the pages render there too.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from cvforge.document.locale import FIGURE_CHANGE, LocaleView, text_direction
from cvforge.renderers.docx.ooxml import insert_ppr_child, reorder_rpr

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

# East Asian language → (the font Word on Windows and Mac has for it, w:lang tag).
EAST_ASIAN = {
    "ja": ("Yu Gothic", "ja-JP"),
    "zh-Hans": ("Microsoft YaHei", "zh-CN"),
    "zh-Hant": ("Microsoft JhengHei", "zh-TW"),
    "ko": ("Malgun Gothic", "ko-KR"),
}
COMPLEX_FONT = "Arial"  # Windows' and Mac's Arial carry Arabic and Hebrew; LibreOffice falls back to DejaVu Sans
BIDI_LANGS = {"ar": "ar-SA", "he": "he-IL", "fa": "fa-IR", "ur": "ur-PK"}
# Left-to-right complex scripts → (the font Windows and Office for Mac have for it, its w:lang tag by
# the document's language, the tag when the document is in another language). Word shapes them
# through the same complex-script slot (w:cs, w:lang w:bidi) as Arabic.
COMPLEX_SCRIPTS = {
    "DEVANAGARI": ("Nirmala UI", {"hi": "hi-IN", "mr": "mr-IN", "ne": "ne-NP"}, "hi-IN"),
    "THAI": ("Leelawadee UI", {"th": "th-TH"}, "th-TH"),
}


def _complex_script(text: str, locale: LocaleView) -> tuple[str, str] | None:
    """The font and language tag of a left-to-right complex script in the text (Hindi, Thai), if any."""
    for char in text:
        script = unicodedata.name(char, "").split(" ", 1)[0]
        if script in COMPLEX_SCRIPTS:
            font, tags, fallback = COMPLEX_SCRIPTS[script]
            return font, tags.get(locale.language, fallback)
    return None


def _east_asian_language(text: str, locale: LocaleView) -> str | None:
    """Kana means Japanese and Hangul Korean; Han alone is the document's CJK language, else Chinese."""
    names = [unicodedata.name(c, "") for c in text if unicodedata.east_asian_width(c) in ("W", "F")]
    if not any(n.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for n in names):
        return None
    if any(n.startswith(("HIRAGANA", "KATAKANA")) for n in names):
        return "ja"
    if any(n.startswith("HANGUL") for n in names):
        return "ko"
    if locale.language in ("ja", "ko"):
        return locale.language
    if locale.language == "zh":
        return "zh-Hant" if "Hant" in locale.tag or locale.tag.endswith(("TW", "HK", "MO")) else "zh-Hans"
    return "zh-Hans"


def _bidi_language(text: str, locale: LocaleView) -> str:
    if locale.language in BIDI_LANGS:
        return BIDI_LANGS[locale.language]
    return "he-IL" if any("HEBREW" in unicodedata.name(c, "") for c in text) else "ar-SA"


def _child(parent: Any, tag: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(f"w:{tag}"))
    if found is None:
        found = OxmlElement(f"w:{tag}")
        parent.append(found)
    return found


def _mark_run(run: Any, locale: LocaleView) -> None:
    """Fonts, language and direction of one w:r, by the scripts of its text."""
    from docx.oxml.ns import qn

    text = "".join(t.text or "" for t in run.iter(qn("w:t")))
    if not text.strip():
        return
    classes = {unicodedata.bidirectional(c) for c in text}
    figure = locale.rtl and classes & {"EN", "AN"} and not classes & {"L", "R", "AL"}  # "45 → 15"
    if figure or (locale.dir_of(text) == "ltr" and text_direction(text) is None):
        _embed_ltr(run)  # a phone number or a figure in a right-to-left paragraph: read left to right
        return
    east = _east_asian_language(text, locale)
    rtl = text_direction(text) == "rtl" or any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    # a run of separators alone ("، " between a role and its company) reads in the page's direction
    rtl = rtl or (locale.rtl and not any(unicodedata.bidirectional(c) in ("L", "EN", "AN") for c in text))
    indic = None if rtl else _complex_script(text, locale)
    if not (east or rtl or indic):
        return
    r_pr = run.get_or_add_rPr()
    fonts = _child(r_pr, "rFonts")
    lang = _child(r_pr, "lang")
    if indic:
        fonts.set(qn("w:cs"), indic[0])
        fonts.set(qn("w:hint"), "cs")
        lang.set(qn("w:bidi"), indic[1])
        _child(r_pr, "cs")  # the run is complex script: Word draws it with the w:cs font, bCs and szCs
        if r_pr.find(qn("w:b")) is not None:
            _child(r_pr, "bCs")
    if east:
        font, tag = EAST_ASIAN[east]
        fonts.set(qn("w:eastAsia"), font)
        fonts.set(qn("w:hint"), "eastAsia")
        lang.set(qn("w:eastAsia"), tag)
    if rtl:
        for node in run.iter(qn("w:t")):  # "45 → 15 دقيقة": the change reads left to right, its arrow forward
            node.text = FIGURE_CHANGE.sub(lambda found: f"\u202a{found.group(0)}\u202c", node.text or "")
        fonts.set(qn("w:cs"), COMPLEX_FONT)
        lang.set(qn("w:bidi"), _bidi_language(text, locale))
        _child(r_pr, "rtl")
        for plain, complex_ in (("b", "bCs"), ("i", "iCs")):
            mark = r_pr.find(qn(f"w:{plain}"))
            if mark is not None and mark.get(qn("w:val")) is not None:
                _child(r_pr, complex_).set(qn("w:val"), mark.get(qn("w:val")))  # b w:val="0" stays off
            elif mark is not None:
                _child(r_pr, complex_)
        if any(unicodedata.bidirectional(c) == "AL" for c in text):
            _child(r_pr, "spacing").set(qn("w:val"), "0")  # tracking pulls joined Arabic letters apart
    reorder_rpr(r_pr)


def _embed_ltr(run: Any) -> None:
    """Wrap a run's text in LEFT-TO-RIGHT EMBEDDING … POP DIRECTIONAL FORMATTING, which Word and
    LibreOffice both honour (the HTML says dir="ltr" on the element instead)."""
    from docx.oxml.ns import qn

    texts = list(run.iter(qn("w:t")))
    texts[0].text = "\u202a" + (texts[0].text or "")
    texts[-1].text = (texts[-1].text or "") + "\u202c"


def _mark_paragraph(paragraph: Any, locale: LocaleView) -> None:
    """A paragraph reads right to left in a right-to-left document. In a left-to-right one, a
    paragraph written right to left keeps the page's geometry (w:bidi would move its bullet and its
    dates' tab to the other side) and its text before the first tab is embedded right to left."""
    from docx.oxml.ns import qn

    if not locale.rtl:
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if text_direction(text) == "rtl":
            _embed_rtl_until_tab(paragraph)
        return
    p_pr = paragraph.get_or_add_pPr()
    if p_pr.find(qn("w:bidi")) is None:
        from docx.oxml import OxmlElement

        insert_ppr_child(p_pr, OxmlElement("w:bidi"))


def _embed_rtl_until_tab(paragraph: Any) -> None:
    """RIGHT-TO-LEFT EMBEDDING … POP DIRECTIONAL FORMATTING around the paragraph's text up to its
    first tab: "title، organisation" reads from the right, its trailing full stop at its end. A
    left-to-right mark closes it, or the figures after the tab would follow the Arabic's order."""
    from docx.oxml.ns import qn

    texts: list[Any] = []
    for node in (child for run in paragraph.iter(qn("w:r")) for child in run):
        if node.tag == qn("w:tab"):
            break
        if node.tag == qn("w:t") and node.text:
            texts.append(node)
    if texts:
        texts[0].text = "\u202b" + texts[0].text
        texts[-1].text = texts[-1].text + "\u202c\u200e"  # the mark: dates after the tab read 2012 – 2016


def _complex_emphasis(word: WordDocument) -> None:
    """Styles that are bold or italic are so for Arabic and Hebrew too (w:bCs, w:iCs)."""
    from docx.oxml.ns import qn

    for r_pr in word.styles.element.iter(qn("w:rPr")):
        changed = False
        for plain, complex_ in (("b", "bCs"), ("i", "iCs")):
            mark = r_pr.find(qn(f"w:{plain}"))
            if mark is not None and r_pr.find(qn(f"w:{complex_}")) is None:
                copy = _child(r_pr, complex_)
                if mark.get(qn("w:val")) is not None:
                    copy.set(qn("w:val"), mark.get(qn("w:val")))
                changed = True
        if changed:
            reorder_rpr(r_pr)


_BORDER_ORDER = ("top", "left", "bottom", "right", "between", "bar")


def _mirror_borders(word: WordDocument) -> None:
    """A right-to-left page draws its styles' side rules (modern's bar before a heading) on the
    right: Word and LibreOffice place a paragraph border's left and right as they are on paper."""
    from docx.oxml.ns import qn

    for borders in word.styles.element.iter(qn("w:pBdr")):
        for side in list(borders):
            if side.tag in (qn("w:left"), qn("w:right")):
                side.tag = qn("w:right") if side.tag == qn("w:left") else qn("w:left")
        rank = {qn(f"w:{tag}"): index for index, tag in enumerate(_BORDER_ORDER)}
        for side in sorted(borders, key=lambda child: rank.get(child.tag, len(rank))):
            borders.remove(side)
            borders.append(side)


def _document_language(word: WordDocument, locale: LocaleView) -> None:
    """The document's language on its default run properties: spelling, hyphenation, and the
    language Word and screen readers announce."""
    from docx.oxml.ns import qn

    for r_pr in word.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr"):
        lang = _child(r_pr, "lang")
        lang.set(qn("w:val"), locale.tag)
        east = next((tag for key, (_, tag) in EAST_ASIAN.items() if locale.tag.startswith(key)), None)
        if east or locale.language in ("ja", "ko", "zh"):
            lang.set(qn("w:eastAsia"), east or EAST_ASIAN["zh-Hans"][1])
        if locale.language in BIDI_LANGS:
            lang.set(qn("w:bidi"), BIDI_LANGS[locale.language])
        for _, tags, _ in COMPLEX_SCRIPTS.values():
            if locale.language in tags:
                lang.set(qn("w:val"), tags[locale.language])
                lang.set(qn("w:bidi"), tags[locale.language])
        reorder_rpr(r_pr)


_AFTER_BIDI = ("rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def _bidi_sections(word: WordDocument) -> None:
    """A right-to-left document's sections are right to left too (w:bidi in w:sectPr): Word then
    puts the gutter, the columns and the page numbers on the right side."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in word.element.body.iter(qn("w:sectPr")):
        if section.find(qn("w:bidi")) is not None:
            continue
        bidi = OxmlElement("w:bidi")
        later = next((child for child in section if child.tag in {qn(f"w:{t}") for t in _AFTER_BIDI}), None)
        if later is None:
            section.append(bidi)
        else:
            later.addprevious(bidi)


def apply_scripts(word: WordDocument, locale: LocaleView) -> None:
    """Mark every paragraph's direction and every run's script fonts and language."""
    from docx.oxml.ns import qn

    _document_language(word, locale)
    _complex_emphasis(word)
    if locale.rtl:
        _mirror_borders(word)
        _bidi_sections(word)
    body = word.element.body
    for paragraph in body.iter(qn("w:p")):
        _mark_paragraph(paragraph, locale)
    for run in body.iter(qn("w:r")):
        _mark_run(run, locale)
