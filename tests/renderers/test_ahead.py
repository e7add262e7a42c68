"""Laying out ahead (issue 16, `cvforge watch`): with the helper process, a resume whose last page
is saved by tightening is laid out once here instead of twice, and its PDF is byte for byte the one
a plain build writes; a wrong guess or a dead helper changes nothing but the time taken."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import cvforge
from cvforge.builder.run import warm_up
from cvforge.renderers import ahead, pdf
from tests.helpers.outputs import Built
from tests.helpers.project import ROOT

TIGHTENED, FITS = "aayushi-gupta", "sai-sushanth-thakkalapally"  # 4 pages → 3 at compact; already fine
SEEDS = ROOT / "profiles"


@pytest.fixture
def helper() -> Iterator[None]:
    ahead._last_choice.clear()  # nothing learnt by an earlier build in this process
    assert ahead.start(lambda: warm_up(None))
    yield
    ahead.stop()
    ahead._last_choice.clear()


@pytest.fixture
def layouts_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The densities this process lays out (the helper's layouts are not counted)."""
    seen: list[str] = []
    original = pdf.layout

    def counted(document: object, theme: pdf.Theme, profile_dir: object = None) -> pdf.Layout:
        seen.append(str(theme.options.get("density")))
        return original(document, theme, profile_dir)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf, "layout", counted)
    return seen


def test_the_tighter_layout_is_made_ahead_and_the_pdf_is_the_same(
    helper: None, layouts_here: list[str], built_seeds: dict[str, Built]
) -> None:
    seed = built_seeds[TIGHTENED]
    expected = seed.files["pdf"].read_bytes()
    assert cvforge.render(seed.profile, "pdf") == expected  # first build: nothing known, both laid out here
    assert layouts_here == ["normal", "compact"]
    layouts_here.clear()
    assert cvforge.render(seed.profile, "pdf") == expected  # again: compact was laid out by the helper
    assert layouts_here == ["normal"]


def test_a_wrong_guess_is_ignored(helper: None, layouts_here: list[str], built_seeds: dict[str, Built]) -> None:
    seed = built_seeds[FITS]
    ahead.remember(("classic", seed.profile.person.name), "compact")  # as if it had been tightened before
    assert cvforge.render(seed.profile, "pdf") == seed.files["pdf"].read_bytes()
    assert ahead.last_choice(("classic", seed.profile.person.name)) == "normal"


def test_a_dead_helper_is_done_without(helper: None, layouts_here: list[str], built_seeds: dict[str, Built]) -> None:
    seed = built_seeds[TIGHTENED]
    ahead.remember(("classic", seed.profile.person.name), "compact")
    for process in list(ahead._helper._processes.values()):  # type: ignore[union-attr]
        process.kill()
        process.join()
    assert cvforge.render(seed.profile, "pdf") == seed.files["pdf"].read_bytes()
    assert layouts_here == ["normal", "compact"]  # both laid out here after all


def test_without_a_helper_nothing_is_guessed(layouts_here: list[str], built_seeds: dict[str, Built]) -> None:
    seed = built_seeds[TIGHTENED]
    ahead.remember(("classic", seed.profile.person.name), "compact")
    try:
        assert not ahead.running()
        assert cvforge.render(seed.profile, "pdf") == seed.files["pdf"].read_bytes()
        assert layouts_here == ["normal", "compact"]
    finally:
        ahead._last_choice.clear()


@pytest.mark.slow
def test_ctrl_c_stops_watch_and_its_helper_quietly(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the watch says `stopped`, and its helper neither
    prints a traceback nor outlives it."""
    profile = tmp_path / "aayushi-gupta.yaml"
    shutil.copy(SEEDS / profile.name, profile)
    cli = Path(sys.executable).with_name("cvforge")
    watch = subprocess.Popen(
        [str(cli), "watch", profile.name, "--no-serve", "--format", "pdf"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "out" / "aayushi-gupta.pdf").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        helpers = [int(pid) for pid in Path(f"/proc/{watch.pid}/task/{watch.pid}/children").read_text().split()]
        assert helpers, "watch started no helper"
        os.killpg(watch.pid, signal.SIGINT)
        output = watch.communicate(timeout=30)[0].decode()
    finally:
        watch.kill()
    assert output.rstrip().endswith("stopped"), output[-500:]
    assert "Traceback" not in output and "ForkProcess" not in output, output[-500:]
    time.sleep(0.5)
    assert not [pid for pid in helpers if Path(f"/proc/{pid}").exists()], "the helper outlived watch"
