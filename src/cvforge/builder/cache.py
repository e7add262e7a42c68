"""Decide which outputs are stale. An output is fresh when the digest of everything it was made
from (input files, theme files, options, format, cvforge's version) matches the one recorded when
it was written, and the file on disk is still the one cvforge wrote.

The record lives in the output folder (`.cvforge-cache.json`), so deleting `out/` resets it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cvforge import __version__
from cvforge.errors import display_path
from cvforge.reader.ownfiles import identity, read_own_file, write_own_file

CACHE_NAME = ".cvforge-cache.json"
_SCHEMA = 1
LOGGER = logging.getLogger(__name__)


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class InputDigest:
    """Accumulates everything an output depends on into one digest, in a fixed order."""

    _hash: hashlib._Hash = field(default_factory=hashlib.sha256)

    def add_text(self, label: str, text: str) -> InputDigest:
        return self.add_bytes(label, text.encode("utf-8"))

    def add_bytes(self, label: str, data: bytes) -> InputDigest:
        # Length-prefixed so ("ab", "c") and ("a", "bc") never collide.
        for part in (label.encode("utf-8"), data):
            self._hash.update(len(part).to_bytes(8, "big"))
            self._hash.update(part)
        return self

    def add_file(self, label: str, path: Path) -> InputDigest:
        return self.add_bytes(label, path.read_bytes())

    def add_files(self, label: str, root: Path, paths: Iterable[Path]) -> InputDigest:
        """Many files (a theme's), each by its content digest, read again only when its size or
        modification time changed (see `stamped_digests`): 9 MB of fonts are not re-read per build."""
        ordered = sorted(paths)
        digests = stamped_digests(ordered)
        for path in ordered:
            self.add_text(f"{label}:{path.relative_to(root).as_posix()}", digests[path])
        return self

    def add_mapping(self, label: str, values: Mapping[str, object]) -> InputDigest:
        return self.add_text(label, json.dumps(values, sort_keys=True, default=str))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


DIGESTS_NAME = "file-digests.json"


def stamped_digests(paths: Sequence[Path]) -> dict[Path, str]:
    """Each file's SHA-256, from the user's cache when its size and modification time are those it
    had when the digest was taken, else computed (and kept for next time)."""
    from cvforge.renderers.fontcache import cache_root

    index_path = cache_root() / DIGESTS_NAME
    index = _load_index(index_path)
    found: dict[Path, str] = {}
    changed = False
    for path in paths:
        status = path.stat()
        name = str(path.resolve())
        record = index.get(name)
        if isinstance(record, list) and record[:2] == [status.st_size, status.st_mtime_ns] and len(record) == 3:
            found[path] = str(record[2])
            continue
        found[path] = digest_bytes(path.read_bytes())
        index[name] = [status.st_size, status.st_mtime_ns, found[path]]
        changed = True
    if changed:
        _save_index(index_path, index)
    return found


MAX_INDEX_BYTES = 16 * 1024 * 1024
_INDEX_PURPOSE = "file-digests"


# The index last read or written by this process, with the identity of its file then (see ownfiles):
# a watch or a batch builds again and again, and the index was read, verified and parsed each time.
_held_index: tuple[Path, tuple[int, int, int, int, int], dict[str, Any]] | None = None


def _load_index(path: Path) -> dict[str, Any]:
    """The index, if this user's cvforge wrote it (its HMAC, see cachekey): the cache folder may be
    shared or restored, and a planted digest would make an edited theme file look unchanged. A
    missing, foreign, damaged or oversized index is simply empty (digests are computed again).
    The file is read again only when it is no longer the one this process last read or wrote."""
    from cvforge.renderers import cachekey

    held = _held_index
    if held is not None and held[0] == path:
        with contextlib.suppress(OSError):
            if identity(path.lstat()) == held[1]:
                return dict(held[2])
    try:
        read = read_own_file(path, MAX_INDEX_BYTES)
        body = cachekey.unseal(_INDEX_PURPOSE, DIGESTS_NAME, read.data)
        index = json.loads(body) if body is not None else {}
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(index, dict):
        return {}
    if body is not None:
        _hold(path, read.status, index)
    return index


def _save_index(path: Path, index: dict[str, Any]) -> None:
    """Write the index without the files that are gone: each build in a new folder (a clone, a test's
    temporary folder) adds its theme's files, and an index that only grew had reached 4 MB and 25,000
    entries, 24,000 of them gone, on a machine that ran the tests for a few days (50 ms a build to read)."""
    from cvforge.renderers import cachekey

    kept = {name: record for name, record in index.items() if os.path.lexists(name)}
    sealed = cachekey.seal(_INDEX_PURPOSE, DIGESTS_NAME, json.dumps(kept).encode("utf-8"))
    if sealed is None:
        return  # no trusted key: digests are computed again next time
    with contextlib.suppress(OSError):  # nowhere to keep it: digests are computed again next time
        write_own_file(path, sealed)
        _hold(path, path.lstat(), kept)


def _hold(path: Path, status: os.stat_result, index: dict[str, Any]) -> None:
    global _held_index
    _held_index = (path, identity(status), dict(index))


# The libraries whose versions shape an output's bytes: an upgrade makes every output stale.
SHAPING_PACKAGES = ("weasyprint", "pydyf", "python-docx", "fonttools", "Pillow", "pypdfium2")


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Installed versions of the packages and native libraries that shape outputs, read without
    importing them (WeasyPrint's import costs half a second): HarfBuzz's version and whether its
    subsetter is present (fonts are cut by fontTools without it) count too."""
    found = _dist_info_versions()
    versions = {name: found.get(_normalized(name)) or _metadata_version(name) for name in SHAPING_PACKAGES}
    versions["harfbuzz"], versions["harfbuzz-subset"] = _harfbuzz()
    return versions


def _dist_info_versions() -> dict[str, str]:
    """Versions from the names of installed `NAME-VERSION.dist-info` folders on sys.path, first found
    first, as importlib.metadata finds them; 1 ms, against 20 ms for importlib.metadata, which imports
    the email parser to read each package's METADATA file."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = [item.name for item in os.scandir(entry or ".") if item.name.endswith(".dist-info")]
        except OSError:
            continue
        for name in names:
            project, _, version = name.removesuffix(".dist-info").partition("-")
            if version:
                versions.setdefault(_normalized(project), version)
    return versions


def _normalized(project: str) -> str:
    """A project's name as wheels spell it in folder names (PEP 503, with underscores)."""
    return re.sub(r"[-_.]+", "_", project).lower()


def _metadata_version(name: str) -> str:
    """What importlib.metadata says, for a package installed some other way (an .egg-info, a zip)."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _harfbuzz() -> tuple[str, str]:
    import ctypes

    version = subset = ""
    for name in ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"):
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.hb_version_string.restype = ctypes.c_char_p
        version = (library.hb_version_string() or b"").decode("ascii", "replace")
        break
    for name in ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"):
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        subset = "present"
        break
    return version, subset


def base_digest() -> InputDigest:
    """Every key starts from cvforge's version, the shaping libraries' versions and the reproducibility environment."""
    return (
        InputDigest()
        .add_text("cvforge", __version__)
        .add_mapping("libraries", library_versions())
        .add_text("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", ""))
    )


# What the record may make cvforge read. A record comes from the output folder, which CI restores
# from a cache another branch may have written: whatever it says is checked before it is used.
MAX_RECORD_BYTES = 64 * 1024 * 1024  # a record of hundreds of targets is a few MB
MAX_OUTPUT_BYTES = 64 * 1024 * 1024  # the largest outputs (a packet's PDF, PNG pages) are a few MB
MAX_REPORTED = 10  # dropped entries named one by one; more are counted
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class BuildCache:
    """What a previous build wrote: per entry (one job's one format), the input key and each file's digest.

    Every entry is checked when the record is opened (see `_entry_problem`): a path that leaves the
    folder, is not a regular file or is too large to be an output drops its entry with a warning, so
    nothing else (freshness, the listing of unchanged files, the sweep of old PNG pages, watch's
    index) ever meets it.
    """

    folder: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    repaired: bool = False  # the record on disk was damaged or held entries dropped: write it anew

    @classmethod
    def open(cls, folder: Path) -> BuildCache:
        """Read the record; a missing one means nothing is fresh, a damaged one says so and starts afresh."""
        path = folder / CACHE_NAME
        try:
            data = json.loads(read_own_file(path, MAX_RECORD_BYTES).data.decode("utf-8"))
        except FileNotFoundError:
            return cls(folder)
        except (OSError, ValueError, RecursionError) as exc:
            _fresh_start(path, _reason(exc))
            return cls(folder, repaired=True)
        if not isinstance(data, dict) or data.get("schema") != _SCHEMA or not isinstance(data.get("entries"), dict):
            _fresh_start(path, f"is not a cvforge build record (schema {_SCHEMA})")
            return cls(folder, repaired=True)
        entries = _checked_entries(folder, data["entries"])
        return cls(folder, entries, repaired=len(entries) != len(data["entries"]))

    def is_fresh(self, entry: str, key: str) -> bool:
        """Made from the same inputs, and every file it wrote is still there, byte for byte."""
        return self.fresh_files(entry, key) is not None

    def fresh_files(self, entry: str, key: str) -> dict[Path, bytes] | None:
        """The entry's files, read (bounded) and matching their digests, if it was made from `key`; else None."""
        record = self.entries.get(entry)
        if record is None or record["key"] != key:
            return None
        found: dict[Path, bytes] = {}
        for name, sha in record["files"].items():
            data = read_output(self.folder, name)
            if data is None or digest_bytes(data) != sha:
                return None
            found[self.folder / name] = data
        return found

    def files_of(self, entry: str) -> list[Path]:
        record = self.entries.get(entry, {})
        return [self.folder / name for name in record.get("files", {})]

    def extra_of(self, entry: str) -> str | None:
        """Text stored beside an entry (the tailored profile a target rendered, for checking later)."""
        value = self.entries.get(entry, {}).get("extra")
        return value if isinstance(value, str) else None

    def record(self, entry: str, key: str, files: Mapping[Path, bytes], extra: str | None = None) -> None:
        root = self.folder.resolve()
        names = {path.resolve().relative_to(root).as_posix(): digest_bytes(data) for path, data in files.items()}
        self.entries[entry] = {"key": key, "files": names, **({"extra": extra} if extra is not None else {})}

    def serialise(self) -> bytes:
        payload = {"schema": _SCHEMA, "entries": dict(sorted(self.entries.items()))}
        return (json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def read_output(folder: Path, name: str) -> bytes | None:
    """A recorded output's bytes, if it still lies inside `folder` (links resolved) and is a regular
    file with no other hard link, no larger than any output; else None (so its entry is stale)."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return None
    try:
        read = read_own_file(path, MAX_OUTPUT_BYTES)
    except OSError:
        return None
    return read.data if read.status.st_nlink == 1 else None


def _fresh_start(path: Path, reason: str) -> None:
    LOGGER.warning("%s %s; starting a fresh build record (every output is built again)", display_path(path), reason)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "is nested too deeply to be a build record"
    if isinstance(exc, ValueError):
        return f"is not valid JSON ({str(exc)[:120]})"
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "is a symbolic link, which cvforge never writes"
    return f"cannot be read: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)


def _checked_entries(folder: Path, entries: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    """The entries that are well formed and name only files cvforge could have written in `folder`."""
    kept: dict[str, dict[str, Any]] = {}
    dropped: list[str] = []
    root = folder.resolve()
    for name, record in entries.items():
        problem = _entry_problem(root, record)
        if problem is None:
            kept[name] = record
        else:
            dropped.append(f"entry {str(name)[:200]!r} {problem}")
    shown = display_path(folder / CACHE_NAME)
    for text in dropped[:MAX_REPORTED]:
        LOGGER.warning("%s: %s; dropped (its outputs are built again)", shown, text)
    if len(dropped) > MAX_REPORTED:
        LOGGER.warning("%s: %d more entries dropped", shown, len(dropped) - MAX_REPORTED)
    return kept


def _entry_problem(root: Path, record: object) -> str | None:
    """What makes a record entry unusable, or None: its shape, then every file it names."""
    if not isinstance(record, dict) or not isinstance(record.get("key"), str):
        return "is not a mapping with a text 'key'"
    if not isinstance(record.get("files"), dict):
        return "has no mapping of 'files'"
    if "extra" in record and not isinstance(record["extra"], str):
        return "has an 'extra' that is not text"
    for name, sha in record["files"].items():
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            return f"gives {str(name)[:200]!r} a digest that is not a SHA-256"
        problem = _path_problem(root, name)
        if problem is not None:
            return f"names {str(name)[:200]!r}, {problem}"
    return None


def _path_problem(root: Path, name: object) -> str | None:
    """Why a recorded file name cannot be one of cvforge's outputs in `root`, or None."""
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name:
        return "which is not a file name"
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts) or Path(name).is_absolute():
        return f"outside {display_path(root)}"
    path = root / name
    try:
        resolved = path.resolve()
        status = resolved.stat() if resolved.is_relative_to(root) else None
    except FileNotFoundError:
        return None  # deleted since: simply stale
    except (OSError, RuntimeError):  # a loop of links, a name too long
        return "which cannot be looked up"
    if status is None:
        return f"outside {display_path(root)} (through a symbolic link)"
    if not stat.S_ISREG(status.st_mode):
        return "which is not a regular file"
    if status.st_nlink > 1:  # outputs are written by renaming a new file: never hard-linked
        return "which is hard-linked elsewhere (it may be any file outside the folder)"
    if status.st_size > MAX_OUTPUT_BYTES:
        return f"larger than any output ({status.st_size} bytes)"
    return None
