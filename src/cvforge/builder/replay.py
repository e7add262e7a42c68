"""A no-change build without the build: when the same command last found everything up to date and
nothing it read has changed since, say so again, in milliseconds.

A full no-change build still parses every profile (ruamel.yaml, Pydantic) to compute its keys:
most of a second of start-up for nothing. So after a build whose every job was unchanged, the
command's fingerprint (arguments, folder, cvforge's and the shaping libraries' versions), the
size and modification time of every file it read (profiles, targets, job descriptions, photos,
every theme file) and of every output, the listing of the folders it searched, and what it
printed are kept in the user's cache (one file per output folder, so out/ holds only outputs
and the build record). The next identical command compares those stamps and,
when all match, prints the same report. Any difference, however small (a new file in profiles/,
a touched theme), runs the real build, which compares contents. Only light modules load here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cvforge import __version__
from cvforge.errors import CvforgeError
from cvforge.reader.ownfiles import read_own_file


def record_path(out_dir: Path) -> Path:
    """Where the replay of builds into `out_dir` is kept: ~/.cache/cvforge/replays/<folder's digest>.json."""
    from cvforge.renderers.fontcache import cache_root

    name = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:32]
    return cache_root() / "replays" / f"{name}.json"


_SCHEMA = 2  # 2: notes (a long resume) are kept and said again
_PURPOSE = "replay"
MAX_REPLAY_BYTES = 16 * 1024 * 1024
_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "CVFORGE_CACHE_DIR", "XDG_CACHE_HOME", "CI", "NO_COLOR", "GITHUB_ACTIONS")


@dataclass(frozen=True)
class Replay:
    """What the last no-change build of this command printed."""

    outputs: tuple[tuple[str, int], ...]  # shown path, size
    warnings: tuple[str, ...]
    summary: str
    notes: tuple[str, ...] = ()  # printed unless --quiet: a resume PDF past two pages


def fingerprint(command: Sequence[str]) -> str:
    """Everything besides files that decides what a build does and prints."""
    from cvforge.builder.cache import library_versions

    payload = {
        "command": command,
        "cwd": str(Path.cwd()),
        "cvforge": __version__,
        "libraries": library_versions(),
        "environment": {name: os.environ.get(name) for name in _ENVIRONMENT},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _listing(folder: Path) -> list[str] | None:
    try:
        return sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return None


def _files_under(folders: Iterable[Path]) -> list[Path]:
    return [Path(root) / name for folder in folders for root, _, names in os.walk(folder) for name in names]


def recall(out_dir: Path, key: str) -> Replay | None:
    """The last no-change build's report, if this command made it and nothing it read has changed.

    Only a replay this user's cvforge wrote counts (its HMAC, see cachekey): the cache folder may be
    shared or restored, and a planted replay with matching stamps would say 'unchanged' for a build
    that has work to do. It is read bounded, never through a link.
    """
    from cvforge.renderers import cachekey

    path = record_path(out_dir)
    try:
        body = cachekey.unseal(_PURPOSE, path.name, read_own_file(path, MAX_REPLAY_BYTES).data)
        data = json.loads(body) if body is not None else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("schema") != _SCHEMA or data.get("key") != key:
        return None
    try:
        files: dict[str, list[int]] = data["files"]
        folders: dict[str, list[str]] = data["folders"]
        trees: dict[str, list[str]] = data["trees"]
        if any(_stamp(Path(path)) != stamp for path, stamp in files.items()):
            return None
        if any(_listing(Path(folder)) != names for folder, names in folders.items()):
            return None
        if any(sorted(map(str, _files_under([Path(folder)]))) != names for folder, names in trees.items()):
            return None
        return Replay(
            tuple((str(path), int(size)) for path, size in data["outputs"]),
            tuple(str(line) for line in data["warnings"]),
            str(data["summary"]),
            tuple(str(line) for line in data["notes"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def remember(
    out_dir: Path,
    key: str,
    *,
    inputs: Iterable[Path],
    folders: Iterable[Path],
    trees: Iterable[Path],
    outputs: Sequence[tuple[Path, str, int]],
    warnings: Sequence[str],
    summary: str,
    notes: Sequence[str] = (),
) -> None:
    """Keep what a no-change build read and printed: `inputs` and `outputs` by stamp, `folders` by
    listing, `trees` (theme folders) by every file in them, stamped too."""
    from cvforge.builder.write import write_atomic

    tree_list = [folder for folder in trees if folder.is_dir()]
    tree_files = _files_under(tree_list)
    stamped = {str(path.resolve()): _stamp(path) for path in [*inputs, *tree_files, *(p for p, _, _ in outputs)]}
    payload = {
        "schema": _SCHEMA,
        "key": key,
        "files": stamped,
        "folders": {str(folder.resolve()): _listing(folder) for folder in folders},
        "trees": {str(folder): sorted(map(str, _files_under([folder]))) for folder in tree_list},
        "outputs": [[shown, size] for _, shown, size in outputs],
        "warnings": list(warnings),
        "notes": list(notes),
        "summary": summary,
    }
    from cvforge.renderers import cachekey

    target = record_path(out_dir)
    sealed = cachekey.seal(_PURPOSE, target.name, (json.dumps(payload, indent=1) + "\n").encode("utf-8"))
    if sealed is None:
        return  # no trusted key: nothing replays, every build runs in full
    with contextlib.suppress(OSError, CvforgeError):  # nowhere to keep it: the next build runs in full, that is all
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, sealed)


def forget(out_dir: Path) -> None:
    """Drop the kept report: the last build wrote or failed something."""
    with contextlib.suppress(OSError):
        record_path(out_dir).unlink()
