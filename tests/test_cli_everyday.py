"""The everyday commands as a new user meets them: validate's modes, check without --profile,
an empty folder, running inside profiles/, colour, shell completion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.cli import main
from tests.helpers.project import PROFILES, ROOT, SCENARIOS

BROKEN = SCENARIOS / "broken-profile" / "profile.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed profiles and targets, as the working directory."""
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_prints_a_total_for_several_files(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", *map(str, PROFILES), str(BROKEN)])
    assert result.exit_code == 1
    assert f"{len(PROFILES)} of {len(PROFILES) + 1} file(s) valid" in result.output
    assert result.output.count("ok ") == len(PROFILES)


def test_validate_quiet_prints_only_problems(runner: CliRunner) -> None:
    clean = [str(p) for p in PROFILES if p.stem.startswith("sai")]  # a seed nothing is missing from
    result = runner.invoke(main, ["validate", "--quiet", *clean])
    assert result.exit_code == 0 and result.output == ""
    result = runner.invoke(main, ["validate", "--quiet", *map(str, PROFILES)])  # the others warn (no contact...)
    lines = result.output.splitlines()
    assert result.exit_code == 0 and lines and all(line.startswith("warning: ") for line in lines)
    result = runner.invoke(main, ["validate", "-q", str(PROFILES[0]), str(BROKEN)])
    assert result.exit_code == 1
    assert "ok " not in result.output and "is not a date" in result.output and "1 of 2 file(s) valid" in result.output


def test_validate_json_reports_every_file_and_every_located_problem(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--json", str(PROFILES[0]), str(BROKEN)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["valid"] == 1
    good, bad = report["files"]
    assert good["ok"] is True and good["name"] and good["problems"] == []
    assert bad["ok"] is False and len(bad["problems"]) == 14
    first = next(p for p in bad["problems"] if p["path"] == "experience[0].start")
    assert (first["line"], first["column"]) == (16, 12) and "is not a date" in first["message"]


def test_an_empty_folder_suggests_cvforge_new(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("build", "validate"):
        result = runner.invoke(main, [command])
        assert result.exit_code == 2
        assert "cvforge new" in result.output
    (tmp_path / "profiles").mkdir()
    assert "cvforge new" in runner.invoke(main, ["build"]).output


def test_commands_work_inside_the_profiles_folder(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "profiles")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "ok profiles/rajkumar.yaml" in result.output and "ok targets/" in result.output
    monkeypatch.chdir(project / "profiles")  # each command is a process of its own, started here
    result = runner.invoke(main, ["build", "rajkumar.yaml", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (project / "out" / "rajkumar.html").is_file()
    assert not (project / "profiles" / "out").exists()


@pytest.mark.slow
def test_check_finds_the_profile_and_target_an_output_was_built_from(runner: CliRunner, project: Path) -> None:
    target = "targets/rajkumar-beacon-realtime.yaml"
    result = runner.invoke(main, ["build", "profiles/rajkumar.yaml", target, "--format", "docx", "-o", "built"])
    assert result.exit_code == 0, result.output
    docx = sorted((project / "built").rglob("*.docx"))
    assert len(docx) == 2
    result = runner.invoke(main, ["check", *map(str, docx)])
    assert result.exit_code == 0, result.output
    assert "built from profiles/rajkumar.yaml" in result.output
    assert f"built from {target}" in result.output
    # Without a build record, the profile of the same name is found.
    (project / "built" / ".cvforge-cache.json").unlink()
    plain = project / "built" / "rajkumar.docx"
    result = runner.invoke(main, ["check", str(plain)])
    assert result.exit_code == 0, result.output
    stray = project / "elsewhere.docx"
    shutil.copy(plain, stray)
    result = runner.invoke(main, ["check", str(stray)])
    assert result.exit_code == 2 and "--profile" in result.output


def test_errors_are_red_on_a_terminal_unless_no_color(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(main, ["validate", str(BROKEN)], color=True)
    assert "\x1b[31m" in result.output
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(main, ["validate", str(BROKEN)], color=True)
    assert "\x1b[" not in result.output and "is not a date" in result.output


def test_shell_completion_script_is_available(runner: CliRunner) -> None:
    result = runner.invoke(main, [], prog_name="cvforge", env={"_CVFORGE_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert "_CVFORGE_COMPLETE=bash_complete" in result.output and "complete -o nosort -F" in result.output
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "_CVFORGE_COMPLETE=bash_source cvforge" in readme


def test_a_terminal_build_shows_jobs_done_of_all_and_the_current_one(tmp_path: Path) -> None:
    from rich.console import Console

    from cvforge.builder.run import build
    from cvforge.cli.console import BuildReporter

    console = Console(record=True, force_terminal=True, width=120)
    reporter = BuildReporter("live", console)
    seen: list[tuple[int, int, str | None]] = []

    def progress(done: int, total: int, current: str | None) -> None:
        seen.append((done, total, current))
        reporter.progress(done, total, current)
        console.print(reporter._progress[0].get_renderable())  # what the live display draws now

    with reporter.running(len(PROFILES)):
        result = build(PROFILES, formats=["html"], out_dir=tmp_path, on_progress=progress)
    assert result.ok
    assert seen[0][:2] == (0, len(PROFILES)) and seen[0][2].endswith(PROFILES[0].name)  # type: ignore[union-attr] and seen[-1] == (len(PROFILES), len(PROFILES), None)
    drawn = console.export_text()
    assert f"1/{len(PROFILES)}" in drawn and f"{len(PROFILES)}/{len(PROFILES)}" in drawn
    assert PROFILES[1].name in drawn


def test_located_errors_become_github_annotations(runner: CliRunner, tmp_path: Path) -> None:
    from cvforge.errors import display_path

    shown = display_path(BROKEN)
    expected = f"::error file={shown},line=16,col=12,title=cvforge::experience[0].start: 'Jan 2024' is not a date"
    result = runner.invoke(main, ["validate", shown], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 14 and any(line.startswith(expected) for line in annotations)
    result = runner.invoke(main, ["validate", "--format-errors", "text", shown], env={"GITHUB_ACTIONS": "true"})
    assert "::error" not in result.output
    result = runner.invoke(main, ["validate", shown], env={"GITHUB_ACTIONS": ""})
    assert "::error" not in result.output
    args = ["build", shown, "--format", "html", "--format-errors", "github", "-o", str(tmp_path)]
    result = runner.invoke(main, args, env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 1 and expected in result.stdout


def test_a_build_says_each_warning_once(tmp_path: Path) -> None:
    """The build reads a profile for its cache key and again to render it; the warning is said once."""
    profile = tmp_path / "jane.yaml"
    profile.write_text("person:\n  name: Jane Doe\n  photo: https://example.com/jane.jpg\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(profile), "--format", "md", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("remote image") == 1, result.stderr
