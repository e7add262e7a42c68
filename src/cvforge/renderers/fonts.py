"""Which of a theme's fonts a document needs, and the bytes to embed for each.

The built-in themes ship CJK and Arabic subsets of one to two megabytes each. A Latin-only resume
must not carry them in its HTML, and a resume with a few Japanese words needs those glyphs, not
three thousand. Coverage comes from each font's cmap, read once per process; characters no
shipped font covers are reported, because they would print as empty boxes. Cmaps and subsets
are computed once per machine and kept on disk (see fontcache.py).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from cvforge.renderers import fontcache

LOGGER = logging.getLogger(__name__)
# Templates and stylesheets add ASCII of their own (labels, numbers, separators).
TEMPLATE_CODEPOINTS = frozenset(range(0x20, 0x7F))
# Fonts above this size (the CJK subsets) are only looked at for characters the small ones lack.
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


def is_large(path: Path) -> bool:
    return path.stat().st_size > SUBSET_ABOVE


def _drawn(codepoint: int) -> bool:
    """A character with a glyph: not a space, nor a format character such as the word joiner cvforge
    puts between a date's parts, nor the non-characters marking the page's style slot."""
    return unicodedata.category(chr(codepoint))[0] not in "CZ"


def _visible(codepoints: Iterable[int]) -> bool:
    """Only a drawn character makes a font needed: counted, the others sent a Latin page through every
    CJK face's cmap (18 ms)."""
    return any(_drawn(c) for c in codepoints)


def needed_fonts(paths: Iterable[Path], codepoints: frozenset[int]) -> set[Path]:
    """The fonts among `paths` with a glyph for a visible character of the document.

    Small fonts are read first; the large ones (the CJK subsets, whose cmap takes a second to
    decode) only for characters the small ones lack, so a Latin resume never decodes them.
    """
    paths = list(dict.fromkeys(paths))
    small = [path for path in paths if not is_large(path)]
    used = {path for path in small if _visible(fontcache.font_cmap(path).among(codepoints))}
    leftover = fontcache.lacking(codepoints, (fontcache.font_cmap(path) for path in small))
    if _visible(leftover):
        used |= {path for path in paths if is_large(path) and _visible(fontcache.font_cmap(path).among(leftover))}
    return used


# CSS that switches on an OpenType feature the subsetter does not keep by default.
_CSS_FEATURES = {
    "tabular-nums": ("tnum",),
    "proportional-nums": ("pnum",),
    "lining-nums": ("lnum",),
    "oldstyle-nums": ("onum",),
    "slashed-zero": ("zero",),
    "diagonal-fractions": ("frac",),
    "stacked-fractions": ("afrc",),
    "ordinal": ("ordn",),
    "small-caps": ("smcp",),
    "all-small-caps": ("smcp", "c2sc"),
    "petite-caps": ("pcap",),
    "titling-caps": ("titl",),
    "unicase": ("unic",),
}
_FEATURE_SETTING = re.compile(r"""font-feature-settings\s*:([^;}]*)""")
_FEATURE_TAG = re.compile(r"""["']([A-Za-z0-9 ]{4})["']""")
# Scripts whose letters join or reorder (Hebrew to Mongolian, Arabic presentation forms, Indic
# extensions) need contextual alternates. For everything else (Latin, Greek, Cyrillic, punctuation,
# symbols, CJK) they are only stylistic (Inter's arrows, JetBrains Mono's code ligatures) and pull
# in hundreds of glyphs: a subset for such text leaves them out and is half the size.
_CONTEXTUAL_SCRIPTS = ((0x0590, 0x1DFF), (0xA800, 0xABFF), (0xFB1D, 0xFEFF), (0x10000, 0x1FFFF))


def css_features(css: str) -> tuple[str, ...]:
    """The OpenType features a stylesheet asks for (font-variant-*, font-feature-settings)."""
    tags = [tag for keyword, found in _CSS_FEATURES.items() if keyword in css for tag in found]
    for setting in _FEATURE_SETTING.findall(css):
        tags += [tag.strip() for tag in _FEATURE_TAG.findall(setting)]
    return tuple(sorted(set(tags)))


def font_bytes(path: Path, codepoints: frozenset[int], css_tags: tuple[str, ...] = ()) -> bytes:
    """A WOFF2 holding only the glyphs `codepoints` need: 10–20 KB for a Latin face of 110 KB.

    Every face is cut down, whatever its size, keeping the features the theme's CSS uses
    (`css_tags`); the result is cached on disk (see fontcache.py), so a rebuild of the same
    document pays nothing, and the bytes are the same every time.
    """
    drawn = fontcache.font_cmap(path).among(codepoints)
    simple = not any(low <= c <= high for c in drawn for low, high in _CONTEXTUAL_SCRIPTS)
    features = fontcache.Features(
        tuple(t for t in css_tags if not (simple and t == "calt")), ("calt",) if simple else ()
    )
    return fontcache.subset_woff2(path, drawn, features)


def uncovered(codepoints: frozenset[int], fonts: Iterable[Path]) -> list[str]:
    """Visible characters no font in `fonts` has a glyph for, in code point order (small fonts first)."""
    remaining = set(codepoints)
    for path in sorted(dict.fromkeys(fonts), key=is_large):
        if not _visible(remaining):
            break
        remaining -= fontcache.font_cmap(path).among(remaining)
    return [chr(c) for c in sorted(remaining) if _drawn(c)]


def warn_uncovered(theme: str, characters: tuple[str, ...]) -> None:
    """Said for every page that has them; never once per process, where a worker's second resume with
    the same characters would go unwarned (and be written under --strict)."""
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in characters[:12])
    more = f" and {len(characters) - 12} more" if len(characters) > 12 else ""
    LOGGER.warning(
        "no font of theme '%s' has %s%s: the HTML leaves them to the reader's own fonts"
        " (an empty box where those lack them)",
        theme,
        shown,
        more,
    )
