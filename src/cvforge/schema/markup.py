"""Inline Markdown to spans: the one place profile prose is parsed, for every output format.

Only emphasis, strong, code and links are recognised; raw HTML stays literal text, so nothing
a profile says can become markup in any renderer. An image, `![alt](url)`, is never fetched: it is
its alt text linked to its address (not "!alt").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from cvforge.schema.links import is_safe_link

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with the same formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


Inline = tuple[Span, ...]


# The characters that can begin what the enabled rules read (emphasis, code, links, images, escapes,
# line breaks), and the two the parser normalises (NUL, CR). Text without any is one plain span.
_MARKUP_CHARACTERS = re.compile(r"[*_`\[\]!\\\n\r\0]")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # "zero" enables nothing; add back only the inline rules we render. html stays off.
    return MarkdownIt("zero").enable(["emphasis", "backticks", "link", "image", "escape", "newline"])


@lru_cache(maxsize=1)
def _link_finder() -> MarkdownIt:
    """Like `_parser`, but keeps every link target as written, so validation can name bad ones."""
    from markdown_it import MarkdownIt

    finder = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "image", "escape", "newline"])
    finder.validateLink = lambda url: True  # type: ignore[method-assign]
    finder.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return finder


def link_targets(text: str) -> list[str]:
    """Every link target in one paragraph of inline Markdown, as its author wrote it."""
    if "](" not in text:  # no inline link can exist without one: skip parsing most prose
        return []
    tokens = _link_finder().parseInline(text)[0].children or ()
    return [
        str(token.attrs.get("href" if token.type == "link_open" else "src", ""))
        for token in tokens
        if token.type in ("link_open", "image")
    ]


def parse_inline(text: str) -> Inline:
    """Split one paragraph of inline Markdown into formatted spans. Prose without a character any
    rule reads is one plain span, as the parser would make it, without it: a profile written with
    no Markdown never imports markdown-it (18 ms)."""
    if not _MARKUP_CHARACTERS.search(text):
        return (Span(text),) if text else ()
    return parsed_inline(text)


def parsed_inline(text: str) -> Inline:
    """What markdown-it makes of the text (`parse_inline` without its plain-prose shortcut)."""
    tokens = _parser().parseInline(text)
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for token in tokens[0].children or ():
        match token.type:
            case "text":
                _append(spans, Span(token.content, bold > 0, italic > 0, False, href))
            case "code_inline":
                _append(spans, Span(token.content, bold > 0, italic > 0, True, href))
            case "strong_open":
                bold += 1
            case "strong_close":
                bold -= 1
            case "em_open":
                italic += 1
            case "em_close":
                italic -= 1
            case "link_open":
                target = str(token.attrs.get("href", ""))
                href = target if is_safe_link(target) else None
            case "link_close":
                href = None
            case "image":  # never fetched: the alt text, linked to the image (unless inside a link)
                source = str(token.attrs.get("src", ""))
                linked = href or (source if is_safe_link(source) else None)
                _append(spans, Span(token.content or source, bold > 0, italic > 0, False, linked))
            case "softbreak" | "hardbreak":
                _append(spans, Span(" " if token.type == "softbreak" else "\n", bold > 0, italic > 0, False, href))
            case _:
                _append(spans, Span(token.content, bold > 0, italic > 0, False, href))
    return tuple(spans)


def _append(spans: list[Span], span: Span) -> None:
    """Merge a span into the previous one when only the text differs, keeping span lists short."""
    if not span.text:
        return
    if spans:
        last = spans[-1]
        if (last.bold, last.italic, last.code, last.href) == (span.bold, span.italic, span.code, span.href):
            spans[-1] = Span(last.text + span.text, last.bold, last.italic, last.code, last.href)
            return
    spans.append(span)


def plain_text(spans: Inline) -> str:
    """The text a reader (or a parser) sees, without formatting."""
    return "".join(span.text for span in spans)


_SUB_POINT = re.compile(r"^[ \t]*[-*+][ \t]+(?=\S)")


def split_sub_points(text: str) -> tuple[str, tuple[str, ...]]:
    """A bullet's own line and its sub-points: the lines under it that start with "- " (a nested
    list, as RenderCV writes "Published at - ICML - NeurIPS"). A line that is not an item continues
    the sub-point above it; a bullet that starts with an item has no own line, so it stays whole."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if _SUB_POINT.match(line)), None)
    if not first:  # None (no sub-points) or 0 (the bullet itself is written as an item)
        return text, ()
    subs: list[str] = []
    for line in lines[first:]:
        if _SUB_POINT.match(line):
            subs.append(_SUB_POINT.sub("", line, count=1).strip())
        elif line.strip():
            subs[-1] = f"{subs[-1]} {line.strip()}"
    return "\n".join(lines[:first]).rstrip(), tuple(subs)
