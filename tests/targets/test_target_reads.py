"""What a target may read: job descriptions and synonym files inside its project only, within the
size limit, so nothing private ends up in a match report (issue 12.4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.cli import main
from cvforge.errors import TargetError
from cvforge.targets.target import load_target, read_job_description
from tests.conftest import ROOT
from tests.hostile_files import fifo_unblocked_after

RAJ = ROOT / "profiles" / "rajkumar.yaml"
JOB = next((ROOT / "targets" / "jobs").glob("*.md"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project" / "targets" / "jobs").mkdir(parents=True)
    (tmp_path / "project" / "profiles").mkdir()
    shutil.copy(RAJ, tmp_path / "project" / "profiles" / "raj.yaml")
    (tmp_path / "secret.md").write_text("PRIVATE_TOKEN_42 kubernetes\n")
    return tmp_path / "project"


def build_target(project: Path, job: str) -> tuple[int, str, Path]:
    target = project / "targets" / "t.yaml"
    target.write_text(f"profile: ../profiles/raj.yaml\njob: {job}\n")
    out = project / "out"
    result = CliRunner().invoke(main, ["build", str(target), "--format", "md", "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output, out


@pytest.mark.parametrize("job", ["/etc/passwd", "/proc/self/environ", "../../secret.md"])
def test_a_job_description_outside_the_project_is_refused(project: Path, job: str) -> None:
    code, output, out = build_target(project, job)
    assert code == 1, output
    assert "t.yaml:2:6: job: " in output and "outside the project folder" in output
    assert not out.exists() or not any(out.rglob("*.match.*"))


def test_a_symlink_cannot_escape_the_project(project: Path) -> None:
    (project / "targets" / "jobs" / "job.md").symlink_to(project.parent / "secret.md")
    code, output, out = build_target(project, "jobs/job.md")
    assert code == 1 and "outside the project folder" in output, output
    assert "PRIVATE_TOKEN_42" not in "".join(p.read_text() for p in out.rglob("*.md")) if out.exists() else True


def test_a_synonyms_file_linked_from_outside_is_refused(project: Path) -> None:
    shutil.copy(JOB, project / "targets" / "jobs" / "job.md")
    (project.parent / "syn.yaml").write_text("terms: {}\n")
    (project / "targets" / "synonyms.yaml").symlink_to(project.parent / "syn.yaml")
    code, output, _ = build_target(project, "jobs/job.md")
    assert code == 1 and "synonyms.yaml" in output and "outside the project folder" in output, output


def test_a_huge_job_description_is_refused_by_its_size(project: Path) -> None:
    big = project / "targets" / "jobs" / "big.md"
    with big.open("wb") as handle:
        handle.truncate(400 * 1024 * 1024)  # sparse: 400 MB that costs no disk
    code, output, _ = build_target(project, "jobs/big.md")
    assert code == 1 and "400.0 MiB" in output and "limited to 1 MiB" in output, output


def test_a_job_description_swapped_for_a_fifo_after_validation_is_refused(project: Path) -> None:
    """Issue 24.10: validation saw a file; what is read is judged again, on the opened file, so a FIFO
    put in its place is refused by what it is, never waited on."""
    job = project / "targets" / "jobs" / "job.md"
    shutil.copy(JOB, job)
    target = project / "targets" / "t.yaml"
    target.write_text("profile: ../profiles/raj.yaml\njob: jobs/job.md\n")
    loaded = load_target(target)
    job.unlink()
    with fifo_unblocked_after(job, 5), pytest.raises(TargetError, match=r"job\.md:1:1: file is a FIFO, not a regular"):
        read_job_description(loaded)


def test_a_job_description_inside_the_project_is_read(project: Path) -> None:
    shutil.copy(JOB, project / "targets" / "jobs" / "job.md")
    code, output, out = build_target(project, "jobs/job.md")
    assert code == 0, output
    report = (out / "raj" / "t.match.md").read_text(encoding="utf-8")
    assert "## Missing terms" in report
