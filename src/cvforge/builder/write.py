"""Writing outputs so a reader never sees half a file: temporary name, then rename; and the
clean-up of what a killed build or an earlier, longer build left behind."""

from __future__ import annotations

import errno
import glob
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from cvforge.errors import OutputError, display_path

_PAGE_NUMBER = re.compile(r"-\d+(?=\.[^.]+$)")  # the "-2" of NAME-2.png


TEMP_SUFFIX = ".cvforge-tmp"


def _file_mode() -> int:
    """What a plain `open(..., "w")` would give: 0666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def sweep_temporary_files(out_dir: Path) -> None:
    """Remove what a build killed outright (SIGKILL, power loss) left mid-write: only our own temp names."""
    if out_dir.is_dir():
        for leftover in out_dir.rglob(f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see a half-written file.

    A system refusal (EROFS, ENOSPC, a folder in the way, a name too long) is an `OutputError`
    naming the path and the reason; the file that was there before is left as it was.
    """
    try:
        _write_atomic(path, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = display_path(Path(exc.filename)) if isinstance(exc.filename, str) else display_path(path)
        raise OutputError(f"cannot write {display_path(path)}: {reason} ({where})") from None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600 files; outputs are meant to be read (and served)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def holds_already(path: Path, data: bytes) -> bool:
    """Whether `path` is already a file of exactly these bytes, as a build would write it (a regular
    file, no link, no second hard link): it is then left alone, so a rebuild that changes nothing
    on the page (a comment in the profile) reloads no PDF viewer and keeps the file's date."""
    from cvforge.reader.ownfiles import read_own_file

    try:
        found = read_own_file(path, len(data))
    except OSError:
        return False
    return found.status.st_nlink == 1 and found.data == data


def check_out_dir(out_dir: Path) -> None:
    """The output folder must be a folder (or not exist yet): say so before anything is rendered."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"cannot write into {display_path(out_dir)}: {os.strerror(errno.ENOTDIR)}")


def remove_stale_pages(files: Mapping[Path, tuple[str, bytes]], out_dir: Path) -> None:
    """PNG pages (NAME-1.png…) drop the pages an earlier, longer build of the same job left.

    Only the PNG files of the job just built name a stem: another job's `cv-2.md`, or a profile
    called `cv-2`, is never taken for a page. Nothing outside `out_dir` is ever deleted, whatever
    path a (hostile) build record gave.
    """
    root = out_dir.resolve()
    pages: dict[tuple[Path, str, str], int] = {}
    for path, (fmt, _) in files.items():
        if not path.parent.resolve().is_relative_to(root):
            continue
        if fmt == "png" and path.suffix == ".png" and (match := _PAGE_NUMBER.search(path.name)):
            key = (path.parent, path.name[: match.start()], path.suffix)
            pages[key] = pages.get(key, 0) + 1
    for (folder, stem, extension), count in pages.items():
        for candidate in folder.glob(f"{glob.escape(stem)}-*{extension}"):
            number = candidate.name[len(stem) + 1 : -len(extension)]
            if re.fullmatch(r"[0-9]+", number) and int(number) > count:  # every later page, gaps or not
                candidate.unlink()
