"""Byte-identical outputs with and without HarfBuzz's subsetter, and without SOURCE_DATE_EPOCH
(issue 12.14): fontTools stamps each font it saves with the current time unless told otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import cvforge
from cvforge.renderers import fontcache
from tests.helpers.project import ROOT

# Every test builds real PDFs, most in child processes.
pytestmark = pytest.mark.slow

PROFILE: dict[str, Any] = {
    "person": {"name": "山田太郎 Łukasz محمد", "email": "taro@example.com", "summary": ["東京のエンジニア。"]},
    "options": {"lang": "ja"},
}


def twice(fmt: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[bytes, bytes]:
    """Render twice, a clock second apart, with nothing cached in between (in memory or on disk)."""
    renders = []
    for attempt in ("first", "second"):
        monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path / attempt))
        fontcache.clear_memory()
        renders.append(cvforge.render(PROFILE, fmt))  # type: ignore[call-overload]
        time.sleep(1.1)
    return renders[0], renders[1]


def test_html_with_cjk_is_byte_identical(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = twice("html", monkeypatch, tmp_path)
    assert b"font/woff2" in first or b"woff2" in first
    assert first == second


RENDER_TWICE = """
import hashlib, sys, time
import weasyprint.pdf.fonts
import cvforge
from tests.helpers.project import ROOT
if sys.argv[1] == "hidden":  # what a macOS or pip-only user has: WeasyPrint falls back to fontTools
    weasyprint.pdf.fonts.harfbuzz_subset = None
profile = {profile!r}
first = cvforge.render(profile, "pdf")
time.sleep(1.1)
second = cvforge.render(profile, "pdf")
print(first[:5] == b"%PDF-", hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest())
"""


@pytest.mark.parametrize("hidden", ["present", "hidden"], ids=["with-hb-subset", "without-hb-subset"])
def test_pdf_is_byte_identical_with_and_without_harfbuzz_subset(hidden: str) -> None:
    """A fresh process each, as a user's build is: nothing laid out before changes the fonts."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    script = RENDER_TWICE.replace("{profile!r}", repr(PROFILE))
    done = subprocess.run([sys.executable, "-c", script, hidden], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"], done.stderr[-2000:]


def test_an_upgrade_of_a_shaping_library_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build record's key holds the versions of what shapes the bytes, so outputs of an older
    WeasyPrint, python-docx, fontTools, pydyf or HarfBuzz are never taken as fresh."""
    from cvforge.builder import cache
    from cvforge.builder.run import build

    versions = cache.library_versions()
    assert {"weasyprint", "python-docx", "fonttools", "pydyf", "harfbuzz"} <= set(versions)
    assert all(versions[name] for name in ("weasyprint", "python-docx", "fonttools", "pydyf", "harfbuzz"))
    profile = ROOT / "profiles" / "rajkumar.yaml"
    assert build([profile], formats=["md"], out_dir=tmp_path).ok
    assert build([profile], formats=["md"], out_dir=tmp_path).skipped
    for name in ("weasyprint", "harfbuzz", "harfbuzz-subset"):
        monkeypatch.setattr(cache, "library_versions", lambda n=name: {**versions, n: "upgraded"})
        result = build([profile], formats=["md"], out_dir=tmp_path)
        assert result.ok and not result.skipped, name


def test_library_versions_are_importlib_metadata_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read from dist-info folder names (1 ms, not 20): the very versions importlib.metadata reads,
    the first one on sys.path where a package is installed twice, and metadata's for a folder that
    names no version."""
    from importlib import metadata

    from cvforge.builder import cache

    cache.library_versions.cache_clear()
    versions = cache.library_versions()
    assert {name: versions[name] for name in cache.SHAPING_PACKAGES} == {
        name: metadata.version(name) for name in cache.SHAPING_PACKAGES
    }
    shadowing = tmp_path / "first"
    (shadowing / "WeasyPrint-99.1.dist-info").mkdir(parents=True)
    (shadowing / "Pillow-stray.txt").mkdir()
    (shadowing / "pydyf.dist-info").mkdir()  # no version in the name: asked of importlib.metadata
    monkeypatch.setattr(sys, "path", [str(shadowing), *sys.path])
    cache.library_versions.cache_clear()
    try:
        shadowed = cache.library_versions()
    finally:
        cache.library_versions.cache_clear()
    assert shadowed["weasyprint"] == "99.1"
    assert (shadowed["pydyf"], shadowed["Pillow"]) == (versions["pydyf"], versions["Pillow"])


def test_match_reports_hold_no_absolute_path(tmp_path: Path) -> None:
    from cvforge.builder.run import build

    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    target = tmp_path / "targets" / "rajkumar-tallyfox-billing.yaml"
    result = build([target], formats=["md"], out_dir=tmp_path / "out")  # cwd is elsewhere: paths would be absolute
    assert result.ok, result.failures
    for report in (tmp_path / "out").rglob("*.match.*"):
        text = report.read_text(encoding="utf-8")
        assert str(tmp_path) not in text and "/tmp" not in text, report.name
        assert "../profiles/rajkumar.yaml" in text
