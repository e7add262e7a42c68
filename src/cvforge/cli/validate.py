"""`cvforge validate`: check profiles and targets without building (`builder.validate`), and print
each file's verdict as lines or as one JSON document."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvforge.cli.options import FORMAT_ERRORS, ProjectPath

if TYPE_CHECKING:
    from cvforge.builder.validate import Checked


@click.command("validate")
@click.argument("profiles", nargs=-1, type=ProjectPath(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a remote photo) as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (nothing when all is well).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: every file, ok or its problems.")
@FORMAT_ERRORS
def validate_command(profiles: tuple[Path, ...], strict: bool, quiet: bool, as_json: bool) -> None:
    """Check PROFILES and targets (default: all in ./profiles and ./targets); report every problem, located."""
    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.validate import check_job

    results = [check_job(job, strict=strict) for job in collect_jobs(profiles)]
    if not echo_verdicts(results, quiet=quiet, as_json=as_json):
        sys.exit(1)


def echo_verdicts(results: Sequence[Checked], *, quiet: bool, as_json: bool) -> bool:
    """Print the verdicts (lines, or one JSON document); True when all are valid."""
    from cvforge.cli.console import echo_error, echo_warning

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
