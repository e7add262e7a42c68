"""Compare two cvforge source trees on one command, by CPU time, A and B interleaved.

The machine is shared, so wall time says little: each run's user + sys seconds come from
os.wait4, A and B take turns so a busy moment hits both alike, and the medians are compared.
A change is kept only when B's median beats A's by more than the spread of the runs.

  python benchmarks/ab_cpu.py SRC_A SRC_B [ROUNDS] -- cvforge build profiles/x.yaml --format pdf
Each run starts in a fresh copy of the current folder's profiles/targets/themes, with a private
CVFORGE_CACHE_DIR warmed once (disk font caches full, as after a machine's first build).
With --keep-out (before the trees), out/ and its build record are kept from the warming run on:
a second build, say `cvforge build … --force`, measured with the record present.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def cpu_of(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    """User + sys seconds of one child process (and what it waited for); its peak memory is kept."""
    child = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)} (in {cwd})")
    PEAKS.setdefault(env["PYTHONPATH"], []).append(usage.ru_maxrss / 1024)
    return usage.ru_utime + usage.ru_stime


PEAKS: dict[str, list[float]] = {}  # peak resident MiB of each tree's runs


def main() -> None:
    split = sys.argv.index("--")
    trees, command = sys.argv[1:split], sys.argv[split + 1 :]
    keep_out = "--keep-out" in trees
    trees = [tree for tree in trees if tree != "--keep-out"]
    rounds = int(trees.pop()) if trees[-1].isdigit() else 7
    if command[0] == "cvforge":
        command = [sys.executable, "-m", "cvforge", *command[1:]]
    samples: dict[str, list[float]] = {tree: [] for tree in trees}
    with tempfile.TemporaryDirectory() as scratch:
        folders = {}
        for index, tree in enumerate(trees):
            folder = Path(scratch) / f"run{index}"
            folder.mkdir()
            for name in ("profiles", "targets", "themes", "pyproject.toml"):
                source = Path(name)
                if source.is_dir():
                    shutil.copytree(source, folder / name)
                elif source.exists():
                    shutil.copy(source, folder / name)
            env = dict(os.environ, PYTHONPATH=str(Path(tree, "src").resolve()))
            env["CVFORGE_CACHE_DIR"] = str(Path(scratch) / f"cache{index}")
            # A fresh worktree has no bytecode, and where PYTHONDONTWRITEBYTECODE is set it would
            # compile every module on every run (70-100 ms): compiled once here, as `make` does.
            subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", env["PYTHONPATH"]], check=True)
            folders[tree] = (folder, env)
            cpu_of(command, folder, env)  # warm the disk caches
        for _ in range(rounds):
            for tree in trees:
                folder, env = folders[tree]
                if not keep_out:
                    shutil.rmtree(folder / "out", ignore_errors=True)
                samples[tree].append(cpu_of(command, folder, env))
    base = statistics.median(samples[trees[0]])
    for tree in trees:
        runs = samples[tree]
        spread = f"{min(runs):.3f}–{max(runs):.3f}"
        middle = statistics.median(runs)
        peak = statistics.median(PEAKS[str(Path(tree, "src").resolve())])
        print(f"{tree}: median {middle:.3f} s CPU ({spread}), {middle / base:.3f} × A; peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
