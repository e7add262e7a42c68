"""Document → plain text, for the job-portal boxes that take only pasted text.

Wrapped to 80 columns by display width (a CJK character takes two), lists with hanging indents,
links written out (a pasted URL is the only kind that survives), diagrams kept as drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from cvforge.document.sections import MetricView
from cvforge.document.view import Document
from cvforge.renderers.outline import SEPARATOR, Meta, Point, write_outline
from cvforge.renderers.themes import Theme
from cvforge.schema.markup import Inline

WIDTH = 80
_INDENT = "  "  # a role under its organisation's head
# A run of ordinary characters, one wide (CJK) character, or a run of spaces: the units a line
# may break between. Wide characters break anywhere, as CJK text does.
_TOKENS = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\s+|[^\s]"
)


def display_width(text: str) -> int:
    """Columns a terminal or a monospace text box gives `text`: wide and fullwidth characters take two."""
    return sum(0 if unicodedata.combining(c) else (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in text)


def _words(text: str) -> list[str]:
    """Break opportunities: spaces, and around every wide character."""
    words: list[str] = []
    current = ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            if current:
                words.append(current)
            words.append(" ")
            current = ""
        elif display_width(token) == 2:
            if current:
                words.append(current)
            words.append(token)
            current = ""
        else:
            current += token
    if current:
        words.append(current)
    return words


def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> list[str]:
    """Greedy fill by display width; a word longer than the line (a URL) gets a line of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, prefix = "", first if not lines else rest
        for word in _words(" ".join(paragraph.split())):
            if word == " ":
                line += " " if line else ""
                continue
            candidate = line + word
            if line.strip() and display_width(prefix + candidate) > width:
                lines.append(prefix + line.rstrip())
                prefix, line = rest, word
            else:
                line = candidate
        lines.append(prefix + line.rstrip())
    return lines


def plain(spans: Inline | None) -> str:
    """Spans as text; a link keeps its address in brackets unless the text already shows it."""
    if not spans:
        return ""
    parts = []
    for span in spans:
        text = span.text
        if span.href and not span.href.startswith(("mailto:", "tel:")) and _bare(span.href) not in _bare(text):
            text = f"{text} ({span.href})"
        parts.append(text)
    return "".join(parts)


def _bare(url: str) -> str:
    return re.sub(r"^[a-z]+:(//)?(www\.)?", "", url.strip(), flags=re.IGNORECASE).rstrip("/")


def _link(text: str, href: str) -> str:
    return text if href.startswith(("mailto:", "tel:")) or _bare(href) in _bare(text) else f"{text} ({href})"


class Writer:
    """Blocks of lines, separated by one blank line."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []

    def add(self, *blocks: list[str] | None) -> None:
        self.blocks.extend(b for b in blocks if b)

    def para(self, text: str | None, indent: str = "") -> None:
        if text:
            self.add(wrap(text, first=indent, rest=indent))

    def text(self) -> str:
        return "\n\n".join("\n".join(block) for block in self.blocks) + "\n"


def _list(items: Iterable[str], marker: str = "- ", indent: str = "") -> list[str] | None:
    lines: list[str] = []
    for item in items:
        lines += wrap(item, first=indent + marker, rest=indent + " " * display_width(marker))
    return lines or None


def _joined_lines(items: list[str], width: int = WIDTH) -> list[str] | None:
    """Items joined with " · ", a line broken only between items (a contact is never split)."""
    lines: list[str] = []
    for item in items:
        if lines and display_width(lines[-1] + SEPARATOR + item) <= width:
            lines[-1] += SEPARATOR + item
        else:
            lines.append(item)
    return lines or None


def _meta(*parts: str | None) -> str | None:
    return SEPARATOR.join(p for p in parts if p) or None


def _heading(title: str, underline: str) -> list[str]:
    return [title, underline * max(display_width(title), 3)]


def _preformatted(text: str) -> list[str]:
    return ["    " + line if line else "" for line in text.rstrip("\n").split("\n")]


class TextFormatter(Writer):
    """How the outline reads as plain text: wrapped to 80 columns, an underlined name and section
    titles, "- " lists with hanging indents, roles under an organisation indented two spaces."""

    def literal(self, text: str) -> str:
        return text

    def inline(self, spans: Inline | None) -> str:
        return plain(spans)

    def italic(self, spans: Inline | None) -> str:
        return plain(spans)

    def emphasis(self, text: str) -> str:
        return text

    def link(self, text: str, href: str) -> str:
        return _link(text, href)

    def label(self, name: str) -> str:
        return f"{name}:"

    def metric(self, metric: MetricView) -> str:
        figure = f"{metric.figure} {metric.unit}" if metric.unit else metric.figure
        return f"{figure}  {metric.label}" + (f" ({metric.context})" if metric.context else "")

    def masthead(self, name: str, headline: str | None) -> None:
        self.add(_heading(name, "=") + (wrap(headline) if headline else []))

    def contacts(self, items: list[str]) -> None:
        self.add(_joined_lines(items))

    def section_heading(self, title: str) -> None:
        self.add(_heading(title.upper(), "-"))

    def head(self, title: str | None, metas: Sequence[Meta], depth: int = 0) -> None:
        """The title with every meta part on one line straight under it, as one block."""
        indent = _INDENT * depth
        meta = _meta(*(part for parts in metas for part in parts))
        lines = wrap(title, first=indent, rest=indent) if title else []
        lines += wrap(meta, first=indent, rest=indent) if meta else []
        self.add(lines or None)

    def paragraph(self, text: str, depth: int = 0) -> None:
        self.para(text, _INDENT * depth)

    def bullets(self, items: Iterable[str], depth: int = 0) -> None:
        self.add(_list(items, indent=_INDENT * depth))

    def points(self, items: Iterable[Point], depth: int = 0) -> None:
        indent = _INDENT * depth
        lines: list[str] = []
        for text, subs in items:
            lines += _list([text], indent=indent) or []
            lines += _list(subs, indent=indent + _INDENT) or []
        self.add(lines or None)

    def numbered(self, items: Sequence[str], numbers: Sequence[int]) -> None:
        width = len(str(max(numbers, default=0)))
        lines: list[str] = []
        for number, item in zip(numbers, items, strict=True):
            marker = f"{number:>{width}}. "
            lines += wrap(item, first=marker, rest=" " * len(marker))
        self.add(lines)

    def preformatted(self, text: str) -> None:
        self.add(_preformatted(text))

    def result(self) -> str:
        return self.text()


def render_text_string(document: Document) -> str:
    return write_outline(document, TextFormatter())


def render_text(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """The plain-text file, as the build writes it."""
    return render_text_string(document).encode("utf-8")
