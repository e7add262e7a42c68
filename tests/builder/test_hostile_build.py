"""Builds given unlucky or hostile names and folders: nothing already built is lost, nothing is
written outside --out, and a failure is a located message with exit 1, never a traceback."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.builder.cache import CACHE_NAME
from cvforge.builder.run import build
from cvforge.cli import main
from tests.helpers.project import ROOT

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


@pytest.mark.slow
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


# Issue 24.5: the build record (out/.cvforge-cache.json) is input. CI restores it from another
# run's cache, so every path and value in it may be hostile: nothing outside out/ is read, listed
# or deleted because of it, nothing it names is read without a bound, and a broken record is a
# warning and a fresh start, never a traceback.


def poison(out: Path, entry_suffix: str, files: dict[str, str]) -> None:
    """Add `files` to the record entry of the job's `entry_suffix` format, as a hostile cache would."""
    record_path = out / CACHE_NAME
    record = json.loads(record_path.read_text("utf-8"))
    entry = next(name for name in record["entries"] if name.endswith(entry_suffix))
    record["entries"][entry]["files"].update(files)
    record_path.write_text(json.dumps(record), "utf-8")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_poisoned_record_never_deletes_pages_outside_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The issue's example: '../victim/a-1.png' in the record once made the sweep of stale pages
    delete ../victim/a-2.png and a-7.png."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    assert build([RAJ], formats=["png"], out_dir=out).ok
    victim.mkdir()
    for page in ("a-1.png", "a-2.png", "a-7.png"):
        (victim / page).write_bytes(b"the victim's own page " + page.encode())
    poison(out, ":png", {"../victim/a-1.png": sha256_of(victim / "a-1.png")})
    result = build([RAJ], formats=["png"], out_dir=out)
    assert result.ok, result.failures
    assert files_in(victim) == {"a-1.png", "a-2.png", "a-7.png"}
    assert all(o.path.resolve().is_relative_to(out.resolve()) for o in result.outputs)
    assert any("../victim/a-1.png" in r.getMessage() and "outside" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "name",
    [
        "../victim/secret.md",
        "{victim}/secret.md",  # an absolute path
        "inner/../../victim/secret.md",
        "leak.md",  # a symbolic link inside out/ that leads outside it
        "hard.md",  # a hard link inside out/ to a file outside it: no path check can see it
    ],
)
def test_a_record_never_lists_or_reads_a_file_outside_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    """Once, a path outside out/ with its right digest was listed 'unchanged' (and read by --check)."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    secret = victim / "secret.md"
    secret.write_text("# not a resume\n", "utf-8")
    assert build([RAJ], formats=["md"], out_dir=out).ok
    (out / "inner").mkdir()
    (out / "leak.md").symlink_to(secret)
    (out / "hard.md").hardlink_to(secret)
    name = name.format(victim=victim)
    poison(out, ":md", {name: sha256_of(secret)})
    result = build([RAJ], formats=["md"], out_dir=out, check=True)
    assert result.ok, result.failures
    listed = {o.path.resolve() for o in result.outputs}
    assert listed == {(out / "rajkumar.md").resolve()}
    assert result.skipped == []  # the poisoned entry was dropped: built again
    assert any("outside" in r.getMessage() and CACHE_NAME in r.getMessage() for r in caplog.records)
    assert secret.read_text("utf-8") == "# not a resume\n"


@pytest.mark.parametrize("name", ["/dev/zero", "zero.md", "fifo.md"])
def test_a_record_naming_a_device_or_fifo_is_dropped_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    """'/dev/zero': '00' once read without end until a MemoryError; a FIFO would block for ever."""
    out = tmp_path / "out"
    assert build([RAJ], formats=["md"], out_dir=out).ok
    (out / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(out / "fifo.md")
    poison(out, ":md", {name: "00"})
    result = build([RAJ], formats=["md"], out_dir=out)
    assert result.ok, result.failures
    assert {o.path.name for o in result.outputs} == {"rajkumar.md"}
    assert any(name in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


@pytest.mark.slow
def test_an_output_too_large_to_be_ours_is_not_read(tmp_path: Path) -> None:
    """A record may make cvforge read only so much: a huge (sparse) output is stale, never read whole.
    Run with a 1.5 GiB address-space limit, where reading the 3 GiB file was a MemoryError traceback."""
    out = tmp_path / "out"
    assert build([RAJ], formats=["md"], out_dir=out).ok
    with (out / "rajkumar.md").open("r+b") as handle:
        handle.truncate(3 * 1024**3)
    limit = 1536 * 1024**2

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "cvforge", "build", str(RAJ), "--format", "md", "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=cap_memory,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (out / "rajkumar.md").stat().st_size < 1024**2  # built again


@pytest.mark.parametrize(
    "record",
    [
        b"{not json",
        b"\xff\xfe not utf-8",
        b"[]",
        b'{"schema": 1, "entries": []}',
        b'{"schema": 1, "entries": {"profile:x:md": 5}}',
        b'{"schema": 1, "entries": {"profile:x:md": {"key": 1, "files": {}}}}',
        b'{"schema": 1, "entries": {"profile:x:md": {"key": "k", "files": []}}}',
        b'{"schema": 1, "entries": {"profile:x:md": {"key": "k", "files": {"a.md": 5}}}}',
        b'{"schema": 1, "entries": {"profile:x:md": {"key": "k", "files": {"a.md": "00"}, "extra": 5}}}',
        b'{"schema": 1, "entries": {"profile:x:md": {"key": "k", "files": {"a\\u0000b.md": "00"}}}}',
        b"[" * 100_000 + b"]" * 100_000,  # deeper than json's recursion limit
    ],
)
def test_a_malformed_record_is_a_warning_and_a_fresh_start(tmp_path: Path, record: bytes) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / CACHE_NAME).write_bytes(record)
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(RAJ), "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "warning:" in result.output and CACHE_NAME in result.output
    again = runner.invoke(main, ["build", str(RAJ), "--format", "md", "--out", str(out)])
    assert again.exit_code == 0 and CACHE_NAME not in again.output and "unchanged" in again.output


@pytest.mark.parametrize("kind", ["symlink", "huge", "fifo"])
def test_a_record_file_that_is_a_link_a_fifo_or_huge_is_not_read(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    record = out / CACHE_NAME
    if kind == "symlink":
        record.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(record)
    else:  # sparse: larger than any record cvforge writes, and no disk spent
        with record.open("wb") as handle:
            handle.truncate(512 * 1024**2)
    result = CliRunner().invoke(main, ["build", str(RAJ), "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and CACHE_NAME in result.output
    assert (out / "rajkumar.md").is_file()
    assert record.is_file() and not record.is_symlink() and record.stat().st_size < 10_000  # written anew


@pytest.mark.slow
@pytest.mark.parametrize("poison", ["invalid", "removed"])
def test_a_recorded_tailored_profile_that_does_not_validate_is_rebuilt(tmp_path: Path, poison: str) -> None:
    """--check compares an unchanged target's files with the tailored profile in the record: a
    poisoned one was a pydantic traceback, and a removed one made --check compare them with the
    untailored profile (and fail every item the tailoring left out)."""
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    target = tmp_path / "targets" / "rajkumar-tallyfox-billing.yaml"
    out = tmp_path / "out"
    assert build([target], formats=["docx"], out_dir=out).ok
    record = json.loads((out / CACHE_NAME).read_text("utf-8"))
    entry = next(name for name in record["entries"] if name.endswith(":profile"))
    if poison == "invalid":
        record["entries"][entry]["extra"] = '{"person": 5}'
    else:
        del record["entries"][entry]
    (out / CACHE_NAME).write_text(json.dumps(record), "utf-8")
    result = build([target], formats=["docx"], out_dir=out, check=True)
    assert result.ok, result.failures
    assert result.skipped == []  # built again, not compared with the poisoned or missing profile
