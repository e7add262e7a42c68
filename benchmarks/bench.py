"""Print the speed table of issue 16: cvforge beside its floor (bare WeasyPrint) and RenderCV, same run.

The machine is shared, so wall time is noise: every figure is CPU seconds (user + sys of the child
processes, from os.wait4), the median of ROUNDS paired runs taken in turn (floor, cvforge, RenderCV,
floor, cvforge, …), and compared as a ratio to what was measured beside it. Batch throughput is wall
time by nature (two cores working at once); it is the median of ROUNDS runs too.

  cold       `cvforge build P --format pdf`, nothing built before (disk font and template caches warm, as after the
             first build on a machine), whole process
  floor      a bare `python -c` that imports WeasyPrint and writes a minimal 2-page HTML with one WOFF2
             font to PDF: what no WeasyPrint-based tool can go below
  doc floor  bare WeasyPrint writing cvforge's own final print HTML of the same profile, laid out once
             (benchmarks/doc_floor.py): what no WeasyPrint-based tool can go below for *this* resume;
             its layout + write alone is what any watch or batch pays per document
  no-change  the same cvforge build again, every output up to date
  watch      edit → fresh PDF in `cvforge watch` (benchmarks/watch_speed.py)
  html       size of one seed profile's HTML
  batch      12 different profiles (the seeds, each copy renamed) to PDF, --jobs 1, --jobs 2, default
  memory     peak resident memory of one `cvforge build` of every format

Run: .venv/bin/python benchmarks/bench.py   (or `make bench`; ROUNDS=N to change the number of rounds)
RenderCV is measured when RENDERCV=/path/to/rendercv is set or `rendercv` is on PATH and renders.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
CLI = str(Path(sys.executable).with_name("cvforge"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
BATCH = 12
FONT = ROOT / "themes" / "classic" / "static" / "fonts" / "Inter-Regular.woff2"
FLOOR = f"""
import weasyprint
para = "<p>" + "Backend engineer building distributed systems, payment pipelines and APIs. " * 12 + "</p>"
html = '''<style>@font-face {{ font-family: F; src: url("{FONT.as_uri()}") format("woff2"); }}
body {{ font-family: F; font-size: 11pt; }}</style><h1>Floor</h1>''' + para * 7
document = weasyprint.HTML(string=html).render()
assert len(document.pages) == 2, len(document.pages)
document.write_pdf("floor.pdf")
"""


class CommandFailedError(Exception):
    """A measured command did not succeed; its last line of output says why."""


@dataclass(frozen=True)
class Run:
    cpu: float  # user + sys seconds
    wall: float
    peak_mib: float


def run(args: list[str], cwd: Path) -> Run:
    """One child process, waited for with os.wait4 so its own CPU time and peak memory are known."""
    start = time.perf_counter()
    with (cwd / ".bench.log").open("wb") as log:
        child = subprocess.Popen(args, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        lines = (cwd / ".bench.log").read_text(errors="replace").strip().splitlines() or ["(no output)"]
        raise CommandFailedError(lines[-1].strip()[:200])
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def interleaved(commands: dict[str, Callable[[], Run]], rounds: int = ROUNDS) -> dict[str, list[Run]]:
    """Each command once per round, in turn, so a busy moment of the machine hits them alike."""
    samples: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            samples[name].append(command())
    return samples


def median(runs: list[Run], attribute: str = "cpu") -> float:
    return statistics.median(getattr(r, attribute) for r in runs)


def fresh(args: list[str], folder: Path, out: str = "out") -> Callable[[], Run]:
    def go() -> Run:
        shutil.rmtree(folder / out, ignore_errors=True)
        return run(args, folder)

    return go


def rendercv_command() -> str | None:
    return os.environ.get("RENDERCV") or shutil.which("rendercv")


def batch_profiles(folder: Path) -> None:
    """12 different profiles: the seeds, each person renamed per copy so no two documents are alike."""
    (folder / "profiles").mkdir(parents=True)
    seeds = sorted((ROOT / "profiles").glob("*.yaml"))
    for index in range(BATCH):
        seed = seeds[index % len(seeds)]
        text = seed.read_text("utf-8")
        # the person's own `name:` line (not a comment that mentions the name first), so each
        # document's text really differs and no render is a cache hit of another
        line = next(line for line in text.splitlines() if line.strip().startswith("name:"))
        renamed = text.replace(line, f"{line.rstrip()} {chr(ord('A') + index)}.", 1)
        assert renamed != text
        (folder / "profiles" / f"{seed.stem}-{index}.yaml").write_text(renamed, "utf-8")


def main() -> None:
    from doc_floor import DOC_FLOOR, export_elsewhere
    from watch_speed import measure_watch

    seed = sorted((ROOT / "profiles").glob("*.yaml"))[0]
    rows: list[tuple[str, str, str, str, bool | None]] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(seed, work / seed.name)
        pdf_only = [CLI, "build", seed.name, "--format", "pdf", "--quiet", "--jobs", "1"]
        run(pdf_only, work)  # first use: fills the disk font caches
        exported = work / "doc-floor"
        exported.mkdir()
        export_elsewhere(work / seed.name, exported)
        per_document: list[float] = []  # the doc floor's layout + write, without its imports

        def doc_floor() -> Run:
            measured = run([sys.executable, "-c", DOC_FLOOR, str(exported)], exported)
            per_document.append(float((exported / ".bench.log").read_text().split()[-1]))
            return measured

        commands: dict[str, Callable[[], Run]] = {
            "floor": lambda: run([sys.executable, "-c", FLOOR], work),
            "doc floor": doc_floor,
            "cvforge": fresh(pdf_only, work),
            "no-change": lambda: run(pdf_only, work),
        }
        rendercv = rendercv_command()
        rendercv_note = "not installed"
        if rendercv:
            rcv = work / "rcv"
            rcv.mkdir()
            shutil.copy(ROOT / "tests" / "fixtures" / "rendercv" / "starter.yaml", rcv / "cv.yaml")
            render = [rendercv, "render", "cv.yaml", "--dont-generate-png", "--dont-generate-html"]
            render_cv = fresh([*render, "--dont-generate-markdown"], rcv, "rendercv_output")
            try:
                render_cv()
                commands["rendercv"] = render_cv
            except CommandFailedError as failure:
                rendercv_note = f"fails offline: {failure}"[:70]
        samples = interleaved(commands)
        floor, cold, again = (median(samples[k]) for k in ("floor", "cvforge", "no-change"))
        doc = median(samples["doc floor"])
        one_document = statistics.median(per_document)
        peer = (
            f"RenderCV {median(samples['rendercv']):.2f} s; "
            if "rendercv" in samples
            else f"RenderCV {rendercv_note}; "
        )
        rows.append(
            (
                "cold build, 1 profile, PDF, CPU",
                f"{cold:.2f} s = {cold / floor:.2f} × floor",
                f"{peer}floor {floor:.2f} s",
                "≤ 1.2 × floor",
                cold <= 1.2 * floor,
            )
        )
        rows.append(
            (
                "  same resume, bare WeasyPrint",
                f"doc floor {doc:.2f} s = {doc / floor:.2f} × floor",
                f"cvforge = {cold / doc:.2f} × doc floor",
                "(the goal's bound for this resume)",
                None,
            )
        )
        rows.append(
            (
                "no-change rebuild / cold",
                f"{again / cold:.2f} ({again:.2f} s)",
                "RenderCV has no cache",
                "≤ 0.12",
                again / cold <= 0.12,
            )
        )

        watch_ms = measure_watch(seed)
        rows.append(
            (
                "edit → fresh PDF in watch",
                f"{watch_ms:.0f} ms",
                "RenderCV --watch: 45 ms (issue)",
                "≤ 150 ms",
                watch_ms <= 150,
            )
        )
        rows.append(
            (
                "  one layout + write, bare",
                f"{one_document * 1000:.0f} ms CPU",
                "(doc floor less its imports)",
                "(any tool's least per edit)",
                None,
            )
        )

        run([CLI, "build", seed.name, "--format", "html", "--quiet"], work)
        html = next((work / "out").rglob("*.html"))
        size = html.stat().st_size / 1024
        rows.append(
            (
                "HTML of one seed profile",
                f"{size:.0f} KB",
                "RenderCV 7 KB + 2 CDNs",
                "≤ 120 KB, self-contained",
                size <= 120,
            )
        )

        batch = work / "batch"
        batch_profiles(batch)
        build_all = [CLI, "build", "profiles", "--format", "pdf", "--quiet"]
        runs = interleaved(
            {
                "1": fresh([*build_all, "--jobs", "1"], batch),
                "2": fresh([*build_all, "--jobs", "2"], batch),
                "default": fresh(build_all, batch),
            },
            rounds=max(1, ROUNDS // 2),
        )
        rate = {k: BATCH / median(v, "wall") for k, v in runs.items()}
        rows.append(
            (
                "batch, 12 profiles → PDF, 2 cores",
                f"{rate['2']:.1f} docs/s (--jobs 2); --jobs 1 {rate['1']:.1f}; default {rate['default']:.1f}",
                "RenderCV ~1 doc/s (issue)",
                "≥ 10 docs/s; jobs 2 ≥ 1.6 × jobs 1",
                rate["2"] >= 10 and rate["2"] >= 1.6 * rate["1"] and rate["default"] >= rate["1"] * 0.95,
            )
        )
        rows.append(("  --jobs 2 / --jobs 1", f"{rate['2'] / rate['1']:.2f} ×", "", "≥ 1.6", None))
        rows.append(
            (
                "  bare layout + write on 2 cores",
                f"≤ {2 / one_document:.1f} docs/s",
                "(2 / doc floor's layout + write)",
                "(any tool's most)",
                None,
            )
        )

        every = [CLI, "build", seed.name, "--quiet", "--jobs", "1"]
        peaks = [fresh(every, work)().peak_mib for _ in range(3)]
        peak = statistics.median(peaks)
        rows.append(
            ("peak memory, 1 build, all formats", f"{peak:.0f} MiB", "RenderCV 113 MiB (issue)", "≤ 90 MiB", peak <= 90)
        )
        floors = {name: median(samples[name], "peak_mib") for name in ("floor", "doc floor")}
        rows.append(
            (
                "  bare WeasyPrint, same resume",
                f"doc floor {floors['doc floor']:.0f} MiB",
                f"floor {floors['floor']:.0f} MiB",
                "(the PDF's own least)",
                None,
            )
        )
        bare = run([sys.executable, "-c", "pass"], work).peak_mib
        schema = run([sys.executable, "-c", "import cvforge.schema"], work).peak_mib - bare
        rows.append(("  Pydantic and the schema", f"+{schema:.0f} MiB", f"bare Python {bare:.0f} MiB", "", None))

    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    header = ("measure", "cvforge", "peer / floor", "goal")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  met?")
    for row in rows:
        met = "" if row[4] is None else ("yes" if row[4] else "NO")
        print("  ".join(str(c).ljust(w) for c, w in zip(row[:4], widths, strict=True)) + f"  {met}")
    print(f"(CPU seconds, medians of {ROUNDS} interleaved runs; batch and watch: wall time)")


if __name__ == "__main__":
    main()
