"""What `cvforge watch` rebuilds for: a change to a file that the last build read, and nothing else.

A build's inputs are its jobs' files and what they name (profiles, targets, letters, job
descriptions, synonyms, photos, signatures), the folders of the themes it used, and the files that
would be jobs of the next build (a new profile). Anything else in a watched folder is not a reason to
rebuild: `cvforge watch > profiles/watch.log` rebuilt forever, each build's line in the log being the
next build's cause, and an editor's swap, backup and lock files rebuilt on every keystroke.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvforge.errors import CvforgeError, display_path
from cvforge.logs import collect_warnings

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job
    from cvforge.builder.run import BuildResult

# vim's swap files (.swp, .swo …) and its write test `4913`, emacs's `.#name` locks and `#name#`
# autosaves, `name~` backups, Kate's and JetBrains' temporary files: never an input, whatever they hold.
_EDITOR_LITTER = re.compile(r"^\.#|^#.*#$|~$|\.sw[a-p]$|^4913$|\.kate-swp$|___jb_(?:tmp|old)___$")


def is_editor_litter(name: str) -> bool:
    """Whether a file name is one an editor writes beside the file being edited."""
    return bool(_EDITOR_LITTER.search(name))


@dataclass
class WatchInputs:
    """What the last build read, recorded after each build, asked about each batch of changes."""

    sources: Sequence[Path]
    theme_name: str | None
    theme_dirs: Sequence[Path]
    files: set[Path] = field(default_factory=set)  # resolved: read (or sought) by the last build's jobs
    theme_folders: tuple[Path, ...] = ()  # resolved: any file in them is read by the themes in use
    theme_names: frozenset[str] = frozenset()
    recorded: bool = False  # before the first build nothing is known: every change counts

    def record(self, result: BuildResult | None, jobs: Sequence[Job]) -> None:
        """Remember what a build read. Call inside the build's `parse_once()`: no profile is parsed again."""
        failed = {failure.source for failure in result.failures} if result is not None else set()
        files: list[Path] = [*(result.inputs if result is not None else [])]
        themes: set[str] = {self.theme_name} if self.theme_name else set()
        with collect_warnings():  # loading a profile again replays its warnings: they were shown already
            for job in jobs:
                named, theme = _named_by(job, lenient=display_path(job.path) in failed)
                files += [job.path, *named]
                if not self.theme_name:
                    themes.add(theme)
        self.files = {_resolved(path) for path in files}
        self.theme_folders = tuple(_resolved(folder) for folder in _theme_folders(themes, self.theme_dirs))
        self.theme_names = frozenset({*themes, *(folder.name for folder in self.theme_folders)})  # and those extended
        self.recorded = True

    def changed(self, paths: Iterable[Path]) -> bool:
        """Whether any of `paths` is an input: read by the last build, in a theme it used, or a job of the next."""
        candidates = {_resolved(path) for path in paths if not is_editor_litter(path.name)}
        if not candidates:
            return False
        if not self.recorded or candidates & self.files:
            return True
        if any(path.is_relative_to(folder) for path in candidates for folder in self.theme_folders):
            return True
        if any(path.name == "theme.toml" and path.parent.name in self.theme_names for path in candidates):
            return True  # a theme of a name in use appeared (shadowing the one used) or went
        return bool(candidates & self._next_jobs())

    def _next_jobs(self) -> set[Path]:
        from cvforge.builder.discover import collect_jobs

        try:
            return {_resolved(job.path) for job in collect_jobs(self.sources)}
        except CvforgeError:
            return set()


def _resolved(path: Path) -> Path:
    return path.absolute().resolve()


def _theme_folders(names: Iterable[str], theme_dirs: Sequence[Path]) -> list[Path]:
    """The folders of the themes named, with the themes they extend; an unknown theme has none."""
    from cvforge.renderers.themes import load_theme

    folders: list[Path] = []
    for name in sorted(names):
        try:
            folders += load_theme(name, theme_dirs).folders
        except CvforgeError:
            continue
    return folders


def _named_by(job: Job, *, lenient: bool) -> tuple[list[Path], str]:
    """The files a job names besides itself, read or sought (a missing photo, a synonyms file not
    there yet), and the theme it asks for. A job that failed is read leniently, from its raw YAML,
    so that the file whose absence failed it rebuilds it when it appears."""
    from cvforge.builder.theme_choice import DEFAULT_THEME
    from cvforge.targets.files import SYNONYMS_FILE

    data = _raw(job.path) if lenient or job.kind != "profile" else {}
    folder = job.path.parent
    if job.kind == "profile":
        named, theme = _profile_named(job.path, lenient=lenient)
        return named, theme or DEFAULT_THEME
    references = [("profile",), ("job",), ("job", "description"), ("letter", "signature")]
    named = [folder / text for text in (_text(data, *keys) for keys in references) if text]
    if job.kind == "target":
        named.append(folder / SYNONYMS_FILE)  # read when it is there: its appearance changes the match
    profile = _text(data, "profile")
    profile_named, profile_theme = _profile_named(folder / profile, lenient=lenient) if profile else ([], None)
    return [*named, *profile_named], _text(data, "theme") or profile_theme or DEFAULT_THEME


def _profile_named(path: Path, *, lenient: bool) -> tuple[list[Path], str | None]:
    """A profile's photo (when local) and theme: from the loaded profile (parsed once per build),
    else from its raw YAML."""
    from cvforge.reader.read import load_profile

    photo: str | None
    theme: str | None
    try:
        if lenient:
            raise CvforgeError("read it leniently")
        profile = load_profile(path)
        photo, theme = profile.person.photo, profile.theme
    except CvforgeError:
        data = _raw(path)
        photo, theme = _text(data, "person", "photo"), _text(data, "theme")
    local = photo is not None and "://" not in photo
    return ([path.parent / photo] if local and photo else []), theme


def _raw(path: Path) -> Any:
    """A YAML or JSON file's data without validation; nothing when it cannot be parsed."""
    from cvforge.reader.source import read_document

    try:
        return read_document(path, display_path(path), expected="")
    except (CvforgeError, OSError):
        return {}


def _text(data: Any, *keys: str) -> str | None:
    """The text at `keys` in raw data, when there is text there."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data.strip() if isinstance(data, str) and data.strip() else None
