"""`cvforge watch`: rebuild on every change, print what changed, and serve the HTML with live reload."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvforge.cli.options import ProjectPath, where_and_how
from cvforge.errors import UsageError, display_path

if TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

    from cvforge.builder.jobs import Job
    from cvforge.builder.run import BuildResult
    from cvforge.cli.serve import ReloadSignal


@click.command("watch")
@click.argument("sources", nargs=-1, type=ProjectPath(path_type=Path))
@click.option("--format", "formats", default="html,pdf", show_default=True, help="Comma-separated formats.")
@where_and_how
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address to serve on.")
@click.option("--no-serve", is_flag=True, help="Only rebuild on change; do not serve the HTML.")
def watch_command(
    sources: tuple[Path, ...],
    theme_name: str | None,
    formats: str,
    out_dir: Path,
    theme_dirs: tuple[Path, ...],
    option_pairs: tuple[str, ...],
    locale: str | None,
    port: int,
    host: str,
    no_serve: bool,
) -> None:
    """Rebuild SOURCES whenever a profile, target, job description or theme changes, and serve the
    HTML on localhost with live reload. An invalid edit is reported (in the terminal and over the page)
    and the last good output kept."""
    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.output_kinds import parse_formats
    from cvforge.builder.run import build
    from cvforge.builder.theme_choice import check_command_line, parse_options
    from cvforge.builder.watch import build_first_things_first, watch_and_rebuild, watched_folders
    from cvforge.builder.watch_inputs import WatchInputs
    from cvforge.cli.console import WatchReporter, echo_warnings
    from cvforge.cli.serve import ReloadSignal
    from cvforge.reader.read import parse_once
    from cvforge.renderers import ahead

    chosen = parse_formats(formats)
    options = parse_options(option_pairs, locale)
    # a bad command line fails now, with exit 2, not inside the loop
    check_command_line(collect_jobs(sources), theme_name, theme_dirs, options)
    signal = ReloadSignal()
    # the layout helper forks first, while this process has one thread; a busy port is said before
    # the first build, not after it
    address = None if no_serve else (host, port)
    server = start_helper_and_server(chosen, theme_name, theme_dirs, address, out_dir, signal)
    reporter = WatchReporter()
    inputs = WatchInputs(sources, theme_name, theme_dirs)  # what each build read: only their changes rebuild

    previewed = PreviewFirst(signal)

    def rebuild() -> str | None:
        """Build, print what changed; the errors (for the page's overlay), or None when all built.
        The preview reloads once its HTML is written, before the PDF is laid out."""
        started = reporter.start()
        try:
            jobs = collect_jobs(sources)
        except UsageError as exc:
            inputs.record(None, [])
            return reporter.failed(exc.format_message())
        with parse_once():  # the profiles the build parsed tell `inputs` their photos and themes
            with echo_warnings():
                result = build_first_things_first(
                    lambda group: build(
                        jobs,
                        theme_name=theme_name,
                        formats=group,
                        out_dir=out_dir,
                        theme_dirs=theme_dirs,
                        options=options,
                        on_output=reporter.output,
                    ),
                    chosen,
                    previewed.html_written,
                )
            inputs.record(result, jobs)
        errors = reporter.finish(result, jobs, started)  # said first; the review (~25 ms warm) follows
        if server is None:  # its findings are for the served pages' panel: nobody would read them
            return errors
        findings = review_lines(jobs, out_dir)
        if findings != signal.findings:
            signal.findings = findings
            previewed.findings_changed()
        return errors

    try:
        previewed.bump(rebuild())
        if server is not None:
            click.echo(f"serving {display_path(out_dir)} at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
        watched = watched_folders(sources, theme_dirs)
        click.echo("watching " + ", ".join(sorted({display_path(p) for p in watched})))
        watch_and_rebuild(watched, rebuild, previewed, ignore=out_dir, inputs=inputs)
    except KeyboardInterrupt:
        pass  # Ctrl-C during a build: stop as quietly as between builds
    finally:
        ahead.stop()
        if server is not None:
            server.shutdown()
    click.echo("stopped")


class PreviewFirst:
    """The reload signal, bumped as soon as a rebuild's HTML is written; the rebuild's own bump
    then reloads the page again only when it has something new to show (an error's overlay)."""

    def __init__(self, signal: ReloadSignal) -> None:
        self.signal = signal
        self.reloaded = False

    def html_written(self, first: BuildResult) -> None:
        if first.ok and any(o.format == "html" and not o.unchanged for o in first.outputs):
            self.signal.bump(None)
            self.reloaded = True

    def findings_changed(self) -> None:
        """The page reloaded before the review finished: reload it once more to show the new panel."""
        self.reloaded = False

    def bump(self, errors: str | None = None) -> None:
        reloaded, self.reloaded = self.reloaded, False
        if errors is not None or not reloaded:
            self.signal.bump(errors)


def start_helper_and_server(
    formats: Sequence[str],
    theme_name: str | None,
    theme_dirs: Sequence[Path],
    address: tuple[str, int] | None,
    folder: Path,
    signal: ReloadSignal,
) -> ThreadingHTTPServer | None:
    """`start_layout_helper`, then the preview server at `address` (None: no server). A server that
    cannot start stops the helper again before its usage error goes up."""
    from cvforge.builder.watch import start_layout_helper
    from cvforge.cli.serve import serve_or_explain
    from cvforge.renderers import ahead

    start_layout_helper(formats, theme_name, theme_dirs)
    if address is None:
        return None
    try:
        return serve_or_explain(folder, *address, signal)
    except BaseException:
        ahead.stop()
        raise


def review_lines(jobs: Sequence[Job], out_dir: Path) -> tuple[str, ...]:
    """The review of every job that loads, one line a finding, for the preview's findings panel."""
    from cvforge.cli.review import review_jobs
    from cvforge.errors import ProfileError

    lines: list[str] = []
    for job in jobs:
        try:
            lines += [str(finding) for review in review_jobs([job], out_dir) for finding in review.findings]
        except ProfileError:
            continue  # the error overlay says what is wrong with it
    return tuple(lines)
