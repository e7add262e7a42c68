"""`cvforge schema`: the profile format's JSON Schema, for editors to validate and complete profiles."""

from __future__ import annotations

from pathlib import Path

import click

from cvforge.cli.options import ProjectPath
from cvforge.errors import display_path


@click.command("schema")
@click.option(
    "-o",
    "--output",
    type=ProjectPath(path_type=Path, dir_okay=False),
    help="File to write (default: print to standard output).",
)
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of the profile format, for editors to validate and complete profiles."""
    from cvforge.schema.editor import schema_text, write_schema

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    write_schema(output)
    click.echo(f"wrote {display_path(output)}", err=True)
