"""Print the speed table of issue 28: cvforge beside RenderCV 2.8 on the same person, in one run.

The machine is shared, so wall time is noise: every process figure is CPU seconds (user + sys of the
child, from os.wait4), the median of ROUNDS runs taken in turn (floor, cvforge, RenderCV, floor,
cvforge, …), and compared as a ratio to what was measured beside it. Watch latencies and batch
throughput are wall time by nature (what a person waits for; two cores working at once).

  cold       `cvforge build P --format pdf` of Sai's profile, nothing built before (disk font and
             template caches warm, as after the first build on a machine), whole process; RenderCV
             renders the RenderCV YAML cvforge exports of the same profile, PDF only
  floor      a bare `python -c` that imports WeasyPrint and writes a minimal 2-page HTML with one
             WOFF2 font to PDF (the previous speed issue's floor)
  doc floor  bare WeasyPrint writing cvforge's own final print HTML of the same profile, laid out once
             (benchmarks/doc_floor.py); its layout + write alone is what any watch or batch pays
  no-change  the same cvforge build again, every output up to date
  watch      edit → fresh HTML and PDF in `cvforge watch`, and its CPU per edit; RenderCV's
             `render --watch`, PDF only (benchmarks/watch_speed.py); Sai, then aayushi (3 pages)
  batch      12 different profiles (the seeds, each copy renamed) to PDF: the API's first build()
             call with jobs=2 in a fresh process, then the CLI with --jobs 1, --jobs 2 and default
  memory     peak resident memory of one build of every format (RenderCV: every output it makes)

Run: .venv/bin/python benchmarks/bench.py   (or `make bench`; ROUNDS=N to change the number of rounds)
RenderCV is measured when it renders: RENDERCV=/path/to/rendercv, else .venv-rendercv/bin/rendercv
in this checkout, else `rendercv` on PATH (see benchmarks/README.md to set it up).
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
    """RenderCV's command, where one is installed (it needs Python 3.12 and Typst's icon package)."""
    local = ROOT / ".venv-rendercv" / "bin" / "rendercv"
    return os.environ.get("RENDERCV") or (str(local) if local.exists() else None) or shutil.which("rendercv")


def rendercv_version(rendercv: str) -> str:
    done = subprocess.run([rendercv, "--version"], capture_output=True, text=True, check=False)
    words = (done.stdout or done.stderr).split()
    return words[-1].lstrip("v") if done.returncode == 0 and words else "?"


def export_for_rendercv(profile: Path, folder: Path) -> Path:
    """The same person as a RenderCV YAML, as `cvforge export --to rendercv` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "cv.yaml"
    run([CLI, "export", str(profile), "--to", "rendercv", "-o", str(target)], folder)
    return target


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


API_BATCH = """
import sys, time
from pathlib import Path
import cvforge
folder = Path(sys.argv[1])
started = time.perf_counter()
result = cvforge.build([folder / "profiles"], formats=["pdf"], out_dir=folder / "api-out", jobs=2)
elapsed = time.perf_counter() - started
assert result.ok and len(result.outputs) == 12, result
print(elapsed)
"""

Row = tuple[str, str, str, str, str, bool | None]  # measure, RenderCV, cvforge, ratio, goal, met


def main() -> None:
    from doc_floor import DOC_FLOOR, export_elsewhere
    from watch_speed import measure_cvforge, measure_rendercv

    profiles = ROOT / "profiles"
    sai, aayushi = profiles / "sai-sushanth-thakkalapally.yaml", profiles / "aayushi-gupta.yaml"
    rows: list[Row] = []
    rendercv = rendercv_command()
    peer_note = "not installed (benchmarks/README.md)"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(sai, work / sai.name)
        pdf_only = [CLI, "build", sai.name, "--format", "pdf", "--quiet", "--jobs", "1"]
        run(pdf_only, work)  # first use: fills the disk font caches
        exported = work / "doc-floor"
        exported.mkdir()
        export_elsewhere(work / sai.name, exported)
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
        peer_yaml: dict[str, Path] = {}
        if rendercv:
            for profile in (sai, aayushi):
                peer_yaml[profile.stem] = export_for_rendercv(profile, work / "rcv" / profile.stem)
            rcv = peer_yaml[sai.stem].parent
            render = [rendercv, "render", "cv.yaml", "--dont-generate-png", "--dont-generate-html"]
            render_cv = fresh([*render, "--dont-generate-markdown"], rcv, "rendercv_output")
            try:
                render_cv()
                commands["rendercv"] = render_cv
                peer_note = f"RenderCV {rendercv_version(rendercv)}"
            except CommandFailedError as failure:
                peer_note = f"RenderCV fails: {failure}"[:70]
                peer_yaml.clear()
        samples = interleaved(commands)
        floor, cold, again = (median(samples[k]) for k in ("floor", "cvforge", "no-change"))
        doc = median(samples["doc floor"])
        one_document = statistics.median(per_document)
        peer_cold = median(samples["rendercv"]) if "rendercv" in samples else None
        rows.append(
            compare("cold PDF, Sai, CPU", peer_cold, cold, "s", "≤ RenderCV's", peer_cold is None or cold <= peer_cold)
        )
        rows.append(
            (
                "  against the floor",
                "",
                f"{cold / floor:.2f} × floor ({floor:.2f} s)",
                "",
                "≤ 1.2 × floor",
                cold <= 1.2 * floor,
            )
        )
        rows.append(
            ("  bare WeasyPrint, same resume", "", f"doc floor {doc:.2f} s", f"cvforge {cold / doc:.2f} ×", "", None)
        )
        rows.append(
            (
                "no-change rebuild / cold",
                "no cache",
                f"{again / cold:.2f} ({again:.2f} s)",
                "",
                "≤ 0.12",
                again / cold <= 0.12,
            )
        )

        for profile, label in ((sai, "Sai"), (aayushi, "aayushi, 3 pages")):
            mine = measure_cvforge(profile)
            theirs = measure_rendercv(rendercv, peer_yaml[profile.stem]) if rendercv and peer_yaml else None
            their_pdf = theirs.ms[".pdf"] / 1000 if theirs else None
            pdf_goal = "≤ 300 ms" if profile == sai else ""
            pdf_met = mine.ms[".pdf"] <= 300 if profile == sai else None
            rows.append(
                compare(f"watch: edit → PDF, {label}", their_pdf, mine.ms[".pdf"] / 1000, "ms", pdf_goal, pdf_met)
            )
            if profile != sai:
                continue
            html_ms = mine.ms[".html"]
            rows.append(("watch: edit → HTML, Sai", "—", f"{html_ms:.0f} ms", "", "≤ 150 ms", html_ms <= 150))
            their_cpu = theirs.cpu_per_edit if theirs else None
            cpu = mine.cpu_per_edit
            rows.append(
                compare(
                    "watch: CPU per edit, Sai", their_cpu, cpu, "s", "≤ 0.25 s", None if cpu is None else cpu <= 0.25
                )
            )
        rows.append(("  one layout + write, bare", "", f"{one_document * 1000:.0f} ms CPU", "", "", None))

        batch = work / "batch"
        batch_profiles(batch)
        api_runs: list[float] = []
        for _ in range(max(1, ROUNDS // 2)):
            shutil.rmtree(batch / "api-out", ignore_errors=True)
            run([sys.executable, "-c", API_BATCH, str(batch)], batch)
            api_runs.append(float((batch / ".bench.log").read_text().split()[-1]))
        api_rate = BATCH / statistics.median(api_runs)
        rows.append(
            ("batch: API build(), 12 → PDF, jobs=2", "", f"{api_rate:.1f} docs/s", "", "≥ 5 docs/s", api_rate >= 5)
        )
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
                "batch: CLI, 12 → PDF, --jobs 2",
                "",
                f"{rate['2']:.1f} docs/s; --jobs 1 {rate['1']:.1f}; default {rate['default']:.1f}",
                f"{rate['2'] / rate['1']:.2f} × --jobs 1",
                "≥ 10 docs/s (aim)",
                rate["2"] >= 10,
            )
        )
        rows.append(("  bare layout + write on 2 cores", "", f"≤ {2 / one_document:.1f} docs/s", "", "", None))

        every = [CLI, "build", sai.name, "--quiet", "--jobs", "1"]
        peak = statistics.median(fresh(every, work)().peak_mib for _ in range(3))
        peer_peak = None
        if peer_yaml:
            all_outputs = fresh([rendercv or "", "render", "cv.yaml"], peer_yaml[sai.stem].parent, "rendercv_output")
            peer_peak = statistics.median(all_outputs().peak_mib for _ in range(3))
        rows.append(compare("peak memory, all outputs, Sai", peer_peak, peak, "MiB", "≤ 90 MiB", peak <= 90))
        floors = {name: median(samples[name], "peak_mib") for name in ("floor", "doc floor")}
        rows.append(("  bare WeasyPrint, same resume", "", f"doc floor {floors['doc floor']:.0f} MiB", "", "", None))
        bare = run([sys.executable, "-c", "pass"], work).peak_mib
        schema = run([sys.executable, "-c", "import cvforge.schema"], work).peak_mib - bare
        rows.append(("  Pydantic and the schema", "", f"+{schema:.0f} MiB", f"bare Python {bare:.0f} MiB", "", None))

    print_table(rows, peer_note)


def compare(measure: str, peer: float | None, mine: float | None, unit: str, goal: str, met: bool | None) -> Row:
    """A row with RenderCV's figure beside cvforge's, and their ratio (cvforge / RenderCV)."""

    def shown(value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value * 1000:.0f} ms" if unit == "ms" else f"{value:.2f} s" if unit == "s" else f"{value:.0f} {unit}"

    ratio = f"{mine / peer:.2f}" if peer and mine is not None else ""
    return (measure, shown(peer), shown(mine), ratio, goal, met)


def print_table(rows: list[Row], peer_note: str) -> None:
    header = ("measure", "RenderCV", "cvforge", "ratio", "goal")
    widths = [max(len(h), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    print(f"RenderCV: {peer_note}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  met?")
    for row in rows:
        met = "" if row[5] is None else ("yes" if row[5] else "NO")
        print("  ".join(str(c).ljust(w) for c, w in zip(row[:5], widths, strict=True)) + f"  {met}")
    print(
        f"(CPU seconds, medians of {ROUNDS} interleaved runs; watch and batch: wall time; ratio = cvforge / RenderCV)"
    )


if __name__ == "__main__":
    main()
