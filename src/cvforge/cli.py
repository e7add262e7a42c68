"""The `cvforge` command: parse options, call the library, print what happened. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cvforge import __version__
from cvforge.build import FORMATS, RENDERERS, Output, build, write_atomic
from cvforge.errors import ProfileError, UsageError, display_path
from cvforge.loader import iter_profile_files, load_profile
from cvforge.themes import OptionValue

PROFILES_DIR = Path("profiles")


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown or not formats:
        raise UsageError(f"unknown format '{unknown[0] if unknown else value}' (choose from {', '.join(RENDERERS)})")
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
def build_command(
    profiles: tuple[Path, ...],
    theme_name: str | None,
    formats: str,
    out_dir: Path,
    theme_dirs: tuple[Path, ...],
    option_pairs: tuple[str, ...],
) -> None:
    """Build PROFILES (files or folders; default: every profile in ./profiles)."""
    paths = collect_profiles(profiles)
    chosen = parse_formats(formats)
    options = parse_options(option_pairs)

    def report(output: Output) -> None:
        click.echo(f"wrote {display_path(output.path)} ({human_size(output.size)})")

    result = build(
        paths,
        theme_name=theme_name,
        formats=chosen,
        out_dir=out_dir,
        theme_dirs=theme_dirs,
        options=options,
        on_output=report,
    )
    for failure in result.failures:
        click.echo(f"error: {failure.source} was not built:\n{failure.message}", err=True)
    built = len(paths) - len(result.failures)
    click.echo(f"built {built} of {len(paths)} profile(s): {len(result.outputs)} file(s) in {display_path(out_dir)}")
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


SCHEMA_OPTION = click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("schema") / "cvforge.schema.json",
    show_default=True,
    help="JSON Schema file the profile points editors at (written if missing or stale).",
)


def _write_new_profile(path: Path, text: str, *, force: bool, schema_path: Path) -> None:
    """Write a profile a person will edit: never over an existing file unless asked."""
    if path.exists() and not force:
        raise UsageError(f"{display_path(path)} exists; use --force to overwrite it")
    from cvforge.editor import write_schema

    if write_schema(schema_path):
        click.echo(f"wrote {display_path(schema_path)} (JSON Schema for editors)")
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"wrote {display_path(path)}")


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Profile to write (default: profiles/<name>.yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@SCHEMA_OPTION
def import_command(source: Path, output: Path | None, force: bool, schema_path: Path) -> None:
    """Turn a JSON Resume (.json) or RenderCV (.yaml) file into a cvforge profile to edit."""
    from cvforge.editor import profile_filename, schema_comment
    from cvforge.interop import read_foreign
    from cvforge.interop.writer import profile_yaml, skipped_lines

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
    _write_new_profile(target, profile_yaml(converted, header), force=force, schema_path=schema_path)


@main.command("export")
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "to", type=click.Choice(["jsonresume"]), required=True, help="Format to write.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: print to standard output).",
)
def export_command(profile: Path, to: str, output: Path | None) -> None:
    """Write PROFILE in another format (JSON Resume), to leave for, or share with, other tools."""
    from cvforge.interop import export_profile

    if not profile.is_file():
        raise UsageError(f"no such file: {profile}")
    text = export_profile(load_profile(profile), to)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {display_path(output)}", err=True)


@main.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: print to standard output).",
)
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of the profile format, for editors to validate and complete profiles."""
    from cvforge.editor import schema_text, write_schema

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    write_schema(output)
    click.echo(f"wrote {display_path(output)}", err=True)


@main.command("new")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Profile to write (default: profiles/<name>.yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@SCHEMA_OPTION
def new_command(name: str, output: Path | None, force: bool, schema_path: Path) -> None:
    """Start a profile for NAME, ready to edit, with editor validation and completion."""
    from cvforge.editor import profile_filename, starter_profile

    if not name.strip():
        raise UsageError("NAME must not be empty")
    target = output or PROFILES_DIR / profile_filename(name)
    _write_new_profile(target, starter_profile(name.strip(), target, schema_path), force=force, schema_path=schema_path)
