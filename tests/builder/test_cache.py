"""Builds for CI: skipped when nothing changed, identical bytes every time, parallel, atomic."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cvforge.builder.cache import CACHE_NAME
from cvforge.builder.run import build
from cvforge.cli import main
from tests.helpers.project import PROFILES, ROOT

RAJ = next(p for p in PROFILES if p.stem == "rajkumar")
FAST = ["html", "docx"]  # formats for tests about the cache, where what is rendered does not matter


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the seed profiles and targets, so tests may edit them."""
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != CACHE_NAME
    }


@pytest.mark.slow
def test_a_no_change_rebuild_writes_nothing(project: Path) -> None:
    profile = project / "profiles" / "rajkumar.yaml"
    first = build([profile], formats=FAST, out_dir=project / "out")
    before = snapshot(project / "out")
    second = build([profile], formats=FAST, out_dir=project / "out")
    assert [o.unchanged for o in first.outputs] == [False, False]
    assert [o.unchanged for o in second.outputs] == [True, True]
    assert second.skipped == [str(profile)]
    assert snapshot(project / "out") == before


@pytest.mark.slow
def test_each_input_makes_its_outputs_stale(project: Path) -> None:
    out = project / "out"
    profile = project / "profiles" / "rajkumar.yaml"
    theme_dir = project / "themes"
    shutil.copytree(ROOT / "themes" / "classic", theme_dir / "classic")

    def rebuilt(**kwargs: object) -> bool:
        """Whether the job was built again (its files are then written where they came out different)."""
        result = build([profile], formats=FAST, out_dir=out, theme_dirs=[theme_dir], **kwargs)  # type: ignore[arg-type]
        assert result.ok, result.failures
        assert not result.skipped or all(o.unchanged for o in result.outputs)
        return not result.skipped

    assert rebuilt()
    assert not rebuilt()
    profile.write_text(profile.read_text("utf-8").replace("Rajkumar", "Rajkumar S"), "utf-8")
    assert rebuilt()
    css = theme_dir / "classic" / "static" / "style.css"
    css.write_text(css.read_text("utf-8") + "\n/* edited */\n", "utf-8")
    assert rebuilt()
    assert rebuilt(options={"accent": "#0a7a5a"})
    assert not rebuilt(options={"accent": "#0a7a5a"})
    assert rebuilt(force=True)
    (out / "rajkumar.html").write_text("edited by hand", "utf-8")
    assert rebuilt()  # a changed output is not the one cvforge wrote
    (out / "rajkumar.docx").unlink()
    assert rebuilt()


@pytest.mark.slow
def test_a_job_description_change_rebuilds_its_target_only(project: Path) -> None:
    targets = sorted((project / "targets").glob("rajkumar-*.yaml"))
    out = project / "out"
    build(targets, formats=["html"], out_dir=out)
    job = next((project / "targets" / "jobs").glob("*beacon*"))
    job.write_text(job.read_text("utf-8") + "\nAlso: Rust.\n", "utf-8")
    result = build(targets, formats=["html"], out_dir=out)
    assert [Path(source).name for source in result.skipped] == ["rajkumar-tallyfox-billing.yaml"]
    changed = {o.path.name for o in result.outputs if not o.unchanged}  # written: what came out different
    assert {"rajkumar-beacon-realtime.match.md", "rajkumar-beacon-realtime.match.json"} <= changed
    assert changed <= {f"rajkumar-beacon-realtime.{part}" for part in ("html", "match.md", "match.json")}


def build_in(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cli = Path(sys.executable).with_name("cvforge")
    return subprocess.run(
        [str(cli), "build", "--quiet", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.slow
def test_two_clean_builds_in_different_folders_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        folder = tmp_path / name
        shutil.copytree(ROOT / "profiles", folder / "profiles")
        done = build_in(folder, "profiles/sai-sushanth-thakkalapally.yaml", "--jobs", "1")
        assert done.returncode == 0, done.stderr
        outputs.append({k: v for k, (_, v) in snapshot(folder / "out").items()})
        time.sleep(1.1)  # a different second: anything taken from the clock would now differ
    assert sorted(outputs[0]) == [
        "sai-sushanth-thakkalapally.docx",
        "sai-sushanth-thakkalapally.html",
        "sai-sushanth-thakkalapally.pdf",
    ]
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_source_date_epoch_sets_the_docx_dates(tmp_path: Path) -> None:
    done = build_in(ROOT, str(RAJ), "--format", "docx", "--out", str(tmp_path), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "rajkumar.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        assert "2023-11-14T22:13:20Z" in core
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.slow
def test_parallel_and_serial_builds_give_the_same_files(project: Path) -> None:
    jobs = [project / "profiles" / "rajkumar.yaml", project / "profiles" / "aayushi-gupta.yaml"]
    serial = build(jobs, formats=["html", "docx", "pdf"], out_dir=project / "serial", workers=1)
    parallel = build(jobs, formats=["html", "docx", "pdf"], out_dir=project / "parallel", workers=2)
    assert serial.ok and parallel.ok
    assert [o.path.name for o in serial.outputs] == [o.path.name for o in parallel.outputs]
    serial_files = {k: v for k, (_, v) in snapshot(project / "serial").items()}
    assert serial_files == {k: v for k, (_, v) in snapshot(project / "parallel").items()}


def complete(path: Path) -> bool:
    """A whole file of its kind: a PDF that parses to the end, a DOCX zip that tests clean, HTML that closes."""
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 0 and path.read_bytes().rstrip().endswith(b"%%EOF")
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    if path.suffix == ".html":
        return path.read_text("utf-8").rstrip().endswith("</html>")
    return True


@pytest.mark.slow
def test_a_killed_build_leaves_nothing_half_written(project: Path) -> None:
    cli = Path(sys.executable).with_name("cvforge")
    for delay in (0.6, 1.2, 2.0, 3.0):
        shutil.rmtree(project / "out", ignore_errors=True)
        process = subprocess.Popen(
            [str(cli), "build", "--jobs", "1", "--force", "--quiet"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        files = [p for p in (project / "out").rglob("*") if p.is_file()] if (project / "out").exists() else []
        assert not [p for p in files if p.name.endswith(".cvforge-tmp")], delay
        assert all(complete(p) for p in files), delay


def test_leftovers_of_a_hard_kill_are_swept(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    leftover = tmp_path / "out" / ".rajkumar.pdf.abc123.cvforge-tmp"
    leftover.write_bytes(b"%PDF-1.7 trunc")
    build([RAJ], formats=["html"], out_dir=tmp_path / "out")
    assert not leftover.exists()


def test_summary_json_quiet_and_plain_output(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.chdir(project)
    monkeypatch.setenv("CI", "true")
    runner = CliRunner()
    args = ["build", "profiles/rajkumar.yaml", "--format", "html"]
    plain = runner.invoke(main, args)
    assert plain.exit_code == 0
    assert "wrote out/rajkumar.html" in plain.output
    again = runner.invoke(main, [*args, "--json"])
    summary = json.loads(again.stdout)
    assert summary["ok"] is True
    assert summary["jobs"] == {"total": 1, "built": 0, "unchanged": 1, "failed": 0}
    assert summary["outputs"] == [
        {"path": "out/rajkumar.html", "format": "html", "bytes": summary["outputs"][0]["bytes"], "unchanged": True}
    ]
    quiet = runner.invoke(main, [*args, "--quiet", "--force"])
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_built_files_are_readable_by_others(tmp_path: Path) -> None:
    build([RAJ], formats=["html"], out_dir=tmp_path)
    assert (tmp_path / "rajkumar.html").stat().st_mode & 0o044 == 0o044 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.slow
def test_force_rebuilds_only_what_it_was_asked_and_keeps_the_rest_of_the_record(project: Path) -> None:
    out = project / "out"
    profiles = sorted((project / "profiles").glob("*.yaml"))
    assert build(profiles, formats=FAST, out_dir=out).ok
    forced = build(profiles[:1], formats=FAST, out_dir=out, force=True)
    assert [o.unchanged for o in forced.outputs] == [False, False]
    later = build(profiles, formats=FAST, out_dir=out)
    assert later.ok and all(o.unchanged for o in later.outputs), [o.path for o in later.outputs if not o.unchanged]
