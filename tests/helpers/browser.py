"""Debian's Chromium for the browser tests (tests/browser/conftest.py launches it) and axe-core."""

from __future__ import annotations

import shutil

from tests.helpers.project import ROOT

# axe-core from npm, installed by `make setup` (tests/browser/package.json pins it).
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
