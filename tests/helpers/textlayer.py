"""Read a PDF's text as three independent extractors do, and the checks an ATS-readable page passes.

pdf.js is what job portals run in the browser (tests/helpers/pdfjs_text.mjs, installed by
`make setup` through package.json); pdftotext is poppler's (scripts/install-system-deps);
pdfminer.six comes with pdfplumber. Each returns None when its tool is missing, so a test can skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from cvforge.document.headings import heading_parts
from cvforge.document.sections import RoleView, TimelineGroup
from cvforge.document.view import Document

ROOT = Path(__file__).resolve().parents[2]
PDFJS_HELPER = ROOT / "tests" / "helpers" / "pdfjs_text.mjs"
PDFJS_MODULE = ROOT / "node_modules" / "pdfjs-dist"
_HYPHENATED = re.compile(r"\b([A-Za-z]{2,})-([A-Za-z]{2,})\b")


def pdfjs_missing() -> str | None:
    """Why pdf.js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (make setup installs it)"
    if not PDFJS_MODULE.is_dir():
        return "pdfjs-dist is not installed (make setup runs npm ci)"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout
    if int(version.lstrip("v").split(".")[0] or 0) < 20:
        return f"pdfjs-dist 4.10 needs Node 20 or later (this is {version.strip()})"
    return None


def pdfjs_text(pdf: Path) -> str:
    done = subprocess.run(
        ["node", str(PDFJS_HELPER), str(pdf)], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def pdfjs_texts(pdfs: list[Path]) -> dict[Path, str]:
    """pdf.js's text of many PDFs, read in one Node process."""
    import json

    helper = PDFJS_HELPER.with_name("pdfjs_texts.mjs")
    done = subprocess.run(
        ["node", str(helper), *map(str, pdfs)], capture_output=True, text=True, check=True, timeout=900
    )
    return {Path(name): text for name, text in json.loads(done.stdout).items()}


def pdftotext_text(pdf: Path) -> str:
    """poppler's default (reading-order) mode, the one most server-side parsers shell out to."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def pdfminer_text(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(pdf)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def roles(document: Document) -> list[tuple[str | None, str | None, str | None]]:
    """(title, organisation, dates) of every role, in document order."""
    found: list[tuple[str | None, str | None, str | None]] = []
    for section in document.sections:
        if section.kind != "timeline":
            continue
        for group in section.items:
            assert isinstance(group, TimelineGroup)
            for role in group.roles:
                assert isinstance(role, RoleView)
                found.append((role.title, group.organisation, role.dates))
    return found


def paper_order(title: str | None, organisation: str | None, dates: str | None) -> tuple[str | None, ...]:
    """A role's fields in the order a PDF reads them: "Organisation · dates", then the title, when it
    has both (sections/timeline.html.j2); else its one heading, then the dates."""
    return (organisation, dates, title) if title and organisation else (title, organisation, dates)


def role_pattern(title: str | None, organisation: str | None, dates: str | None) -> re.Pattern[str]:
    """The role's fields in paper order in squashed text: separators between them, and before a
    title that follows its organisation's line, that line's team and place."""
    pattern = ""
    for field in paper_order(title, organisation, dates):
        if field:
            gap = r".{0,80}?" if pattern and field == title and organisation else r"\W{0,4}"
            pattern += (gap if pattern else "") + re.escape(squash(field))
    return re.compile(pattern)


def problems(text: str, document: Document, source_text: str, roles_text: str | None = None) -> list[str]:
    """Everything a field-by-field parser would get wrong in `text`; empty when the page reads right.
    `roles_text`: the text the roles are read from, when it is not all of `text` (one column's)."""
    found: list[str] = []
    flat = squash(text)
    roles_flat = squash(roles_text) if roles_text is not None else flat
    if not flat.startswith(squash(document.person.name)):
        found.append(f"the name is not the first text: {flat[:60]!r}")
    lines = [squash(line) for line in text.splitlines()]
    for section in document.sections:
        # the heading parsers file the section by; the person's own title may follow it or, on a
        # page that saves lines (compact), be left out
        title = squash(heading_parts(section.key, section.title, document.locale)[0])
        if not any(re.fullmatch(rf"{re.escape(title)}\b.*", line, re.IGNORECASE) for line in lines):
            found.append(f"section heading {title!r} is not a line of words")
    position = 0
    for title, organisation, dates in roles(document):
        fields = [squash(f) for f in paper_order(title, organisation, dates) if f]
        match = role_pattern(title, organisation, dates).search(roles_flat, position)
        if match is None:
            found.append(f"role {' | '.join(fields)} does not read in order (organisation, dates, title on paper)")
            continue
        position = match.end()
        if dates and not any(squash(dates) in line for line in lines):
            found.append(f"dates {dates!r} of {title or organisation!r} are split across lines")
    for first, second in set(_HYPHENATED.findall(source_text)):
        joined = first + second
        if re.search(rf"\b{joined}\b", flat) and not re.search(rf"\b{joined}\b", source_text):
            found.append(f"hyphenated word {first}-{second} extracts as {joined!r}")
    return found


def _letters(text: str) -> str:
    """Letters and digits only, lower case: hyphen joins, bullets and line breaks do not matter."""
    return re.sub(r"\W", "", text).lower()


def without_column(text: str, column: str, shortest: int = 4) -> str:
    """`text` without the lines `column` holds: what is left of a two-column page when the narrow
    column is taken out, to check the wide one's order on its own."""
    side = _letters(column)
    return "\n".join(line for line in text.splitlines() if not (len(key := _letters(line)) >= shortest and key in side))


def column_runs(text: str, columns: dict[str, str], shortest: int = 4) -> list[str]:
    """Each page of extracted `text` as the run of columns its lines come from, e.g. "HWS".

    `columns` maps a letter to a column's text (from the HTML); a line is that column's when only
    that column contains it. A line found in no column, long enough to tell, is "X": text from two
    columns joined into one line. Lines in several columns, or too short to tell, are skipped.
    """
    keyed = {mark: _letters(column) for mark, column in columns.items()}
    pages: list[str] = []
    for page in text.split("\f"):
        marks = ""
        for line in page.splitlines():
            key = _letters(line)
            if len(key) < shortest:
                continue
            owners = [mark for mark, column in keyed.items() if key in column]
            mark = owners[0] if len(owners) == 1 else ("X" if not owners else "")
            if mark and not marks.endswith(mark):
                marks += mark
        pages.append(marks)
    return pages


def embedded_fonts(pdf: bytes) -> set[str]:
    """The font families a PDF embeds, as its BaseFont names them (subset prefix dropped)."""
    import io

    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names
