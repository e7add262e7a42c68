"""A cover-letter target written into a copy of the project, for tests that vary the letter."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers.project import ROOT


def write_target(folder: Path, letter: str, extra: str = "") -> Path:
    """A target for the Ledgerline job with the given letter block, in a copy of the project."""
    if not (folder / "profiles").exists():
        shutil.copytree(ROOT / "profiles", folder / "profiles")
        shutil.copytree(ROOT / "targets" / "jobs", folder / "targets" / "jobs")
    path = folder / "targets" / "letter.yaml"
    path.write_text(
        "profile: ../profiles/sai-sushanth-thakkalapally.yaml\njob: jobs/ledgerline-senior-backend-tax-payments.md\n"
        + extra
        + letter,
        encoding="utf-8",
    )
    return path
