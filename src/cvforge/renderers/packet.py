"""The application packet: the letter's PDF, then the resume's, as one file to send.

pypdf joins the two without laying anything out again; the packet gets one bookmark per part
(the resume's own section bookmarks nested under "Resume") and its own metadata: title, author,
and subject "ROLE at COMPANY". Its dates come from SOURCE_DATE_EPOCH when set, so it is reproducible.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime

LETTER_BOOKMARK = "Cover letter"
RESUME_BOOKMARK = "Resume"


def render_packet(
    letter_pdf: bytes,
    resume_pdf: bytes,
    *,
    name: str,
    application: str | None,
    bookmarks: tuple[str, str] = (LETTER_BOOKMARK, RESUME_BOOKMARK),
) -> bytes:
    """Letter pages first, then the resume's, with two top-level bookmarks (in the letter's language)
    and the packet's metadata."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    letter = PdfReader(io.BytesIO(letter_pdf))
    writer.append(letter, outline_item=bookmarks[0], import_outline=False)
    writer.append(PdfReader(io.BytesIO(resume_pdf)), outline_item=bookmarks[1], import_outline=True)
    title = f"{name} — Application" + (f": {application}" if application else "")
    stamp = _pdf_date()
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": name,
            "/Subject": application or "Application",
            "/Creator": "cvforge",
            "/Producer": "cvforge (pypdf)",
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
    )
    writer.page_mode = "/UseOutlines"  # a reader opens the packet with its two parts in view
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _pdf_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime(2000, 1, 1, tzinfo=UTC)
    return moment.strftime("D:%Y%m%d%H%M%SZ")
