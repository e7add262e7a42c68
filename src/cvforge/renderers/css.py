"""Every URL in a theme's stylesheet, found by a real CSS parser and passed through one gate.

A regular expression misses `u\\72l(...)`, `url( "..." )` with comments, `image-set("...")` and
`@import "..."`; tinycss2 (WeasyPrint's own CSS tokenizer) decodes escapes exactly as browsers
and WeasyPrint do, so what it sees is what would be fetched. Parsing is done once per stylesheet
text: the result is a plan with numbered slots, filled per theme and mode on every render.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import tinycss2
from tinycss2.ast import AtRule, FunctionBlock, StringToken, URLToken
from tinycss2.serializer import serialize_string_value

EMPTY_URL = "data:,"  # what a refused URL becomes: valid CSS that loads nothing
_IMAGE_SETS = {"image-set", "-webkit-image-set"}  # functions whose plain strings are URLs
# Slot markers are Unicode non-characters, which no stylesheet contains.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_SLOT = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_SPECIAL = ('"', "\\", "\n", "\r", "\f")


@dataclass(frozen=True)
class UrlPlan:
    """A stylesheet whose every URL is a numbered slot, with the URLs and @import targets it held."""

    text: str
    urls: tuple[str, ...]
    imports: tuple[str, ...]

    def fill(self, targets: Sequence[str | None]) -> str:
        """The stylesheet with slot i holding targets[i]; None (refused) becomes an empty data: URL."""
        return _SLOT.sub(lambda m: _quoted(targets[int(m.group(1))] or EMPTY_URL), self.text)


def _quoted(url: str) -> str:
    """The inside of a CSS string; a base64 data: URI needs no escaping, and scanning it is cheap."""
    return serialize_string_value(url) if any(char in url for char in _SPECIAL) else url


@lru_cache(maxsize=64)
def plan_urls(css: str) -> UrlPlan:
    """Find every URL in `css`; `@import` rules are removed (a theme lists its stylesheets in its manifest)."""
    nodes = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    urls: list[str] = []
    imports: list[str] = []
    kept: list[Any] = []
    for node in nodes:
        if isinstance(node, AtRule) and node.lower_at_keyword == "import":
            imports.append(tinycss2.serialize(node.prelude).strip())
            continue
        for part in (getattr(node, "prelude", None), getattr(node, "content", None)):
            if isinstance(part, list):
                _slot_urls(part, urls)
        kept.append(node)
    return UrlPlan(tinycss2.serialize(kept), tuple(urls), tuple(imports))


def _slot_urls(values: list[Any], urls: list[str], *, strings_are_urls: bool = False) -> None:
    """Replace URLs in a list of component values by slots, descending into blocks and functions."""
    for index, value in enumerate(values):
        if isinstance(value, URLToken):
            values[index] = _url_slot(value, value.value, urls)
        elif isinstance(value, FunctionBlock) and value.lower_name in ("url", "src"):
            target = next((arg.value for arg in value.arguments if isinstance(arg, StringToken)), "")
            values[index] = _url_slot(value, target, urls)
        elif isinstance(value, FunctionBlock):
            _slot_urls(value.arguments, urls, strings_are_urls=value.lower_name in _IMAGE_SETS)
        elif isinstance(value, StringToken) and strings_are_urls:
            slot = _slot(value.value, urls)
            values[index] = StringToken(value.source_line, value.source_column, slot, f'"{slot}"')
        elif isinstance(getattr(value, "content", None), list):
            _slot_urls(value.content, urls)


def _slot(url: str, urls: list[str]) -> str:
    urls.append(url)
    return f"{_OPEN}{len(urls) - 1}{_CLOSE}"


def _url_slot(original: Any, url: str, urls: list[str]) -> URLToken:
    slot = _slot(url, urls)
    return URLToken(original.source_line, original.source_column, slot, f'url("{slot}")')
