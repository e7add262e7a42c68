"""Telling target and letter files apart from profiles, and finding them: what a build's discovery
needs, without the target and letter schemas (their Pydantic models cost a profile-only build 15 ms
to build; `target.py` and `letter.py` load them when a target or letter is read)."""

from __future__ import annotations

import re
from pathlib import Path

from cvforge.errors import display_path
from cvforge.reader.limits import read_limited
from cvforge.reader.source import PROFILE_SUFFIXES

TARGETS_DIR = Path("targets")
SYNONYMS_FILE = "synonyms.yaml"
LETTERS_DIR = Path("letters")


def iter_target_files(folder: Path) -> list[Path]:
    """Targets in a folder, in a stable order (job descriptions and synonyms files are not targets)."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES and p.name != SYNONYMS_FILE
    )


def find_target(name: str, folder: Path = TARGETS_DIR) -> Path | None:
    """A target by name: targets/NAME.yaml (or .yml, .json)."""
    for suffix in PROFILE_SUFFIXES:
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def is_target_file(path: Path) -> bool:
    """A file is a target when it sits in a `targets` folder, or its top level names a profile.

    Profiles have `person:`; targets have `profile:`. Unreadable files are left to the profile
    loader, which reports their problems. A block-style YAML file is told by its unindented keys
    alone (`top_level_keys`); only another shape is parsed here: parsing a profile twice, here and
    in the loader, cost every build 14–30 ms a profile and a watch as much on every edit.
    """
    if path.name == SYNONYMS_FILE:
        return False
    if path.parent.name == TARGETS_DIR.name:
        return True
    try:  # never more than a profile may hold: a 50 MB file is refused by the loader, unparsed
        text = read_limited(path, display_path(path)).decode("utf-8")
        keys = None if path.suffix.lower() == ".json" else top_level_keys(text)
        if keys is None:
            from ruamel.yaml import YAML

            data = YAML(typ="safe").load(text)
            keys = set(data) if isinstance(data, dict) else set()
    except Exception:  # any unreadable file is reported by the loader that gets it
        return False
    return "profile" in keys and "person" not in keys


_PLAIN_KEY = re.compile(r"""(?:"([^"\\]*)"|'([^']*)'|([A-Za-z_][\w.-]*))[ \t]*:(?:[ \t]|$)""")


def top_level_keys(text: str) -> set[str] | None:
    """The keys of a YAML file whose top level is a block mapping, read from its unindented lines:
    there, a line at column 0 is a key, a comment or a document marker (a value's continuation is
    indented). None for any other shape (JSON, flow style, a sequence, a complex key), which only
    a parser can read."""
    keys: set[str] = set()
    for line in text.splitlines():
        if not line or line[0] in " \t#" or line.rstrip() in ("---", "...") or line.startswith("%"):
            continue
        match = _PLAIN_KEY.match(line)
        if match is None:
            return None
        keys.add(next(group for group in match.groups() if group is not None))
    return keys or None


def is_letter_file(path: Path) -> bool:
    """A file in a `letters` folder is a standalone letter (elsewhere, a file naming a profile is a target)."""
    return path.parent.name == LETTERS_DIR.name and path.suffix.lower() in PROFILE_SUFFIXES


def iter_letter_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
