"""The files a build writes and how the tests read them back: text in order, as a parser would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import docx
from pypdf import PdfReader

from cvforge.schema import Profile

# The formats whose text cvforge reads back itself (`cvforge check`).
CHECKED_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Built:
    """One seed profile and the files built from it."""

    profile: Profile
    files: dict[str, Path]
    theme: str = "classic"


@dataclass(frozen=True)
class ProjectBuild:
    """`cvforge build` with no arguments, run once in a copy of the project's profiles and targets."""

    root: Path
    exit_code: int
    output: str

    @property
    def out(self) -> Path:
        return self.root / "out"


def normalise(text: str) -> str:
    """Collapse whitespace so line wrapping in a PDF or DOCX does not matter."""
    return re.sub(r"\s+", " ", text).strip()


def expected_sequence(profile: Profile) -> list[str]:
    """What a reader must find, in this order: name, metric figures, roles, projects."""
    items = [profile.person.name]
    for metric in profile.metrics:
        items.append(metric.value if metric.value else f"{metric.before} → {metric.after}")
    for role in profile.experience:
        items.append(role.title or role.organisation or "")
    items.extend(project.name for project in profile.projects)
    return items


def assert_in_order(text: str, items: list[str]) -> None:
    """Every item appears, each after the previous one."""
    text = normalise(text)
    position = 0
    for item in items:
        found = text.find(normalise(item), position)
        assert found >= 0, f"{item!r} missing (or out of order) after position {position}"
        position = found + len(normalise(item))


class TextAndLinks(HTMLParser):
    """Collect the visible text of a page, its links, and every URL it would load."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.loads: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for attribute in ("src", "srcset"):
            if values.get(attribute):
                self.loads.append(values[attribute] or "")
        if tag == "link" and values.get("href") and values.get("rel") != "canonical":  # a canonical is never fetched
            self.loads.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse_html(path: Path) -> TextAndLinks:
    parser = TextAndLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pdf_text(path: Path) -> str:
    """Text as a parser reads it; a word broken at a hyphen across lines is joined again."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"(?<=\w-)\n", "", text)


def docx_text(path: Path) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)


def pdf_font_names(path: Path) -> set[str]:
    """The fonts a PDF's pages draw with, without their subset prefixes."""
    names: set[str] = set()
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
    return names
