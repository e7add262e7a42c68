"""Print how long a watching tool takes from saving an edit to each fresh output, and its CPU per edit.

A real `cvforge watch PROFILE --no-serve --format html,pdf` (or RenderCV's `render --watch`) runs
in a scratch folder; the profile's headline is edited EDITS times, and each time the clock runs from
the write until each output changes on disk (a new inode, modification time or size): what a person
sees in a browser or PDF viewer that reloads on change. CPU per edit is the user + system time of
the watching process and its children (Linux /proc) over all the edits, divided by their number.

Run: .venv/bin/python benchmarks/watch_speed.py [PROFILE]   (default: Sai's profile)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("cvforge"))
EDITS = int(os.environ.get("EDITS", "9"))
SETTLE = 0.8  # seconds after an edit's last output: the rest of the rebuild (other formats) finishes
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class WatchFigures:
    """Median milliseconds from an edit's write to each output (by suffix), and CPU seconds per edit."""

    ms: dict[str, float]
    cpu_per_edit: float | None


def _stamp(folder: Path, suffix: str) -> tuple[int, int, int] | None:
    found = next(folder.rglob(f"*{suffix}"), None) if folder.is_dir() else None
    try:
        status = found.stat() if found is not None else None
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_mtime_ns, status.st_size) if status else None


def _tree_cpu(pid: int) -> float | None:
    """CPU seconds of a process, its live descendants and the children it has waited for (Linux)."""
    proc = Path("/proc")
    if not (proc / str(pid)).is_dir():
        return None
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
        if int(entry.name) == pid:
            times[pid] += (int(fields[13]) + int(fields[14])) / TICK
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, p in parents.items() if p == parent and child not in tree]
        tree.update(children)
        frontier += children
    return sum(times.get(member, 0.0) for member in tree)


def measure(
    command: list[str], work: Path, source: Path, edit: Callable[[str, int], str], out: Path, suffixes: tuple[str, ...]
) -> WatchFigures:
    """Start `command` in `work`, wait for its first outputs, then edit `source` EDITS times."""
    text = source.read_text("utf-8")
    with (work / "watch.log").open("wb") as log:
        child = subprocess.Popen(command, cwd=work, stdout=log, stderr=log)
        try:
            _wait_all(out, suffixes, dict.fromkeys(suffixes), child)
            time.sleep(1.5)  # the first build's report, the watcher's start
            samples: dict[str, list[float]] = {suffix: [] for suffix in suffixes}
            cpu_before = _tree_cpu(child.pid)
            for index in range(EDITS):
                old = {suffix: _stamp(out, suffix) for suffix in suffixes}
                written = time.perf_counter()
                with source.open("w", encoding="utf-8") as handle:  # in place, as editors and RenderCV's watcher expect
                    handle.write(edit(text, index))
                for suffix, when in _wait_all(out, suffixes, old, child).items():
                    samples[suffix].append((when - written) * 1000)
                time.sleep(SETTLE)
            cpu_after = _tree_cpu(child.pid)
        finally:
            child.terminate()
            child.wait(10)
    cpu = (cpu_after - cpu_before) / EDITS if cpu_before is not None and cpu_after is not None else None
    return WatchFigures({suffix: statistics.median(times) for suffix, times in samples.items()}, cpu)


def _wait_all(
    out: Path, suffixes: tuple[str, ...], old: dict[str, tuple[int, int, int] | None], child: subprocess.Popen[bytes]
) -> dict[str, float]:
    """When each output first differed from `old` (perf_counter seconds)."""
    start, seen = time.perf_counter(), {}
    while len(seen) < len(suffixes):
        if time.perf_counter() - start > 60 or child.poll() is not None:
            raise TimeoutError(f"the watcher wrote no new {', '.join(set(suffixes) - set(seen))} (see watch.log)")
        for suffix in suffixes:
            if suffix not in seen and (stamp := _stamp(out, suffix)) is not None and stamp != old[suffix]:
                seen[suffix] = time.perf_counter()
        time.sleep(0.002)
    return seen


def headline_edit(text: str, index: int) -> str:
    return text.replace("headline:", f"headline: Edit {index} —", 1)


def measure_cvforge(profile: Path) -> WatchFigures:
    """`cvforge watch` of one profile, HTML and PDF."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(profile, work / profile.name)
        command = [CLI, "watch", profile.name, "--no-serve", "--format", "html,pdf"]
        return measure(command, work, work / profile.name, headline_edit, work / "out", (".html", ".pdf"))


def measure_rendercv(rendercv: str, cv_yaml: Path) -> WatchFigures:
    """RenderCV's `render --watch` of a RenderCV YAML, PDF only (no PNG, HTML or Markdown)."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(cv_yaml, work / "cv.yaml")
        only_pdf = ["--dont-generate-png", "--dont-generate-html", "--dont-generate-markdown"]
        command = [rendercv, "render", "cv.yaml", "--watch", *only_pdf]
        return measure(command, work, work / "cv.yaml", headline_edit, work / "rendercv_output", (".pdf",))


def measure_watch(profile: Path) -> float:
    """Median milliseconds from an edit's write to its PDF under `cvforge watch`."""
    return measure_cvforge(profile).ms[".pdf"]


def main() -> None:
    default = ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"
    profile = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else default
    figures = measure_cvforge(profile)
    cpu = f"{figures.cpu_per_edit:.2f} s" if figures.cpu_per_edit is not None else "not measured"
    print(
        f"cvforge watch {profile.stem}: edit → HTML {figures.ms['.html']:.0f} ms,"
        f" edit → PDF {figures.ms['.pdf']:.0f} ms, CPU per edit {cpu} (medians of {EDITS} edits)"
    )


if __name__ == "__main__":
    main()
