"""Untrusted ZIP archives: the limits every ZIP cvforge opens must keep, checked from the archive's
directory before one byte is inflated. A DOCX read back and a LinkedIn data export share them."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

MAX_ENTRIES = 1000  # a resume's DOCX holds about 15 parts, a LinkedIn export about 60 files
MAX_UNPACKED = 64 * 1024 * 1024  # uncompressed; a zip bomb is gigabytes
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024  # the archive itself, read before anything else


def archive_problem(package: zipfile.ZipFile) -> str | None:
    """Why the archive may not be opened, or None: too many entries, too many bytes once unpacked,
    a name that points outside the archive (absolute, `..`, a drive), or an encrypted entry."""
    entries = package.infolist()
    if len(entries) > MAX_ENTRIES:
        return f"{len(entries):,} entries (the limit is {MAX_ENTRIES:,})"
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        return f"{unpacked / 1024 / 1024:,.0f} MiB once unpacked (the limit is 64 MiB; a zip bomb?)"
    for entry in entries:
        name = entry.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
            return f"the entry '{entry.filename}' points outside the archive"
        if entry.flag_bits & 0x1:
            return f"the entry '{entry.filename}' is encrypted"
    return None
