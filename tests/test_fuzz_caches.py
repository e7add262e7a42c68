"""Fuzzing the caches (issue 24, "Caches and records are input"): poisoned build records, compiled
templates and font cache entries end in a build with the right output, or a clean cvforge error;
never a traceback, never code from the cache, never a file outside out/ opened, changed or deleted.

An audit hook (PEP 578) watches every `open`, `os.remove` and `os.rename` the process makes while
a poisoned build runs: reading outside out/ is seen even when it would change nothing. HTML, DOCX
and Markdown builds keep this under a minute; the decoded faces a PDF uses are checked where
WeasyPrint gets them, through the PDF fetcher, without laying out a page.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from jinja2 import bccache

import cvforge
from cvforge.builder.cache import CACHE_NAME, BuildCache
from cvforge.builder.run import build
from cvforge.builder.write import remove_stale_pages
from cvforge.errors import CvforgeError
from cvforge.logs import collect_warnings
from cvforge.renderers import cachekey, fontcache, html, pdf
from cvforge.renderers.themes import load_theme
from tests.helpers.project import ROOT

# No explain phase: it traces every line of a failing build again, which takes minutes here.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
FONTS = load_theme("classic").static_dirs[-1] / "fonts"
PROFILE = ROOT / "profiles" / "rajkumar.yaml"
SEED_TARGET = "rajkumar-tallyfox-billing.yaml"
TARGET = "quick.yaml"
FORMATS = ("html", "docx", "md")


# ---- what the process touches while a poisoned build runs -------------------------------------


@dataclass
class Watch:
    """Paths opened, removed or renamed while `active`, outside the folders a build may touch."""

    active: bool = False
    forbidden: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()  # only paths under these are resolved (resolving every open is slow)
    touched: list[tuple[str, str]] | None = None


WATCH = Watch()


def _audit(event_name: str, args: tuple[Any, ...], WATCH: Watch = WATCH) -> None:  # noqa: N803
    # WATCH is bound now: the hook runs until the interpreter's very end, after module globals are gone
    if not WATCH.active or event_name not in ("open", "os.remove", "os.rename") or not args:
        return
    path = args[0]
    if isinstance(path, int) or path is None:
        return
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else ""
    flags = args[2] if event_name == "open" and len(args) > 2 and isinstance(args[2], int) else 0
    if not text:
        return
    named = Path(os.path.abspath(text))  # noqa: PTH100 (no resolving yet: most opens are out of scope)
    if not str(named).startswith(WATCH.scope):
        return
    # Removing or renaming a link acts on the link; opening it with O_NOFOLLOW is refused: neither follows it.
    follows = event_name == "open" and not flags & getattr(os, "O_NOFOLLOW", 0)
    real = str(named.resolve() if follows else named.parent.resolve() / named.name)
    if any(real == root or real.startswith(root + os.sep) for root in WATCH.forbidden):
        assert WATCH.touched is not None
        WATCH.touched.append((event_name, text))


sys.addaudithook(_audit)


@contextmanager
def watching(scope: Path, *forbidden: Path) -> Iterator[list[tuple[str, str]]]:
    """Record what the block opens, removes or renames under `forbidden` (a victim's folder, devices),
    directly or through a link anywhere under `scope` (the example's folder)."""
    WATCH.forbidden = tuple(os.path.realpath(p) for p in forbidden)
    WATCH.scope = (str(scope), *WATCH.forbidden)
    WATCH.touched, WATCH.active = [], True
    try:
        yield WATCH.touched
    finally:
        WATCH.active = False


# ---- one private cache folder and key for the whole module ------------------------------------


class Golden:
    """What a clean build made, to compare every poisoned build with (a plain class: Hypothesis
    prints its repr, not megabytes of fields, when it reports an example)."""

    def __init__(self, project: Path, page: bytes, marker: Path, cached: dict[Path, bytes]) -> None:
        self.project, self.out, self.page, self.marker, self.cached = project, project / "out", page, marker, cached
        self.record: dict[str, Any] = json.loads((self.out / CACHE_NAME).read_text("utf-8"))
        self.files = {p.relative_to(self.out).as_posix(): p.read_bytes() for p in self.out.rglob("*") if p.is_file()}
        del self.files[CACHE_NAME]

    def __repr__(self) -> str:
        return f"Golden({self.project})"


@pytest.fixture(scope="module")
def golden() -> Iterator[Golden]:
    saved = {name: os.environ.get(name) for name in (fontcache.CACHE_ENV, "XDG_STATE_HOME")}
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        os.environ[fontcache.CACHE_ENV] = str(root / "cache")
        os.environ["XDG_STATE_HOME"] = str(root / "state")
        _forget_memory()
        project = root / "project"
        shutil.copytree(ROOT / "profiles", project / "profiles")
        shutil.copytree(ROOT / "targets", project / "targets")
        seed = (ROOT / "targets" / SEED_TARGET).read_text("utf-8")  # without its page limit: no layout needed
        (project / "targets" / TARGET).write_text(seed.replace("page_limit: 2\n", ""), "utf-8")
        result = build(_jobs(project), formats=FORMATS, out_dir=project / "out")
        assert result.ok, result.failures
        page = cvforge.render(PROFILE, "html")
        fontcache.decoded_font(FONTS / "Inter-Regular.woff2")  # a decoded face, as a PDF build leaves
        cached = {p: p.read_bytes() for p in sorted((root / "cache").rglob("*")) if p.is_file()}
        try:
            yield Golden(project, page, root / "planted-code-ran", cached)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            _forget_memory()


def _forget_memory() -> None:
    cachekey.forget()
    fontcache.clear_memory()
    html._environment.cache_clear()


def _jobs(project: Path) -> list[Path]:
    return [project / "profiles" / PROFILE.name, project / "targets" / TARGET]


def _cache() -> Path:
    return Path(os.environ[fontcache.CACHE_ENV])


def restore(golden: Golden, paths: list[Path]) -> None:
    """Put the clean build's cache files back (and their tags), whatever an example left there."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        if path in golden.cached:
            path.write_bytes(golden.cached[path])


# ---- poisoned build records --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
HOSTILE_NAMES = [
    "../victim/secret.md",
    "../victim/a-1.png",
    "{victim}/secret.md",
    "/dev/zero",
    "/etc/passwd",
    "zero.md",  # a link to /dev/zero inside out/
    "fifo.md",  # a FIFO inside out/
    "leak.md",  # a link inside out/ to the victim's file
    "hard.md",  # a hard link inside out/ to the victim's file
    "link/secret.md",  # through a linked folder inside out/
    "link/a-1.png",
    "inner/../../victim/secret.md",
    "./rajkumar.md",
    "inner",
    "",
    ".",
    "..",
    "a//b",
    "C:\\victim\\secret.md",
    "x\x00y",
    "rajkumar-2.png",
]


@st.composite
def poisoned_records(draw: st.DrawFn, golden: Golden, victim: Path) -> bytes:
    """A record as a hostile cache would leave it: junk, or the real one with entries rewritten."""
    shape = draw(st.sampled_from(["entries", "entries", "entries", "junk json", "junk bytes", "deep", "huge"]))
    event(f"record: {shape}")
    if shape == "junk json":
        return json.dumps(draw(json_values)).encode()
    if shape == "junk bytes":
        return draw(st.binary(max_size=200))
    if shape == "deep":
        depth = draw(st.integers(1000, 50_000))
        return b'{"schema": 1, "entries": ' + b"[" * depth + b"]" * depth + b"}"
    if shape == "huge":
        return json.dumps({"schema": 1, "entries": {"x": {"key": "k" * 2_000_000, "files": {}}}}).encode()
    record = json.loads(json.dumps(golden.record))
    entries: dict[str, Any] = record["entries"]
    secret_sha = hashlib.sha256((victim / "secret.md").read_bytes()).hexdigest()
    names = st.one_of(st.sampled_from(HOSTILE_NAMES).map(lambda n: n.format(victim=victim)), st.text(max_size=30))
    digests = st.one_of(
        st.just(secret_sha), st.sampled_from(sorted(hashlib.sha256(d).hexdigest() for d in golden.files.values()))
    ) | st.one_of(st.text("0123456789abcdef", max_size=70), json_values)
    for name in draw(st.lists(st.sampled_from(sorted(entries)), max_size=len(entries), unique=True)):
        entry = entries[name]
        how = draw(st.sampled_from(["add files", "replace files", "replace entry", "bad key", "bad extra"]))
        if how == "add files" and isinstance(entry.get("files"), dict):
            entry["files"].update(draw(st.dictionaries(names, digests, min_size=1, max_size=3)))
        elif how == "replace files":
            entry["files"] = draw(st.dictionaries(names, digests, max_size=3) | json_values)
        elif how == "replace entry":
            entries[name] = draw(json_values)
        elif how == "bad key":
            entry["key"] = draw(json_values)
        else:
            entry["extra"] = draw(st.one_of(json_values, st.text(max_size=40), st.just('{"person": 5}')))
    entries.update(draw(st.dictionaries(st.text(max_size=20), json_values, max_size=2)))
    return json.dumps(record).encode()


def hostile_out(golden: Golden, folder: Path) -> tuple[Path, Path]:
    """A copy of the clean out/ with a victim beside it, and links, a FIFO and a device inside it."""
    out, victim = folder / "out", folder / "victim"
    shutil.copytree(golden.out, out)
    victim.mkdir()
    for name in ("secret.md", "a-1.png", "a-2.png", "a-7.png"):
        (victim / name).write_bytes(f"the victim's {name}".encode())
    (out / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(out / "fifo.md")
    (out / "leak.md").symlink_to(victim / "secret.md")
    (out / "hard.md").hardlink_to(victim / "secret.md")
    (out / "link").symlink_to(victim)
    (out / "inner").mkdir(exist_ok=True)
    return out, victim


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(FUZZ, max_examples=40)
@given(data=st.data(), check=st.booleans())
def test_poisoned_build_records_never_reach_outside_out(golden: Golden, data: st.DataObject, check: bool) -> None:
    with tempfile.TemporaryDirectory() as temp:
        out, victim = hostile_out(golden, Path(temp))
        (out / CACHE_NAME).write_bytes(data.draw(poisoned_records(golden, victim)))
        before = tree(victim)
        with watching(
            Path(temp), victim, Path("/dev/zero"), Path("/etc/passwd"), out / "fifo.md", out / "hard.md"
        ) as touched:
            try:
                result = build(_jobs(golden.project), formats=FORMATS, out_dir=out, check=check)
            except CvforgeError as exc:  # a clean error is allowed; a traceback is not
                event("clean error")
                assert exc.format_message().strip()
                result = None
        assert touched == [], touched
        assert tree(victim) == before
        if result is None:
            return
        unread = [(o.path.name, o.check.summary()) for o in result.outputs if o.check is not None and not o.check.ok]
        assert result.ok, (result.failures, unread)
        for output in result.outputs:  # what was listed (built again, or unchanged) is inside out/
            assert output.path.resolve().is_relative_to(out.resolve()), output.path
        # and every output is right. A match report lists the formats its build wrote, so one
        # rebuilt for a single stale format differs in that line (as without any poison).
        documents = {name: data for name, data in golden.files.items() if ".match." not in name}
        assert {name: (out / name).read_bytes() for name in documents} == documents
        assert all((out / name).is_file() for name in golden.files)
        with collect_warnings() as warned:  # the record was written anew, clean
            BuildCache.open(out)
        assert [r.getMessage() for r in warned] == []


@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_poisoned_records_never_sweep_pages_outside_out(golden: Golden, data: st.DataObject) -> None:
    """The sweep of stale PNG pages, given every file a poisoned record names, as a PNG build would."""
    with tempfile.TemporaryDirectory() as temp:
        out, victim = hostile_out(golden, Path(temp))
        (out / CACHE_NAME).write_bytes(data.draw(poisoned_records(golden, victim)))
        before = tree(victim)
        with watching(Path(temp), victim, Path("/dev/zero"), out / "fifo.md", out / "hard.md") as touched:
            cache = BuildCache.open(out)
            for entry in cache.entries:
                remove_stale_pages({path: ("png", b"") for path in cache.files_of(entry)}, out)
                cache.fresh_files(entry, str(cache.entries[entry]["key"]))
        assert touched == [], touched
        assert tree(victim) == before


# ---- poisoned compiled templates ---------------------------------------------------------------


class Planted:
    """A pickle that runs code when it is loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


TEMPLATE_POISON = ["pickle", "code object", "forged tag", "flipped byte", "truncated", "random", "zero", "fifo", "dir"]


def poison_file(path: Path, kind: str, genuine: bytes, marker: Path, draw: st.DrawFn) -> None:
    """Put at `path` what a hostile cache could (the genuine entry's bytes are public to it)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    code = compile(f"open({str(marker)!r}, 'w').write('ran')", "<planted>", "exec")
    if kind == "pickle":
        path.write_bytes(bccache.bc_magic + pickle.dumps(Planted(marker), 2))
    elif kind == "code object":  # Jinja's own layout, with the checksum of the public template source
        checksum = draw(st.text("0123456789abcdef", min_size=40, max_size=40))
        path.write_bytes(bccache.bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))
    elif kind == "forged tag":  # cvforge's layout, with a tag guessed (or copied from another entry)
        head = genuine[: genuine.find(b"\n") + 1] if genuine.startswith(b"cvforge") else b""
        path.write_bytes(head + draw(st.binary(min_size=32, max_size=32)) + marshal.dumps(code))
    elif kind == "flipped byte" and genuine:
        index = draw(st.integers(0, len(genuine) - 1))
        path.write_bytes(genuine[:index] + bytes([genuine[index] ^ 0xFF]) + genuine[index + 1 :])
    elif kind == "truncated":
        path.write_bytes(genuine[: draw(st.integers(0, max(len(genuine) - 1, 0)))])
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    else:
        path.write_bytes(draw(st.binary(max_size=300)))


@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_poisoned_template_caches_never_run_and_never_change_the_page(golden: Golden, data: st.DataObject) -> None:
    entries = [path for path in golden.cached if path.name.startswith("__jinja2_")]
    assert entries
    try:  # restored whatever happens, even when Hypothesis stops an example half drawn
        kinds = data.draw(st.lists(st.sampled_from(TEMPLATE_POISON), min_size=len(entries), max_size=len(entries)))
        for path, kind in zip(entries, kinds, strict=True):
            event(f"template entry: {kind}")
            poison_file(path, kind, golden.cached[path], golden.marker, data.draw)
        html._environment.cache_clear()
        with watching(_cache(), Path("/dev/zero")) as touched:
            page = cvforge.render(PROFILE, "html")
        assert touched == [], touched
        assert not golden.marker.exists(), "code from the template cache ran"
        assert page == golden.page
    finally:
        restore(golden, entries)
        html._environment.cache_clear()


# ---- poisoned font cache entries ---------------------------------------------------------------

FONT_POISON = ["another entry", "flipped byte", "truncated", "random", "zero", "fifo", "dir", "forged tag", "no tag"]


@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_poisoned_font_caches_never_change_a_font(golden: Golden, data: st.DataObject) -> None:
    fonts = [p for p in golden.cached if p.parent.name == "fonts" and p.suffix in (".sfnt", ".woff2", ".cmap1")]
    face = FONTS / "Inter-Regular.woff2"
    decoded = fontcache.decode(face.read_bytes())
    try:  # restored whatever happens, even when Hypothesis stops an example half drawn
        for path in data.draw(st.lists(st.sampled_from(fonts), min_size=1, max_size=6, unique=True)):
            kind = data.draw(st.sampled_from(FONT_POISON))
            event(f"font entry: {kind}")
            other = data.draw(st.sampled_from([p for p in fonts if p != path]))
            poison_font_entry(path, kind, golden, other, data.draw)
        fontcache.clear_memory()
        with watching(_cache(), Path("/dev/zero")) as touched:
            page = cvforge.render(PROFILE, "html")
            sfnt = fontcache.decoded_font(face)
            fetcher = pdf.make_fetcher([*pdf.asset_roots(load_theme("classic")), fontcache.fonts_dir()])
            fetched = fetcher.fetch(sfnt.as_uri()).read()
            again = fontcache.decoded_bytes(face)
        assert touched == [], touched
        assert page == golden.page
        assert fontcache.decode(fetched) == decoded  # what WeasyPrint is given is Inter, decoded or not
        assert again == decoded
    finally:
        restore(golden, [p for p in golden.cached if p.is_relative_to(_cache() / "fonts")])
        fontcache.clear_memory()


def poison_font_entry(path: Path, kind: str, golden: Golden, other: Path, draw: st.DrawFn) -> None:
    """A font cache entry (or its tag) as a hostile cache could leave it."""
    tag = _tag_of(path)
    if kind == "another entry":  # a real entry's bytes, under another name
        poison_file(path, "random", b"", golden.marker, draw)
        path.write_bytes(golden.cached[other])
    elif kind == "forged tag":
        tag.write_bytes(draw(st.binary(min_size=32, max_size=32)))
        path.write_bytes(golden.cached[path][:-1] + b"\0")
    elif kind == "no tag":
        tag.unlink(missing_ok=True)
        path.write_bytes(golden.cached[path][::-1])
    else:
        poison_file(path, kind, golden.cached[path], golden.marker, draw)


def _tag_of(path: Path) -> Path:
    key = cachekey.key_id()
    assert key is not None
    return path.parent / fontcache.TAGS_DIR / key / path.name
