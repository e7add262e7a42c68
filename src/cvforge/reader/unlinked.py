"""Open an input file only when it is what its path says: a regular file with one name.

A hard link passes every path check (it sits inside the project) and still is the file it links to:
`targets/jobs/job.md` linked to `/etc/passwd` is read, and its lines reach the match report. So the
files a target or a profile names (job descriptions, synonyms, signatures, photos) are judged after
they are opened, on the descriptor (`os.fstat`): no swap of the path between a check and the read helps.
The judging itself is `reader.limits.judge_opened_file`, the one rule for every file cvforge reads.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from cvforge.errors import CvforgeError
from cvforge.reader.limits import OPEN_FLAGS, RefusedFileError, judge_opened_file


class UnsafeInputError(CvforgeError):
    """An input that is not a regular file, or has more than one link: refused before a byte is read."""


def open_unlinked(path: Path, shown: str) -> BinaryIO:
    """`path` opened for reading when the opened file is a regular file with one link; else
    UnsafeInputError, its message starting with `shown`. A missing file raises OSError, as `open` does.
    The rules are `reader.limits.judge_opened_file`'s, which judges every file cvforge reads."""
    descriptor = os.open(path, OPEN_FLAGS)
    try:
        judge_opened_file(os.fstat(descriptor), None, one_link=True)
    except RefusedFileError as exc:
        os.close(descriptor)
        raise UnsafeInputError(f"{shown} {exc.message}") from None
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


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
