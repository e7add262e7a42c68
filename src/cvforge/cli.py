"""The `cvforge` command: parse options, call the library, print what happened. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cvforge import __version__
from cvforge.build import FORMATS, Output, build
from cvforge.check import EXTRACTORS, Report, check_file
from cvforge.errors import ProfileError, UsageError, display_path
from cvforge.loader import iter_profile_files, load_profile
from cvforge.themes import OptionValue

PROFILES_DIR = Path("profiles")
PLAIN_EXPECTED_WIDTH = 56


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


def collect_profiles(paths: tuple[Path, ...]) -> list[Path]:
    """Named files as given; a folder (or no argument: ./profiles) means every profile in it."""
    if not paths:
        if not PROFILES_DIR.is_dir():
            raise UsageError("no profile given and no ./profiles folder here")
        paths = (PROFILES_DIR,)
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(iter_profile_files(path))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    if not found:
        raise UsageError(f"no profiles (*.yaml, *.yml, *.json) in {', '.join(str(p) for p in paths)}")
    return found


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cvforge")
def main() -> None:
    """Compile resume profiles (YAML/JSON) into PDF, DOCX and HTML."""


@main.command("build")
@click.argument("profiles", nargs=-1, type=click.Path(path_type=Path))
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
@click.option("--check", "check", is_flag=True, help="Read every PDF and DOCX back as a parser would; fail on a gap.")
def build_command(
    profiles: tuple[Path, ...],
    theme_name: str | None,
    formats: str,
    out_dir: Path,
    theme_dirs: tuple[Path, ...],
    option_pairs: tuple[str, ...],
    check: bool,
) -> None:
    """Build PROFILES (files or folders; default: every profile in ./profiles)."""
    paths = collect_profiles(profiles)
    chosen = parse_formats(formats)
    options = parse_options(option_pairs)

    if check and not any(fmt in EXTRACTORS for fmt in chosen):
        click.echo("note: --check reads PDF and DOCX files, and neither is being built", err=True)

    def report(output: Output) -> None:
        click.echo(f"wrote {display_path(output.path)} ({human_size(output.size)})")
        if output.check is not None and output.check.ok:
            click.echo(f"  {output.check.summary()}")
        elif output.check is not None:
            click.echo(f"error: {output.check.summary()}", err=True)

    result = build(
        paths,
        theme_name=theme_name,
        formats=chosen,
        out_dir=out_dir,
        theme_dirs=theme_dirs,
        options=options,
        on_output=report,
        check=check,
    )
    for failure in result.failures:
        click.echo(f"error: {failure.source} was not built:\n{failure.message}", err=True)
    built = len(paths) - len(result.failures)
    click.echo(f"built {built} of {len(paths)} profile(s): {len(result.outputs)} file(s) in {display_path(out_dir)}")
    if check:
        checked = [o.check for o in result.outputs if o.check is not None]
        complete = sum(report.ok for report in checked)
        click.echo(f"parser check: {complete} of {len(checked)} PDF/DOCX file(s) complete", err=complete < len(checked))
    if not result.ok:
        sys.exit(1)


@main.command("validate")
@click.argument("profiles", nargs=-1, type=click.Path(path_type=Path))
def validate_command(profiles: tuple[Path, ...]) -> None:
    """Check PROFILES (default: every profile in ./profiles) and report every problem with its location."""
    failed = False
    for path in collect_profiles(profiles):
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            failed = True
            click.echo(exc.format_message(), err=True)
            continue
        click.echo(f"ok {display_path(path)} ({profile.person.name})")
    if failed:
        sys.exit(1)


@main.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--profile",
    "profile_path",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The profile the files were built from.",
)
def check_command(files: tuple[Path, ...], profile_path: Path) -> None:
    """Read FILES (PDF or DOCX) as an ATS parser would and check every detail of the profile is there.

    Looks for the name, email, phone, every role's title, organisation and dates, every project
    name and every skill, and checks the roles come in the profile's order. Exit 1 names each gap.
    """
    unsupported = [path for path in files if path.suffix.lower().lstrip(".") not in EXTRACTORS]
    if unsupported:
        raise UsageError(f"cannot check {unsupported[0]} (give .{' or .'.join(EXTRACTORS)} files)")
    profile = load_profile(profile_path)
    reports = [check_file(path, profile, display_path(path)) for path in files]
    for report in reports:
        echo_report(report)
    if not all(report.ok for report in reports):
        sys.exit(1)


def echo_report(report: Report) -> None:
    """A table of field, expected text and result: coloured in a terminal, plain text in pipes and CI."""
    rows = [(f.field, f.expected, f.result, f.ok) for f in report.findings]
    if sys.stdout.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        from rich.console import Console
        from rich.table import Table

        table = Table("field", "expected", "result", title=report.source, title_justify="left")
        for field, expected, result, ok in rows:
            table.add_row(field, expected, f"[green]{result}[/]" if ok else f"[bold red]{result}[/]")
        Console().print(table)
    else:
        lines = [("field", "expected", "result", True), *rows]
        field_width = max(len(line[0]) for line in lines)
        # Long expected texts (the roles in order) overflow rather than widen every row.
        expected_width = min(max(len(line[1]) for line in lines), PLAIN_EXPECTED_WIDTH)
        click.echo(report.source)
        for field, expected, result, _ in lines:
            click.echo(f"  {field:<{field_width}}  {expected:<{expected_width}}  {result}")
    click.echo(report.summary(), err=not report.ok)
