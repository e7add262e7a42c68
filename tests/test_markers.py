"""The fast loop stays honest: the fixtures that make a test slow exist under the names conftest
looks for, so renaming one cannot quietly move whole-document builds into `pytest -m "not slow"`."""

from __future__ import annotations

import re

import pytest

from tests.helpers.project import ROOT
from tests.helpers.slow import RENDERING_FIXTURES

FIXTURE = re.compile(r"^@pytest\.fixture\b[^\n]*\n(?:@[^\n]*\n)*def (\w+)\(", re.MULTILINE)


def defined_fixtures() -> set[str]:
    return {name for path in (ROOT / "tests").rglob("*.py") for name in FIXTURE.findall(path.read_text("utf-8"))}


def test_every_rendering_fixture_is_defined() -> None:
    missing = RENDERING_FIXTURES - defined_fixtures()
    assert not missing, f"tests/helpers/slow.py names fixtures no test module defines: {sorted(missing)}"


def test_slow_is_a_registered_marker(pytestconfig: pytest.Config) -> None:
    assert any(line.startswith("slow:") for line in pytestconfig.getini("markers"))
