"""The text a parser gets from an output: PDF in the order it draws its text, DOCX body paragraphs
and tables in order; each read in a disposable child with bounded time and memory."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from cvforge.errors import CheckError
from cvforge.readback.normalise import RTL_RUN
from cvforge.readback.zipguard import inspect_docx_package
from cvforge.reader.limits import FileTooLargeError, RefusedFileError, read_capped


def extract_pdf_text(data: bytes) -> str:
    """pdfminer's text flow (via pdfplumber): the order the PDF draws text in, as ATS readers take it.
    Any failure on damaged or crafted bytes is a CheckError; `extract_text` also bounds time and memory."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "\n".join(page.extract_text(use_text_flow=True) or "" for page in pdf.pages)
        return text + "\n" + _logical_text(data) if RTL_RUN.search(text) else text
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
