"""Compiled templates from the disk cache (issue 16): a new process renders the same HTML from the
cached bytecode as from a fresh compile, and a damaged or unwritable cache costs a compile only."""

from __future__ import annotations

import marshal
import pickle
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, bccache, pass_context
from jinja2.runtime import Context

import cvforge
from cvforge.renderers import cachekey, fontcache, html
from cvforge.renderers.templatecache import template_cache

SEED = Path(__file__).resolve().parents[2] / "profiles" / "sai-sushanth-thakkalapally.yaml"


def render_fresh() -> bytes:
    """The HTML as a new process would make it: no environment (so no compiled template) in memory."""
    html._environment.cache_clear()
    return cvforge.render(SEED, "html")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # this test's own key
    cachekey.forget()
    yield tmp_path / "cache"
    html._environment.cache_clear()  # later tests compile into their own cache folder
    cachekey.forget()


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


# Issue 24.3: the cache folder is input (a shared XDG_CACHE_HOME, a cache CI restored). Jinja's
# entries are a pickle and a marshalled code object: planted ones must never run.


class Planted:
    """A pickle that runs code when loaded (what a hostile cache entry carries)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


def seen_buckets(monkeypatch: pytest.MonkeyPatch) -> list[bccache.Bucket]:
    """Every bucket Jinja asks the cache for: its key and the checksum of its template's source."""
    seen: list[bccache.Bucket] = []
    real = bccache.BytecodeCache.get_bucket

    def spy(self: bccache.BytecodeCache, *args: object) -> bccache.Bucket:
        bucket = real(self, *args)  # type: ignore[arg-type]
        seen.append(bucket)
        return bucket

    monkeypatch.setattr(bccache.BytecodeCache, "get_bucket", spy)
    return seen


def plant(cache_dir: Path, buckets: list[bccache.Bucket], payload: Callable[[bccache.Bucket], bytes]) -> int:
    """Write `payload` under every name Jinja's file cache would look for, in every template cache folder."""
    folders = [folder for folder in cache_dir.glob("templates/*") if folder.is_dir()]
    for folder in folders:
        for bucket in buckets:
            (folder / f"__jinja2_{bucket.key}.cache").write_bytes(payload(bucket))
    return len(folders) * len(buckets)


def test_a_planted_pickle_in_the_template_cache_never_runs(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    buckets = seen_buckets(monkeypatch)
    first = render_fresh()
    marker = tmp_path / "pickle-ran"
    evil = bccache.bc_magic + pickle.dumps(Planted(marker), 2)
    assert plant(cache_dir, buckets, lambda bucket: evil)
    assert render_fresh() == first
    assert not marker.exists(), "a pickle from the cache folder ran"


def test_a_planted_code_object_with_the_right_checksum_never_runs(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The template sources are public, so a planted entry can carry the checksum Jinja expects."""
    buckets = seen_buckets(monkeypatch)
    first = render_fresh()
    marker = tmp_path / "code-ran"
    code = compile(f"open({str(marker)!r}, 'w').write('ran')", "<planted>", "exec")

    def entry(bucket: bccache.Bucket) -> bytes:
        return bccache.bc_magic + pickle.dumps(bucket.checksum, 2) + marshal.dumps(code)

    assert plant(cache_dir, buckets, entry)
    try:
        again = render_fresh()
    except Exception:  # the planted code is not a template: rendering it may fail after it ran
        again = b""
    assert not marker.exists(), "a code object from the cache folder ran"
    assert again == first


def test_the_key_lives_outside_the_cache_readable_by_its_owner_only(cache_dir: Path, tmp_path: Path) -> None:
    render_fresh()
    key = tmp_path / "state" / "cvforge" / "cache.key"
    assert key.is_file() and not key.resolve().is_relative_to(cache_dir.resolve())
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    assert compiled(cache_dir), "a trusted key caches templates on disk"


@pytest.mark.parametrize("problem", ["readable by others", "a symbolic link", "inside the cache", "not 32 bytes"])
def test_a_key_that_others_could_know_is_refused_and_nothing_is_cached(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, problem: str
) -> None:
    key = tmp_path / "state" / "cvforge" / "cache.key"
    key.parent.mkdir(parents=True)
    if problem == "readable by others":
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)
    elif problem == "a symbolic link":
        (tmp_path / "elsewhere").write_bytes(b"k" * 32)
        (tmp_path / "elsewhere").chmod(0o600)
        key.symlink_to(tmp_path / "elsewhere")
    elif problem == "not 32 bytes":
        key.write_bytes(b"short")
        key.chmod(0o600)
    else:
        monkeypatch.setenv("XDG_STATE_HOME", str(cache_dir / "state"))
        key = cache_dir / "state" / "cvforge" / "cache.key"
    cachekey.forget()
    first = render_fresh()
    assert b"Sai" in first
    assert not compiled(cache_dir), "templates were cached under a key others could know"
    assert any(str(key) in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_a_filter_that_now_takes_the_context_is_compiled_again(cache_dir: Path) -> None:
    """Compiled code calls a `pass_context` filter with the context and a plain one without: a
    template cached for one must not be run with the other (cvforge's version alone did not tell)."""
    source = DictLoader({"page.html": "{{ 'x' | shout }}"})

    def plain(value: str) -> str:
        return value.upper()

    @pass_context
    def with_context(context: Context, value: str) -> str:
        return value * 2

    rendered = []
    for shout in (plain, with_context):
        environment = Environment(loader=source)
        environment.filters["shout"] = shout
        environment.bytecode_cache = template_cache(environment)
        rendered.append(environment.get_template("page.html").render())
    assert rendered == ["X", "xx"]
    assert len(list(cache_dir.glob("templates/*/__jinja2_*.cache"))) == 2
