"""One review finding, printed in `validate`'s located form so editors and CI jump to the line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["info", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """Where (file, 1-based line and column, 0 when the data has no lines; the field's path), which
    rule, how serious, and what to do about it."""

    file: str
    line: int
    column: int
    path: str
    rule: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return (
            f"{where}: {self.path}: {self.rule}: {self.message}"
            if self.path
            else f"{where}: {self.rule}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
