"""Print what `cvforge check` (and so `build --check`) costs: text extraction and verification, per format.

Run: .venv/bin/python benchmarks/check_speed.py [PROFILE ...]   (default: every profile in profiles/)
Figures, not assertions: compare them before and after a change on the same machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from cvforge.builder.theme_choice import resolve_theme
from cvforge.builder.view_options import section_order
from cvforge.document.view import view_document
from cvforge.readback.extract import EXTRACTORS
from cvforge.readback.verify import verify
from cvforge.reader.read import load_profile
from cvforge.renderers.formats import render

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    profiles = [Path(arg) for arg in sys.argv[1:]] or sorted((ROOT / "profiles").glob("*.yaml"))
    print(f"{'profile':32} {'format':>6} {'extract':>9} {'verify':>8} {'checks':>7}")
    for path in profiles:
        profile = load_profile(path)
        theme = resolve_theme(profile, str(path), None, (), {})
        document = view_document(profile, section_order(theme))
        for fmt, extract in EXTRACTORS.items():
            data = render(document, theme, fmt, path.parent)
            text = extract(data)  # warm-up: imports and caches
            extract_ms = median_ms(partial(extract, data))
            verify_ms = median_ms(partial(verify, profile, text, path.name))
            checks = len(verify(profile, text, path.name).findings)
            print(f"{path.stem:32} {fmt:>6} {extract_ms:7.0f}ms {verify_ms:6.1f}ms {checks:7d}")


if __name__ == "__main__":
    main()
