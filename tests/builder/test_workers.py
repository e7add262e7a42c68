"""Worker processes die with their build: a SIGKILLed parent leaves no worker behind, and SIGTERM
ends a parallel build promptly with nothing half-written (issue 12.13)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.project import ROOT

# Parallel builds in child processes, killed and timed.
pytestmark = pytest.mark.slow

CLI = Path(sys.executable).with_name("cvforge")


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a reaper (a container's init may never reap it)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start_parallel_build(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    process = subprocess.Popen(
        [str(CLI), "build", "--jobs", "2", "--force", "--quiet", "--format", "pdf,png"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = children_of(process.pid)
        if len(workers) >= 2:
            time.sleep(0.5)  # let them import and start rendering
            return process, workers
        time.sleep(0.05)
    process.kill()
    pytest.fail("the build started no workers")


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_workers_die_when_the_build_is_killed(tmp_path: Path) -> None:
    process, workers = start_parallel_build(tmp_path)
    process.kill()
    process.wait(timeout=10)
    left = wait_gone(workers, 5)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_sigterm_to_the_group_ends_a_parallel_build_promptly(tmp_path: Path) -> None:
    process, workers = start_parallel_build(tmp_path)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert wait_gone(workers, 5) == []
    out = tmp_path / "out"
    assert not [p for p in out.rglob("*") if p.name.endswith(".cvforge-tmp")] if out.exists() else True
