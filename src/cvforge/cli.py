"""The `cvforge` command: parse options, call the library, print what happened. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cvforge import __version__
from cvforge.build import FORMATS, Job, Output, build
from cvforge.errors import ProfileError, UsageError, display_path
from cvforge.loader import iter_profile_files, load_profile
from cvforge.report import summary_table
from cvforge.targets import (
    SYNONYMS_FILE,
    TARGETS_DIR,
    find_target,
    is_target_file,
    iter_target_files,
    load_target,
)
from cvforge.themes import OptionValue

PROFILES_DIR = Path("profiles")


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format '{unknown[0] if unknown else value}' (choose from {', '.join(FORMATS)})")
    return list(dict.fromkeys(formats))


def parse_options(pairs: tuple[str, ...]) -> dict[str, OptionValue]:
    options: dict[str, OptionValue] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--option expects NAME=VALUE, got '{pair}'")
        options[key.strip()] = value.strip()
    return options


def collect_jobs(args: tuple[Path, ...]) -> list[Job]:
    """Profiles and targets to build. No argument: every profile in ./profiles and every target in
    ./targets. A folder: every profile or target in it. A bare name: the target targets/NAME.yaml."""
    if not args:
        if not PROFILES_DIR.is_dir() and not TARGETS_DIR.is_dir():
            raise UsageError("no profile given and no ./profiles or ./targets folder here")
        jobs = [Job(p) for p in iter_profile_files(PROFILES_DIR)] if PROFILES_DIR.is_dir() else []
        jobs += [Job(p, "target") for p in iter_target_files(TARGETS_DIR)] if TARGETS_DIR.is_dir() else []
        if not jobs:
            raise UsageError("no profiles (*.yaml, *.yml, *.json) in profiles/ and no targets in targets/")
        return jobs
    jobs = []
    for arg in args:
        if arg.is_dir():
            files = [p for p in iter_profile_files(arg) if p.name != SYNONYMS_FILE]
            found = [Job(p, "target") if is_target_file(p) else Job(p) for p in files]
            if not found:
                raise UsageError(f"no profiles or targets (*.yaml, *.yml, *.json) in {arg}")
            jobs += found
        elif arg.is_file():
            jobs.append(Job(arg, "target") if is_target_file(arg) else Job(arg))
        elif (named := find_target(str(arg))) is not None:
            jobs.append(Job(named, "target"))
        else:
            known = ", ".join(p.stem for p in iter_target_files(TARGETS_DIR)) if TARGETS_DIR.is_dir() else ""
            hint = f", and no target of that name (targets: {known})" if known else ""
            raise UsageError(f"no such file or folder: {arg}{hint}")
    return jobs


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cvforge")
def main() -> None:
    """Compile resume profiles (YAML/JSON) into PDF, DOCX and HTML."""


@main.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--theme", "theme_name", metavar="NAME", help="Theme to use (default: the profile's, else classic).")
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, help="Comma-separated formats.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Folder to write into.",
)
@click.option(
    "--theme-dir",
    "theme_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra folder of themes, searched first.",
)
@click.option("--option", "option_pairs", multiple=True, metavar="NAME=VALUE", help="Theme option override.")
def build_command(
    sources: tuple[Path, ...],
    theme_name: str | None,
    formats: str,
    out_dir: Path,
    theme_dirs: tuple[Path, ...],
    option_pairs: tuple[str, ...],
) -> None:
    """Build SOURCES: profiles, targets (by path or by name), or folders of them.

    With no argument, builds every profile in ./profiles and every target in ./targets.
    """
    jobs = collect_jobs(sources)
    chosen = parse_formats(formats)
    options = parse_options(option_pairs)

    def report(output: Output) -> None:
        click.echo(f"wrote {display_path(output.path)} ({human_size(output.size)})")

    result = build(
        jobs,
        theme_name=theme_name,
        formats=chosen,
        out_dir=out_dir,
        theme_dirs=theme_dirs,
        options=options,
        on_output=report,
    )
    for notice in result.warnings:
        click.echo(f"warning: {notice.source}: {notice.message}", err=True)
    for failure in result.failures:
        click.echo(f"error: {failure.source} was not built:\n{failure.message}", err=True)
    if result.reports:
        click.echo("\njob-description match (full reports: *.match.md, *.match.json beside the outputs)")
        click.echo(summary_table(result.reports) + "\n")
    built = len(jobs) - len(result.failures)
    noun = "profile(s)" if all(job.kind == "profile" for job in jobs) else "profile(s) and target(s)"
    click.echo(f"built {built} of {len(jobs)} {noun}: {len(result.outputs)} file(s) in {display_path(out_dir)}")
    if not result.ok:
        sys.exit(1)


@main.command("validate")
@click.argument("profiles", nargs=-1, type=click.Path(path_type=Path))
def validate_command(profiles: tuple[Path, ...]) -> None:
    """Check PROFILES and targets (default: all in ./profiles and ./targets); report every problem, located."""
    failed = False
    for job in collect_jobs(profiles):
        try:
            if job.kind == "target":
                target = load_target(job.path)
                profile = load_profile(target.profile_path)
            else:
                profile = load_profile(job.path)
        except ProfileError as exc:
            failed = True
            click.echo(exc.format_message(), err=True)
            continue
        click.echo(f"ok {display_path(job.path)} ({profile.person.name})")
    if failed:
        sys.exit(1)
