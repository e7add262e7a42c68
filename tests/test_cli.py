"""The command line: exit codes, messages, and what it says it wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge import __version__
from cvforge.cli import main
from tests.helpers.project import PROFILES, SCENARIOS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_invalid_profile_exits_1_with_every_located_problem_and_no_traceback(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(SCENARIOS / "broken-profile" / "profile.yaml")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "profile.yaml:16:12: experience[0].start: 'Jan 2024' is not a date" in result.output
    assert "14 problems found." in result.output


def test_validate_accepts_the_seed_profiles(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", *map(str, PROFILES)])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok ") == len(PROFILES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--format", "xls"], "unknown format 'xls'"),
        (["build", "does-not-exist.yaml"], "no such file or folder"),
        (["build", "--option", "accent"], "NAME=VALUE"),
        (["build", "--bogus"], "No such option"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--theme", "fancy"], "unknown theme 'fancy' (available: classic"),
        (["--option", "colour=red"], "unknown theme option 'colour'"),
        (["--option", "accent=red"], "option accent: 'red' is not a colour"),
        (["--option", "density=huge"], "is not one of"),
    ],
)
def test_bad_theme_and_options_are_usage_errors_before_any_build(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    for command in ("build", "watch"):
        result = runner.invoke(main, [command, str(PROFILES[0]), *args, "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "wrote" not in result.output and "failed" not in result.output
        assert not (tmp_path / "out").exists()
    result = runner.invoke(main, ["build", str(PROFILES[0]), "--option", "colour=red", "-o", str(tmp_path)])
    assert "accent" in result.output  # the valid names are listed


def test_build_writes_every_format_and_says_where(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(PROFILES[0]), "--out", str(tmp_path), "--format", "html,docx"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))  # not the build record
    assert written == [f"{PROFILES[0].stem}.docx", f"{PROFILES[0].stem}.html"]
    for name in written:
        assert f"wrote {tmp_path / name}" in result.output


def test_one_bad_profile_does_not_stop_the_others(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(PROFILES[0], folder / "good.yaml")
    shutil.copy(SCENARIOS / "broken-profile" / "profile.yaml", folder / "bad.yaml")
    result = runner.invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "good.html").is_file()
    assert not (tmp_path / "out" / "bad.html").exists()
    assert "bad.yaml was not built" in result.output
    assert "built 1 of 2 profile(s)" in result.output


def test_build_without_arguments_uses_the_profiles_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "profiles").mkdir()
    shutil.copy(SCENARIOS / "json-profile" / "profile.json", tmp_path / "profiles" / "jane.json")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "jane.html").is_file()
