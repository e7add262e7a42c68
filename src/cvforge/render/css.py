"""Every URL in a theme's stylesheet, found by a real CSS parser and passed through one gate.

A regular expression misses `u\\72l(...)`, `url( "..." )` with comments, `image-set("...")` and
`@import "..."`; tinycss2 (WeasyPrint's own CSS tokenizer) decodes escapes exactly as browsers
and WeasyPrint do, so what it sees is what would be fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tinycss2
from tinycss2.ast import AtRule, FunctionBlock, StringToken, URLToken
from tinycss2.serializer import serialize_string_value

EMPTY_URL = "data:,"  # what a refused URL becomes: valid CSS that loads nothing
_IMAGE_SETS = {"image-set", "-webkit-image-set"}  # functions whose plain strings are URLs

Resolve = Callable[[str], str | None]


def rewrite_urls(css: str, resolve: Resolve, refuse_import: Callable[[str], None]) -> str:
    """`css` with each URL replaced by `resolve(url)`, or by an empty data: URL when that returns None.

    `@import` rules are removed (`refuse_import` hears about each): a theme lists its stylesheets
    in its manifest, so nothing needs to be loaded from inside one.
    """
    nodes = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    kept: list[Any] = []
    for node in nodes:
        if isinstance(node, AtRule) and node.lower_at_keyword == "import":
            refuse_import(tinycss2.serialize(node.prelude).strip())
            continue
        for part in (getattr(node, "prelude", None), getattr(node, "content", None)):
            if isinstance(part, list):
                _rewrite(part, resolve)
        kept.append(node)
    return tinycss2.serialize(kept)


def _rewrite(values: list[Any], resolve: Resolve, *, strings_are_urls: bool = False) -> None:
    """Rewrite URLs in a list of component values in place, descending into blocks and functions."""
    for index, value in enumerate(values):
        if isinstance(value, URLToken):
            values[index] = _url_token(value, resolve(value.value))
        elif isinstance(value, FunctionBlock) and value.lower_name in ("url", "src"):
            target = next((arg.value for arg in value.arguments if isinstance(arg, StringToken)), "")
            values[index] = _url_token(value, resolve(target))
        elif isinstance(value, FunctionBlock):
            _rewrite(value.arguments, resolve, strings_are_urls=value.lower_name in _IMAGE_SETS)
        elif isinstance(value, StringToken) and strings_are_urls:
            target = resolve(value.value) or EMPTY_URL
            values[index] = StringToken(
                value.source_line, value.source_column, target, f'"{serialize_string_value(target)}"'
            )
        elif isinstance(getattr(value, "content", None), list):
            _rewrite(value.content, resolve)


def _url_token(original: Any, target: str | None) -> URLToken:
    target = target or EMPTY_URL
    return URLToken(original.source_line, original.source_column, target, f'url("{serialize_string_value(target)}")')
