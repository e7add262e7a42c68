"""Print what fitting each target to its page limit costs: layouts measured, pages before and after, time.

Run: .venv/bin/python benchmarks/fit_layouts.py [TARGET ...]   (default: every target in targets/)
Figures, not assertions. A fit should take about log2(droppable parts) layouts, not one per part.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cvforge.builder.jobs import Job
from cvforge.builder.run import build
from cvforge.reader.read import load_profile
from cvforge.targets.fit import drop_order
from cvforge.targets.tailoring import plan_tailoring
from cvforge.targets.target import iter_target_files, load_job, load_target

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    targets = [Path(a) for a in sys.argv[1:]] or iter_target_files(ROOT / "targets")
    build([Job(targets[0], "target")], out_dir=Path("/tmp/cvforge-bench"), formats=("pdf",))  # warm up
    print(
        f"{'target':34} {'limit':>5} {'before':>6} {'after':>5} {'density':>16} {'parts':>5} {'layouts':>7} {'time':>6}"
    )
    for path in targets:
        loaded = load_target(path)
        profile = load_profile(loaded.profile_path)
        job = load_job(loaded, profile) if loaded.target.job else None
        parts = len(drop_order(plan_tailoring(profile, loaded.target, job)))
        start = time.perf_counter()
        result = build([Job(path, "target")], out_dir=Path("/tmp/cvforge-bench"), formats=("pdf",))
        elapsed = time.perf_counter() - start
        fit = result.reports[0].fit if result.reports else None
        if fit is None:
            print(f"{path.stem:34} {'-':>5}")
            continue
        density = f"{fit.start_density}→{fit.density}" if fit.density != fit.start_density else str(fit.density)
        print(
            f"{path.stem:34} {fit.limit:>5} {fit.start_pages:>6} {fit.pages:>5} {density:>16} {parts:>5}"
            f" {fit.layouts:>7} {elapsed:>5.2f}s"
        )


if __name__ == "__main__":
    main()
