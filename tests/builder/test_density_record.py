"""The density a PDF keeps never depends on the build record (issue 28, goal 2).

For every seed profile and target in every theme, the PDF is built three ways: with no record (the
full rule: the normal layout, then the tighter one when the last page is sparse), with the record
that build wrote (decisions taken without layouts), and with a record whose decisions are wrong (a
stale one, validly tagged but for other pages; and a forged one for these very pages). All three
must write the same bytes; the record must really have been used, and the forged one ignored.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cvforge.builder.cache import CACHE_NAME
from cvforge.builder.density_record import ENTRY, _tag
from cvforge.builder.run import build
from cvforge.renderers import pdf
from tests.helpers.project import PROFILES, TARGETS, THEMES

JOBS = [*PROFILES, *TARGETS]


@dataclass
class ThreeBuilds:
    """One theme's PDFs (by file name) built each way, the layouts each build did, and its record."""

    fresh: dict[str, bytes]
    recorded: dict[str, bytes]
    wrong: dict[str, bytes]
    layouts: dict[str, int]  # build → how many pages WeasyPrint laid out
    decisions: dict[str, dict[str, list[str]]]  # record entry → decision key → [density, tag]


@contextmanager
def counted_layouts() -> Iterator[list[int]]:
    """Counts real layouts (not those `_LAYOUTS` already held)."""
    original = pdf._laid_out
    count = [0]

    def counting(html: str, roots: tuple[Path, ...]) -> object:
        if (html, roots) not in pdf._LAYOUTS:
            count[0] += 1
        return original(html, roots)

    pdf._laid_out = counting  # type: ignore[assignment]
    try:
        yield count
    finally:
        pdf._laid_out = original  # type: ignore[assignment]


def pdfs(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*.pdf"))}


def built(out: Path, theme: str) -> tuple[dict[str, bytes], int]:
    with counted_layouts() as count:
        result = build(JOBS, theme_name=theme, formats=("pdf",), out_dir=out, force=True)
    assert result.ok, result.failures
    return pdfs(out), count[0]


def falsified(record_path: Path) -> None:
    """Every decision turned around twice over: under its own key a forged density (no valid tag),
    and under another key the opposite density with a valid tag (a record from other pages)."""
    record = json.loads(record_path.read_text("utf-8"))
    for name, entry in record["entries"].items():
        if name.endswith(f":{ENTRY}"):
            decisions = json.loads(entry["extra"])
            turned: dict[str, list[str]] = {}
            for key, (density, tag) in decisions.items():
                other = "normal" if density != "normal" else "compact"
                turned[key] = [other, tag]  # the tag was given to `density`: forged
                stale = key[::-1]
                turned[stale] = [other, str(_tag(stale, other))]
            entry["extra"] = json.dumps(turned)
    record_path.write_text(json.dumps(record), "utf-8")


@pytest.fixture(scope="module")
def density_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ThreeBuilds]:
    found: dict[str, ThreeBuilds] = {}
    for theme in THEMES:
        first = tmp_path_factory.mktemp(f"density-fresh-{theme}")
        fresh, fresh_layouts = built(first, theme)
        record = json.loads((first / CACHE_NAME).read_text("utf-8"))
        decisions = {
            name: json.loads(entry["extra"]) for name, entry in record["entries"].items() if name.endswith(f":{ENTRY}")
        }
        recorded, recorded_layouts = built(first, theme)  # the same folder: its record is present
        second = tmp_path_factory.mktemp(f"density-wrong-{theme}")
        shutil.copy(first / CACHE_NAME, second / CACHE_NAME)
        falsified(second / CACHE_NAME)
        wrong, wrong_layouts = built(second, theme)
        layouts = {"fresh": fresh_layouts, "recorded": recorded_layouts, "wrong": wrong_layouts}
        found[theme] = ThreeBuilds(fresh, recorded, wrong, layouts, decisions)
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_a_record_never_changes_a_pdf(density_builds: dict[str, ThreeBuilds], theme: str) -> None:
    builds = density_builds[theme]
    assert len(builds.fresh) >= len(JOBS)  # a target may write a letter too
    assert builds.recorded == builds.fresh
    assert builds.wrong == builds.fresh


@pytest.mark.parametrize("theme", THEMES)
def test_the_record_saves_layouts_and_a_wrong_one_is_ignored(
    density_builds: dict[str, ThreeBuilds], theme: str
) -> None:
    builds = density_builds[theme]
    saved = sum(1 for decisions in builds.decisions.values() for _ in decisions)
    # each recorded decision spared its build the normal layout; a wrong record spares nothing
    assert builds.layouts["recorded"] == builds.layouts["fresh"] - saved
    assert builds.layouts["wrong"] == builds.layouts["fresh"]


def test_decisions_are_recorded_where_two_layouts_were_needed(density_builds: dict[str, ThreeBuilds]) -> None:
    """aayushi's normal pages end on a sparse fourth page in classic; compact saves it. Sai fits two
    pages in classic at once: one layout decides, and nothing is recorded for it."""
    classic = density_builds["classic"].decisions
    aayushi = next(decisions for name, decisions in classic.items() if "aayushi-gupta.yaml" in name)
    assert [density for density, _ in aayushi.values()] == ["compact"]
    assert not any("profiles/sai-sushanth-thakkalapally.yaml" in name for name in classic)
