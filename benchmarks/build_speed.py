"""Print what a build costs, as a user waits for it: whole `cvforge build` processes.

  cold       one profile, every format (pdf, docx, html), nothing built before
  no-change  the same build again: every output is up to date and skipped
  project    every profile and target of this repository, cold, then again with nothing changed
  batch      BATCH jobs (copies of the seed profiles), cold, with --jobs 1 and --jobs 2
  memory     peak resident memory of the largest of those processes
  rendercv   when RenderCV is installed (RENDERCV=/path/to/rendercv, or on PATH), the same starter CV
             rendered to PDF by RenderCV and by cvforge, side by side

Run: .venv/bin/python benchmarks/build_speed.py [PROFILE]   (default: the first seed profile)
Figures, not assertions: compare them before and after a change, on the same machine.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("cvforge")
RUNS = 3
BATCH = 12


class CommandFailedError(Exception):
    """A timed command did not succeed; its last line of output says why."""


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise CommandFailedError(lines[-1].strip())
    return elapsed


def median_of(make: list[str], folder: Path, *, fresh: bool) -> float:
    samples = []
    for _ in range(RUNS):
        if fresh:
            shutil.rmtree(folder / "out", ignore_errors=True)
        samples.append(timed(make, folder))
    return statistics.median(samples)


def main() -> None:
    profile = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else sorted((ROOT / "profiles").glob("*.yaml"))[0]
    harfbuzz = (
        "yes"
        if "libharfbuzz-subset.so"
        in subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
        else "no"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"HarfBuzz subsetter: {harfbuzz}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(profile, work / profile.name)
        build_one = [str(CLI), "build", profile.name, "--quiet", "--jobs", "1"]
        cold = median_of(build_one, work, fresh=True)
        again = median_of(build_one, work, fresh=False)
        print(f"cold build, 1 profile × pdf+docx+html:   {cold:6.2f} s")
        print(f"no-change rebuild (all skipped):         {again:6.2f} s  ({100 * again / cold:.0f}% of cold)")

        project = work / "project"
        shutil.copytree(ROOT / "profiles", project / "profiles")
        shutil.copytree(ROOT / "targets", project / "targets")
        whole = [str(CLI), "build", "--quiet"]
        project_cold = timed(whole, project)
        project_again = median_of(whole, project, fresh=False)
        print(
            f"whole project (3 profiles, 6 targets):   {project_cold:6.2f} s cold, {project_again:.2f} s no-change "
            f"({100 * project_again / project_cold:.0f}% of cold)"
        )

        batch = work / "batch"
        (batch / "profiles").mkdir(parents=True)
        seeds = sorted((ROOT / "profiles").glob("*.yaml"))
        for index in range(BATCH):
            seed = seeds[index % len(seeds)]
            shutil.copy(seed, batch / "profiles" / f"{seed.stem}-{index}.yaml")
        for workers in (1, 2):
            shutil.rmtree(batch / "out", ignore_errors=True)
            seconds = timed([str(CLI), "build", "--quiet", "--jobs", str(workers)], batch)
            print(
                f"batch of {BATCH} profiles, --jobs {workers}:         {seconds:6.2f} s  "
                f"({BATCH / seconds:.1f} profiles/s, {3 * BATCH / seconds:.1f} files/s)"
            )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of one cvforge process:      {peak:6.0f} MiB")

        rendercv = os.environ.get("RENDERCV") or shutil.which("rendercv")
        starter = ROOT / "tests" / "fixtures" / "rendercv" / "starter.yaml"
        if rendercv and starter.is_file():
            shutil.copy(starter, work / "cv.yaml")
            ours = median_of([str(CLI), "build", "cv.yaml", "--format", "pdf", "--quiet"], work, fresh=True)
            render = [rendercv, "render", "cv.yaml", "--dont-generate-png", "--dont-generate-html"]
            try:
                theirs = f"{median_of([*render, '--dont-generate-markdown'], work, fresh=True):.2f} s"
            except CommandFailedError as failure:
                theirs = f"failed offline ({failure})"
            print(f"RenderCV starter CV to PDF: cvforge {ours:.2f} s, RenderCV {theirs}")
        else:
            print("RenderCV not installed (set RENDERCV=/path/to/rendercv): side-by-side skipped")


if __name__ == "__main__":
    main()
