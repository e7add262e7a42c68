"""The loader: every problem in a profile at once, each located, as a golden list."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile
from tests.helpers.golden import GoldenFiles
from tests.helpers.project import SCENARIOS


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    return [str(problem) for problem in info.value.problems]


def relative_to_scenarios(lines: list[str]) -> list[str]:
    prefix = str(SCENARIOS) + os.sep
    return [line.replace(prefix, "") for line in lines]


def test_broken_profile_error_list_is_golden(monkeypatch: pytest.MonkeyPatch, golden_files: GoldenFiles) -> None:
    monkeypatch.chdir(SCENARIOS)
    scenario = SCENARIOS / "broken-profile"
    actual = relative_to_scenarios(problems_of(scenario / "profile.yaml"))
    golden_files.check(scenario / "expected-errors.txt", "\n".join(actual) + "\n")


def test_yaml_syntax_error_points_at_the_unclosed_quote(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SCENARIOS)
    (problem,) = problems_of(SCENARIOS / "yaml-syntax-error" / "profile.yaml")
    assert problem.startswith("yaml-syntax-error/profile.yaml:6:1: invalid YAML:")
    assert "starts at line 3, column 13" in problem


def test_json_profiles_load_like_yaml() -> None:
    profile = load_profile(SCENARIOS / "json-profile" / "profile.json")
    assert profile.person.name == "Jane Doe"
    assert profile.experience[0].end == "present"


def test_json_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{\n  "person": {"name": "x",}\n}\n', encoding="utf-8")
    (problem,) = problems_of(path)
    assert ":2:26: invalid JSON:" in problem


def test_json_validation_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        '{\n  "person": {"name": "x"},\n  "experience": [{"title": "SDE", "start": "Jan 2024"}]\n}\n', "utf-8"
    )
    (problem,) = problems_of(path)
    assert problem.endswith(":3:44: experience[0].start: 'Jan 2024' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        ("- a\n- b\n", "expected a mapping of keys to values at the top level"),
        ("person:\n  name: a\n  name: b\n", "duplicate key"),
        ("headline: x\n", "'person' is required"),
    ],
)
def test_malformed_files_give_one_clear_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    assert any(message in problem for problem in problems_of(path))


def test_non_utf8_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"person:\n  name: \xff\xfe\n")
    assert "not UTF-8" in problems_of(path)[0]
    assert "file not found" in problems_of(tmp_path / "missing.yaml")[0]
