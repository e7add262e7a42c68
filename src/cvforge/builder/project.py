"""What the command line needs before it knows whether anything must be built: the project's
folders and the format names. Nothing heavy is imported here, so `--version`, `--help` and a
no-change build (see `replay`) start in milliseconds."""

from __future__ import annotations

import os
from pathlib import Path

PROFILES_DIR = Path("profiles")
TARGETS_DIR = Path("targets")  # the same as cvforge.targets.files.TARGETS_DIR (a test holds them equal)
LETTERS_DIR = Path("letters")  # the same as cvforge.targets.files.LETTERS_DIR
# A JSON Resume or RenderCV file kept at a repository's top, as those tools' users do.
TOP_LEVEL_PROFILES = ("resume.json", "cv.yaml", "cv.yml")
FORMATS: tuple[str, ...] = ("pdf", "docx", "html")  # what `build` makes by default
RENDERER_NAMES = ("pdf", "docx", "html", "md", "txt", "png")  # the keys of renderers.formats.RENDERERS


def project_folder(cwd: Path) -> Path | None:
    """The project a command run inside its profiles/ or targets/ folder belongs to (None elsewhere),
    so `cvforge build` there behaves as it does at the top, writing to the project's out/."""
    if (cwd / PROFILES_DIR).is_dir() or (cwd / TARGETS_DIR).is_dir():
        return None
    parent = cwd.parent
    inside = cwd.name in (PROFILES_DIR.name, TARGETS_DIR.name)
    return parent if inside and ((parent / PROFILES_DIR).is_dir() or (parent / TARGETS_DIR).is_dir()) else None


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1
