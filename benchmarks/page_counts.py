"""Print a table: every seed profile and interop JSON Resume × every built-in theme → PDF pages.

Run: .venv/bin/python benchmarks/page_counts.py [PROFILE ...]
     (default: profiles/*.yaml and the JSON Resume fixtures in tests/fixtures/jsonresume/)
Figures, not assertions: the page budget is asserted in tests/renderers/test_print_layout.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cvforge

ROOT = Path(__file__).resolve().parents[1]
THEMES = ("classic", "modern", "portfolio")


def default_profiles() -> list[Path]:
    return sorted((ROOT / "profiles").glob("*.yaml")) + sorted(
        (ROOT / "tests" / "fixtures" / "jsonresume").glob("*.resume.json")
    )


def count_pages(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:]] or default_profiles()
    print(f"{'profile':44} " + " ".join(f"{t:>9}" for t in THEMES))
    for path in paths:
        profile = cvforge.load(path)
        pages = [count_pages(cvforge.render(profile, "pdf", theme=theme)) for theme in THEMES]
        print(f"{path.name:44} " + " ".join(f"{p:>9}" for p in pages))


if __name__ == "__main__":
    main()
