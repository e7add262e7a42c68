"""Print what `cvforge review` costs per seed profile, as a user meets it: a fresh process (start-up,
imports, word lists) and its CPU time, beside the wall time. The goal is under one second.

Run: .venv/bin/python benchmarks/review_speed.py [PROFILE ...]   (default: every profile in profiles/)
Figures, not assertions: compare them before and after a change on the same machine.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def one_run(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `cvforge review PATH` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cvforge", "review", str(path)], cwd=ROOT, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    profiles = [Path(arg) for arg in sys.argv[1:]] or sorted((ROOT / "profiles").glob("*.yaml"))
    load = os.getloadavg()[0]
    print(f"{'profile':34} {'wall s':>7} {'cpu s':>7}   (median of {RUNS} fresh processes; load {load:.1f})")
    for path in profiles:
        runs = [one_run(path) for _ in range(RUNS)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{path.name:34} {wall:7.2f} {cpu:7.2f}")


if __name__ == "__main__":
    main()
