"""The document floor: bare WeasyPrint laying out and writing cvforge's own print HTML for a profile.

The issue's floor is a minimal 2-page page in one font. A real resume is more text, more boxes and
more faces, and no WeasyPrint-based tool can make it for less than one layout of it plus one
`write_pdf`. This measures that, with no cvforge code at all in the timed process: `export` writes
the final print HTML (the density cvforge keeps, fonts as local files) once, and `DOC_FLOOR` is the
`python -c` that renders it with the same PDF options. What cvforge spends above it is its own.

Run: .venv/bin/python benchmarks/doc_floor.py [PROFILE]   (prints both in CPU seconds)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# argv: the folder export() wrote. Prints the layout + write seconds (no import) as its last line.
DOC_FLOOR = """
import json, sys, time
from pathlib import Path
import weasyprint
folder = Path(sys.argv[1])
spec = json.loads((folder / "print.json").read_text())
started = time.process_time()
document = weasyprint.HTML(string=(folder / "print.html").read_text("utf-8"), base_url=spec["base_url"]).render(
    **spec["options"]
)
document.write_pdf(folder / "floor.pdf", **spec["options"])
print(f"{time.process_time() - started:.3f}")
"""


def export(profile: Path, folder: Path) -> int:
    """Write the print HTML cvforge lays out last for `profile` (the one its PDF is written from) and
    its base URL and PDF options into `folder`; return the PDF's page count."""
    import cvforge
    from cvforge.renderers import pdf

    kept: list[tuple[str, tuple[Path, ...]]] = []
    original = pdf._laid_out

    def spy(html: str, roots: tuple[Path, ...]) -> object:
        kept.append((html, roots))
        return original(html, roots)

    pdf._laid_out = spy  # type: ignore[assignment]
    try:
        data = cvforge.render(profile, "pdf")
    finally:
        pdf._laid_out = original  # type: ignore[assignment]
    html, roots = kept[-1]
    (folder / "print.html").write_text(html, "utf-8")
    spec = {"base_url": roots[0].as_uri() + "/", "options": pdf.PDF_OPTIONS}
    (folder / "print.json").write_text(json.dumps(spec), "utf-8")
    return data.count(b"/Type /Page\n") or data.count(b"/Type /Page")


def export_elsewhere(profile: Path, folder: Path) -> None:
    """`export` in a child process: a measuring process that had loaded cvforge and WeasyPrint would
    pass its own memory on to every child it starts (Linux counts it in a child's peak until exec)."""
    subprocess.run([sys.executable, __file__, "--export", str(folder), str(profile)], check=True, capture_output=True)


def main() -> None:
    from bench import run

    if sys.argv[1:2] == ["--export"]:
        export(Path(sys.argv[3]), Path(sys.argv[2]))
        return
    profile = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else sorted((ROOT / "profiles").glob("*.yaml"))[0]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        export_elsewhere(profile, folder)
        whole = run([sys.executable, "-c", DOC_FLOOR, str(folder)], folder)
        inner = (folder / ".bench.log").read_text().split()[-1]
    print(
        f"{profile.name}: bare WeasyPrint, whole process {whole.cpu:.2f} s CPU, {whole.peak_mib:.0f} MiB; "
        f"layout + write alone {float(inner):.2f} s"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
