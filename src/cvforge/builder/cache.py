"""Decide which outputs are stale. An output is fresh when the digest of everything it was made
from (input files, theme files, options, format, cvforge's version) matches the one recorded when
it was written, and the file on disk is still the one cvforge wrote.

The record lives in the output folder (`.cvforge-cache.json`), so deleting `out/` resets it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cvforge import __version__

CACHE_NAME = ".cvforge-cache.json"
_SCHEMA = 1


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
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
        if not isinstance(index, dict):
            index = {}
    except (OSError, ValueError):
        index = {}
    found: dict[Path, str] = {}
    changed = False
    for path in paths:
        stat = path.stat()
        name = str(path.resolve())
        record = index.get(name)
        if isinstance(record, list) and record[:2] == [stat.st_size, stat.st_mtime_ns] and len(record) == 3:
            found[path] = str(record[2])
            continue
        found[path] = digest_bytes(path.read_bytes())
        index[name] = [stat.st_size, stat.st_mtime_ns, found[path]]
        changed = True
    if changed:
        _save_index(index_path, index)
    return found


def _save_index(path: Path, index: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(index, file)
        Path(temporary).replace(path)
    except OSError:
        pass  # nowhere to keep it: digests are computed again next time


# The libraries whose versions shape an output's bytes: an upgrade makes every output stale.
SHAPING_PACKAGES = ("weasyprint", "pydyf", "python-docx", "fonttools", "Pillow", "pypdfium2")


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Installed versions of the packages and native libraries that shape outputs, read without
    importing them (WeasyPrint's import costs half a second): HarfBuzz's version and whether its
    subsetter is present (fonts are cut by fontTools without it) count too."""
    from importlib import metadata

    versions: dict[str, str] = {}
    for name in SHAPING_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    versions["harfbuzz"], versions["harfbuzz-subset"] = _harfbuzz()
    return versions


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


@dataclass
class BuildCache:
    """What a previous build wrote: per entry (one job's one format), the input key and each file's digest."""

    folder: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path) -> BuildCache:
        """Read the record; a missing or unreadable one simply means nothing is fresh."""
        try:
            data = json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(folder)
        if not isinstance(data, dict) or data.get("schema") != _SCHEMA or not isinstance(data.get("entries"), dict):
            return cls(folder)
        return cls(folder, dict(data["entries"]))

    def is_fresh(self, entry: str, key: str) -> bool:
        """Made from the same inputs, and every file it wrote is still there, byte for byte."""
        record = self.entries.get(entry)
        if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("files"), dict):
            return False
        for name, sha in record["files"].items():
            try:
                if digest_bytes((self.folder / name).read_bytes()) != sha:
                    return False
            except OSError:
                return False
        return True

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
