"""The `build` command's build: collect the jobs, check the command line, build with a reporter.

Kept out of cli.py so the command module stays small and imports nothing heavy until it builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job
    from cvforge.builder.run import BuildResult


@dataclass(frozen=True)
class BuildOptions:
    """The build command's options, as given."""

    theme_name: str | None
    formats: str
    out_dir: Path
    theme_dirs: tuple[Path, ...]
    option_pairs: tuple[str, ...]
    locale: str | None
    check: bool
    strict: bool
    force: bool
    workers: int
    redact_fields: str | None


def build_now(
    sources: tuple[Path, ...], how: BuildOptions, *, quiet: bool, as_json: bool
) -> tuple[BuildResult, list[Job]]:
    """The build itself: the result and its jobs."""
    from cvforge.reader.read import parse_once

    with parse_once():  # the theme check reads the profiles the build then uses
        return _build_now(sources, how, quiet=quiet, as_json=as_json)


def _build_now(
    sources: tuple[Path, ...], how: BuildOptions, *, quiet: bool, as_json: bool
) -> tuple[BuildResult, list[Job]]:
    from cvforge.builder.console import BuildReporter, choose_mode, echo_warnings
    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.output_kinds import parse_formats
    from cvforge.builder.run import build
    from cvforge.builder.theme_choice import check_command_line, parse_options
    from cvforge.targets.redact import parse_redact

    jobs = collect_jobs(sources)
    chosen = parse_formats(how.formats)
    options = parse_options(how.option_pairs, how.locale)
    redact = parse_redact(how.redact_fields) if how.redact_fields is not None else ()
    check_command_line(jobs, how.theme_name, how.theme_dirs, options)
    reporter = BuildReporter(choose_mode(quiet=quiet, as_json=as_json))
    if how.check and not any(fmt in _read_back_formats() for fmt in chosen):
        click.echo("note: --check reads PDF and DOCX files, and neither is being built", err=True)
    with echo_warnings(), reporter.running(len(jobs)):
        result = build(
            jobs,
            theme_name=how.theme_name,
            formats=chosen,
            out_dir=how.out_dir,
            theme_dirs=how.theme_dirs,
            options=options,
            on_output=reporter.output,
            on_progress=reporter.progress,
            check=how.check,
            strict=how.strict,
            force=how.force,
            workers=how.workers,
            redact=redact,
        )
    reporter.finish(result, jobs, how.out_dir, how.check)
    return result, jobs


def _read_back_formats() -> tuple[str, ...]:
    """What `--check` reads back; the read-back stack loads only when a build checks."""
    from cvforge.readback.extract import EXTRACTORS

    return tuple(EXTRACTORS)
