"""`cvforge build`: turn the command line into a build, or say a no-change build again without one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cvforge.builder.project import FORMATS, RENDERER_NAMES, default_workers
from cvforge.cli.options import FORMAT_ERRORS, ProjectPath, where_and_how


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
) -> None:
    """Build SOURCES: profiles, targets (by path or by name), or folders of them.

    With no argument, builds every profile in ./profiles and every target in ./targets. Outputs
    whose inputs (profile, target, job description, theme files, options, cvforge's version) are
    unchanged since the last build are skipped; --force rebuilds them.
    """
    from cvforge.builder import replay
    from cvforge.builder.command import BuildOptions, build_now

    given = (sources, ProjectPath.moved_from, theme_name, formats, out_dir, theme_dirs, option_pairs, strict, quiet)
    command = [str(value) for value in (*given, redact_fields, locale)]  # what decides the build and its report
    fingerprint = replay.fingerprint(command) if not (check or force or as_json) else None
    if fingerprint is not None and (again := replay.recall(out_dir, fingerprint)) is not None:
        replay.echo_replay(again, quiet=quiet)
        return
    how = BuildOptions(
        theme_name, formats, out_dir, theme_dirs, option_pairs, locale, check, strict, force, workers, redact_fields
    )
    result, jobs = build_now(sources, how, quiet=quiet, as_json=as_json)
    # Profiles' outputs come back in the order written; targets (letters, reports) replay once unchanged.
    settled = len(result.skipped) == len(jobs) or all(job.kind == "profile" for job in jobs)
    if fingerprint is not None and result.ok and jobs and settled:
        replay.remember_no_change(out_dir, fingerprint, result, jobs, sources, theme_dirs)
    else:
        replay.forget(out_dir)
    if not result.ok:
        sys.exit(1)
