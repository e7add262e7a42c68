"""`cvforge build`: collect the jobs, check the command line, build with a reporter; or, when the
same command last found everything up to date and nothing it read has changed, say that again
without building (`builder.replay` keeps and checks the record; this module says what it holds).

Only light modules load at the top: `--help` and a replayed no-change build import nothing heavy.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvforge.builder.project import FORMATS, RENDERER_NAMES, default_workers
from cvforge.cli.options import FORMAT_ERRORS, ProjectPath, where_and_how
from cvforge.errors import display_path

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job
    from cvforge.builder.replay import Replay
    from cvforge.builder.run import BuildResult


@click.command("build")
@click.argument("sources", nargs=-1, type=ProjectPath(path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join((*FORMATS, "letter", "packet")),
    show_default=True,
    help=f"Comma-separated formats, from {', '.join(RENDERER_NAMES)} (png: one image per page, NAME-1.png…), "
    "and letter (a target's cover letter, in those formats) and packet (letter then resume, one PDF).",
)
@where_and_how
@click.option("--check", "check", is_flag=True, help="Read every PDF and DOCX back as a parser would; fail on a gap.")
@click.option("--review", "review", is_flag=True, help="After the build, print `cvforge review`'s findings.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a remote photo left out) as errors.")
@click.option("--force", is_flag=True, help="Re-render this command's outputs even if unchanged.")
@click.option(
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    default=default_workers(),
    show_default="the number of cores",
    help="Render up to N jobs in parallel processes.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only warnings and errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on standard output instead of lines.")
@click.option(
    "--redact",
    "redact_fields",
    metavar="FIELDS",
    help="Leave these contact fields out of every output, e.g. phone,address (for sharing a sample).",
)
@click.option(
    "--page-limit",
    "page_limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Fit each resume's PDF, PNG and DOCX to N pages, leaving out what the profile puts last (as a target's "
    "page_limit does, and over it); the HTML, Markdown and text stay complete.",
)
@FORMAT_ERRORS
def build_command(
    sources: tuple[Path, ...],
    theme_name: str | None,
    formats: str,
    out_dir: Path,
    theme_dirs: tuple[Path, ...],
    option_pairs: tuple[str, ...],
    locale: str | None,
    check: bool,
    strict: bool,
    force: bool,
    workers: int,
    quiet: bool,
    as_json: bool,
    redact_fields: str | None = None,
    review: bool = False,
    page_limit: int | None = None,
) -> None:
    """Build SOURCES: profiles, targets (by path or by name), or folders of them.

    With no argument, builds every profile in ./profiles and every target in ./targets. Outputs
    whose inputs (profile, target, job description, theme files, options, cvforge's version) are
    unchanged since the last build are skipped; --force rebuilds them.
    """
    from cvforge.builder import replay

    given = (sources, ProjectPath.moved_from, theme_name, formats, out_dir, theme_dirs, option_pairs, strict, quiet)
    command = [
        str(value) for value in (*given, redact_fields, locale, page_limit)
    ]  # what decides the build and its report
    fingerprint = replay.fingerprint(command) if not (check or force or as_json) else None
    if fingerprint is not None and (again := replay.recall(out_dir, fingerprint)) is not None:
        echo_replay(again, quiet=quiet)
        if review:
            review_built(sources, out_dir, as_json=as_json)
        return
    how = BuildOptions(
        theme_name,
        formats,
        out_dir,
        theme_dirs,
        option_pairs,
        locale,
        check,
        strict,
        force,
        workers,
        redact_fields,
        page_limit,
    )
    result, jobs = build_now(sources, how, quiet=quiet, as_json=as_json)
    # Profiles' outputs come back in the order written; targets (letters, reports) replay once unchanged.
    settled = len(result.skipped) == len(jobs) or all(job.kind == "profile" for job in jobs)
    if fingerprint is not None and result.ok and jobs and settled:
        remember_no_change(out_dir, fingerprint, result, jobs, sources, theme_dirs)
    else:
        replay.forget(out_dir)
    if review:
        review_built(sources, out_dir, as_json=as_json)
    if not result.ok:
        sys.exit(1)


def review_built(sources: tuple[Path, ...], out_dir: Path, *, as_json: bool) -> None:
    """`--review`: the review of each profile and target that loads, after the build (pages from
    the build just made); on stderr with --json, which keeps stdout one JSON document."""
    from cvforge.builder.discover import collect_jobs
    from cvforge.cli.review import echo_reviews, review_jobs
    from cvforge.errors import ProfileError

    reviews = []
    for job in collect_jobs(sources):
        try:
            reviews += review_jobs([job], out_dir)
        except ProfileError:
            continue  # the build has said what is wrong with it
    echo_reviews(reviews, as_json=False, err=as_json)


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
    page_limit: int | None = None


def build_now(
    sources: tuple[Path, ...], how: BuildOptions, *, quiet: bool, as_json: bool
) -> tuple[BuildResult, list[Job]]:
    """The build itself, reported as it goes: the result and its jobs."""
    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.output_kinds import parse_formats
    from cvforge.builder.run import build
    from cvforge.builder.theme_choice import check_command_line, parse_options
    from cvforge.cli.console import BuildReporter, choose_mode, echo_warnings
    from cvforge.reader.read import parse_once
    from cvforge.targets.redact import parse_redact

    with parse_once():  # the theme check reads the profiles the build then uses
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
                page_limit=how.page_limit,
            )
        reporter.finish(result, jobs, how.out_dir, how.check)
    return result, jobs


def _read_back_formats() -> tuple[str, ...]:
    """What `--check` reads back; the read-back stack loads only when a build checks."""
    from cvforge.readback.extract import EXTRACTORS

    return tuple(EXTRACTORS)


def remember_no_change(
    out_dir: Path,
    fingerprint: str,
    result: BuildResult,
    jobs: list[Job],
    sources: tuple[Path, ...],
    theme_dirs: tuple[Path, ...],
) -> None:
    """Keep what a build read, and what the same build would print with nothing changed (the
    warnings of deciding what is stale, every output unchanged), for `replay.recall` to say next time."""
    from cvforge.builder.cache import CACHE_NAME
    from cvforge.builder.project import LETTERS_DIR, PROFILES_DIR, TARGETS_DIR
    from cvforge.builder.replay import remember
    from cvforge.builder.run import BuildResult
    from cvforge.cli.console import human_size, summary_line
    from cvforge.renderers.themes import search_dirs

    folders = [Path(), PROFILES_DIR, TARGETS_DIR, LETTERS_DIR, *sources, *theme_dirs]
    folders += [path.parent for path in [*result.inputs, *theme_dirs]]
    unchanged = [dataclasses.replace(output, unchanged=True, check=None) for output in result.outputs]
    lines = [(o.path, f"unchanged {display_path(o.path)} ({human_size(o.size)})", o.size) for o in unchanged]
    remember(
        out_dir,
        fingerprint,
        inputs=[*result.inputs, out_dir / CACHE_NAME],  # the build record too: without it all is stale
        folders=[folder for folder in dict.fromkeys(folders) if folder.is_dir()],
        trees=[*search_dirs(theme_dirs), Path.cwd() / "themes"],
        outputs=lines,
        warnings=result.planning_warnings,
        notes=[f"{notice.source}: {notice.message}" for notice in result.notes],
        summary=summary_line(BuildResult(outputs=unchanged, skipped=[str(job.path) for job in jobs]), jobs, out_dir),
    )


def echo_replay(again: Replay, *, quiet: bool) -> None:
    """Print what the last no-change build of this command printed (plain lines)."""
    colour = False if os.environ.get("NO_COLOR") else None
    for line in again.warnings:
        click.secho(f"warning: {line}", fg="yellow", err=True, color=colour)
    if quiet:
        return
    for line in again.notes:
        click.echo(f"note: {line}", err=True)
    for line, _ in again.outputs:
        click.echo(line)
    click.echo(again.summary)
