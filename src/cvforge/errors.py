"""cvforge's own errors. The CLI catches only these; anything else is a bug and keeps its traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CvforgeError(click.ClickException):
    """Base class: invalid input or a failed build. Exit code 1."""

    exit_code = 1


class ProfileError(CvforgeError):
    """Raised when a profile cannot be read or does not validate; carries every problem at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))

    def format_message(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{self.message}\n{count} {noun} found."


class TargetError(ProfileError):
    """Raised when a target file, or a file it points to, cannot be read or does not validate."""


class ThemeError(CvforgeError):
    """Raised when a theme is unknown, malformed, or a template fails to render."""


class RenderError(CvforgeError):
    """Raised when an output format cannot be produced from a valid document."""


class CheckError(CvforgeError):
    """Raised when an output cannot be read for `cvforge check` (not a PDF or DOCX, or damaged)."""


class UsageError(click.UsageError):
    """Raised for a bad command line (unknown format, missing file). Exit code 2."""


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
