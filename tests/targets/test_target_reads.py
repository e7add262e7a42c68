"""What a target may read: job descriptions and synonym files inside its project only, within the
size limit, so nothing private ends up in a match report (issue 12.4)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.cli import main
from cvforge.errors import TargetError
from cvforge.targets.target import load_target, read_job_description
from tests.helpers.hostile_files import fifo_unblocked_after
from tests.helpers.project import ROOT

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
    with (
        fifo_unblocked_after(job, 5),
        pytest.raises(TargetError, match=r"job: .*job\.md is a FIFO, not a regular file"),
    ):
        read_job_description(loaded)


def test_a_job_description_inside_the_project_is_read(project: Path) -> None:
    shutil.copy(JOB, project / "targets" / "jobs" / "job.md")
    code, output, out = build_target(project, "jobs/job.md")
    assert code == 0, output
    report = (out / "raj" / "t.match.md").read_text(encoding="utf-8")
    assert "## Missing terms" in report


# Issue 24.13: a hard link is the file it links to, wherever that is; a path check cannot see it, so
# what a target reads is refused when its link count is above 1 (judged on the opened file).

LINKED = "has 2 hard links; cvforge reads only files that are not linked elsewhere"


def test_a_job_description_hard_linked_to_a_file_outside_is_refused(project: Path) -> None:
    os.link(project.parent / "secret.md", project / "targets" / "jobs" / "job.md")
    code, output, out = build_target(project, "jobs/job.md")
    assert code == 1, output
    assert "t.yaml:2:6: job: " in output and LINKED in output, output
    assert "PRIVATE_TOKEN_42" not in output and "Traceback" not in output
    assert not out.exists() or not any(out.rglob("*.match.*"))


def test_a_hard_linked_job_description_is_a_located_validation_error(project: Path) -> None:
    os.link(project.parent / "secret.md", project / "targets" / "jobs" / "job.md")
    (project / "targets" / "t.yaml").write_text("profile: ../profiles/raj.yaml\njob: jobs/job.md\n")
    result = CliRunner().invoke(main, ["validate", str(project / "targets" / "t.yaml")])
    assert result.exit_code == 1, result.output
    assert "t.yaml:2:6: job: " in result.output and LINKED in result.output


def test_a_job_description_read_as_a_hard_link_is_refused_even_when_the_check_passed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read itself judges the file it opened: swapped for a link after every path check, it is refused."""
    from cvforge.errors import TargetError
    from cvforge.targets import target as target_module

    job = project / "targets" / "jobs" / "job.md"
    shutil.copy(JOB, job)
    (project / "targets" / "t.yaml").write_text("profile: ../profiles/raj.yaml\njob: jobs/job.md\n")
    target = target_module.load_target(project / "targets" / "t.yaml")
    job.unlink()
    os.link(project.parent / "secret.md", job)
    monkeypatch.setattr(target_module, "confinement_problem", lambda path, root: None)  # the swap came after it
    with pytest.raises(TargetError, match=LINKED) as raised:
        target_module.read_job_description(target)
    assert "PRIVATE_TOKEN_42" not in str(raised.value)


def test_a_hard_linked_synonyms_file_is_refused(project: Path) -> None:
    shutil.copy(JOB, project / "targets" / "jobs" / "job.md")
    (project.parent / "syn.yaml").write_text("terms: {PRIVATE_TOKEN_42: [kubernetes]}\n")
    os.link(project.parent / "syn.yaml", project / "targets" / "synonyms.yaml")
    code, output, _ = build_target(project, "jobs/job.md")
    assert code == 1 and "synonyms.yaml" in output and LINKED in output, output


def test_a_hard_linked_letter_signature_is_refused(project: Path) -> None:
    from PIL import Image

    shutil.copy(JOB, project / "targets" / "jobs" / "job.md")
    Image.new("RGB", (60, 20), "white").save(project.parent / "private.png")
    os.link(project.parent / "private.png", project / "targets" / "sig.png")
    letter = "company: Acme\nletter:\n  body: ['Hello {company}.']\n  signature: sig.png\n"
    target = project / "targets" / "t.yaml"
    target.write_text(f"profile: ../profiles/raj.yaml\njob: jobs/job.md\n{letter}")
    out = project / "out"
    result = CliRunner().invoke(main, ["build", str(target), "--format", "html,letter", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "letter.signature" in result.output and LINKED in result.output, result.output
    assert not out.exists() or not any(out.rglob("*.letter.*"))


def test_a_file_linked_only_once_is_read(project: Path) -> None:
    """A copy, or a link whose other name is gone, has one link: read as before."""
    shutil.copy(JOB, project.parent / "job.md")
    os.link(project.parent / "job.md", project / "targets" / "jobs" / "job.md")
    (project.parent / "job.md").unlink()
    code, output, _ = build_target(project, "jobs/job.md")
    assert code == 0, output
