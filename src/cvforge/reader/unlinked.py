"""Open an input file only when it is what its path says: a regular file with one name.

A hard link passes every path check (it sits inside the project) and still is the file it links to:
`targets/jobs/job.md` linked to `/etc/passwd` is read, and its lines reach the match report. So the
files a target or a profile names (job descriptions, synonyms, signatures, photos) are judged after
they are opened, on the descriptor (`os.fstat`): no swap of the path between a check and the read helps.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from cvforge.errors import CvforgeError

# O_NONBLOCK: opening a FIFO with no writer would wait forever; fstat then refuses it at once.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class UnsafeInputError(CvforgeError):
    """An input that is not a regular file, or has more than one link: refused before a byte is read."""


def open_unlinked(path: Path, shown: str) -> BinaryIO:
    """`path` opened for reading when the opened file is a regular file with one link; else
    UnsafeInputError, its message starting with `shown`. A missing file raises OSError, as `open` does."""
    descriptor = os.open(path, _FLAGS)
    try:
        reason = refusal(os.fstat(descriptor))
    except BaseException:
        os.close(descriptor)
        raise
    if reason is not None:
        os.close(descriptor)
        raise UnsafeInputError(f"{shown} {reason}")
    return os.fdopen(descriptor, "rb")


def refusal(status: os.stat_result) -> str | None:
    """Why a file with this status is not read (said after its name), or None when it may be."""
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file; cvforge reads only regular files"
    if status.st_nlink > 1:
        return (
            f"has {status.st_nlink} hard links; cvforge reads only files that are not linked elsewhere "
            "(a hard link can lead outside the project): copy the file instead of linking it"
        )
    return None


def read_unlinked(path: Path, shown: str, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the file `open_unlinked` accepts: more than `limit` means too big."""
    with open_unlinked(path, shown) as handle:
        return handle.read(limit + 1)


def unlinked_problem(path: Path, shown: str) -> str | None:
    """Why `path` may not be read, or None: for validation, which locates it in the file naming `path`.
    A file that cannot be opened at all is left to the read, which says why."""
    try:
        open_unlinked(path, shown).close()
    except UnsafeInputError as exc:
        return exc.message
    except OSError:
        return None
    return None
