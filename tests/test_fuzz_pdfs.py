"""Fuzzing `check` with malformed PDFs (issue 24.9): every one ends in a report or a clean CheckError,
within the read's time limit, never a traceback, a hang or the machine's memory.

The PDFs are built here, from a small valid resume PDF: truncated, with bytes flipped or PDF tokens
spliced in, or rebuilt with a broken structure (a /Contents that refers to itself, /Kids and
/Parent cycles, lengths that lie, filters stacked into deflate bombs or run-length bombs). The
read's limits are lowered for the run (2 s, 1 MiB per inflated stream, 128 MiB of memory) so
the bombs stay small and a loop costs 2 s; the whole module runs in well under a minute.
"""

from __future__ import annotations

import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import cvforge
from cvforge.cli import main
from cvforge.errors import CheckError
from cvforge.readback.verify import Report
from cvforge.reader import untrusted
from cvforge.schema import Profile
from tests.helpers.hostile_files import CATALOG, FONT, PAGE, PAGES, pdf_file, resume_pdf, stream, text_content

# Hundreds of crafted PDFs read back under deadlines, some in child processes.
pytestmark = pytest.mark.slow

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SECONDS = 2.0
PROFILE = Profile.model_validate(
    {
        "person": {"name": "Jane Doe", "email": "jane@example.com"},
        "experience": [{"organisation": "Acme", "title": "Staff Engineer", "start": 2020, "end": 2024}],
        "projects": [{"name": "Shipyard"}],
        "skills": {"working_with": ["Go", "PostgreSQL"]},
    }
)
LINES = ["Jane Doe", "jane@example.com", "Staff Engineer, Acme 2020 - 2024", "Shipyard", "Go, PostgreSQL"]
VALID = resume_pdf(LINES)
CONTENT = text_content(LINES)


@pytest.fixture(scope="module", autouse=True)
def quick_limits() -> Iterator[None]:
    """Lower limits, so a bomb over them is small and a loop is given up on quickly."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(untrusted, "READ_SECONDS", SECONDS)
        patch.setattr(untrusted, "MAX_INFLATED_STREAM", 1024 * 1024)
        patch.setattr(untrusted, "READ_MEMORY", 128 * 1024 * 1024)
        yield


def check_cleanly(data: bytes) -> None:
    """`cvforge.check` on `data` as a PDF: a report or a CheckError naming the input, in bounded time."""
    started = time.monotonic()
    try:
        report = cvforge.check(data, PROFILE, format="pdf")
    except CheckError as exc:
        assert exc.message.startswith("<bytes>: "), exc.message
        assert "Traceback" not in exc.message
        event(_kind(exc.message))
    else:
        assert isinstance(report, Report) and report.findings
        event("report: all found" if report.ok else "report: gaps")
    assert time.monotonic() - started < SECONDS + 10


def _kind(message: str) -> str:
    for words in ("within", "inflates", "memory", "not a readable PDF", "could not be read"):
        if words in message:
            return f"refused: {words}"
    return "refused: other"


def test_the_valid_resume_passes_every_check() -> None:
    """The fuzz starts from a real resume: untouched, every detail is found."""
    report = cvforge.check(VALID, PROFILE)
    assert report.ok, report.summary()


# --- bytes: truncated, flipped, spliced ----------------------------------------------------------

TOKENS = [
    b"4 0 R", b"3 0 R", b"2 0 R", b"<<", b">>", b"[", b"]", b"(", b")", b"/Length 99999999", b"/Length -1",
    b"stream\n", b"endstream", b"obj", b"endobj", b"xref", b"trailer", b"startxref\n0", b"%%EOF", b"/FlateDecode",
    b"/Filter /LZWDecode", b"/Kids [2 0 R]", b"/Parent 3 0 R", b"/Contents 4 0 R", b"\x00", b"\xff" * 8, b"1e999",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, base: bytes = VALID) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "splice", "cut"]))
        if action == "flip" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif action == "splice":
            data[position:position] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=12))
        else:
            del data[position : position + draw(st.integers(1, 64))]
    return bytes(data)


@settings(FUZZ, max_examples=40)
@given(data=st.integers(0, len(VALID)).map(lambda size: VALID[:size]))
def test_truncated_pdfs_report_or_fail_cleanly(data: bytes) -> None:
    check_cleanly(data)


@settings(FUZZ, max_examples=60)
@given(data=mutated())
def test_mutated_pdfs_report_or_fail_cleanly(data: bytes) -> None:
    check_cleanly(data)


# --- structure: cycles, lying lengths, stacked filters, bombs -----------------------------------


def _encoded(encoding: str) -> tuple[bytes, bytes]:
    """The content stream's data and /Filter value, in one of many good or broken encodings."""
    deflated = zlib.compress(CONTENT)
    return {
        "plain": (CONTENT, b""),
        "flate": (deflated, b"/FlateDecode"),
        "flate truncated": (deflated[: len(deflated) // 2], b"/FlateDecode"),
        "flate twice": (zlib.compress(deflated), b"[/FlateDecode /FlateDecode]"),
        "hex": (CONTENT.hex().encode() + b">", b"/ASCIIHexDecode"),
        "lzw junk": (bytes(range(256)) * 4, b"/LZWDecode"),
        "run length": (b"\x7f" + CONTENT[:128] + b"\x80", b"/RunLengthDecode"),
        "unknown filter": (CONTENT, b"/NoSuchDecode"),
        "deflate bomb": (zlib.compress(b" " * (3 * 1024 * 1024), 9), b"/FlateDecode"),
        "nested deflate bomb": (zlib.compress(zlib.compress(b" " * (8 << 20), 9), 9), b"[/FlateDecode /FlateDecode]"),
        "run-length bomb": (b"\x81 " * (24 * 1024 * 1024 // 128) + b"\x80", b"/RunLengthDecode"),
    }[encoding]  # fmt: skip


ENCODINGS = [
    "plain", "flate", "flate truncated", "flate twice", "hex", "lzw junk", "run length", "unknown filter",
    "deflate bomb", "nested deflate bomb", "run-length bomb",
]  # fmt: skip
LENGTHS = ["true", "zero", "too long", "negative", "a name", "itself"]
TREES = [
    "plain", "kids cycle", "parent cycle", "page is its own pages", "huge count", "kids not an array",
    "resources cycle",
]  # fmt: skip
CONTENTS = [
    "stream", "refers to itself", "array holding itself", "two refer to each other", "missing", "the pages", "many",
]  # fmt: skip


def _length(kind: str, size: int) -> bytes:
    return {
        "true": b"%d" % size,
        "zero": b"0",
        "too long": b"%d" % (size + 5000),
        "negative": b"-12",
        "a name": b"/Huge",
        "itself": b"4 0 R",
    }[kind]


def _tree(kind: str) -> tuple[bytes, bytes]:
    """Objects 2 (the page tree) and 3 (the page)."""
    page = PAGE
    pages = PAGES
    if kind == "kids cycle":
        pages = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    elif kind == "parent cycle":
        page = PAGE.replace(b"/Parent 2 0 R", b"/Parent 3 0 R")
        pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 2 0 R >>"
    elif kind == "page is its own pages":
        page = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 2 0 R >>"
    elif kind == "huge count":
        pages = b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>"
    elif kind == "kids not an array":
        pages = b"<< /Type /Pages /Kids 3 0 R /Count 1 >>"
    elif kind == "resources cycle":
        page = PAGE.replace(b"/Resources << /Font << /F1 5 0 R >> >>", b"/Resources 3 0 R")
    return pages, page


def crafted(tree: str, contents: str, encoding: str, length: str) -> bytes:
    """A resume PDF rebuilt with one broken page tree, /Contents, stream encoding and /Length."""
    data, filters = _encoded(encoding)
    body = stream(data, filters).replace(b"/Length %d" % len(data), b"/Length " + _length(length, len(data)), 1)
    pages, page = _tree(tree)
    extra = b"[4 0 R]"
    if contents == "refers to itself":
        body = b"4 0 R"
    elif contents == "array holding itself":
        body = b"[4 0 R]"
    elif contents == "two refer to each other":
        body, extra = b"6 0 R", b"4 0 R"
    elif contents == "missing":
        page = page.replace(b"/Contents 4 0 R", b"/Contents 99 0 R")
    elif contents == "the pages":
        page = page.replace(b"/Contents 4 0 R", b"/Contents 2 0 R")
    elif contents == "many":
        page = page.replace(b"/Contents 4 0 R", b"/Contents [" + b"4 0 R " * 300 + b"]")
    return pdf_file([CATALOG, pages, page, body, FONT, extra])


ANY_CRAFTED = st.builds(crafted, *(st.sampled_from(values) for values in (TREES, CONTENTS, ENCODINGS, LENGTHS)))


@settings(FUZZ, max_examples=30)
@given(
    tree=st.sampled_from(TREES),
    contents=st.sampled_from(CONTENTS),
    encoding=st.sampled_from(ENCODINGS),
    length=st.sampled_from(LENGTHS),
)
@example(tree="plain", contents="refers to itself", encoding="flate", length="true")
@example(tree="kids cycle", contents="stream", encoding="flate", length="true")
@example(tree="parent cycle", contents="stream", encoding="flate", length="true")
@example(tree="plain", contents="stream", encoding="deflate bomb", length="true")
@example(tree="plain", contents="stream", encoding="nested deflate bomb", length="true")
@example(tree="plain", contents="stream", encoding="run-length bomb", length="true")
@example(tree="plain", contents="stream", encoding="flate", length="itself")
def test_broken_structures_report_or_fail_cleanly(tree: str, contents: str, encoding: str, length: str) -> None:
    check_cleanly(crafted(tree, contents, encoding, length))


@settings(FUZZ, max_examples=20)
@given(
    data=st.builds(
        crafted,
        st.sampled_from(TREES),
        st.sampled_from(["stream", "many"]),
        st.sampled_from(ENCODINGS[:8]),
        st.sampled_from(LENGTHS),
    ).flatmap(mutated)
)
def test_broken_structures_mutated_report_or_fail_cleanly(data: bytes) -> None:
    check_cleanly(data)


# --- the command ---------------------------------------------------------------------------------


@settings(FUZZ, max_examples=12)
@given(data=st.one_of(mutated(), ANY_CRAFTED))
def test_check_command_exits_0_or_1_with_no_traceback(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "resume.pdf"
        path.write_bytes(data)
        profile = Path(temp) / "jane.yaml"
        profile.write_text(
            "person: {name: Jane Doe, email: jane@example.com}\n"
            "experience: [{organisation: Acme, title: Staff Engineer, start: 2020, end: 2024}]\n"
            "projects: [{name: Shipyard}]\nskills: {working_with: [Go, PostgreSQL]}\n",
            encoding="utf-8",
        )
        result = CliRunner().invoke(main, ["check", str(path), "--profile", str(profile)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    event(f"exit {result.exit_code}")
