"""Which of a theme's fonts a document needs, and the bytes to embed for each.

The built-in themes ship CJK and Arabic subsets of one to two megabytes each. A Latin-only resume
must not carry them in its HTML, and a resume with a few Japanese words needs those glyphs, not
three thousand. Coverage comes from each font's cmap, read once per process; characters no
shipped font covers are reported, because they would print as empty boxes.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

LOGGER = logging.getLogger(__name__)
# Templates and stylesheets add ASCII of their own (labels, numbers, separators).
TEMPLATE_CODEPOINTS = frozenset(range(0x20, 0x7F))
# Fonts above this size (the CJK subsets) are embedded cut down to the document's characters, in
# 0.03–0.4 s. Smaller ones (Inter, 110–120 KB) go whole: cutting those down with their OpenType
# features intact costs about 0.8 s a face, for 100 KB saved.
SUBSET_ABOVE = 128 * 1024


def document_codepoints(document: object) -> frozenset[int]:
    """Every character in the document's text (any frozen view tree), plus printable ASCII."""
    codepoints = set(TEMPLATE_CODEPOINTS)
    for text in _strings(document):
        codepoints.update(map(ord, text))
    return frozenset(codepoints)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in dataclasses.fields(value):
            yield from _strings(getattr(value, spec.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def _stamp(path: Path) -> tuple[str, int, int]:
    """Cache key that changes when the file does."""
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def font_cmap(path: Path) -> frozenset[int]:
    """The characters a font file maps to glyphs."""
    return _cmap(_stamp(path))


@lru_cache(maxsize=64)
def _cmap(stamp: tuple[str, int, int]) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(stamp[0], lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def is_large(path: Path) -> bool:
    return path.stat().st_size > SUBSET_ABOVE


def _visible(codepoints: Iterable[int]) -> bool:
    """Spaces every font has do not make a font needed."""
    return any(not chr(c).isspace() for c in codepoints)


def needed_fonts(paths: Iterable[Path], codepoints: frozenset[int]) -> set[Path]:
    """The fonts among `paths` with a glyph for a visible character of the document.

    Small fonts are read first; the large ones (the CJK subsets, whose cmap takes a second to
    decode) only for characters the small ones lack, so a Latin resume never decodes them.
    """
    paths = list(dict.fromkeys(paths))
    small = [path for path in paths if not is_large(path)]
    used = {path for path in small if _visible(font_cmap(path) & codepoints)}
    leftover = set(codepoints).difference(*(font_cmap(path) for path in small))
    if _visible(leftover):
        used |= {path for path in paths if is_large(path) and _visible(font_cmap(path) & leftover)}
    return used


def font_bytes(path: Path, codepoints: frozenset[int]) -> bytes:
    """The file as it is, or, when large, a woff2 holding only the glyphs `codepoints` need."""
    if path.stat().st_size <= SUBSET_ABOVE:
        return path.read_bytes()
    return _subset(_stamp(path), codepoints & font_cmap(path))


@lru_cache(maxsize=32)
def _subset(stamp: tuple[str, int, int], codepoints: frozenset[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright and licence travel with the glyphs
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    with TTFont(stamp[0], recalcTimestamp=False) as font:  # keep the font's own date: same bytes every run
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def uncovered(codepoints: frozenset[int], fonts: Iterable[Path]) -> list[str]:
    """Visible characters no font in `fonts` has a glyph for, in code point order (small fonts first)."""
    remaining = set(codepoints)
    for path in sorted(dict.fromkeys(fonts), key=is_large):
        if not _visible(remaining):
            break
        remaining -= font_cmap(path)
    return [chr(c) for c in sorted(remaining) if unicodedata.category(chr(c))[0] not in "CZ"]


@lru_cache(maxsize=64)
def warn_uncovered(theme: str, characters: tuple[str, ...]) -> None:
    """Once per process and set of characters: a build makes HTML and PDF from the same text."""
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in characters[:12])
    more = f" and {len(characters) - 12} more" if len(characters) > 12 else ""
    LOGGER.warning(
        "no font of theme '%s' has %s%s: they will show as empty boxes or in a fallback font",
        theme,
        shown,
        more,
    )
