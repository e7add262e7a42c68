"""`reader.unlinked`: what a target or a profile names is read only when the opened file is a regular
file with one link (issue 24.13): a hard link or a FIFO is refused, judged on the descriptor."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from cvforge.reader.unlinked import UnsafeInputError, open_unlinked, read_unlinked, unlinked_problem


def test_a_file_with_one_link_is_read(tmp_path: Path) -> None:
    (tmp_path / "job.md").write_bytes(b"Python and Go")
    assert read_unlinked(tmp_path / "job.md", "job.md", limit=100) == b"Python and Go"
    assert read_unlinked(tmp_path / "job.md", "job.md", limit=5) == b"Python"  # one byte past: too big
    assert unlinked_problem(tmp_path / "job.md", "job.md") is None


def test_a_hard_link_is_refused_by_its_link_count(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("root:x:0:0")
    os.link(tmp_path / "secret.txt", tmp_path / "job.md")
    with pytest.raises(UnsafeInputError) as raised:
        open_unlinked(tmp_path / "job.md", "targets/jobs/job.md")
    message = raised.value.message
    assert message.startswith("targets/jobs/job.md has 2 hard links; cvforge reads only files that are not linked")
    assert "root:x" not in message
    assert unlinked_problem(tmp_path / "secret.txt", "secret.txt") == "secret.txt" + message.split("job.md", 1)[1]


def test_a_symlink_to_a_hard_linked_file_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("root:x:0:0")
    os.link(tmp_path / "secret.txt", tmp_path / "other.txt")
    (tmp_path / "job.md").symlink_to(tmp_path / "other.txt")
    assert "has 2 hard links" in (unlinked_problem(tmp_path / "job.md", "job.md") or "")


@pytest.mark.parametrize(("make", "kind"), [("fifo", "a FIFO"), ("folder", "a folder")])
def test_what_is_not_a_regular_file_is_refused_without_waiting(tmp_path: Path, make: str, kind: str) -> None:
    path = tmp_path / "job.md"
    os.mkfifo(path) if make == "fifo" else path.mkdir()
    outcome: list[str | None] = []
    reader = threading.Thread(target=lambda: outcome.append(unlinked_problem(path, "job.md")), daemon=True)
    reader.start()
    reader.join(timeout=10)  # a FIFO opened without O_NONBLOCK would wait here for a writer
    assert outcome == [f"job.md is {kind}, not a regular file; cvforge reads only regular files"]


def test_a_missing_file_is_left_to_the_read(tmp_path: Path) -> None:
    assert unlinked_problem(tmp_path / "nothing.md", "nothing.md") is None
    with pytest.raises(FileNotFoundError):
        open_unlinked(tmp_path / "nothing.md", "nothing.md")
