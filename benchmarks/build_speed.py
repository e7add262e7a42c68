"""Print how long building takes: a whole `cvforge build` process per profile, and in-process renders.

Run: .venv/bin/python benchmarks/build_speed.py [PROFILE ...]   (default: every profile in profiles/)
Figures, not assertions: compare them before and after a change on the same machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cvforge.build import FORMATS, render, resolve_theme, section_order
from cvforge.loader import load_profile
from cvforge.view import view_document

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def time_process(profile: Path) -> float:
    """Wall time of a fresh `cvforge build` process: what a user waits for."""
    cli = Path(sys.executable).with_name("cvforge")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([str(cli), "build", str(profile), "--out", out], check=True, capture_output=True)
        return time.perf_counter() - start


def time_renders(profile: Path) -> dict[str, float]:
    """Median in-process render time per format, after one warm-up render."""
    loaded = load_profile(profile)
    theme = resolve_theme(loaded, str(profile), None, (), {})
    document = view_document(loaded, section_order(theme))
    timings: dict[str, float] = {}
    for fmt in FORMATS:
        render(document, theme, fmt, profile.parent)
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            render(document, theme, fmt, profile.parent)
            samples.append(time.perf_counter() - start)
        timings[fmt] = statistics.median(samples)
    return timings


def main() -> None:
    profiles = [Path(arg) for arg in sys.argv[1:]] or sorted((ROOT / "profiles").glob("*.yaml"))
    print(f"{'profile':32} {'process':>9} " + " ".join(f"{fmt:>7}" for fmt in FORMATS))
    for profile in profiles:
        process = statistics.median(time_process(profile) for _ in range(RUNS))
        renders = time_renders(profile)
        cells = " ".join(f"{renders[fmt] * 1000:6.0f}ms" for fmt in FORMATS)
        print(f"{profile.stem:32} {process:8.2f}s {cells}")


if __name__ == "__main__":
    main()
