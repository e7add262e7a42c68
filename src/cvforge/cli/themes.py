"""`cvforge themes` and `cvforge theme new`: what themes a build can use, and a start on one's own."""

from __future__ import annotations

from pathlib import Path

import click

from cvforge.cli.options import THEME_DIRS, ProjectPath
from cvforge.errors import display_path


@click.command("themes")
@THEME_DIRS
def themes_command(theme_dirs: tuple[Path, ...]) -> None:
    """List the themes a build can use: name, description, folder, and each option's kind and default."""
    from cvforge.builder.theme_kit import theme_listing

    click.echo(theme_listing(theme_dirs))


@click.group("theme")
def theme_group() -> None:
    """Start a theme of your own from an existing one."""


@theme_group.command("new")
@click.argument("name")
@click.option("--from", "parent", default="classic", show_default=True, help="The theme the new one extends.")
@click.option("--dir", "folder", type=ProjectPath(path_type=Path), help="Where to write it (default: ./themes/NAME).")
def theme_new_command(name: str, parent: str, folder: Path | None) -> None:
    """Start theme NAME as a child of another: a commented theme.toml and one example override."""
    from cvforge.builder.theme_kit import new_theme

    for path in new_theme(name, parent, folder):
        click.echo(f"wrote {display_path(path)}")
