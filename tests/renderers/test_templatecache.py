"""Compiled templates from the disk cache (issue 16): a new process renders the same HTML from the
cached bytecode as from a fresh compile, and a damaged or unwritable cache costs a compile only."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import bccache

import cvforge
from cvforge.renderers import fontcache, html

SEED = Path(__file__).resolve().parents[2] / "profiles" / "sai-sushanth-thakkalapally.yaml"


def render_fresh() -> bytes:
    """The HTML as a new process would make it: no environment (so no compiled template) in memory."""
    html._environment.cache_clear()
    return cvforge.render(SEED, "html")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path / "cache"))
    yield tmp_path / "cache"
    html._environment.cache_clear()  # later tests compile into their own cache folder


def compiled(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("templates/*/__jinja2_*.cache"))


def test_templates_compile_once_into_the_cache_and_render_the_same_from_it(cache_dir: Path) -> None:
    first = render_fresh()
    entries = compiled(cache_dir)
    assert entries, "no compiled template was cached"
    stamps = {entry: entry.stat().st_mtime_ns for entry in entries}
    assert render_fresh() == first
    assert {entry: entry.stat().st_mtime_ns for entry in compiled(cache_dir)} == stamps  # read, not rewritten


def test_a_damaged_entry_is_compiled_again_and_replaced(cache_dir: Path) -> None:
    first = render_fresh()
    for entry in compiled(cache_dir):  # Jinja's header, then what marshal cannot read
        entry.write_bytes(bccache.bc_magic + b"\xff not bytecode")
    assert render_fresh() == first
    assert all(b"not bytecode" not in entry.read_bytes() for entry in compiled(cache_dir))


def test_a_cache_that_cannot_be_written_still_renders(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_fresh()
    for entry in compiled(cache_dir):
        entry.unlink()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(bccache.tempfile, "NamedTemporaryFile", refuse)  # as a read-only folder answers
    assert render_fresh() == first
    assert not compiled(cache_dir)


def test_a_cache_root_that_cannot_be_made_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(fontcache.CACHE_ENV, str(blocker / "cache"))
    try:
        assert b"Sai" in render_fresh()
    finally:
        html._environment.cache_clear()
