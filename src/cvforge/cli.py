"""The `cvforge` command: parse options, call the library, print what happened. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cvforge import __version__
from cvforge.build import FORMATS, RENDERERS, Output, build
from cvforge.errors import ProfileError, UsageError, display_path
from cvforge.loader import iter_profile_files, load_profile
from cvforge.themes import OptionValue, describe_themes

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
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help=f"Comma-separated formats, from {', '.join(RENDERERS)} (png: one image per page, NAME-1.png…).",
)
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


@main.command("themes")
@click.option(
    "--theme-dir",
    "theme_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra folder of themes, searched first.",
)
def themes_command(theme_dirs: tuple[Path, ...]) -> None:
    """List the themes a build can use: name, description and the folder each comes from."""
    infos = describe_themes(theme_dirs)
    width = max((len(info.name) for info in infos), default=0)
    for info in infos:
        click.echo(f"{info.name:<{width}}  {info.description}")
        origin = f"built-in: {info.folder}" if info.builtin else display_path(info.folder)
        extends = f", extends {info.extends}" if info.extends else ""
        click.echo(f"{'':<{width}}  ({origin}{extends})")
