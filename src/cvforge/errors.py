"""cvforge's own errors: one base, `CvforgeError`, that the library raises and the CLI maps to exit codes.

They do not depend on click, so a program using cvforge as a library catches them like any other
exception. Anything else escaping cvforge is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input: its file (or `<string>`, `<dict>`), 1-based line and column
    (0 for data that has no lines), the field's path (`experience[1].start`) and what is wrong."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CvforgeError(Exception):
    """Base class: invalid input or a failed build. The CLI prints `format_message()` and exits 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        """The message as the CLI prints it (subclasses add a count or a hint)."""
        return self.message


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


class OutputError(CvforgeError):
    """Raised when an output cannot be written (a read-only or full disk, a folder where a file
    should be, a name too long); names the path and the system's reason. Files already written stay whole."""


class CheckError(CvforgeError):
    """Raised when an output cannot be read for `cvforge check` (not a PDF or DOCX, or damaged)."""


class UsageError(CvforgeError):
    """Raised for a bad request rather than bad input: an unknown format, a missing file. The CLI exits 2."""


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
