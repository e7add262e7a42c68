"""Finding jobs: what `build` makes of its arguments (or of the project when given none), and
which job made an output that `check` is given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cvforge.builder.cache import CACHE_NAME, BuildCache
from cvforge.builder.jobs import Job, rendered_profile
from cvforge.builder.project import PROFILES_DIR, TOP_LEVEL_PROFILES
from cvforge.errors import UsageError, display_path
from cvforge.reader.read import load_profile
from cvforge.reader.source import iter_profile_files
from cvforge.schema import Profile
from cvforge.targets.files import (
    LETTERS_DIR,
    SYNONYMS_FILE,
    TARGETS_DIR,
    find_target,
    is_letter_file,
    is_target_file,
    iter_letter_files,
    iter_target_files,
)


def collect_jobs(args: Sequence[Path]) -> list[Job]:
    """Profiles and targets to build. No argument: every profile in ./profiles, every target in
    ./targets, and a top-level resume.json or cv.yaml. A folder: every profile or target in it.
    A bare name: the target targets/NAME.yaml."""
    if not args:
        top = [Job(Path(name)) for name in TOP_LEVEL_PROFILES if Path(name).is_file()]
        if top and not PROFILES_DIR.is_dir() and not TARGETS_DIR.is_dir():
            return top
        if not PROFILES_DIR.is_dir() and not TARGETS_DIR.is_dir():
            raise UsageError(
                "no profile given and no ./profiles or ./targets folder here; "
                'start one with `cvforge new "Your Name"` (writes profiles/your-name.yaml)'
            )
        jobs = [Job(p) for p in iter_profile_files(PROFILES_DIR)] if PROFILES_DIR.is_dir() else []
        jobs += [Job(p, "target") for p in iter_target_files(TARGETS_DIR)] if TARGETS_DIR.is_dir() else []
        jobs += [Job(p, "letter") for p in iter_letter_files(LETTERS_DIR)] if LETTERS_DIR.is_dir() else []
        jobs += top
        if not jobs:
            raise UsageError(
                "no profiles (*.yaml, *.yml, *.json) in profiles/ and no targets in targets/; "
                'start one with `cvforge new "Your Name"`'
            )
        return jobs
    return [job for arg in args for job in jobs_in(arg)]


def jobs_in(arg: Path) -> list[Job]:
    """One argument's jobs: a folder's profiles and targets, a file, or the target named `arg`."""
    if arg.is_dir():
        files = [p for p in iter_profile_files(arg) if p.name != SYNONYMS_FILE]
        found = [as_job(p) for p in files]
        if not found:
            raise UsageError(f"no profiles or targets (*.yaml, *.yml, *.json) in {arg}")
        return found
    if arg.is_file():
        return [as_job(arg)]
    if (named := find_target(str(arg))) is not None:
        return [Job(named, "target")]
    known = ", ".join(p.stem for p in iter_target_files(TARGETS_DIR)) if TARGETS_DIR.is_dir() else ""
    hint = f", and no target of that name (targets: {known})" if known else ""
    raise UsageError(f"no such file or folder: {arg}{hint}")


def as_job(path: Path) -> Job:
    """A bare path given to `build`: a letter in a `letters` folder, a target when it looks like one
    (see `is_target_file`), else a profile."""
    if is_letter_file(path):
        return Job(path, "letter")
    return Job(path, "target") if is_target_file(path) else Job(path)


def source_of_output(output: Path) -> tuple[Profile, str]:
    """The profile an output was built from (the tailored one, for a target's) and where it came from:
    found through the build record beside the output, else profiles/STEM.* by the file's name."""
    folder = next((f for f in output.resolve().parents if (f / CACHE_NAME).is_file()), output.parent)
    cache = BuildCache.open(folder)
    wanted = output.resolve()
    for entry in cache.entries:
        kind, _, rest = entry.partition(":")
        path, _, part = rest.rpartition(":")
        if kind in ("profile", "target") and part != "profile" and wanted in map(Path.resolve, cache.files_of(entry)):
            job = Job(Path(path), "target" if kind == "target" else "profile")
            if job.path.is_file():
                return rendered_profile(job, cache), display_path(job.path)
    for suffix in (".yaml", ".yml", ".json"):
        candidate = PROFILES_DIR / f"{output.stem}{suffix}"
        if candidate.is_file():
            return load_profile(candidate), display_path(candidate)
    raise UsageError(
        f"cannot tell which profile {display_path(output)} was built from (no build record beside it, "
        f"no {PROFILES_DIR.as_posix()}/{output.stem}.yaml); give it with --profile"
    )
