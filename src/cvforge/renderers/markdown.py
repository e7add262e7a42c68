"""Document → Markdown (CommonMark), for portals, READMEs and anything that takes pasted Markdown.

What is written, and in which order, is the outline's (outline.py); this module says how it reads
as CommonMark. Text from the profile is escaped so it can never turn into markup it did not ask for; its own
inline Markdown (already parsed into spans) is written back as CommonMark.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from cvforge.document.sections import MetricView
from cvforge.document.view import Document
from cvforge.renderers.outline import SEPARATOR, Meta, Point, write_outline
from cvforge.renderers.themes import Theme
from cvforge.schema.markup import Inline

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BANG_AT_END = re.compile(r"(?<!\\)!$")
# What a link destination may hold as is: printable ASCII but space, quotes, angle brackets,
# parentheses, backslash and backtick, which could end the destination or open markup.
_DESTINATION_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "<>()\"'\\`%")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])(?=\s|$)")


def escape(text: str) -> str:
    """Plain text that reads the same in any CommonMark renderer: inline markers, HTML, entity
    references and line-starting block markers are backslash-escaped; nothing else is touched.

    A closing `!` is escaped too: written before a link, it would turn the link into an image."""
    text = _ENTITY.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))
    text = _BANG_AT_END.sub(r"\\!", text)
    lines = [_BLOCK_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], line) for line in text.split("\n")]
    return "\n".join(lines)


def _destination(href: str) -> str:
    """A link destination that cannot end early or open markup: anything but safe ASCII is
    percent-encoded (an existing %XX escape is kept), so the destination is always bare."""
    encoded = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", href)
    depth = 0
    for char in encoded:  # balanced parentheses are read as part of a bare destination; others end it
        depth += (char == "(") - (char == ")")
        if depth < 0:
            break
    parens = "()" if depth == 0 else ""
    return urllib.parse.quote(encoded, safe=_DESTINATION_SAFE + "%" + parens)


def code_span(text: str) -> str:
    """A code span whose delimiter is longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(spans: Inline | None) -> str:
    """Spans → CommonMark; emphasis markers hug the text (spaces move outside), as CommonMark needs."""
    if not spans:
        return ""
    parts: list[str] = []
    for span in spans:
        body = code_span(span.text) if span.code else escape(span.text).replace("\n", "\\\n")
        core = body.strip(" ")
        if not core:
            parts.append(body)
            continue
        lead, trail = body[: len(body) - len(body.lstrip(" "))], body[len(body.rstrip(" ")) :]
        marker = ("**" if span.bold else "") + ("*" if span.italic else "")
        core = f"{marker}{core}{marker[::-1]}"
        if span.href:
            core = f"[{core}]({_destination(span.href)})"
        parts.append(f"{lead}{core}{trail}")
    return "".join(parts)


def _italic(spans: Inline) -> str:
    return inline(tuple(replace(span, italic=True) for span in spans))


def _meta(*parts: str | None) -> str | None:
    text = SEPARATOR.join(p for p in parts if p)
    return f"*{escape(text)}*" if text else None


def _link(text: str, href: str) -> str:
    return f"[{escape(text)}]({_destination(href)})"


def _fenced(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}text\n{text}\n{fence}"


class Writer:
    """Collects blocks (paragraphs, lists, headings) and joins them with one blank line."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def add(self, *blocks: str | None) -> None:
        self.blocks.extend(b for b in blocks if b)

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


class MarkdownFormatter(Writer):
    """How the outline reads as CommonMark: ATX headings (items at ###, roles under an organisation
    at ####), `-` lists, italic meta lines, bold labels; profile text is escaped."""

    def literal(self, text: str) -> str:
        return escape(text)

    def inline(self, spans: Inline | None) -> str:
        return inline(spans)

    def italic(self, spans: Inline | None) -> str:
        return _italic(spans) if spans else ""

    def emphasis(self, text: str) -> str:
        return f"*{text}*"

    def link(self, text: str, href: str) -> str:
        return _link(text, href)

    def label(self, name: str) -> str:
        return f"**{escape(name)}:**"

    def metric(self, metric: MetricView) -> str:
        figure = f"{metric.figure} {metric.unit}" if metric.unit else metric.figure
        line = f"**{escape(figure)}** {escape(metric.label)}"
        return f"{line} *({escape(metric.context)})*" if metric.context else line

    def masthead(self, name: str, headline: str | None) -> None:
        self.add(f"# {escape(name)}", f"**{escape(headline)}**" if headline else None)

    def contacts(self, items: list[str]) -> None:
        self.add(SEPARATOR.join(items))

    def section_heading(self, title: str) -> None:
        self.add(f"## {escape(title)}")

    def head(self, title: str | None, metas: Sequence[Meta], depth: int = 0) -> None:
        if title is not None:
            self.add(f"{'#' * (3 + depth)} {title}")
        self.add(*(_meta(*meta) for meta in metas))

    def paragraph(self, text: str, depth: int = 0) -> None:
        self.add(text)

    def bullets(self, items: Iterable[str], depth: int = 0) -> None:
        self.add("\n".join(f"- {item}" for item in items))

    def points(self, items: Iterable[Point], depth: int = 0) -> None:
        # a sub-point is indented to its item's text, which CommonMark reads as a nested list
        self.add("\n".join(f"- {text}" + "".join(f"\n  - {sub}" for sub in subs) for text, subs in items))

    def numbered(self, items: Sequence[str], numbers: Sequence[int]) -> None:
        if list(numbers) == list(range(1, len(items) + 1)):
            self.add("\n".join(f"{number}. {item}" for number, item in enumerate(items, 1)))
            return
        # Markdown renumbers an ordered list from its first number, upwards; a countdown is kept as
        # written, one paragraph a line with the dot escaped, so "3\\. Talk" stays 3 in every viewer.
        for number, item in zip(numbers, items, strict=True):
            self.add(f"{number}\\. {item}")

    def preformatted(self, text: str) -> None:
        self.add(_fenced(text))

    def result(self) -> str:
        return self.text()


def render_markdown_text(document: Document) -> str:
    return write_outline(document, MarkdownFormatter())


def render_markdown(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """The Markdown file, as the build writes it (themes style nothing here; order and titles are the view's)."""
    return render_markdown_text(document).encode("utf-8")
