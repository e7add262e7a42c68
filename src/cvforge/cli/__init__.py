"""The `cvforge` command: one module a command, each parsing its options, calling the engine
(`cvforge.builder`) and printing what happened; this module assembles them into one click group.

Every command module imports only click and light modules at its top; the rest is imported inside
the command that needs it, so `--version`, `--help` and a no-change build (builder/replay.py) load
no schema, YAML reader or renderer.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from cvforge import __version__
from cvforge.builder.project import project_folder
from cvforge.cli.build import build_command
from cvforge.cli.check import check_command
from cvforge.cli.interop import export_command, import_command
from cvforge.cli.locales import locales_command
from cvforge.cli.new import new_command
from cvforge.cli.options import ProjectPath
from cvforge.cli.review import review_command
from cvforge.cli.schema import schema_command
from cvforge.cli.themes import theme_group, themes_command
from cvforge.cli.validate import validate_command
from cvforge.cli.watch import watch_command
from cvforge.errors import CvforgeError, UsageError


class CvforgeGroup(click.Group):
    """Maps the library's errors to click's: a UsageError exits 2 after its message, any other
    CvforgeError exits 1. Other exceptions are bugs and keep their traceback."""

    def main(self, args: Any = None, prog_name: str | None = None, *rest: Any, **extra: Any) -> Any:
        """As the process's own command line (no `args` given), the process ends as soon as the
        command is done (cli/quick_exit.py); called with arguments (tests, scripts), as click does."""
        if args is not None or rest or extra.get("standalone_mode", True) is not True:
            return super().main(args, prog_name, *rest, **extra)
        from cvforge.cli.quick_exit import run_then_exit

        run_then_exit(lambda: super(CvforgeGroup, self).main(None, prog_name, **extra), sys.argv)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise click.UsageError(exc.format_message()) from None
        except CvforgeError as exc:
            raise click.ClickException(exc.format_message()) from None  # exit code 1


@click.group(cls=CvforgeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cvforge")
def main() -> None:
    """Compile resume profiles (YAML/JSON) into PDF, DOCX and HTML."""
    ProjectPath.moved_from = None
    cwd = Path.cwd()
    if (top := project_folder(cwd)) is not None:
        os.chdir(top)
        ProjectPath.moved_from = Path(cwd.name)
    # A terminated build unwinds like Ctrl-C, so a file being written is removed, never left half-written.
    signal.signal(signal.SIGTERM, _exit_on_term)


def _exit_on_term(signum: int, _frame: object) -> None:
    sys.exit(128 + signum)


main.add_command(build_command)
main.add_command(watch_command)
main.add_command(validate_command)
main.add_command(check_command)
main.add_command(review_command)
main.add_command(import_command)
main.add_command(export_command)
main.add_command(schema_command)
main.add_command(new_command)
main.add_command(themes_command)
main.add_command(locales_command)
main.add_command(theme_group)
