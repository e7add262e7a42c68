"""`cvforge validate`'s work: read each profile or target (and the profile it names) without
building, and say per file whether it is valid, with every located problem and warning."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import click

from cvforge.builder.console import echo_error, echo_warning
from cvforge.builder.jobs import Job
from cvforge.builder.theme_choice import resolve_theme
from cvforge.errors import CvforgeError, Problem, ProfileError, display_path
from cvforge.logs import collect_warnings
from cvforge.reader.read import load_profile
from cvforge.targets.letter import load_letter_file
from cvforge.targets.target import load_target


@dataclass(frozen=True)
class Checked:
    path: str
    ok: bool
    name: str | None = None  # the person's name, when the file (or the profile a target names) loads
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    message: str = ""  # the problems as the CLI prints them

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("message")
        data["problems"], data["warnings"] = [asdict(p) for p in self.problems], list(self.warnings)
        return data


def check_job(job: Job, *, strict: bool) -> Checked:
    """A target or letter is valid when it and the profile it names both are, and so are the theme
    and options they ask for (what a build would refuse); with `strict`, a warning makes it invalid."""
    shown = display_path(job.path)
    with collect_warnings() as warned:
        try:
            if job.kind == "target":
                target = load_target(job.path)
                profile = load_profile(target.profile_path)
                theme = resolve_theme(profile, display_path(target.profile_path), target.target.theme, (), {})
                theme.with_options(target.target.options, f"{shown}: options")
            elif job.kind == "letter":
                letter = load_letter_file(job.path)
                profile = load_profile(letter.profile_path)
                theme = resolve_theme(profile, display_path(letter.profile_path), letter.theme, (), {})
                theme.with_options(dict(letter.options), f"{shown}: options")
            else:
                profile = load_profile(job.path)
                resolve_theme(profile, shown, None, (), {})
        except ProfileError as exc:
            return Checked(shown, False, problems=tuple(exc.problems), message=exc.format_message())
        except CvforgeError as exc:  # an unknown theme or a bad option value: no located problems to list
            return Checked(shown, False, message=exc.format_message())
    warnings = tuple(record.getMessage() for record in warned)
    return Checked(shown, not (strict and warnings), profile.person.name, warnings=warnings)


def validate_jobs(jobs: list[Job], *, strict: bool, quiet: bool, as_json: bool) -> bool:
    """Check every job and print the verdicts (lines, or one JSON document); True when all are valid."""
    results = [check_job(job, strict=strict) for job in jobs]
    valid = sum(checked.ok for checked in results)
    if as_json:
        files = [checked.as_dict() for checked in results]
        click.echo(json.dumps({"ok": valid == len(results), "valid": valid, "files": files}, indent=2))
    for checked in results if not as_json else ():
        if checked.message:
            echo_error(checked.message)
            continue
        for message in checked.warnings:
            echo_warning(f"warning: {message}")
        if not checked.ok:
            echo_error(f"error: {checked.path}: warnings are errors with --strict")
        elif not quiet:
            click.echo(f"ok {checked.path} ({checked.name})")
    if not as_json and len(results) > 1 and (not quiet or valid < len(results)):
        click.echo(f"{valid} of {len(results)} file(s) valid", err=valid < len(results))
    return valid == len(results)
