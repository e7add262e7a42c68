"""The parameter type and options more than one command takes, declared once so every command
spells and documents them the same way."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click


class ProjectPath(click.Path):
    """A path argument. Run inside a project's profiles/ or targets/ folder, the command works from
    the project's top (see `cvforge.cli.main`), so a relative path the user typed there is read from there."""

    moved_from: Path | None = None  # the folder the user was in, relative to the project's top

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        moved = ProjectPath.moved_from
        if moved is not None and isinstance(value, str | Path) and (moved / value).exists():
            value = moved / value  # an absolute `value` stays itself: `moved / value` is `value`
        return super().convert(value, param, ctx)


F = TypeVar("F", bound=Callable[..., Any])


def _set_error_format(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None and "cvforge.cli.console" not in sys.modules:
        return value  # the default, already in place: loading the console module would cost start-up
    from cvforge.cli import console

    console.error_format = "github" if value == "github" else "text" if value == "text" else None
    return value


FORMAT_ERRORS = click.option(
    "--format-errors",
    type=click.Choice(["text", "github"]),
    expose_value=False,
    callback=_set_error_format,
    help="github: also print located errors as GitHub annotations (the default under GitHub Actions).",
)


THEME_DIRS = click.option(
    "--theme-dir",
    "theme_dirs",
    multiple=True,
    type=ProjectPath(path_type=Path, file_okay=False),
    help="Extra folder of themes, searched first.",
)


SCHEMA_OPTION = click.option(
    "--schema",
    "schema_path",
    type=ProjectPath(path_type=Path, dir_okay=False),
    default=Path("schema") / "cvforge.schema.json",
    show_default=True,
    help="JSON Schema file the profile points editors at (written if missing or stale).",
)


def profile_output_options(command: F) -> F:
    """`-o/--output`, `--force` and `--schema`: where `new` and `import` write a profile, and how."""
    for option in reversed(
        (
            click.option(
                "-o",
                "--output",
                type=ProjectPath(path_type=Path, dir_okay=False),
                help="Profile to write (default: profiles/<name>.yaml).",
            ),
            click.option("--force", is_flag=True, help="Overwrite the output file if it exists."),
            SCHEMA_OPTION,
        )
    ):
        command = option(command)
    return command


def where_and_how(command: F) -> F:
    """The options `build` and `watch` share: theme, output folder, theme folders and theme options."""
    for option in reversed(
        (
            click.option("--theme", "theme_name", metavar="NAME", help="Theme (default: the profile's, else classic)."),
            click.option(
                "-o",
                "--out",
                "out_dir",
                type=ProjectPath(path_type=Path, file_okay=False),
                default=Path("out"),
                show_default=True,
                help="Folder to write into (and, for watch, to serve).",
            ),
            THEME_DIRS,
            click.option(
                "--option", "option_pairs", multiple=True, metavar="NAME=VALUE", help="Theme option override."
            ),
            click.option("--locale", metavar="TAG", help="Locale (de, pt-BR, ja, ar), over targets' and profiles'."),
        )
    ):
        command = option(command)
    return command
