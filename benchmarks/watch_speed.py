"""Print how long `cvforge watch` takes from saving an edit to a fresh PDF on disk (median, ms).

A real `cvforge watch PROFILE --no-serve` runs in a scratch folder; the profile's headline is edited
EDITS times, and each time the clock runs from the write until the PDF is replaced (a new inode:
outputs are written by rename) — what a person sees in a PDF viewer that reloads on change.

Run: .venv/bin/python benchmarks/watch_speed.py [PROFILE]   (default: the first seed profile)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("cvforge"))
EDITS = int(os.environ.get("EDITS", "9"))


def _pdf_inode(out: Path) -> int | None:
    found = next(out.rglob("*.pdf"), None) if out.is_dir() else None
    try:
        return found.stat().st_ino if found is not None else None
    except FileNotFoundError:
        return None


def _wait_for_new_pdf(out: Path, old: int | None, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        inode = _pdf_inode(out)
        if inode is not None and inode != old:
            return time.perf_counter()
        time.sleep(0.002)
    raise TimeoutError("cvforge watch wrote no new PDF within 30 s")


def measure_watch(profile: Path, edits: int = EDITS) -> float:
    """Median milliseconds from an edit's write to its PDF."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        source = work / profile.name
        shutil.copy(profile, source)
        text = source.read_text("utf-8")
        log = (work / "watch.log").open("wb")
        child = subprocess.Popen(
            [CLI, "watch", profile.name, "--no-serve", "--format", "html,pdf"], cwd=work, stdout=log, stderr=log
        )
        try:
            _wait_for_new_pdf(work / "out", None)
            time.sleep(1.0)  # the first build's report and the watcher's start
            samples = []
            for index in range(edits):
                old = _pdf_inode(work / "out")
                edited = text.replace("headline:", f"headline: Edit {index} —", 1)
                written = time.perf_counter()
                source.write_text(edited, "utf-8")
                samples.append((_wait_for_new_pdf(work / "out", old) - written) * 1000)
                time.sleep(0.6)  # let the rest of the rebuild (HTML) finish before the next edit
        finally:
            child.terminate()
            child.wait(10)
            log.close()
    return statistics.median(samples)


def main() -> None:
    profile = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else sorted((ROOT / "profiles").glob("*.yaml"))[0]
    print(f"edit → fresh PDF in cvforge watch: {measure_watch(profile):.0f} ms (median of {EDITS} edits)")


if __name__ == "__main__":
    main()
