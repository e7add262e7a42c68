"""Where the project's own inputs are: seed profiles, targets, themes, test scenarios and fixtures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))
TARGETS = sorted((ROOT / "targets").glob("*.yaml"))
SCENARIOS = ROOT / "tests" / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures"
JSON_RESUMES = sorted((FIXTURES / "jsonresume").glob("*.resume.json"))
RENDERCV_STARTER = FIXTURES / "rendercv" / "starter.yaml"
# RenderCV's nine example CVs and its ATS test corpus (MIT; see fixtures/SOURCES.md).
RENDERCV_FILES = sorted((FIXTURES / "rendercv" / "examples").glob("*.yaml")) + sorted(
    (FIXTURES / "rendercv" / "ats").glob("*.yaml")
)
# Ours (fictional): what the upstream files do not exercise, such as nested highlights and a second
# Education section; they round-trip like the upstream files.
RENDERCV_OWN_FILES = sorted((FIXTURES / "rendercv" / "ours").glob("*.yaml"))

# Every built-in theme, found in themes/ (classic first: the default), so a new theme is tested
# by everything that runs per theme without being listed anywhere.
THEMES = tuple(
    sorted((path.parent.name for path in (ROOT / "themes").glob("*/theme.toml")), key=lambda n: (n != "classic", n))
)
