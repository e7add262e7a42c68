"""Files that are not what they seem, for the tests of issue 24 (9, 10): crafted PDFs, FIFOs, devices.

PDFs are written here as bytes, object by object, so a test says exactly which structure is broken
(a /Contents that refers to itself, a /Kids cycle, a stream that inflates far past its size) and no
binary is committed. Tests that would hang or exhaust memory on a regression run cvforge in a child
process with a deadline and a memory cap, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_file(objects: Sequence[bytes]) -> bytes:
    """A PDF whose objects are numbered 1, 2, … in order (1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, filters: bytes = b"", length: int | None = None) -> bytes:
    """A stream object; `length` may lie about the data's size."""
    declared = len(data) if length is None else length
    head = b"<< /Length %d%s >>" % (declared, b" /Filter " + filters if filters else b"")
    return head + b"\nstream\n" + data + b"\nendstream"


def text_content(lines: Sequence[str]) -> bytes:
    """A page's content stream drawing each line in Helvetica, top to bottom."""
    shown = b"".join(b"(%s) Tj 0 -16 Td\n" % _pdf_string(line) for line in lines)
    return b"BT /F1 11 Tf 72 740 Td\n" + shown + b"ET"


def _pdf_string(text: str) -> bytes:
    return text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def resume_pdf(lines: Sequence[str], *, deflate: bool = True) -> bytes:
    """A small, valid one-page PDF holding `lines` as text a parser reads."""
    content = text_content(lines)
    body = stream(zlib.compress(content), b"/FlateDecode") if deflate else stream(content)
    return pdf_file([CATALOG, PAGES, PAGE, body, FONT])


def self_referencing_contents() -> bytes:
    """Issue 24.9: the page's /Contents is object 4, and object 4 is a reference to object 4."""
    return pdf_file([CATALOG, PAGES, PAGE, b"4 0 R", FONT])


def deflate_bomb(inflated: int, filters: int = 1) -> bytes:
    """A page whose content stream is `inflated` bytes of spaces, deflated `filters` times over."""
    data = b" " * inflated
    for _ in range(filters):
        data = zlib.compress(data, 9)
    names = b"[" + b" /FlateDecode" * filters + b" ]"
    return pdf_file([CATALOG, PAGES, PAGE, stream(data, names), FONT])


def run_length_bomb(inflated: int) -> bytes:
    """A RunLength stream (129 bytes out of 2 in): pdfminer builds it as a list of ints, 8 bytes each."""
    runs = b"\x81 " * (inflated // 128) + b"\x80"
    return pdf_file([CATALOG, PAGES, PAGE, stream(runs, b"/RunLengthDecode"), FONT])


@contextlib.contextmanager
def fifo_unblocked_after(path: Path, seconds: float) -> Iterator[None]:
    """A FIFO at `path`; should a reader still wait on it after `seconds`, a writer opens and closes it,
    so the reader gets an empty file instead of blocking the test run for ever."""
    os.mkfifo(path)
    done = threading.Event()

    def rescue() -> None:
        if done.wait(seconds):
            return
        while not done.wait(0.1):
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError as exc:  # ENXIO: no reader is waiting (yet)
                if exc.errno != errno.ENXIO:
                    return

    thread = threading.Thread(target=rescue, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@dataclass(frozen=True)
class Outcome:
    """What a capped run printed, how it exited and how long it took."""

    code: int
    output: str
    seconds: float


# A cvforge run in its own interpreter, with a memory cap and the PDF time limit lowered, so that
# a regression (an endless read of /dev/zero, a PDF that loops) fails by its deadline.
_DRIVER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
import cvforge.reader.untrusted
cvforge.reader.untrusted.READ_SECONDS = float(sys.argv[2])
exec(sys.argv[3])
"""


def run_capped(code: str, *, memory: int = 2 * 1024**3, read_seconds: float = 20, deadline: float = 90) -> Outcome:
    """Run Python `code` in a fresh interpreter, under a memory cap, with the PDF time limit lowered."""
    args = [sys.executable, "-c", _DRIVER, str(memory), str(read_seconds), code]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = time.monotonic()
    completed = subprocess.run(args, capture_output=True, text=True, timeout=deadline, cwd=ROOT, env=env)
    return Outcome(completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started)


def cvforge_capped(*args: str, read_seconds: float = 20, deadline: float = 90) -> Outcome:
    """The `cvforge` command in a capped interpreter."""
    code = f"from cvforge.cli import main\nsys.argv = ['cvforge', *{list(args)!r}]\nmain()"
    return run_capped(code, read_seconds=read_seconds, deadline=deadline)
