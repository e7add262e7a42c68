"""Reading a file cvforge wrote itself and someone else may have replaced: a cache entry, the key,
the build record, an output the record names.

Such a path can be a symbolic link to `/dev/zero`, a FIFO that blocks on open, or a sparse file
of terabytes; `Path.read_bytes()` hangs or exhausts memory on each. Here only a regular file is
read, never through a link at its last component (cvforge never writes one there, so a link was
planted), and never past a limit, so the caller decides what a bad file means (usually: ignore it
and compute afresh) instead of crashing or hanging. The file's status comes back with its bytes,
taken from the descriptor that was read: its owner, mode and link count, and an identity that
changes with any write.

Files a user names (profiles, photos, outputs given to `check`) are read by
`reader.limits.read_capped`, which follows links; this module differs in refusing them, in
returning the status, and in importing nothing heavy (the replay of a no-change build uses it
before any parser is loaded).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link is refused (ELOOP), not followed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once (then is refused) instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileRead:
    """A file's bytes and its status (owner, mode, identity) while they were read."""

    data: bytes
    status: os.stat_result

    @property
    def identity(self) -> tuple[int, int, int, int, int]:
        return identity(self.status)


def identity(status: os.stat_result) -> tuple[int, int, int, int, int]:
    """Device, inode, size, modification and change time: any write or replacement changes one of them
    (a change time cannot be set back by a user), so an unchanged identity means unchanged bytes."""
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


def read_own_file(path: Path, limit: int) -> FileRead:
    """The bytes of `path` if it is a regular file (not a link, device, FIFO or folder) of at most
    `limit` bytes, read in one piece; else OSError, as for a missing file."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if before.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        data = read_at_most(fd, limit)
        if len(data) > limit:  # it grew while being read
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if identity(before) != identity(after):
        raise OSError(errno.EAGAIN, "changed while it was read", str(path))
    return FileRead(data, after)


def read_at_most(fd: int, limit: int) -> bytes:
    """Up to `limit` + 1 bytes (one more tells a file that grew past the limit)."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(_CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def write_own_file(path: Path, data: bytes) -> None:
    """Write beside `path` (its folder made if need be), then rename over it: a reader sees the old
    file or the new, never half of one. OSError when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(mode="wb", dir=path.parent, prefix=".tmp-", delete=False) as file:
        temporary = Path(file.name)
        try:
            file.write(data)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    try:
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
