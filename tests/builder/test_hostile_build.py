"""Builds given unlucky or hostile names and folders: nothing already built is lost, nothing is
written outside --out, and a failure is a located message with exit 1, never a traceback."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.builder.cache import CACHE_NAME
from cvforge.builder.run import build
from cvforge.cli import main
from tests.conftest import ROOT

RAJ = ROOT / "profiles" / "rajkumar.yaml"


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_numbered_profile_name_keeps_its_own_and_its_neighbours_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12.1: only numbered PNG pages of the job being built are ever swept."""
    monkeypatch.chdir(tmp_path)
    for name in ("cv-1.yaml", "cv-2.yaml"):
        shutil.copy(RAJ, tmp_path / name)
    result = CliRunner().invoke(main, ["build", "cv-2.yaml", "--format", "md", "--out", "o1"])
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path / "o1") >= {"cv-2.md"}
    (tmp_path / "o1" / "cv-2.txt").write_text("a neighbour's file")
    result = CliRunner().invoke(main, ["build", "cv-1.yaml", "--format", "md", "--out", "o1"])
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path / "o1") >= {"cv-1.md", "cv-2.md", "cv-2.txt"}


def test_stale_png_pages_of_the_job_itself_still_go(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for stale in ("rajkumar-6.png", "rajkumar-7.png"):
        (out / stale).write_bytes(b"old page")
    (out / "rajkumar-x-9.png").write_bytes(b"not ours")
    result = build([RAJ], formats=["png"], out_dir=out)
    assert result.ok, result.failures
    pages = sorted(p.name for p in out.glob("rajkumar-*.png"))
    assert "rajkumar-6.png" not in pages and "rajkumar-7.png" not in pages
    assert "rajkumar-x-9.png" in pages and "rajkumar-1.png" in pages


@pytest.mark.parametrize("name", ["...yaml", "..yaml"])
def test_a_dotted_profile_name_never_writes_outside_out(tmp_path: Path, name: str) -> None:
    """Issue 12.2: a name put into an output path must be one safe path component."""
    project = tmp_path / "project"
    (project / "targets").mkdir(parents=True)
    shutil.copy(RAJ, project / name)
    (project / "targets" / "t.yaml").write_text(f"profile: ../{name}\n")
    out = tmp_path / "out" / "inner"
    for job in (project / "targets" / "t.yaml", project / name):
        result = build([job], formats=["md"], out_dir=out)
        assert not result.ok
        assert "output" in result.failures[0].message or "name" in result.failures[0].message
    assert not (tmp_path / "out").exists() or files_in(tmp_path / "out") <= {"inner/" + CACHE_NAME}
    assert not any(tmp_path.glob("*.md"))


def test_a_target_clashing_with_an_unchanged_profile_fails_naming_both(tmp_path: Path) -> None:
    """Issue 12.3: clashes are checked against the files of unchanged jobs too."""
    (tmp_path / "profiles").mkdir()
    (tmp_path / "targets").mkdir()
    shutil.copy(RAJ, tmp_path / "profiles" / "jane.yaml")
    out = tmp_path / "out"
    assert build([tmp_path / "profiles" / "jane.yaml"], formats=["md"], out_dir=out).ok
    before = (out / "jane.md").read_bytes()
    target = tmp_path / "targets" / "t.yaml"
    target.write_text("profile: ../profiles/jane.yaml\noutput: jane\nheadline: Someone else\n")
    jobs = [tmp_path / "profiles" / "jane.yaml", target]
    for _ in range(2):
        result = build(jobs, formats=["md"], out_dir=out)
        assert not result.ok
        message = result.failures[0].message
        assert "jane.md" in message and "profiles/jane.yaml" in message, message
        assert (out / "jane.md").read_bytes() == before


@pytest.mark.parametrize(
    "pattern", ["{profile:>99999999999999999999}", "{profile:>3000000000}", "{profile!r}", "{target:.2}"]
)
def test_format_specs_in_output_patterns_are_refused(tmp_path: Path, pattern: str) -> None:
    """Issue 12.7: a format spec or conversion is a located validation error, not a crash."""
    (tmp_path / "targets").mkdir()
    shutil.copy(RAJ, tmp_path / "p.yaml")
    target = tmp_path / "targets" / "t.yaml"
    target.write_text(f'profile: ../p.yaml\noutput: "{pattern}"\n')
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 1, result.output
    assert "t.yaml:2:" in result.output and "output" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_out_path_that_is_a_file_is_a_clean_error(tmp_path: Path) -> None:
    """Issue 12.8: exit 1 naming the path and the OS reason."""
    (tmp_path / "out").write_text("I am a file")
    args = ["build", str(RAJ), "--format", "md", "--out", str(tmp_path / "out" / "inner")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "out" in result.output and "Not a directory" in result.output
    assert (tmp_path / "out").read_text() == "I am a file"


def test_a_cache_path_that_is_a_folder_is_a_clean_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / CACHE_NAME).mkdir(parents=True)
    result = CliRunner().invoke(main, ["build", str(RAJ), "--format", "md", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert CACHE_NAME in result.output and "directory" in result.output.lower()
    assert (out / "rajkumar.md").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC])
def test_a_read_only_or_full_folder_keeps_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    out = tmp_path / "out"
    assert build([RAJ], formats=["md", "txt"], out_dir=out).ok
    before = {name: (out / name).read_bytes() for name in ("rajkumar.md", "rajkumar.txt")}
    real_fdopen = os.fdopen

    def failing_fdopen(fd: int, *args: object, **kwargs: object) -> object:
        os.close(fd)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    result = CliRunner().invoke(main, ["build", str(RAJ), "--format", "md,txt", "--out", str(out), "--force"])
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert os.strerror(code) in result.output and "rajkumar.md" in result.output
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".cvforge-tmp")]


@pytest.mark.parametrize("pattern", [".", "./x", "a//b", "x/.", ".hidden", "{profile}/.."])
def test_output_patterns_that_leave_or_hide_are_refused(tmp_path: Path, pattern: str) -> None:
    """Issue 12.2, found by the fuzzing: '.' once wrote out/inner.md beside the output folder."""
    (tmp_path / "targets").mkdir()
    shutil.copy(RAJ, tmp_path / "p.yaml")
    target = tmp_path / "targets" / "t.yaml"
    target.write_text(f'profile: ../p.yaml\noutput: "{pattern}"\n')
    out = tmp_path / "out" / "inner"
    result = build([target], formats=["md"], out_dir=out)
    assert not result.ok and "t.yaml:2:" in result.failures[0].message, result.failures
    assert not (tmp_path / "out").exists() or files_in(tmp_path / "out") == set()
