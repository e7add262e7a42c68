"""`cvforge validate`: check profiles and targets without building, and print each file's verdict."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cvforge.cli.options import FORMAT_ERRORS, ProjectPath


@click.command("validate")
@click.argument("profiles", nargs=-1, type=ProjectPath(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a remote photo) as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (nothing when all is well).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: every file, ok or its problems.")
@FORMAT_ERRORS
def validate_command(profiles: tuple[Path, ...], strict: bool, quiet: bool, as_json: bool) -> None:
    """Check PROFILES and targets (default: all in ./profiles and ./targets); report every problem, located."""
    from cvforge.builder.plan import collect_jobs
    from cvforge.builder.validate import validate_jobs

    if not validate_jobs(collect_jobs(profiles), strict=strict, quiet=quiet, as_json=as_json):
        sys.exit(1)
