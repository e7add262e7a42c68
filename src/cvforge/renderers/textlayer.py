"""A PDF text layer that reads back exactly as written, in every script.

WeasyPrint maps each glyph to the text of the first cluster it drew, once per font. That is wrong
whenever one glyph stands for different text: Inter draws Cyrillic "а" and Latin "a" with one glyph
(a Russian page copied as "Сaнкт-Петербург"), Devanagari reorders its matras and reph inside a
cluster (कार्य read as "कायर्य"), Thai decomposes sara am (ทำงาน read as "ทางาน"), and an Arabic
lam-alef ligature's two letters came out reversed. pdf.js and pdfminer follow no `/ActualText`, so
the fix has to be in the character codes and their ToUnicode map, which every extractor reads.

So, while WeasyPrint draws a line, each shaped cluster is written as its first glyph carrying the
whole cluster's text and the cluster's width, its other glyphs carrying no text and no width (the
pen is moved by the same TJ offsets, so nothing moves on the page; extractors see one character box
per cluster, with no gap inside a word). A glyph that must carry another text or width than its
own code does gets a code of its own, which the font sends back to the same drawing: a TrueType
font through its CIDToGIDMap, a CFF one through its Encoding CMap. No font file is edited.
Right-to-left clusters carry their text reversed, as extractors put visual order back into logical.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_INSTALLED: list[bool] = [False]
# Put in by glyphs.py for the layout alone, never read back: the word joiner between Korean syllables,
# the isolates around a figure on a right-to-left page.
_NEVER_READ = str.maketrans(dict.fromkeys("\u2060\u2066\u2069"))
# Extra codes start this far past the font's last glyph: WeasyPrint counts its codes for missing
# characters up from the last glyph, and a resume never has thousands of those.
_CODE_GAP = 64
# Codes that are themselves invisible format characters (Unicode's Cf): the codes of glyphs that
# read as nothing, as pdf.js skips them. Every other extra code is below the first of them.
_INVISIBLE_CODES = (
    *range(0x200B, 0x2010),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x2070),
    0xFEFF,
    *range(0xFFF9, 0xFFFC),
)


def install() -> None:
    """Wrap WeasyPrint's line drawing and its CID font dictionaries, once per process."""
    if _INSTALLED[0]:
        return
    from weasyprint.draw import text as draw_text
    from weasyprint.pdf import fonts as pdf_fonts

    draw_first_line = draw_text.draw_first_line
    build_vector_font = pdf_fonts._build_vector_font_dictionary
    clean = pdf_fonts.Font.clean

    def exact_first_line(stream: Any, textbox: Any, *args: Any) -> Any:
        with _exact_codes(stream, textbox) as actual_text:
            if actual_text:
                stream.begin_marked_content("Span", _span_properties(actual_text))
            drawn = draw_first_line(stream, textbox, *args)
            if actual_text:
                stream.end_marked_content()
            return drawn

    def vector_font_with_codes(font_dictionary: Any, pdf: Any, font: Any, *args: Any) -> None:
        build_vector_font(font_dictionary, pdf, font, *args)
        extra: dict[int, int] = getattr(font, "cvforge_glyph_of_code", {})
        if extra and font.type != "otf":
            _cid_font(pdf, font)["CIDToGIDMap"] = _cid_to_gid_map(pdf, font, extra, args[1])

    def clean_with_copies(font: Any, to_unicode: Any, hinting: Any) -> None:
        extra: dict[int, int] = getattr(font, "cvforge_glyph_of_code", {})
        if extra and to_unicode:  # the subset keeps the glyphs it is given: those drawn only through extra codes too
            to_unicode = {**dict.fromkeys(extra.values(), ""), **to_unicode}
        clean(font, to_unicode, hinting)
        if extra and font.type == "otf":
            font.file_content = _with_cff_copies(font.file_content, font.index, extra)

    draw_text.draw_first_line = exact_first_line
    pdf_fonts._build_vector_font_dictionary = vector_font_with_codes
    pdf_fonts.Font.clean = clean_with_copies
    _INSTALLED[0] = True


@contextmanager
def _exact_codes(stream: Any, textbox: Any) -> Iterator[str | None]:
    """Give every glyph of the line's first row the code that reads back as its cluster's text; the
    layout gets its own glyph ids back afterwards (a document may be written twice). Yields the
    line's text when it is left-to-right and has marks: said again as its /ActualText."""
    from weasyprint.text.ffi import ffi, pango

    changed: list[tuple[Any, int]] = []
    actual_text: str | None = None
    try:
        if textbox.text.strip() and textbox.style["font_size"] >= 1e-6:
            pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
            first_line, _ = textbox.pango_layout.get_first_line()
            utf8 = textbox.pango_layout.text.encode()
            run = first_line.runs[0]
            rtl = False
            while run != ffi.NULL:
                _recode_run(stream, run.data, utf8, changed)
                rtl = rtl or bool(run.data.item.analysis.level % 2)
                run = run.next
            line = utf8[first_line.start_index : first_line.start_index + first_line.length].decode("utf-8", "replace")
            if not rtl and not line.isascii() and any(unicodedata.category(char).startswith("M") for char in line):
                actual_text = line
        yield actual_text
    finally:
        for glyph_info, glyph_id in changed:
            glyph_info.glyph = glyph_id


def _span_properties(text: str) -> Any:
    """/ActualText for a line whose marks sit on glyphs of their own: poppler (pdftotext) reads the
    words whole from it; pdf.js and pdfminer read the glyphs' own mapping."""
    import pydyf  # type: ignore[import-untyped,unused-ignore]

    return pydyf.Dictionary({"ActualText": pydyf.String(text)})


def _recode_run(stream: Any, glyph_item: Any, utf8: bytes, changed: list[tuple[Any, int]]) -> None:
    from weasyprint.text.ffi import ffi, pango

    font, font_size = stream.add_font(glyph_item.item.analysis.font)
    if font.bitmap or font.png or font.svg or font.colr:
        return  # colour and bitmap glyphs are looked up as pictures by their glyph id
    glyphs = glyph_item.glyphs
    count = glyphs.num_glyphs
    infos = glyphs.glyphs
    ids = _glyph_ids(infos, count)
    clusters = ffi.unpack(glyphs.log_clusters, count)
    offset, length = glyph_item.item.offset, glyph_item.item.length
    rtl = bool(glyph_item.item.analysis.level % 2)
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    shown = [i for i in range(count) if ids[i] != empty and not ids[i] & unknown]
    item = utf8[offset : offset + length]
    groups = _graphemes(item, clusters, set(clusters) - {clusters[i] for i in shown}, rtl=rtl)
    cff = font.type == "otf"  # a CFF font's widths are its glyphs': codes can change its text only
    pango_font = glyph_item.item.analysis.font
    members: dict[tuple[int, int], list[int]] = {}
    for index in shown:
        members.setdefault(groups[clusters[index]], []).append(index)
    readings: dict[int, tuple[str, int]] = {}
    measured: dict[int, int] = font.__dict__.setdefault("cvforge_advances", {})  # _width's, looked up here first
    for (start, end), indices in members.items():
        text = item[start:end].decode("utf-8", "replace").translate(_NEVER_READ)
        if rtl:
            text = text[::-1]
        if len(indices) == 1:  # one glyph reads as the whole letter, at its own width (as _share has it)
            glyph_id = ids[indices[0]]
            width = measured.get(glyph_id)
            if width is None:
                width = _width(font, glyph_id, pango_font, font_size, stream)
            readings[indices[0]] = (text, width)
            continue
        advances = [_width(font, ids[i], pango_font, font_size, stream) for i in indices]
        raised = [bool(infos[i].geometry.y_offset or infos[i].geometry.x_offset) for i in indices]
        readings.update(zip(indices, _share(text, advances, raised, keep_widths=cff), strict=True))
    order = sorted(readings)
    if not rtl and _has_mark(item.decode("utf-8", "replace")):
        _no_mark_first(order, readings)
    to_unicode, widths = font.to_unicode, font.widths
    for index in order:
        piece, width = readings[index]
        glyph_id = ids[index]
        if piece and to_unicode.get(glyph_id) == piece and widths.get(glyph_id) == width:
            continue  # already reads as this at this width: what _code_for would keep
        code = _code_for(font, glyph_id, piece, width)
        if code != glyph_id:
            changed.append((infos[index], glyph_id))
            infos[index].glyph = code


def _glyph_ids(infos: Any, count: int) -> list[int]:
    """The run's glyph ids, read at once from Pango's array (a field at a time through cffi cost
    more than the rest of the text layer)."""
    from weasyprint.text.ffi import ffi

    if not _GLYPH_INFO:
        size, word = ffi.sizeof("PangoGlyphInfo"), ffi.sizeof("PangoGlyph")
        whole = word == 4 and size % word == 0 and ffi.offsetof("PangoGlyphInfo", "glyph") == 0
        _GLYPH_INFO.append((size, size // word if whole else 0))
    size, stride = _GLYPH_INFO[0]
    if not stride or not count:
        return [infos[i].glyph for i in range(count)]
    return list(memoryview(ffi.buffer(infos, count * size)).cast("I")[::stride])


_GLYPH_INFO: list[tuple[int, int]] = []  # PangoGlyphInfo's size, and its length in glyph ids (0: read by field)


def _has_mark(text: str) -> bool:
    """Whether the text holds a combining mark (none in ASCII: most runs are spared the look)."""
    return not text.isascii() and any(unicodedata.category(char) == "Mn" for char in text)


def _no_mark_first(order: list[int], readings: dict[int, tuple[str, int]]) -> None:
    """A word's first glyph reads as its base letter only; the marks after it (a virama in प्र) move
    on to the next glyph. pdf.js takes a glyph whose text holds a mark for one of no width, and at
    the start of a word that put a space inside it ("प् लेटफ़ॉर्म")."""
    previous = " "
    for position, index in enumerate(order):
        piece, width = readings[index]
        if not piece:
            continue
        split = next((k for k, char in enumerate(piece) if unicodedata.category(char) == "Mn"), None)
        follower = (
            next((i for i in order[position + 1 :] if readings[i][0] and readings[i][1]), None)
            if previous.isspace() and split
            else None
        )
        if follower is not None and split:
            readings[index] = (piece[:split], width)
            readings[follower] = (piece[split:] + readings[follower][0], readings[follower][1])
            piece = piece[:split]
        previous = piece[-1]


def _share(text: str, advances: list[int], raised: list[bool], *, keep_widths: bool) -> list[tuple[str, int]]:
    """What each glyph of a letter reads as, and its width, in drawing order.

    The letter's characters go in order to its glyphs: a base character to the next glyph that
    advances the pen, a combining mark to the next mark glyph drawn in line (pdf.js reads a glyph
    whose text holds a mark as having no width, and then breaks the word), or else to the glyph
    before. A mark raised or lowered off the line reads as nothing: poppler put it on a line of its
    own. A glyph left without text gives its width to the glyph before it, so character boxes touch
    and no extractor sees a gap (a space) inside the word.
    """
    count = len(advances)
    pieces = [""] * count
    eligible = [i for i in range(count) if advances[i] > 0 or not raised[i]] or [0]
    current: int | None = None
    for char in _tokens(text):
        mark = unicodedata.category(char[-1]) == "Mn"
        later = [i for i in eligible if current is None or i > current]
        fits = [i for i in later if (advances[i] == 0) == mark]
        if current is None:
            current = (fits or later)[0]
        elif later and later[0] in fits:
            current = later[0]
        pieces[current] += char
    if keep_widths:
        return list(zip(pieces, advances, strict=True))
    widths = list(advances)
    for index, piece in enumerate(pieces):
        if not piece and widths[index] and index:
            widths[index - 1] += widths[index]
            widths[index] = 0
    return list(zip(pieces, widths, strict=True))


def _tokens(text: str) -> list[str]:
    """The text's characters, a format character (a joiner) kept with the character after it."""
    tokens: list[str] = []
    for char in text:
        if tokens and unicodedata.category(tokens[-1][-1]) == "Cf":
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _graphemes(item: bytes, clusters: list[int], hidden: set[int], *, rtl: bool) -> dict[int, tuple[int, int]]:
    """Each shaped cluster's start → the (start, end) bytes of the letter it belongs to.

    A cluster of combining marks alone (Thai vowels and tone marks, Arabic harakat) joins the letter
    before it: drawn raised, as a character of its own, it broke the word or even the line. A cluster
    drawn with no glyph (a zero-width non-joiner in نرم‌افزار) joins a neighbour so its character is
    not lost, on the side where it leads that letter's text (pdf.js drops a glyph whose text ends
    with a format character).
    """
    starts = sorted(set(clusters))
    ends = [*starts[1:], len(item)]
    if not hidden and item.isascii():  # no marks, no joiners: each cluster is a letter of its own
        return dict(zip(starts, zip(starts, ends, strict=True), strict=True))
    letters: list[list[int]] = []  # [start, end] of each letter, in logical order
    waiting: int | None = None
    for start, end in zip(starts, ends, strict=True):
        text = item[start:end].decode("utf-8", "replace")
        if start in hidden and not (rtl and letters):
            waiting = start if waiting is None else waiting
        elif letters and (start in hidden or (text and unicodedata.category(text[0]).startswith("M"))):
            letters[-1][1] = end
        else:
            letters.append([start if waiting is None else waiting, end])
            waiting = None
    if waiting is not None and letters:
        letters[-1][1] = len(item)
    elif waiting is not None:
        letters.append([waiting, len(item)])
    groups: dict[int, tuple[int, int]] = {}
    letter = 0
    for start in starts:  # both in logical order: one pass
        while letters[letter][1] <= start:
            letter += 1
        groups[start] = (letters[letter][0], letters[letter][1])
    return groups


def _code_for(font: Any, glyph_id: int, text: str, width: int) -> int:
    """The code that draws `glyph_id`, reads back as `text` and advances `width`: the glyph's own
    while free or already meaning exactly that, else one kept for this (glyph, text, width)."""
    if text and font.to_unicode.get(glyph_id, text) == text and font.widths.get(glyph_id, width) == width:
        font.to_unicode[glyph_id] = text
        font.widths[glyph_id] = width
        return glyph_id
    if font.type == "otf" and _cid_keyed(font):
        return glyph_id  # a CID-keyed CFF (the CJK faces) selects glyphs by its own charset: first text wins
    codes: dict[tuple[int, str, int], int] = font.__dict__.setdefault("cvforge_codes", {})
    glyph_of_code: dict[int, int] = font.__dict__.setdefault("cvforge_glyph_of_code", {})
    code = codes.get((glyph_id, text, width))
    if code is None:
        code = _free_code(font, silent=not text)
        if code is None:
            return glyph_id  # no free code left: the first text wins, as WeasyPrint would have it
        codes[glyph_id, text, width] = code
        glyph_of_code[code] = glyph_id
        font.to_unicode[code] = text
        font.widths[code] = width
    return code


def _cid_keyed(font: Any) -> bool:
    """Whether the font's CFF is CID-keyed (its glyphs are found through its own charset)."""
    if "cvforge_cid_keyed" not in font.__dict__:
        from io import BytesIO

        from fontTools.ttLib import TTFont

        cff = TTFont(BytesIO(font.file_content), fontNumber=font.index, lazy=True)["CFF "].cff
        font.cvforge_cid_keyed = "ROS" in cff.topDictIndex[0].rawDict
    return bool(font.cvforge_cid_keyed)


def _free_code(font: Any, *, silent: bool) -> int | None:
    """A code no glyph or character uses yet. For a glyph that reads as nothing, preferably one that
    is itself an invisible format character: pdf.js reads an empty mapping as the code's own
    character, and skips that one."""
    taken: set[int] = set(font.to_unicode) | set(font.missing.values())
    floor = int(font.glyph_count) + _CODE_GAP
    if silent:
        quiet = next((code for code in _INVISIBLE_CODES if code >= floor and code not in taken), None)
        if quiet is not None:
            return int(quiet)
    code = int(max([floor - 1, *(c for c in taken if c < _INVISIBLE_CODES[0])])) + 1
    return code if code < _INVISIBLE_CODES[0] else None


def _width(font: Any, glyph_id: int, pango_font: Any, font_size: float, stream: Any) -> int:
    """The glyph's own advance in thousandths of the font size, as WeasyPrint measures it."""
    from weasyprint.text.ffi import FROM_UNITS, pango

    measured: dict[int, int] = font.__dict__.setdefault("cvforge_advances", {})
    if glyph_id not in measured:
        pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
        measured[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    return measured[glyph_id]


def _cid_font(pdf: Any, font: Any) -> Any:
    """The CIDFont dictionary just written for `font` (WeasyPrint keeps no handle on it)."""
    for written in reversed(pdf.objects):
        if isinstance(written, dict) and written.get("BaseFont") == font.name and "CIDToGIDMap" in written:
            return written
    raise LookupError(f"no CID font written for {font.name}")


def _cid_to_gid_map(pdf: Any, font: Any, glyph_of_code: dict[int, int], compress: bool) -> Any:
    """Each code's glyph, two bytes a code: a glyph's own code draws it, an extra code the glyph it
    was made for, a code past the font's glyphs (a missing character) draws .notdef."""
    import pydyf  # type: ignore[import-untyped,unused-ignore]

    table = bytearray()
    for code in range(max(glyph_of_code) + 1):
        own = code if code < font.glyph_count else 0
        table += glyph_of_code.get(code, own).to_bytes(2, "big")
    stream = pydyf.Stream([bytes(table)], compress=compress)
    pdf.add_object(stream)
    return stream.reference


def _with_cff_copies(data: bytes, index: int, glyph_of_code: dict[int, int]) -> bytes:
    """A CFF font (its CIDs are its glyph ids) with each extra code's glyph copied to that number;
    the numbers between are empty glyphs."""
    from io import BytesIO

    from fontTools.misc.psCharStrings import T2CharString
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data), fontNumber=index)
    top = font["CFF "].cff.topDictIndex[0]
    strings = top.CharStrings
    order = list(font.getGlyphOrder())
    for name in order:  # saving measures every glyph's bounds twice (FontBBox, hhea): the subset keeps
        charstring = strings[name]  # its glyph ids, so most are empty, and have none to measure
        if charstring.bytecode == b"\x0e":  # endchar alone
            charstring.calcBounds = _no_bounds
    metrics = font["hmtx"].metrics
    for code in range(len(order), max(glyph_of_code) + 1):
        name = f"cvforge.{code}"
        source = glyph_of_code.get(code)
        model = strings[order[source if source is not None and source < len(order) else 0]]
        drawn = source is not None and source < len(order)
        metrics[name] = metrics[order[source]] if drawn and source is not None else (0, 0)
        if drawn:
            model.decompile()
            copy = T2CharString(program=list(model.program), private=model.private, globalSubrs=strings.globalSubrs)
        else:  # an empty glyph between the copies: endchar, compiled already, and no bounds to measure
            copy = T2CharString(bytecode=b"\x0e", private=model.private, globalSubrs=strings.globalSubrs)
            copy.calcBounds = _no_bounds
        if strings.charStringsAreIndexed:
            strings.charStringsIndex.append(copy)
            strings.charStrings[name] = len(strings.charStringsIndex) - 1
        else:
            strings.charStrings[name] = copy
        order.append(name)
    top.charset = order
    font.setGlyphOrder(order)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def _no_bounds(glyph_set: object) -> None:
    """An empty glyph's bounds: none (what fontTools finds by drawing it)."""
    del glyph_set
