"""`cvforge import` and `cvforge export`: a profile from, and to, the formats other resume tools
read (JSON Resume, RenderCV), so moving to cvforge or away from it is one command."""

from __future__ import annotations

from pathlib import Path

import click

from cvforge.builder.project import PROFILES_DIR
from cvforge.cli.options import ProjectPath, profile_output_options
from cvforge.errors import UsageError, display_path


@click.command("import")
@click.argument("source", type=ProjectPath(path_type=Path, dir_okay=False))
@profile_output_options
def import_command(source: Path, output: Path | None, force: bool, schema_path: Path) -> None:
    """Turn a JSON Resume, a RenderCV file or a LinkedIn data export (.zip) into a cvforge profile to edit."""
    from cvforge.cli.new import write_new_profile
    from cvforge.reader.interop import read_foreign
    from cvforge.reader.interop.writer import profile_yaml, skipped_lines
    from cvforge.schema.editor import profile_filename, schema_comment

    if not source.is_file():
        raise UsageError(f"no such file: {source}")
    converted = read_foreign(source)
    target = output or PROFILES_DIR / profile_filename(str(converted.data["person"].get("name", source.stem)))
    header = [
        schema_comment(target, schema_path),
        f"cvforge profile imported from {source.name} ({converted.format}). Edit freely;",
        f"`cvforge validate {target.as_posix()}` checks it, `cvforge build {target.as_posix()}` builds it.",
        *skipped_lines(converted),
    ]
    write_new_profile(target, profile_yaml(converted, header), force=force, schema_path=schema_path)


@click.command("export")
@click.argument("profile", type=ProjectPath(path_type=Path, dir_okay=False))
@click.option(
    "--to", "to", type=click.Choice(["jsonresume", "rendercv"]), required=True, help="Format to write (rendercv: YAML)."
)
@click.option(
    "-o",
    "--output",
    type=ProjectPath(path_type=Path, dir_okay=False),
    help="File to write (default: print to standard output).",
)
def export_command(profile: Path, to: str, output: Path | None) -> None:
    """Write PROFILE in another format (JSON Resume, RenderCV YAML), to leave for, or share with, other tools."""
    from cvforge.builder.write import write_atomic
    from cvforge.cli.console import echo_warnings
    from cvforge.reader.interop import export_profile
    from cvforge.reader.read import load_profile

    if not profile.is_file():
        raise UsageError(f"no such file: {profile}")
    with echo_warnings():  # what the other format cannot carry is named as it is written
        text = export_profile(load_profile(profile), to)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {display_path(output)}", err=True)
