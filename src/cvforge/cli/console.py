"""How a build talks to whoever runs it: a live display on a terminal, plain lines in CI or a pipe,
nothing but problems with --quiet, and one JSON document with --json.

The library returns results; this module only presents them, so every mode shows the same facts.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import click

from cvforge.builder.jobs import Job
from cvforge.builder.run import BuildResult, Output
from cvforge.errors import display_path
from cvforge.logs import LOGGER_NAME

Mode = Literal["live", "plain", "quiet", "json"]


def choose_mode(*, quiet: bool, as_json: bool) -> Mode:
    """Live only on a real terminal outside CI: a progress display in a log file is noise."""
    if as_json:
        return "json"
    if quiet:
        return "quiet"
    in_ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
    return "live" if sys.stdout.isatty() and not in_ci else "plain"


def colour_wanted() -> bool | None:
    """False when NO_COLOR is set (https://no-color.org); else None, letting click colour terminals only."""
    return False if os.environ.get("NO_COLOR") else None


ErrorFormat = Literal["text", "github"]
_LOCATED = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$", re.MULTILINE)
error_format: ErrorFormat | None = None  # None: github inside GitHub Actions, else text (set by the CLI)


def annotating() -> bool:
    chosen = error_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    return chosen == "github"


def github_annotations(text: str) -> list[str]:
    """`::error file=…,line=…,col=…::message` for every located problem in `text`: GitHub shows
    each on the line of the file it is about, in the pull request's diff."""

    def escape(value: str, *, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    return [
        f"::error file={escape(m['file'], prop=True)},line={m['line']},col={m['col']},title=cvforge::"
        f"{escape(m['message'])}"
        for m in _LOCATED.finditer(text)
    ]


def echo_error(text: str) -> None:
    """An error on stderr: red on a terminal, plain in a pipe, in CI logs or under NO_COLOR. Under
    GitHub Actions (or --format-errors github) its located problems also become annotations."""
    click.secho(text, fg="red", err=True, color=colour_wanted())
    if annotating():
        for line in github_annotations(text):
            click.echo(line)


def echo_warning(text: str) -> None:
    click.secho(text, fg="yellow", err=True, color=colour_wanted())


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


class BuildReporter:
    """Prints one build's progress and summary in the chosen mode."""

    def __init__(self, mode: Mode, console: Any = None) -> None:
        self.mode = mode
        self._console: Any = None
        self._progress: Any = None
        if mode == "live":
            from rich.console import Console

            self._console = console or Console(highlight=False)

    @contextmanager
    def running(self, count: int) -> Iterator[None]:
        """A progress bar while jobs render (they may take seconds): jobs done of all, and the one
        being rendered; written files print above it."""
        if self._console is None or not count:
            yield
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(), TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, TextColumn("{task.fields[current]}"), console=self._console, transient=True) as bar:
            self._progress = (bar, bar.add_task("build", total=count, current=""))
            try:
                yield
            finally:
                self._progress = None

    def progress(self, done: int, total: int, current: str | None) -> None:
        if self._progress is not None:
            bar, task = self._progress
            bar.update(task, completed=done, total=total, current=current or "")

    def output(self, output: Output) -> None:
        if self.mode in ("quiet", "json"):
            if output.check is not None and not output.check.ok:
                click.echo(f"error: {output.check.summary()}", err=True)
            return
        verb = "unchanged" if output.unchanged else "wrote"
        line = f"{verb} {display_path(output.path)} ({human_size(output.size)})"
        if self._console is not None:
            style = "dim" if output.unchanged else "green"
            self._console.print(f"[{style}]{verb}[/] {display_path(output.path)} [dim]({human_size(output.size)})[/]")
        else:
            click.echo(line)
        if output.check is not None:
            if output.check.ok:
                click.echo(f"  {output.check.summary()}")
            else:
                click.echo(f"error: {output.check.summary()}", err=True)

    def finish(self, result: BuildResult, jobs: Sequence[Job], out_dir: Path, checked: bool) -> None:
        for notice in result.warnings:
            echo_warning(f"warning: {notice.source}: {notice.message}")
        for failure in result.failures:
            echo_error(f"error: {failure.source} was not built:\n{failure.message}")
        if self.mode == "json":
            click.echo(json.dumps(summary_dict(result, jobs, out_dir), indent=2, ensure_ascii=False))
            return
        if self.mode == "quiet":
            return
        for notice in result.notes:  # not warnings: a long resume is allowed, and --strict passes it
            click.echo(f"note: {notice.source}: {notice.message}", err=True)
        if result.reports:
            click.echo("\njob-description match (full reports: *.match.md, *.match.json beside the outputs)")
            from cvforge.targets.report import summary_table  # loads only when targets were built

            click.echo(summary_table(result.reports) + "\n")
        click.echo(summary_line(result, jobs, out_dir))
        if checked:
            reports = [o.check for o in result.outputs if o.check is not None]
            complete = sum(report.ok for report in reports)
            line = f"parser check: {complete} of {len(reports)} PDF/DOCX file(s) complete"
            click.echo(line, err=complete < len(reports))


def summary_line(result: BuildResult, jobs: Sequence[Job], out_dir: Path) -> str:
    noun = "profile(s)" if all(job.kind == "profile" for job in jobs) else "profile(s) and target(s)"
    built = len(jobs) - len(result.failures) - len(result.skipped)
    written = sum(not o.unchanged for o in result.outputs)
    return (
        f"built {built} of {len(jobs)} {noun}, {len(result.skipped)} unchanged, {len(result.failures)} failed: "
        f"{written} file(s) written, {len(result.outputs) - written} unchanged in {display_path(out_dir)}"
    )


def summary_dict(result: BuildResult, jobs: Sequence[Job], out_dir: Path) -> dict[str, Any]:
    """The machine-readable summary (`build --json`): stable keys, paths as the user would type them."""
    return {
        "ok": result.ok,
        "out": display_path(out_dir),
        "jobs": {
            "total": len(jobs),
            "built": len(jobs) - len(result.failures) - len(result.skipped),
            "unchanged": len(result.skipped),
            "failed": len(result.failures),
        },
        "outputs": [
            {
                "path": display_path(o.path),
                "format": o.format,
                "bytes": o.size,
                "unchanged": o.unchanged,
                **({"check": {"ok": o.check.ok, "gaps": [g.field for g in o.check.gaps]}} if o.check else {}),
            }
            for o in result.outputs
        ],
        "failures": [{"source": f.source, "message": f.message} for f in result.failures],
        "warnings": [{"source": n.source, "message": n.message} for n in result.warnings],
        "notes": [{"source": n.source, "message": n.message} for n in result.notes],
        "matches": [{"target": r.target, "coverage": r.coverage, "missing": r.missing} for r in result.reports],
    }


class WatchReporter:
    """`watch`'s terminal: only what changed, each line stamped with the time, and the build's duration.
    Unchanged outputs are not listed again on every save."""

    def __init__(self) -> None:
        self._written: list[Output] = []

    @staticmethod
    def stamp() -> str:
        return time.strftime("%H:%M:%S")

    def start(self) -> float:
        self._written = []
        return time.monotonic()

    def output(self, output: Output) -> None:
        if not output.unchanged:
            self._written.append(output)
            click.echo(f"{self.stamp()} wrote {display_path(output.path)} ({human_size(output.size)})")

    def failed(self, errors: str) -> str:
        echo_error(f"{self.stamp()} error:\n{errors}")
        return errors

    def finish(self, result: BuildResult, jobs: Sequence[Job], started: float) -> str | None:
        """Print the outcome; return the errors (for the page's overlay) or None when every job built."""
        took = f"{time.monotonic() - started:.1f} s"
        for notice in result.warnings:
            echo_warning(f"{self.stamp()} warning: {notice.source}: {notice.message}")
        if result.failures:
            errors = "\n\n".join(f"{failure.source} was not built:\n{failure.message}" for failure in result.failures)
            echo_error(f"{self.stamp()} error: {errors}")
            echo_error(f"{self.stamp()} {len(result.failures)} of {len(jobs)} failed in {took}; last good output kept")
            return errors
        built = len(jobs) - len(result.skipped)
        if self._written:
            click.echo(f"{self.stamp()} rebuilt {built} of {len(jobs)} in {took}")
        else:
            click.echo(f"{self.stamp()} no output changed ({took})")
        return None


class _EchoHandler(logging.Handler):
    """Print cvforge's warnings to stderr as they happen, in the CLI's own words, each once: a build
    reads a profile more than once (its cache key, then its render), and says so only the first time."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.shown: dict[str, None] = {}  # in the order shown

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.shown:
            self.shown[message] = None
            echo_warning(f"warning: {message}")


@contextmanager
def echo_warnings() -> Iterator[_EchoHandler]:
    """Print cvforge's warnings while the block runs; the handler's `shown` lists them."""
    handler = _EchoHandler(logging.WARNING)
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
