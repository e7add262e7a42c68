"""Which theme a build uses, with which options: the command line's choice over the profile's,
checked before anything is built so a mistake there is the command line's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cvforge.errors import CvforgeError, ThemeError, UsageError
from cvforge.reader.read import load_profile
from cvforge.renderers.contrast import check_accent
from cvforge.renderers.themes import OptionValue, Theme, load_theme
from cvforge.schema import Profile

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job

DEFAULT_THEME = "classic"


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
        if job.kind == "target":
            from cvforge.targets.target import load_target  # the target schema: only for a target's job

            path = load_target(job.path).profile_path
        else:
            path = job.path
        return load_profile(path).theme or DEFAULT_THEME
    except CvforgeError:
        return DEFAULT_THEME
