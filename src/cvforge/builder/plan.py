"""What a build will do: its jobs, their settings and theme, and the key of everything each
job's outputs depend on, so unchanged jobs are skipped."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cvforge.builder.cache import CACHE_NAME, BuildCache, InputDigest, base_digest
from cvforge.builder.letters import formats_for, parse_format_list
from cvforge.builder.project import PROFILES_DIR, TOP_LEVEL_PROFILES
from cvforge.errors import CvforgeError, Problem, ProfileError, ThemeError, UsageError, display_path
from cvforge.reader.read import load_profile
from cvforge.reader.source import iter_profile_files
from cvforge.renderers.contrast import check_accent
from cvforge.renderers.themes import OptionValue, Theme, load_theme, search_dirs
from cvforge.schema import Profile
from cvforge.schema.target import safe_component
from cvforge.targets.letter import LETTERS_DIR, is_letter_file, iter_letter_files, load_letter_file
from cvforge.targets.target import (
    SYNONYMS_FILE,
    TARGETS_DIR,
    find_target,
    is_target_file,
    iter_target_files,
    load_target,
    output_stem,
)

if TYPE_CHECKING:  # tailoring, page fitting and reports load only when a target is built
    pass


DEFAULT_THEME = "classic"
LOGGER = logging.getLogger(__name__)


def resolve_theme(
    profile: Profile,
    source: str,
    theme_name: str | None,
    theme_dirs: Sequence[Path],
    options: Mapping[str, OptionValue],
) -> Theme:
    """The command's theme wins over the profile's; command options win over the profile's."""
    theme = load_theme(theme_name or profile.theme or DEFAULT_THEME, theme_dirs)
    theme = theme.with_options(profile.options, f"{source}: options").with_options(options, "--option")
    check_accent(theme, source)
    return theme


def parse_formats(value: str) -> list[str]:
    """File formats, and the documents `letter` and `packet` (see `builder.letters`): a usage error names
    an unknown one."""
    return parse_format_list(value)


def parse_options(pairs: tuple[str, ...], locale: str | None = None) -> dict[str, OptionValue]:
    """`--option NAME=VALUE` pairs; `--locale TAG` is the option `locale`."""
    options: dict[str, OptionValue] = {"locale": locale} if locale else {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--option expects NAME=VALUE, got '{pair}'")
        options[key.strip()] = value.strip()
    return options


def check_command_line(
    jobs: Sequence[Job], theme_name: str | None, theme_dirs: Sequence[Path], options: Mapping[str, OptionValue]
) -> None:
    """A `--theme` or `--option` mistake is the command line's, not a job's: raise UsageError (exit 2)
    naming the valid choices, before anything is built. Checked against every theme the jobs use."""
    names = {theme_name} if theme_name else {_theme_of(job) for job in jobs}
    for name in sorted(names):
        try:
            load_theme(name, theme_dirs).with_options(options, "--option")
        except ThemeError as exc:
            raise UsageError(f"--theme {name}: {exc.message}" if theme_name else exc.message) from None


def _theme_of(job: Job) -> str:
    """The theme a job's profile asks for; an unreadable profile is reported later, by its own job."""
    try:
        path = load_target(job.path).profile_path if job.kind == "target" else job.path
        return load_profile(path).theme or DEFAULT_THEME
    except CvforgeError:
        return DEFAULT_THEME


def localized(profile: Profile, theme: Theme) -> Profile:
    """The profile in the locale it is built in. `--locale` (and a target's `locale`, both theme
    options by then) wins over the profile's `locale`, which wins over the theme's `lang`."""
    options = theme.options
    lang = str(options.get("lang") or "")
    default = lang if lang not in ("", "en") and _known_locale(lang) else None
    locale = str(options.get("locale") or "") or profile.locale or default
    date_format = str(options.get("date_format") or "") or profile.date_format
    if (locale, date_format) == (profile.locale, profile.date_format):
        return profile
    return profile.model_copy(update={"locale": locale, "date_format": date_format})


def _known_locale(tag: str) -> bool:
    from cvforge.schema.base import check_locale

    try:
        check_locale(tag)
    except ValueError:
        return False
    return True


def section_order(theme: Theme) -> list[str]:
    return [name.strip() for name in str(theme.options.get("sections", "")).split(",") if name.strip()]


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


def as_job(path: Path) -> Job:
    """A bare path given to `build`: a letter in a `letters` folder, a target when it looks like one
    (see `is_target_file`), else a profile."""
    if is_letter_file(path):
        return Job(path, "letter")
    return Job(path, "target") if is_target_file(path) else Job(path)


def rendered_profile(job: Job, cache: BuildCache) -> Profile:
    """The profile a job rendered: the file itself, or the tailored profile a target recorded (its
    untailored profile when the record holds none that validates)."""
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


def entry_id(job: Job, part: str) -> str:
    """Names one job's one format in the cache record."""
    return f"{job.kind}:{Path(display_path(job.path)).as_posix()}:{part}"


def digest_theme_files(theme_dirs: Sequence[Path]) -> str:
    """Every file of every theme a build could use: a theme edit makes its users' outputs stale."""
    digest = InputDigest()  # a part of each job's key, which already starts from `base_digest`
    for folder in search_dirs(theme_dirs):
        digest.add_files("theme", folder, (p for p in folder.rglob("*") if p.is_file()))
    return digest.hexdigest()


def job_key(
    job: Job, settings: Settings, themes_digest: str, read: list[Path] | None = None
) -> tuple[str, tuple[str, ...]]:
    """The digest of everything a job's outputs depend on, and the extra parts a job writes (reports).

    Reading the files is cheap (no rendering, no heavy imports); an invalid file is reported here.
    The files it read are added to `read`.
    """
    digest = base_digest().add_text("themes", themes_digest).add_text("job", job.kind)
    digest.add_mapping("settings", {"theme": settings.theme_name, "options": dict(settings.options)})
    if settings.redact:
        digest.add_text("redact", ",".join(settings.redact))
    extras: tuple[str, ...] = ()
    if job.kind == "letter":
        letter = load_letter_file(job.path)
        inputs, profile_path = [job.path, letter.profile_path], letter.profile_path
        if letter.spec.signature is not None:
            inputs.append(letter.folder / letter.spec.signature)
    elif job.kind == "target":
        target = load_target(job.path)
        inputs = [job.path, target.profile_path]
        if target.job_path is not None:
            inputs.append(target.job_path)
            extras = ("match.md", "match.json")
        synonyms = job.path.parent / SYNONYMS_FILE
        if synonyms.is_file():
            inputs.append(synonyms)
        if target.target.letter is not None and target.target.letter.signature is not None:
            inputs.append(job.path.parent / target.target.letter.signature)
        profile_path = target.profile_path
    else:
        inputs, profile_path = [job.path], job.path
        if not safe_component(job.path.stem):
            message = (
                f"the file name '{job.path.name}' cannot name an output (its stem '{job.path.stem}' is empty, "
                "hidden or '..'); rename the file"
            )
            raise ProfileError([Problem(display_path(job.path), 1, 1, "", message)])
    profile = load_profile(profile_path)
    if job.kind == "target":
        output_stem(target, profile)  # a name that would leave the output folder fails here, before any write
    photo = profile.person.photo
    if photo and "://" not in photo and (profile_path.parent / photo).is_file():
        inputs.append(profile_path.parent / photo)
    for index, path in enumerate(inputs):
        digest.add_file(f"input{index}", path)
    if read is not None:
        read += inputs
    return digest.hexdigest(), extras


def job_formats(job: Job, formats: Sequence[str]) -> tuple[str, ...]:
    """The outputs this job makes of those asked for (see `formats_for`): letters only where there is one."""
    has_letter = job.kind == "target" and load_target(job.path).target.letter is not None
    return formats_for(job.kind, formats, has_letter=has_letter)


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
