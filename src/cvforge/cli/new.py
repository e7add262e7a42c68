"""`cvforge new`: start a profile to edit, and the one careful way a command writes a profile a
person will edit (`import` writes through it too)."""

from __future__ import annotations

from pathlib import Path

import click

from cvforge.builder.project import PROFILES_DIR
from cvforge.cli.options import profile_output_options
from cvforge.errors import UsageError, display_path


def write_new_profile(path: Path, text: str, *, force: bool, schema_path: Path) -> None:
    """Write a profile a person will edit: never over an existing file unless asked."""
    from cvforge.builder.write import write_atomic

    if path.exists() and not force:
        raise UsageError(f"{display_path(path)} exists; use --force to overwrite it")
    from cvforge.schema.editor import write_schema

    if write_schema(schema_path):
        click.echo(f"wrote {display_path(schema_path)} (JSON Schema for editors)")
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"wrote {display_path(path)}")


@click.command("new")
@click.argument("name")
@profile_output_options
def new_command(name: str, output: Path | None, force: bool, schema_path: Path) -> None:
    """Start a profile for NAME, ready to edit, with editor validation and completion."""
    from cvforge.schema.editor import profile_filename, starter_profile

    if not name.strip():
        raise UsageError("NAME must not be empty")
    target = output or PROFILES_DIR / profile_filename(name)
    write_new_profile(target, starter_profile(name.strip(), target, schema_path), force=force, schema_path=schema_path)
