"""Golden files: expected output kept in tests/scenarios/, compared whole, rewritten on request.

`pytest --update-golden` (an option of tests/conftest.py) rewrites them from the run's output; the
diff is then reviewed like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GoldenFiles:
    """The `golden_files` fixture: `update` is true under `pytest --update-golden`."""

    update: bool

    def check(self, path: Path, actual: str) -> None:
        """`actual` must equal the golden file at `path` (after writing it there when updating)."""
        if self.update:
            path.write_text(actual, encoding="utf-8")
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{path} differs from this run's output (`pytest --update-golden` rewrites it)"
