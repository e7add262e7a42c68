"""Shared fixtures: the seed profiles, built once per session into every format."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from cvforge.build import FORMATS, build
from cvforge.loader import load_profile
from cvforge.schema import Profile

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))
SCENARIOS = Path(__file__).resolve().parent / "scenarios"


@dataclass(frozen=True)
class Built:
    """One seed profile and the files built from it."""

    profile: Profile
    files: dict[str, Path]


@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("out")
    result = build(PROFILES, out_dir=out)
    assert result.ok, result.failures
    return {
        path.stem: Built(load_profile(path), {fmt: out / f"{path.stem}.{fmt}" for fmt in FORMATS}) for path in PROFILES
    }


def normalise(text: str) -> str:
    """Collapse whitespace so line wrapping in a PDF or DOCX does not matter."""
    return re.sub(r"\s+", " ", text).strip()


def expected_sequence(profile: Profile) -> list[str]:
    """What a reader must find, in this order: name, metric figures, roles, projects."""
    items = [profile.person.name]
    for metric in profile.metrics:
        items.append(metric.value if metric.value else f"{metric.before} → {metric.after}")
    for role in profile.experience:
        items.append(role.title or role.organisation or "")
    items.extend(project.name for project in profile.projects)
    return items


def assert_in_order(text: str, items: list[str]) -> None:
    """Every item appears, each after the previous one."""
    text = normalise(text)
    position = 0
    for item in items:
        found = text.find(normalise(item), position)
        assert found >= 0, f"{item!r} missing (or out of order) after position {position}"
        position = found + len(normalise(item))


TARGETS = sorted((ROOT / "targets").glob("*.yaml"))


@dataclass(frozen=True)
class ProjectBuild:
    """`cvforge build` with no arguments, run once in a copy of the project's profiles and targets."""

    root: Path
    exit_code: int
    output: str

    @property
    def out(self) -> Path:
        return self.root / "out"


@pytest.fixture(scope="session")
def project_build(tmp_path_factory: pytest.TempPathFactory) -> ProjectBuild:
    from click.testing import CliRunner

    from cvforge.cli import main

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "profiles", root / "profiles")
    shutil.copytree(ROOT / "targets", root / "targets")
    previous = Path.cwd()
    os.chdir(root)  # a session fixture cannot use monkeypatch.chdir
    try:
        result = CliRunner().invoke(main, ["build"])
    finally:
        os.chdir(previous)
    return ProjectBuild(root, result.exit_code, result.output)
