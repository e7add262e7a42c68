"""Characters no font of the theme can draw (rare symbols; the built-in themes ship an emoji face)
are left out of the PDF, each with a warning naming the character and where it was, rather than
printed as an empty box; and Korean words are kept whole across line ends.

The PDF is drawn with the theme's fonts (WeasyPrint falls back to whatever the machine has, which
on a server is often nothing: a tofu box). Browsers, Word and text editors draw with the reader's
own fonts as well, so the HTML, DOCX, Markdown and text keep every character as written.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from cvforge.document.sections import MetricView
from cvforge.renderers import fonts
from cvforge.renderers.html import theme_fonts
from cvforge.renderers.themes import Theme

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")
# Joiners and presentation selectors only glue emoji together: they go with the emoji they glue.
_GLUE = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)})
_SPACES = re.compile(r"(?<= ) +")
_SKIP_FIELDS = frozenset({"href", "photo", "url", "kind", "key"})  # addresses and names, never drawn as text


def printable(document: T, theme: Theme, *, warn: bool = True) -> T:
    """The document without characters no font of the theme covers, warning once about each, with
    the field it was in ("sections.experience.items[0].roles[0].bullets[1]"); `warn=False` for
    the page fit's trial layouts of the same text."""
    codepoints = fonts.document_codepoints(document)
    if getattr(getattr(document, "locale", None), "rtl", False):
        document = _isolate_figures(document)
    if any(_is_hangul(chr(c)) for c in codepoints):
        document = _map_text(document, _join_hangul, "")
    missing = {ord(c) for c in fonts.uncovered(codepoints, theme_fonts(theme))}
    if not missing:
        return document
    drop = missing | (_GLUE & codepoints)
    found: dict[str, str] = {}
    cleaned = _strip(document, frozenset(drop), "", found)
    for char, where in found.items() if warn else ():
        name = unicodedata.name(char, "unnamed character").lower()
        LOGGER.warning(
            "%s (U+%04X, %s) in %s: no font of theme '%s' has it;"
            " left out of the PDF rather than printed as an empty box",
            char,
            ord(char),
            name,
            where,
            theme.name,
        )
    return cleaned


# Korean breaks lines at spaces, keeping each word whole (CSS `word-break: keep-all`, which browsers
# follow and WeasyPrint does not): a word joiner between two Hangul syllables keeps Pango from
# breaking there. The PDF's text layer leaves the joiners out (textlayer).
WORD_JOINER = "\u2060"
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"  # syllables, jamo, compatibility jamo
_HANGUL_PAIR = re.compile(f"(?<=[{_HANGUL}])(?=[{_HANGUL}])")


# A figure ("45 → 15") reads left to right on a right-to-left page: isolated (LRI … PDI), as the
# HTML's dir="ltr" does, which WeasyPrint does not follow. The text layer leaves the marks out.
_LRI, _PDI = "\u2066", "\u2069"


def _isolate_figures(value: T) -> T:
    """Every metric's figure, and its before → after, isolated left to right."""
    if isinstance(value, MetricView):
        before = _LRI + value.before if value.before and value.after else value.before
        after = value.after + _PDI if value.before and value.after else value.after
        figure = _LRI + value.figure + _PDI if _weak(value.figure) else value.figure
        return dataclasses.replace(value, figure=figure, before=before, after=after)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {spec.name: _isolate_figures(getattr(value, spec.name)) for spec in dataclasses.fields(value)}
        changed = {k: v for k, v in changes.items() if v is not getattr(value, k)}
        return dataclasses.replace(value, **changed) if changed else value
    if isinstance(value, tuple):
        items = tuple(_isolate_figures(item) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value  # type: ignore[return-value]
    return value


def _weak(text: str) -> bool:
    """No right-to-left letter in it: digits, Latin, arrows."""
    return bool(text) and not any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"


def _join_hangul(text: str) -> str:
    return _HANGUL_PAIR.sub(WORD_JOINER, text)


def _map_text(value: T, change: Callable[[str], str], path: str) -> T:
    """The value with `change` applied to every drawn string in it (not addresses or keys)."""
    if isinstance(value, str):
        return change(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            spec.name: _map_text(getattr(value, spec.name), change, spec.name)
            for spec in dataclasses.fields(value)
            if spec.name not in _SKIP_FIELDS
        }
        changed = {k: v for k, v in changes.items() if v is not getattr(value, k)}
        return dataclasses.replace(value, **changed) if changed else value
    if isinstance(value, tuple):
        items = tuple(_map_text(item, change, path) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value  # type: ignore[return-value]
    return value


def _strip(value: T, drop: frozenset[int], path: str, found: dict[str, str]) -> T:
    if isinstance(value, str):
        gone = [c for c in value if ord(c) in drop]
        if not gone:
            return value
        for char in gone:
            if ord(char) not in _GLUE:
                found.setdefault(char, path.lstrip("."))
        return _SPACES.sub("", "".join(c for c in value if ord(c) not in drop))  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            spec.name: _strip(getattr(value, spec.name), drop, f"{path}.{spec.name}", found)
            for spec in dataclasses.fields(value)
            if spec.name not in _SKIP_FIELDS
        }
        changed = {k: v for k, v in changes.items() if v is not getattr(value, k)}
        return dataclasses.replace(value, **changed) if changed else value
    if isinstance(value, tuple):
        items = tuple(_strip(item, drop, _item_path(path, item, index), found) for index, item in enumerate(value))
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value  # type: ignore[return-value]
    return value


def _item_path(path: str, item: object, index: int) -> str:
    """A section is named by its key, so the path says "sections.experience", not "sections[2]"."""
    key = getattr(item, "key", None)
    return f"{path}.{key}" if isinstance(key, str) else f"{path}[{index}]"
