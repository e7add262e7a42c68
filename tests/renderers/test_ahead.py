"""Laying out ahead (issue 16, `cvforge watch`): with the helper process, a resume whose last page
is saved by tightening is laid out once here instead of twice, and its PDF is byte for byte the one
a plain build writes; a wrong guess or a dead helper changes nothing but the time taken."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
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
    assert ahead.start(partial(warm_up, None))  # sent to the helper, so picklable
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


@pytest.fixture
def layouts_made_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages laid out by this process itself, however asked for (the helper's are not counted)."""
    made: list[int] = []
    original = pdf._laid_out

    def counted(html: str, roots: tuple[Path, ...]) -> object:
        again = (html, roots) in pdf._LAYOUTS  # the layout just measured, now written: not made again
        laid_out = original(html, roots)
        if not again:
            made.append(len(laid_out.pages))
        return laid_out

    monkeypatch.setattr(pdf, "_laid_out", counted)
    return made


@pytest.mark.parametrize(("seed", "here"), [(FITS, [[], []]), (TIGHTENED, [[3], [4]])])
def test_watch_lays_out_the_pdf_in_the_helper_while_it_writes_the_html(
    layouts_made_here: list[int], tmp_path: Path, seed: str, here: list[list[int]]
) -> None:
    """As `cvforge watch` builds after each edit: the HTML alone, then the PDF. The helper starts the
    PDF's layout as the HTML is made, at the density kept last time (the theme's, the first time);
    this process lays out only what the rule needs beyond it: aayushi's 3 compact pages the first
    time (the helper's 4 normal ones end on a sparse page), then her 4 normal pages (compact, kept
    last time, is the helper's). The PDF is byte for byte a plain build's."""
    from cvforge.builder.run import build
    from cvforge.reader.read import parse_once

    text = (SEEDS / f"{seed}.yaml").read_text("utf-8")
    headline = next(line for line in text.splitlines() if line.strip().startswith("headline:"))
    edits = [text.replace(headline, f"{headline} {mark}", 1) for mark in ("(one)", "(two)")]
    profile = tmp_path / f"{seed}.yaml"
    expected = []
    for edit in edits:  # a plain build of each edit, with no helper
        profile.write_text(edit, "utf-8")
        expected.append(cvforge.render(profile, "pdf"))
    layouts_made_here.clear()
    ahead._last_choice.clear()
    assert ahead.start(partial(warm_up, None))
    try:
        for number, edit in enumerate(edits):
            profile.write_text(edit, "utf-8")
            layouts_made_here.clear()
            with parse_once():
                assert build([profile], formats=["html"], out_dir=tmp_path / "out").ok
                assert ahead._started, "the HTML's build started no layout in the helper"
                assert build([profile], formats=["pdf"], out_dir=tmp_path / "out").ok
            assert (tmp_path / "out" / f"{seed}.pdf").read_bytes() == expected[number], f"edit {number}"
            assert layouts_made_here == here[number], f"edit {number}"
    finally:
        ahead.stop()
        ahead._last_choice.clear()


def test_watch_of_a_folder_lays_every_profile_s_pdf_out_in_the_helper(
    layouts_made_here: list[int], tmp_path: Path
) -> None:
    """`cvforge watch` of the seeds' folder, after an edit that touches all three (a theme's): each
    PDF was started in the helper as its HTML was made, and none is laid out here a second time
    (only aayushi's compact pages, which the rule needs beside the helper's normal ones)."""
    from cvforge.builder.run import build
    from cvforge.reader.read import parse_once

    profiles = [tmp_path / path.name for path in sorted(SEEDS.glob("*.yaml"))]
    for profile in profiles:
        shutil.copy(SEEDS / profile.name, profile)
    expected = {profile.stem: cvforge.render(profile, "pdf") for profile in profiles}
    layouts_made_here.clear()
    ahead._last_choice.clear()
    assert ahead.start(partial(warm_up, None))
    try:
        with parse_once():
            assert build(profiles, formats=["html"], out_dir=tmp_path / "out").ok
            assert build(profiles, formats=["pdf"], out_dir=tmp_path / "out").ok
    finally:
        ahead.stop()
        ahead._last_choice.clear()
    for profile in profiles:
        assert (tmp_path / "out" / f"{profile.stem}.pdf").read_bytes() == expected[profile.stem], profile.stem
    assert layouts_made_here == [3]


def test_the_helper_warms_up_then_leaves_what_it_loaded_out_of_the_collector(helper: None) -> None:
    """Frozen after its warm-up (WeasyPrint and the fonts loaded): a full collection no longer walks
    the heap it was forked with on every few edits."""
    future = ahead.submit(gc.get_freeze_count)
    assert future is not None
    assert future.result(timeout=60) > 10_000
    loaded = ahead.submit(modules_loaded)
    assert loaded is not None and "weasyprint" in loaded.result(timeout=60)


def modules_loaded() -> list[str]:
    """Run in the helper."""
    return sorted(sys.modules)


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
