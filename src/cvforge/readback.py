"""Read an output as an applicant tracking system (ATS) would, and prove the profile survived it.

A resume that parses badly is rejected without anyone saying so. `check` extracts the text a
parser gets (PDF: pdfminer's text flow, in the order the PDF draws it; DOCX: body paragraphs and
tables in order, hyperlink text included, headers, footers and text boxes not), then looks for every
detail an ATS keys on: name, email, phone, each role's title, organisation and dates, each project
name and each skill, and the roles' order. Reading files is kept apart from verifying text, so
`verify` is pure and `cvforge build --check` can run it on the bytes it is about to write.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from cvforge.document.headings import RECOGNISED, heading_key
from cvforge.document.letter import LetterDocument
from cvforge.document.locale import make_locale
from cvforge.document.view import format_range
from cvforge.errors import CheckError
from cvforge.reader.limits import FileTooLargeError, RefusedFileError, read_capped
from cvforge.schema import Profile

# What `normalise` does, and why each step cannot make a missing detail look present:
# - NFKC folds compatibility forms a PDF may carry (ligatures "ﬁ", full-width letters, NBSP);
# - characters that never show (soft hyphen, zero-width space, word joiner, BOM) are dropped;
# - every dash (hyphen, en dash, em dash, minus) reads as "-", with no space around it, so the
#   view's "2024 – 2026" is found as "2024-2026" or "2024 — 2026" too: the same range;
# - runs of whitespace, line ends included, become one space.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_DASH = re.compile("[\u2010-\u2015\u2212]")
_SPACED_DASH = re.compile(r"\s*-\s*")
_WHITESPACE = re.compile(r"\s+")
# A hyphen at a line end between two letters is either a real one ("event-driven") or a break the
# layout added ("distri-buted"); it is kept as BREAK, which a needle may read as "-" or as nothing.
_LINE_END_HYPHEN = re.compile(r"(?<=\w)-\n(?=\w)")
BREAK = "\x00"
# Scripts written without spaces between words: there a detail may touch the next word.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_RUN = re.compile(f"[{_RTL}]+(?: +[{_RTL}]+)*")
ORDER_FIELD = "experience order"


# Every PDF extractor puts the letters of an Arabic lam-alef or lam-yeh ligature glyph back in
# drawing order ("الآن" reads "اآلن"), and moves the vowel marks: compared without either.
_LAM_LIGATURE = re.compile("(\u0644)([\u0622\u0623\u0625\u0627\u0649\u064a])")
_MARKS = "[\u064b-\u0652\u0670]+"
# A mark inside a word, with the space some extractors put on either side of it; then any other.
_HARAKAT = re.compile(f"(?<=[\u0620-\u064a])\\s?{_MARKS}\\s?(?=[\u0620-\u064a])|{_MARKS}")


def normalise(text: str) -> str:
    """The text as a parser compares it; applied alike to what is expected and what is extracted."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _LAM_LIGATURE.sub(r"\2\1", _HARAKAT.sub("", text))
    text = _LINE_END_HYPHEN.sub(BREAK, text)
    text = _DASH.sub("-", text)
    text = _SPACED_DASH.sub("-", text)
    return _WHITESPACE.sub(" ", text).strip()


def _pattern(needle: str, *, fold_case: bool) -> re.Pattern[str]:
    """A needle as a whole-word pattern; BREAK may stand for one of its hyphens or sit between letters."""
    parts: list[str] = []
    for index, char in enumerate(needle):
        if char == "-":
            parts.append(f"[-{BREAK}]")
            continue
        parts.append(re.escape(char))
        following = needle[index + 1 : index + 2]
        if char.isalnum() and following.isalnum():
            parts.append(f"{BREAK}?")
    before = r"(?<!\w)" if _word_edge(needle[:1]) else ""
    after = r"(?!\w)" if _word_edge(needle[-1:]) else ""
    return re.compile(before + "".join(parts) + after, re.IGNORECASE if fold_case else 0)


def _word_edge(char: str) -> bool:
    """A letter or digit at a needle's edge must not run on into a longer word ("Go" is not in "Google")."""
    return char.isalnum() and not _UNSPACED.match(char)


# --- what the profile says -----------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One detail a parser must find: where it sits in the profile, and its text as the view shows it."""

    field: str
    text: str
    fold_case: bool = False


def expected_details(profile: Profile) -> list[Expected]:
    """Every detail `check` looks for, in profile order; skills are matched without regard to case,
    as keyword searches match them."""
    person = profile.person
    details = [Expected("name", person.name)]
    if person.email:
        details.append(Expected("email", person.email))
    if person.phone:
        details.append(Expected("phone", person.phone))
    locale = make_locale(profile.locale, profile.date_format, profile.labels, warn=False)
    for index, role in enumerate(profile.experience):
        where = f"experience[{index}]"
        if role.title:
            details.append(Expected(f"{where}.title", role.title))
        if role.organisation:
            details.append(Expected(f"{where}.organisation", role.organisation))
        dates = format_range(role, locale)
        if dates:
            details.append(Expected(f"{where}.dates", dates))
    for index, project in enumerate(profile.projects):
        details.append(Expected(f"projects[{index}].name", project.name))
    skills = profile.skills
    for index, item in enumerate(skills.working_with):
        details.append(Expected(f"skills.working_with[{index}]", item, fold_case=True))
    for row_index, row in enumerate(skills.table):
        for index, item in enumerate(row.items):
            details.append(Expected(f"skills.table[{row_index}].items[{index}]", item, fold_case=True))
    for group_index, group in enumerate(skills.groups):
        for index, item in enumerate(group.items):
            details.append(Expected(f"skills.groups[{group_index}].items[{index}]", item, fold_case=True))
    return details


def experience_anchors(profile: Profile) -> list[tuple[str, str]]:
    """(field, text) naming each role, in profile order: its title, else its organisation."""
    anchors: list[tuple[str, str]] = []
    for index, role in enumerate(profile.experience):
        if role.title:
            anchors.append((f"experience[{index}].title", role.title))
        elif role.organisation:
            anchors.append((f"experience[{index}].organisation", role.organisation))
    return anchors


# --- verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One row of the report: the field, what was expected, whether it was found, and any detail."""

    field: str
    expected: str
    ok: bool
    result: str


@dataclass(frozen=True)
class Report:
    """Everything one output was checked for; `ok` only when nothing is missing or out of order."""

    source: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if not finding.ok)

    def summary(self) -> str:
        """All found in one line, or a line per gap naming its field, the expected text and what went wrong."""
        total = len(self.findings)
        if self.ok:
            return f"{self.source}: all {total} checks passed"
        named = "".join(f"\n  {gap.field}: {gap.expected!r} {gap.result}" for gap in self.gaps)
        return f"{self.source}: {len(self.gaps)} of {total} checks failed:{named}"


class Haystack:
    """Extracted text, normalised once, searched for many details."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)

    def search(self, needle: str, start: int = 0, *, fold_case: bool = False) -> re.Match[str] | None:
        """The first whole-word occurrence of `needle`, in any of its readable forms, at or after `start`."""
        matches = (_pattern(form, fold_case=fold_case).search(self.text, start) for form in _forms(needle, fold_case))
        return min((match for match in matches if match is not None), key=lambda match: match.start(), default=None)


def _forms(needle: str, fold_case: bool) -> list[str]:
    """The needle as written, and as a faithful reader may get it.

    - Set in capitals, unless case is ignored anyway: themes capitalise names and titles (CSS
      text-transform), and the capitals are what the PDF's text holds.
    - Right-to-left runs (Arabic, Hebrew) reversed: PDF readers that follow drawing order, pdfminer
      among them, return them in visual order; the letters are the same, read from the other end.
    """
    written = normalise(needle)
    forms = [written]
    if not fold_case:
        forms.append(written.upper())
    forms.append(_LAM_LIGATURE.sub(r"\2\1", _RTL_RUN.sub(lambda run: run.group()[::-1], written)))
    return list(dict.fromkeys(forms))


def verify(profile: Profile, text: str, source: str) -> Report:
    """Look for every expected detail in `text`, then check the roles come in profile order."""
    haystack = Haystack(text)
    findings = [
        Finding(e.field, e.text, found, "found" if found else "missing")
        for e in expected_details(profile)
        for found in [haystack.search(e.text, fold_case=e.fold_case) is not None]
    ]
    anchors = experience_anchors(profile)
    if len(anchors) > 1:
        findings.append(_check_order(haystack, anchors))
    return Report(source, tuple(findings))


def _check_order(haystack: Haystack, anchors: list[tuple[str, str]]) -> Finding:
    """Greedy earliest match: if the roles can be read in profile order at all, this finds it.

    Roles missing altogether are reported on their own rows, so the order is judged among the rest.
    """
    expected = " → ".join(text for _, text in anchors)
    position = 0
    previous: str | None = None
    for field, text in anchors:
        if haystack.search(text) is None:
            continue
        match = haystack.search(text, position)
        if match is None:
            assert previous is not None  # the first role present is always found from the start
            return Finding(ORDER_FIELD, expected, False, f"{field} {text!r} comes before {previous}")
        position = match.end()
        previous = field
    return Finding(ORDER_FIELD, expected, True, "in order")


# --- extraction ----------------------------------------------------------------------------------


def extract_pdf_text(data: bytes) -> str:
    """pdfminer's text flow (via pdfplumber): the order the PDF draws text in, as ATS readers take it.
    Any failure on damaged or crafted bytes is a CheckError; `extract_text` also bounds time and memory."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "\n".join(page.extract_text(use_text_flow=True) or "" for page in pdf.pages)
        return text + "\n" + _logical_text(data) if _RTL_RUN.search(text) else text
    except Exception as exc:  # pdfminer and PDFium fail on crafted input in many ways, all meaning one thing
        raise _unreadable(exc) from None


def _unreadable(exc: Exception) -> Exception:
    """A limit of ours (a stream over its cap) or running out of memory, passed on as they are
    (pdfplumber may wrap them in a PdfminerException); anything else: a PDF that cannot be read."""
    from pdfplumber.utils.exceptions import PdfminerException

    wrapped = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    cause = wrapped if isinstance(wrapped, Exception) else exc
    return cause if isinstance(cause, CheckError | MemoryError) else CheckError(f"not a readable PDF ({cause})")


def _logical_text(data: bytes) -> str:
    """Right-to-left text in reading order. pdfminer gives a line's characters in drawing order
    (an Arabic line reversed); parsers of such resumes read them by the bidi rules, as PDFium does."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
# Run content that reads as text, in document order. Text-box content (w:txbxContent, inside
# drawings or alternate content) and deleted text are not read: many parsers skip them. Property
# elements are skipped too: a w:tab inside w:pPr is a tab stop, not a tab.
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_SKIPPED = {
    *(f"{_W}{tag}" for tag in ("pPr", "rPr", "txbxContent", "drawing", "pict", "object", "del", "delText")),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}


def extract_docx_text(data: bytes) -> str:
    """Body paragraphs and tables in body order, hyperlinks, fields and content controls included.

    python-docx's `Paragraph.text` reads only direct runs and hyperlinks, so text inside fields,
    content controls or tracked insertions (which parsers do read) is gathered from the XML here.
    Headers and footers are not read, as ATS parsers do not read them.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    inspect_docx_package(data)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        SyntaxError,
    ) as exc:  # lxml's are SyntaxErrors
        raise CheckError(f"not a readable DOCX ({exc})") from None
    return "\n".join(_block_texts(body))


MAX_DOCX_ENTRIES = 1000  # a resume's DOCX holds about 15 parts
MAX_DOCX_UNPACKED = 64 * 1024 * 1024  # uncompressed: a resume is well under 1 MB; a zip bomb is gigabytes
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def inspect_docx_package(data: bytes) -> None:
    """Refuse a DOCX that would cost far more than a resume to open (a zip bomb: too many parts or
    too many bytes once unpacked) or whose XML declares a DTD (entity expansion): before parsing it.

    The sizes checked are those the ZIP declares; Python's reader never returns more than that.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if len(parts) > MAX_DOCX_ENTRIES:
                raise CheckError(f"not a resume DOCX: {len(parts):,} parts (the limit is {MAX_DOCX_ENTRIES:,})")
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_DOCX_UNPACKED:
                size = f"{unpacked / 1024 / 1024:,.0f} MiB"
                raise CheckError(f"not a resume DOCX: {size} once unpacked (the limit is 64 MiB; a zip bomb?)")
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels")) and _DTD.search(package.read(part)):
                    raise CheckError(
                        f"not a resume DOCX: {part.filename} declares a DTD or entities, which Word never writes"
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError, EOFError) as exc:
        raise CheckError(f"not a readable DOCX ({exc})") from None


def _block_texts(container: Any) -> Iterator[str]:
    """Paragraph texts of a body or table cell, descending into tables and content controls."""
    for child in container:
        if child.tag == f"{_W}p":
            yield "".join(_run_texts(child))
        elif child.tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                yield from _block_texts(row)  # a row holds cells (w:tc), perhaps inside controls
        elif child.tag == f"{_W}tc":
            yield from _block_texts(child)
        elif child.tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                yield from _block_texts(content)


def _run_texts(paragraph: Any) -> Iterator[str]:
    """The paragraph's text pieces in order, skipping text boxes and deletions."""
    for element in paragraph.iterchildren():
        if element.tag in _SKIPPED:
            continue
        if element.tag in _RUN_TEXT:
            yield _RUN_TEXT[element.tag] or (element.text or "")
            continue
        yield from _run_texts(element)


EXTRACTORS: dict[str, Callable[[bytes], str]] = {"pdf": extract_pdf_text, "docx": extract_docx_text}


def extract_text(fmt: str, data: bytes) -> str:
    """`EXTRACTORS[fmt](data)` in a disposable child process with bounded time and memory, PDF
    streams inflating to a bounded size (see `reader.untrusted`): how `check` reads every file."""
    from cvforge.reader.untrusted import parse_isolated, with_bounded_inflation

    parse = partial(with_bounded_inflation, extract_pdf_text) if fmt == "pdf" else EXTRACTORS[fmt]
    return parse_isolated(parse, data, preload="pdfplumber" if fmt == "pdf" else "docx")


def profile_sections(profile: Profile) -> list[str]:
    """The sections parsers split out that this profile has content for (keys of RECOGNISED)."""
    skills = profile.skills
    has = {
        "experience": bool(profile.experience),
        "projects": bool(profile.projects),
        "skills": bool(skills.table or skills.groups or skills.working_with),
        "education": bool(profile.education),
    }
    return [key for key in RECOGNISED if has.get(key)]


def verify_headings(profile: Profile, text: str) -> list[Finding]:
    """A Word file's paragraphs are lines: each section parsers look for needs one they file under it.

    Checked for DOCX, whose heading lines cvforge writes for parsers (see `document.headings`);
    a PDF's headings are the theme's, and its lines are the layout's.
    """
    keys = {heading_key(line) for line in text.split("\n")}
    return [
        Finding(f"heading: {key}", RECOGNISED[key][0], found, "found" if found else "no heading line parsers know")
        for key in profile_sections(profile)
        for found in [key in keys]
    ]


def check_bytes(profile: Profile, data: bytes, fmt: str, source: str) -> Report:
    """Extract one output's text as a parser would and verify it against the profile."""
    if fmt not in EXTRACTORS:
        raise CheckError(f"{source}: cannot check {fmt} files (only {', '.join(EXTRACTORS)})")
    try:
        text = extract_text(fmt, data)
    except CheckError as exc:
        raise CheckError(f"{source}: {exc.message}") from None
    report = verify(profile, text, source)
    if fmt == "docx":
        return Report(source, (*report.findings, *verify_headings(profile, text)))
    return report


# --- letters --------------------------------------------------------------------------------------

LETTER_ORDER_FIELD = "body order"


def expected_letter_details(letter: LetterDocument) -> list[Expected]:
    """What a reader of a cover letter must get: who wrote it and how to reach them, who it is for,
    and every paragraph, whole."""
    details = [Expected("name", letter.person.name)]
    details += [Expected(f"contact.{contact.kind}", contact.text) for contact in letter.person.contacts]
    details += [Expected(f"recipient[{index}]", line) for index, line in enumerate(letter.recipient.lines)]
    if letter.subject:
        details.append(Expected("subject", letter.subject))
    details.append(Expected("salutation", letter.salutation))
    details += [Expected(f"body[{index}]", _spans_text(paragraph)) for index, paragraph in enumerate(letter.body)]
    details.append(Expected("closing", letter.closing))
    return details


def _spans_text(spans: Any) -> str:
    return "".join(span.text for span in spans)


def verify_letter(letter: LetterDocument, text: str, source: str) -> Report:
    """Look for every detail of the letter in `text`, then check its paragraphs come in order."""
    haystack = Haystack(text)
    findings = [
        Finding(e.field, e.text, found, "found" if found else "missing")
        for e in expected_letter_details(letter)
        for found in [haystack.search(e.text) is not None]
    ]
    anchors = [(f"body[{index}]", _spans_text(paragraph)) for index, paragraph in enumerate(letter.body)]
    if len(anchors) > 1:
        order = _check_order(haystack, anchors)
        findings.append(Finding(LETTER_ORDER_FIELD, f"{len(anchors)} paragraphs", order.ok, order.result))
    return Report(source, tuple(findings))


def check_letter_bytes(letter: LetterDocument, data: bytes, kind: str, source: str) -> Report | None:
    """Check a letter's PDF or DOCX (`letter.pdf`, `pdf`…); None for outputs a parser does not read."""
    fmt = kind.removeprefix("letter.")
    if fmt not in EXTRACTORS:
        return None
    try:
        text = extract_text(fmt, data)
    except CheckError as exc:
        raise CheckError(f"{source}: {exc.message}") from None
    return verify_letter(letter, text, source)


def check_file(path: Path, profile: Profile, source: str | None = None) -> Report:
    """Read a PDF or DOCX from disk and check it; the format is taken from the file's suffix."""
    shown = source or str(path)
    return check_bytes(profile, read_output(path, shown), path.suffix.lower().lstrip("."), shown)


MAX_CHECKED_FILE = 20 * 1024 * 1024


def read_output(path: Path, shown: str) -> bytes:
    """A PDF or DOCX named to `check`, read as every user-named file is (`read_capped`): a regular
    file of at most 20 MiB, judged on the opened file, so /dev/zero or a FIFO is refused, not read."""
    try:
        return read_capped(path, MAX_CHECKED_FILE)
    except FileTooLargeError as exc:
        raise CheckError(f"{shown}: {exc.amount} is not a resume (the limit is 20 MiB)") from None
    except RefusedFileError as exc:
        raise CheckError(f"{shown}: {exc.message}") from None
    except OSError as exc:
        raise CheckError(f"{shown}: cannot read file ({exc.strerror})") from None
