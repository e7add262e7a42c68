"""Writing outputs so a reader never sees half a file: temporary name, then rename; and the
clean-up of what a killed build or an earlier, longer build left behind."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tailoring, page fitting and reports load only when a target is built
    pass


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
    """Write to a temporary file beside `path`, then rename: readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600 files; outputs are meant to be read (and served)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def remove_stale_pages(files: Mapping[Path, tuple[str, bytes]]) -> None:
    """A format that numbers its files (NAME-1.png…) drops the pages an earlier, longer build left."""
    pages: dict[tuple[Path, str, str], int] = {}
    for path in files:
        if match := _PAGE_NUMBER.search(path.name):
            key = (path.parent, path.name[: match.start()], path.suffix)
            pages[key] = pages.get(key, 0) + 1
    for (folder, stem, extension), count in pages.items():
        number = count + 1
        while (stale := folder / f"{stem}-{number}{extension}").is_file():
            stale.unlink()
            number += 1
