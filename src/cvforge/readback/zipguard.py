"""The zip-bomb guard: a DOCX is refused before parsing when opening it would cost far more than
a resume's (too many parts, too many bytes once unpacked) or its XML declares a DTD."""

from __future__ import annotations

import io
import re
import zipfile

from cvforge.errors import CheckError
from cvforge.reader.archive import MAX_ENTRIES, MAX_UNPACKED

MAX_DOCX_ENTRIES = MAX_ENTRIES  # a resume's DOCX holds about 15 parts
MAX_DOCX_UNPACKED = MAX_UNPACKED  # uncompressed: a resume is well under 1 MB; a zip bomb is gigabytes
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
