"""The job model: one thing `build` makes, the settings every job of a build shares, and the
profile a job rendered, as its build record names and remembers it."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cvforge.builder.cache import CACHE_NAME, BuildCache
from cvforge.errors import display_path
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import OptionValue
from cvforge.schema import Profile

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One thing `build` makes: a profile as written, or a target that tailors the profile it names."""

    path: Path
    kind: Literal["profile", "target", "letter"] = "profile"


@dataclass(frozen=True)
class Settings:
    """What the command line decides for every job of one build."""

    theme_name: str | None
    formats: Sequence[str]
    out_dir: Path
    theme_dirs: Sequence[Path]
    options: Mapping[str, OptionValue]
    redact: tuple[str, ...] = ()  # contact fields left out of every output (--redact)
    page_limit: int | None = None  # most PDF pages for every resume (--page-limit), over a target's own
    densities: tuple[tuple[str, str], ...] = ()  # the job's recorded density decisions (builder.density_record)
    layout_salt: str = ""  # libraries and theme files, for keying density decisions; "" keeps none


def entry_id(job: Job, part: str) -> str:
    """Names one job's one format in the cache record."""
    return f"{job.kind}:{Path(display_path(job.path)).as_posix()}:{part}"


def rendered_profile(job: Job, cache: BuildCache) -> Profile:
    """The profile a job rendered: the file itself, or the tailored profile a target recorded (its
    untailored profile when the record holds none that validates)."""
    from cvforge.targets.letter import load_letter_file  # target and letter schemas: only for their jobs
    from cvforge.targets.target import load_target

    if job.kind == "letter":
        return load_profile(load_letter_file(job.path).profile_path)
    if job.kind == "target" and (recorded := recorded_profile(job, cache)) is not None:
        return recorded
    return load_profile(job.path) if job.kind == "profile" else load_profile(load_target(job.path).profile_path)


def recorded_profile(job: Job, cache: BuildCache) -> Profile | None:
    """The tailored profile a target's last build recorded; None when there is none, or (with a
    warning) when it does not validate: the record is input, not a promise."""
    recorded = cache.extra_of(entry_id(job, "profile"))
    if recorded is None:
        return None
    try:
        return Profile.model_validate_json(recorded)
    except ValueError as exc:  # pydantic's ValidationError, and JSON that does not parse
        first = str(exc).splitlines()[1:3]
        LOGGER.warning(
            "%s: the tailored profile recorded for %s does not validate (%s); not used",
            display_path(cache.folder / CACHE_NAME),
            display_path(job.path),
            "; ".join(line.strip() for line in first)[:200],
        )
        return None
