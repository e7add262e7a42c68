"""The `cvforge` command: parse options, call the library, print what happened. Nothing else lives here."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cvforge import __version__
from cvforge.builder.project import FORMATS, PROFILES_DIR, RENDERER_NAMES, default_workers, project_folder
from cvforge.errors import CvforgeError, UsageError, display_path

# Everything else is imported inside the command that needs it: `--version`, `--help` and a
# no-change build (builder/replay.py) load no schema, YAML reader or renderer.


class CvforgeGroup(click.Group):
    """Maps the library's errors to click's: a UsageError exits 2 after its message, any other
    CvforgeError exits 1. Other exceptions are bugs and keep their traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise click.UsageError(exc.format_message()) from None
        except CvforgeError as exc:
            raise click.ClickException(exc.format_message()) from None  # exit code 1


class ProjectPath(click.Path):
    """A path argument. Run inside a project's profiles/ or targets/ folder, the command works from
    the project's top (see `main`), so a relative path the user typed there is read from there."""

    moved_from: Path | None = None  # the folder the user was in, relative to the project's top

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        moved = ProjectPath.moved_from
        if moved is not None and isinstance(value, str | Path) and (moved / value).exists():
            value = moved / value  # an absolute `value` stays itself: `moved / value` is `value`
        return super().convert(value, param, ctx)


@click.group(cls=CvforgeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cvforge")
def main() -> None:
    """Compile resume profiles (YAML/JSON) into PDF, DOCX and HTML."""
    ProjectPath.moved_from = None
    cwd = Path.cwd()
    if (top := project_folder(cwd)) is not None:
        os.chdir(top)
        ProjectPath.moved_from = Path(cwd.name)
    # A terminated build unwinds like Ctrl-C, so a file being written is removed, never left half-written.
    signal.signal(signal.SIGTERM, _exit_on_term)


def _exit_on_term(signum: int, _frame: object) -> None:
    sys.exit(128 + signum)


F = TypeVar("F", bound=Callable[..., Any])


def _set_error_format(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None and "cvforge.builder.console" not in sys.modules:
        return value  # the default, already in place: loading the console module would cost start-up
    from cvforge.builder import console

    console.error_format = "github" if value == "github" else "text" if value == "text" else None
    return value


FORMAT_ERRORS = click.option(
    "--format-errors",
    type=click.Choice(["text", "github"]),
    expose_value=False,
    callback=_set_error_format,
    help="github: also print located errors as GitHub annotations (the default under GitHub Actions).",
)


THEME_DIRS = click.option(
    "--theme-dir",
    "theme_dirs",
    multiple=True,
    type=ProjectPath(path_type=Path, file_okay=False),
    help="Extra folder of themes, searched first.",
)


def where_and_how(command: F) -> F:
    """The options `build` and `watch` share: theme, output folder, theme folders and theme options."""
    for option in reversed(
        (
            click.option("--theme", "theme_name", metavar="NAME", help="Theme (default: the profile's, else classic)."),
            click.option(
                "-o",
                "--out",
                "out_dir",
                type=ProjectPath(path_type=Path, file_okay=False),
                default=Path("out"),
                show_default=True,
                help="Folder to write into (and, for watch, to serve).",
            ),
            THEME_DIRS,
            click.option(
                "--option", "option_pairs", multiple=True, metavar="NAME=VALUE", help="Theme option override."
            ),
            click.option("--locale", metavar="TAG", help="Locale (de, pt-BR, ja, ar), over targets' and profiles'."),
        )
    ):
        command = option(command)
    return command


@main.command("build")
@click.argument("sources", nargs=-1, type=ProjectPath(path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join((*FORMATS, "letter", "packet")),
    show_default=True,
    help=f"Comma-separated formats, from {', '.join(RENDERER_NAMES)} (png: one image per page, NAME-1.png…), "
    "and letter (a target's cover letter, in those formats) and packet (letter then resume, one PDF).",
)
@where_and_how
@click.option("--check", "check", is_flag=True, help="Read every PDF and DOCX back as a parser would; fail on a gap.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a remote photo left out) as errors.")
@click.option("--force", is_flag=True, help="Re-render this command's outputs even if unchanged.")
@click.option(
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    default=default_workers(),
    show_default="the number of cores",
    help="Render up to N jobs in parallel processes.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only warnings and errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on standard output instead of lines.")
@click.option(
    "--redact",
    "redact_fields",
    metavar="FIELDS",
    help="Leave these contact fields out of every output, e.g. phone,address (for sharing a sample).",
)
@FORMAT_ERRORS
def build_command(
    sources: tuple[Path, ...],
    theme_name: str | None,
    formats: str,
    out_dir: Path,
    theme_dirs: tuple[Path, ...],
    option_pairs: tuple[str, ...],
    locale: str | None,
    check: bool,
    strict: bool,
    force: bool,
    workers: int,
    quiet: bool,
    as_json: bool,
    redact_fields: str | None = None,
) -> None:
    """Build SOURCES: profiles, targets (by path or by name), or folders of them.

    With no argument, builds every profile in ./profiles and every target in ./targets. Outputs
    whose inputs (profile, target, job description, theme files, options, cvforge's version) are
    unchanged since the last build are skipped; --force rebuilds them.
    """
    from cvforge.builder import replay
    from cvforge.builder.command import BuildOptions, build_now

    given = (sources, ProjectPath.moved_from, theme_name, formats, out_dir, theme_dirs, option_pairs, strict, quiet)
    command = [str(value) for value in (*given, redact_fields, locale)]  # what decides the build and its report
    fingerprint = replay.fingerprint(command) if not (check or force or as_json) else None
    if fingerprint is not None and (again := replay.recall(out_dir, fingerprint)) is not None:
        replay.echo_replay(again, quiet=quiet)
        return
    how = BuildOptions(
        theme_name, formats, out_dir, theme_dirs, option_pairs, locale, check, strict, force, workers, redact_fields
    )
    result, jobs = build_now(sources, how, quiet=quiet, as_json=as_json)
    # Profiles' outputs come back in the order written; targets (letters, reports) replay once unchanged.
    settled = len(result.skipped) == len(jobs) or all(job.kind == "profile" for job in jobs)
    if fingerprint is not None and result.ok and jobs and settled:
        replay.remember_no_change(out_dir, fingerprint, result, jobs, sources, theme_dirs)
    else:
        replay.forget(out_dir)
    if not result.ok:
        sys.exit(1)


@main.command("watch")
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
    from cvforge.builder.console import WatchReporter, echo_warnings
    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.output_kinds import parse_formats
    from cvforge.builder.run import build
    from cvforge.builder.theme_choice import check_command_line, parse_options
    from cvforge.builder.watch import (
        ReloadSignal,
        build_first_things_first,
        start_helper_and_server,
        stop_layout_helper,
        watch_and_rebuild,
        watched_folders,
    )
    from cvforge.builder.watch_inputs import WatchInputs
    from cvforge.reader.read import parse_once

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

    def rebuild() -> str | None:
        """Build, print what changed; the errors (for the page's overlay), or None when all built."""
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
                )
            inputs.record(result, jobs)
        return reporter.finish(result, jobs, started)

    try:
        signal.bump(rebuild())
        if server is not None:
            click.echo(f"serving {display_path(out_dir)} at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
        watched = watched_folders(sources, theme_dirs)
        click.echo("watching " + ", ".join(sorted({display_path(p) for p in watched})))
        watch_and_rebuild(watched, rebuild, signal, ignore=out_dir, inputs=inputs)
    except KeyboardInterrupt:
        pass  # Ctrl-C during a build: stop as quietly as between builds
    finally:
        stop_layout_helper()
        if server is not None:
            server.shutdown()
    click.echo("stopped")


@main.command("validate")
@click.argument("profiles", nargs=-1, type=ProjectPath(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a remote photo) as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (nothing when all is well).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: every file, ok or its problems.")
@FORMAT_ERRORS
def validate_command(profiles: tuple[Path, ...], strict: bool, quiet: bool, as_json: bool) -> None:
    """Check PROFILES and targets (default: all in ./profiles and ./targets); report every problem, located."""
    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.validate import validate_jobs

    if not validate_jobs(collect_jobs(profiles), strict=strict, quiet=quiet, as_json=as_json):
        sys.exit(1)


@main.command("check")
@click.argument("files", nargs=-1, required=True, type=ProjectPath(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--profile",
    "profile_path",
    type=ProjectPath(path_type=Path, exists=True, dir_okay=False),
    help="The profile the files were built from (default: found from the build record, or by the file's name).",
)
@click.option(
    "--letter",
    "letter_path",
    type=ProjectPath(path_type=Path, exists=True, dir_okay=False),
    help="A target or letter file: check FILES as its cover letter (name, contacts, recipient, every paragraph).",
)
def check_command(files: tuple[Path, ...], profile_path: Path | None, letter_path: Path | None = None) -> None:
    """Read FILES (PDF or DOCX) as an ATS parser would and check every detail of the profile is there.

    Looks for the name, email, phone, every role's title, organisation and dates, every project
    name and every skill, and checks the roles come in the profile's order. Exit 1 names each gap.
    Without --profile, each file is checked against the profile (or tailored target) it was built from.
    """
    from cvforge.builder.console import echo_report
    from cvforge.builder.discover import source_of_output
    from cvforge.readback.extract import EXTRACTORS
    from cvforge.readback.verify import check_file
    from cvforge.reader.read import load_profile

    unsupported = [path for path in files if path.suffix.lower().lstrip(".") not in EXTRACTORS]
    if unsupported:
        raise UsageError(f"cannot check {unsupported[0]} (give .{' or .'.join(EXTRACTORS)} files)")
    if letter_path is not None:
        from cvforge.builder.letters import check_letter_files

        reports = check_letter_files(files, letter_path, profile_path)
    else:
        fixed = load_profile(profile_path) if profile_path is not None else None
        reports = []
        for path in files:
            if fixed is None:
                profile, source = source_of_output(path)
                click.echo(f"{display_path(path)}: built from {source}", err=True)
            reports.append(check_file(path, fixed or profile, display_path(path)))
    for report in reports:
        echo_report(report)
    if not all(report.ok for report in reports):
        sys.exit(1)


SCHEMA_OPTION = click.option(
    "--schema",
    "schema_path",
    type=ProjectPath(path_type=Path, dir_okay=False),
    default=Path("schema") / "cvforge.schema.json",
    show_default=True,
    help="JSON Schema file the profile points editors at (written if missing or stale).",
)


def _write_new_profile(path: Path, text: str, *, force: bool, schema_path: Path) -> None:
    """Write a profile a person will edit: never over an existing file unless asked."""
    from cvforge.builder.write import write_atomic

    if path.exists() and not force:
        raise UsageError(f"{display_path(path)} exists; use --force to overwrite it")
    from cvforge.schema.editor import write_schema

    if write_schema(schema_path):
        click.echo(f"wrote {display_path(schema_path)} (JSON Schema for editors)")
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"wrote {display_path(path)}")


@main.command("import")
@click.argument("source", type=ProjectPath(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=ProjectPath(path_type=Path, dir_okay=False),
    help="Profile to write (default: profiles/<name>.yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@SCHEMA_OPTION
def import_command(source: Path, output: Path | None, force: bool, schema_path: Path) -> None:
    """Turn a JSON Resume (.json) or RenderCV (.yaml) file into a cvforge profile to edit."""
    from cvforge.reader.interop import read_foreign
    from cvforge.reader.interop.writer import profile_yaml, skipped_lines
    from cvforge.schema.editor import profile_filename, schema_comment

    if not source.is_file():
        raise UsageError(f"no such file: {source}")
    converted = read_foreign(source)
    target = output or PROFILES_DIR / profile_filename(str(converted.data["person"].get("name", source.stem)))
    header = [
        schema_comment(target, schema_path),
        f"cvforge profile imported from {source.name} ({converted.format}). Edit freely;",
        f"`cvforge validate {target.as_posix()}` checks it, `cvforge build {target.as_posix()}` builds it.",
        *skipped_lines(converted),
    ]
    _write_new_profile(target, profile_yaml(converted, header), force=force, schema_path=schema_path)


@main.command("export")
@click.argument("profile", type=ProjectPath(path_type=Path, dir_okay=False))
@click.option(
    "--to", "to", type=click.Choice(["jsonresume", "rendercv"]), required=True, help="Format to write (rendercv: YAML)."
)
@click.option(
    "-o",
    "--output",
    type=ProjectPath(path_type=Path, dir_okay=False),
    help="File to write (default: print to standard output).",
)
def export_command(profile: Path, to: str, output: Path | None) -> None:
    """Write PROFILE in another format (JSON Resume, RenderCV YAML), to leave for, or share with, other tools."""
    from cvforge.builder.write import write_atomic
    from cvforge.reader.interop import export_profile
    from cvforge.reader.read import load_profile

    if not profile.is_file():
        raise UsageError(f"no such file: {profile}")
    text = export_profile(load_profile(profile), to)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {display_path(output)}", err=True)


@main.command("schema")
@click.option(
    "-o",
    "--output",
    type=ProjectPath(path_type=Path, dir_okay=False),
    help="File to write (default: print to standard output).",
)
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of the profile format, for editors to validate and complete profiles."""
    from cvforge.schema.editor import schema_text, write_schema

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    write_schema(output)
    click.echo(f"wrote {display_path(output)}", err=True)


@main.command("new")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=ProjectPath(path_type=Path, dir_okay=False),
    help="Profile to write (default: profiles/<name>.yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@SCHEMA_OPTION
def new_command(name: str, output: Path | None, force: bool, schema_path: Path) -> None:
    """Start a profile for NAME, ready to edit, with editor validation and completion."""
    from cvforge.schema.editor import profile_filename, starter_profile

    if not name.strip():
        raise UsageError("NAME must not be empty")
    target = output or PROFILES_DIR / profile_filename(name)
    _write_new_profile(target, starter_profile(name.strip(), target, schema_path), force=force, schema_path=schema_path)


@main.command("themes")
@THEME_DIRS
def themes_command(theme_dirs: tuple[Path, ...]) -> None:
    """List the themes a build can use: name, description, folder, and each option's kind and default."""
    from cvforge.builder.theme_kit import theme_listing

    click.echo(theme_listing(theme_dirs))


@main.command("locales")
def locales_command() -> None:
    """List the languages cvforge's labels are translated into: tag, name, native name, direction."""
    from cvforge.builder.console import echo_locales

    echo_locales()


@main.group("theme")
def theme_group() -> None:
    """Start a theme of your own from an existing one."""


@theme_group.command("new")
@click.argument("name")
@click.option("--from", "parent", default="classic", show_default=True, help="The theme the new one extends.")
@click.option("--dir", "folder", type=ProjectPath(path_type=Path), help="Where to write it (default: ./themes/NAME).")
def theme_new_command(name: str, parent: str, folder: Path | None) -> None:
    """Start theme NAME as a child of another: a commented theme.toml and one example override."""
    from cvforge.builder.theme_kit import new_theme

    for path in new_theme(name, parent, folder):
        click.echo(f"wrote {display_path(path)}")
