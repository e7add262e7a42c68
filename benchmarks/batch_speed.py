"""Batches: 12 different profiles to PDF through the API, in docs/s (wall, the machine's 2 cores).

  python benchmarks/batch_speed.py [SRC ...]     (source trees holding src/cvforge; default: this one)

For each tree, in a fresh process each time: `build(jobs=2)` (the first call, workers forked warm),
the same on a Dask LocalCluster of 2 single-threaded worker processes started beforehand (its
first build, then a second one on the same, now warm, workers), and a second build on a
`warm_pool(2)`. Trees take turns, 3 rounds; medians. Wall time, since batches are waited for, and
each run's CPU time with its workers' (read that one on a busy machine).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import BATCH, batch_profiles

RUN = """
import logging, shutil, sys, time
from pathlib import Path
import cvforge
folder, how = Path(sys.argv[1]), sys.argv[2]
logging.disable(logging.WARNING)

def timed(out, **kwargs):
    shutil.rmtree(folder / out, ignore_errors=True)  # no record from an earlier run: every build starts cold
    started = time.perf_counter()
    result = cvforge.build([folder / "profiles"], formats=["pdf"], out_dir=folder / out, force=True, **kwargs)
    assert result.ok and len(result.outputs) == 12, result.failures
    return time.perf_counter() - started

if how == "jobs2":
    print(timed("a", jobs=2))
elif how == "pool":
    with cvforge.warm_pool(2) as pool:
        timed("a", executor=pool)
        print(timed("b", executor=pool))
else:
    import distributed
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        first = timed("a", executor=client.get_executor())
        second = timed("b", executor=client.get_executor())
    print(first, second)
"""

ROUNDS = 3


def main() -> None:
    trees = sys.argv[1:] or ["."]
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}  # the whole process tree's CPU seconds, per run
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        batch_profiles(folder)
        for tree in trees:  # bytecode, as `make` compiles it: a fresh worktree would compile on every run
            subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(Path(tree, "src"))], check=True)
        for _ in range(ROUNDS):
            for tree in trees:
                env = dict(os.environ, PYTHONPATH=str(Path(tree, "src").resolve()))
                env["CVFORGE_CACHE_DIR"] = str(folder / f"cache-{Path(tree).resolve().name}")
                for how in ("jobs2", "dask", "pool"):
                    child = subprocess.Popen(
                        [sys.executable, "-c", RUN, str(folder), how],
                        env=env,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    )
                    stdout, stderr = child.communicate()
                    if child.returncode:
                        raise SystemExit(f"{tree} {how}: {stderr[-2000:]}")
                    cpu.setdefault((tree, how), []).append(child_cpu())
                    figures = [float(x) for x in stdout.split()]
                    names = ["dask first", "dask second"] if how == "dask" else [how]
                    for name, seconds in zip(names, figures, strict=True):
                        times.setdefault((tree, name), []).append(seconds)
    for (tree, name), runs in times.items():
        middle = statistics.median(runs)
        print(f"{tree}: {name:12} {BATCH / middle:5.1f} docs/s ({middle:.2f} s; {min(runs):.2f}–{max(runs):.2f})")
    for (tree, how), runs in cpu.items():
        print(f"{tree}: {how:12} {statistics.median(runs):.2f} s CPU, workers included (every build the run makes)")


_SEEN = [0.0]


def child_cpu() -> float:
    """CPU seconds of the run just reaped, with every process it reaped (its workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _SEEN[0] = total - _SEEN[0], total
    return spent


if __name__ == "__main__":
    main()
