"""`cvforge check`: read built PDF and DOCX files as an ATS parser would and print what is missing."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvforge.cli.options import ProjectPath
from cvforge.errors import UsageError, display_path

if TYPE_CHECKING:
    from cvforge.readback.verify import Report


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=ProjectPath(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--profile",
    "profile_path",
    type=ProjectPath(path_type=Path, exists=True, dir_okay=False),
    help="The profile the files were built from (default: found from the build record, or by the file's name).",
)
@click.option(
    "--letter",
    "letter_path",
    type=ProjectPath(path_type=Path, exists=True, dir_okay=False),
    help="A target or letter file: check FILES as its cover letter (name, contacts, recipient, every paragraph).",
)
def check_command(files: tuple[Path, ...], profile_path: Path | None, letter_path: Path | None = None) -> None:
    """Read FILES (PDF or DOCX) as an ATS parser would and check every detail of the profile is there.

    Looks for the name, email, phone, every role's title, organisation and dates, every project
    name and every skill, and checks the roles come in the profile's order. Exit 1 names each gap.
    Without --profile, each file is checked against the profile (or tailored target) it was built from.
    """
    from cvforge.builder.discover import source_of_output
    from cvforge.readback.extract import EXTRACTORS
    from cvforge.readback.verify import check_file
    from cvforge.reader.read import load_profile

    unsupported = [path for path in files if path.suffix.lower().lstrip(".") not in EXTRACTORS]
    if unsupported:
        raise UsageError(f"cannot check {unsupported[0]} (give .{' or .'.join(EXTRACTORS)} files)")
    if letter_path is not None:
        from cvforge.builder.letters import check_letter_files

        reports = check_letter_files(files, letter_path, profile_path)
    else:
        fixed = load_profile(profile_path) if profile_path is not None else None
        reports = []
        for path in files:
            if fixed is None:
                profile, source = source_of_output(path)
                click.echo(f"{display_path(path)}: built from {source}", err=True)
            reports.append(check_file(path, fixed or profile, display_path(path)))
    for report in reports:
        echo_report(report)
    if not all(report.ok for report in reports):
        sys.exit(1)


PLAIN_EXPECTED_WIDTH = 56


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
