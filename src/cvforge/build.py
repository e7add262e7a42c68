"""The library's front door: profiles in, files out. Gathers everything, renders in memory, writes atomically.

One failing profile does not stop the others; the result says what was written and what failed,
and the CLI decides how to print it.
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cvforge.check import EXTRACTORS, Report, check_bytes
from cvforge.errors import CvforgeError, display_path
from cvforge.fit import FitResult, fit_to_pages
from cvforge.loader import load_profile
from cvforge.logs import collect_warnings
from cvforge.render.pdf import Layout, layout
from cvforge.report import MatchReport, make_report
from cvforge.schema import Profile
from cvforge.tailor import apply_plan, plan_tailoring, target_options
from cvforge.targets import load_job, load_target, output_stem
from cvforge.themes import OptionValue, Theme, load_theme
from cvforge.view import Document, view_document

FORMATS: tuple[str, ...] = ("pdf", "docx", "html")  # what `build` makes by default
DEFAULT_THEME = "classic"
_PAGE_NUMBER = re.compile(r"-\d+(?=\.[^.]+$)")  # the "-2" of NAME-2.png


@dataclass(frozen=True)
class Output:
    """One file written by a build."""

    path: Path
    format: str
    size: int
    check: Report | None = None  # what a parser read in it, when the build was asked to check


@dataclass(frozen=True)
class Failure:
    """A profile that could not be built, and why (already formatted for people)."""

    source: str
    message: str


@dataclass(frozen=True)
class Notice:
    """A warning about something built anyway (an unknown tag, a page limit not met)."""

    source: str
    message: str


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    reports: list[MatchReport] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and all(o.check is None or o.check.ok for o in self.outputs)


def resolve_theme(
    profile: Profile,
    source: str,
    theme_name: str | None,
    theme_dirs: Sequence[Path],
    options: Mapping[str, OptionValue],
) -> Theme:
    """The command's theme wins over the profile's; command options win over the profile's."""
    theme = load_theme(theme_name or profile.theme or DEFAULT_THEME, theme_dirs)
    theme = theme.with_options(profile.options, f"{source}: options")
    return theme.with_options(options, "--option")


def section_order(theme: Theme) -> list[str]:
    return [name.strip() for name in str(theme.options.get("sections", "")).split(",") if name.strip()]


# Format → (module, function). Renderers are imported only when their format is asked for,
# so a build that makes no PDF never pays for importing WeasyPrint.
RENDERERS: dict[str, tuple[str, str]] = {
    "pdf": ("cvforge.render.pdf", "render_pdf"),
    "docx": ("cvforge.render.docx", "render_docx"),
    "html": ("cvforge.render.html", "render_html_bytes"),
    "md": ("cvforge.render.markdown", "render_markdown"),
    "txt": ("cvforge.render.text", "render_text"),
    "png": ("cvforge.render.png", "render_png"),
}


def render(document: Document, theme: Theme, fmt: str, profile_dir: Path) -> bytes:
    """Render one single-file format through its registered renderer (see `render_files`)."""
    files = render_files(document, theme, fmt, profile_dir)
    if list(files) != [f".{fmt}"]:
        raise CvforgeError(f"format '{fmt}' makes several files; use render_files")
    return files[f".{fmt}"]


def render_files(document: Document, theme: Theme, fmt: str, profile_dir: Path) -> dict[str, bytes]:
    """File-name suffix → bytes. A renderer returns bytes (one file, `.FORMAT`) or such a mapping
    itself when a format makes several files (png: `-1.png`, `-2.png`…)."""
    if fmt not in RENDERERS:
        raise CvforgeError(f"unknown format '{fmt}' (use {', '.join(RENDERERS)})")
    module_name, function_name = RENDERERS[fmt]
    renderer = getattr(importlib.import_module(module_name), function_name)
    made = renderer(document, theme, profile_dir)
    if isinstance(made, Mapping):
        return {str(suffix): bytes(data) for suffix, data in made.items()}
    return {f".{fmt}": bytes(made)}


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Job:
    """One thing `build` makes: a profile as written, or a target that tailors the profile it names."""

    path: Path
    kind: Literal["profile", "target"] = "profile"


@dataclass(frozen=True)
class Settings:
    """What the command line decides for every job of one build."""

    theme_name: str | None
    formats: Sequence[str]
    out_dir: Path
    theme_dirs: Sequence[Path]
    options: Mapping[str, OptionValue]


@dataclass(frozen=True)
class Prepared:
    """One job's files, rendered in memory and not yet written, and what to tell the user about it."""

    files: dict[Path, tuple[str, bytes]]  # destination → (format, bytes)
    profile: Profile  # what was rendered (tailored, for a target): what `check` compares against
    report: MatchReport | None = None
    warnings: tuple[str, ...] = ()


def build(
    jobs: Iterable[Path | Job],
    *,
    theme_name: str | None = None,
    formats: Sequence[str] = FORMATS,
    out_dir: Path = Path("out"),
    theme_dirs: Sequence[Path] = (),
    options: Mapping[str, OptionValue] | None = None,
    on_output: Callable[[Output], None] | None = None,
    check: bool = False,
    strict: bool = False,
) -> BuildResult:
    """Build every job (a bare path is a profile) into every format; each job's files are all rendered
    before any is written, and one failing job never stops the others.

    With `check`, every PDF and DOCX written is read back as a parser would (see `cvforge.check`),
    against the profile it was rendered from (the tailored one, for a target).
    With `strict`, a job whose build warned (a remote photo left out, a page limit not met) is not written.
    """
    settings = Settings(theme_name, formats, out_dir, theme_dirs, options or {})
    result = BuildResult()
    written: dict[Path, str] = {}
    for job in (j if isinstance(j, Job) else Job(j) for j in jobs):
        source = display_path(job.path)
        with collect_warnings() as logged:
            try:
                prepared = prepare_target(job, settings) if job.kind == "target" else prepare_profile(job, settings)
                clash = next((p for p in prepared.files if p.resolve() in written), None)
                if clash is not None:
                    raise CvforgeError(f"would overwrite {display_path(clash)}, written by {written[clash.resolve()]}")
            except CvforgeError as exc:
                result.failures.append(Failure(source, exc.format_message()))
                continue
        if strict and (logged or prepared.warnings):
            messages = "\n".join([*(record.getMessage() for record in logged), *prepared.warnings])
            result.failures.append(Failure(source, f"{messages}\nwarnings are errors with --strict"))
            continue
        result.warnings += [Notice(source, message) for message in prepared.warnings]
        for path, (fmt, data) in prepared.files.items():
            write_atomic(path, data)
            written[path.resolve()] = source
            checks = check and fmt in EXTRACTORS
            report = check_bytes(prepared.profile, data, fmt, display_path(path)) if checks else None
            output = Output(path, fmt, len(data), report)
            result.outputs.append(output)
            if on_output:
                on_output(output)
        remove_stale_pages(prepared.files)
        if prepared.report is not None:
            result.reports.append(prepared.report)
    return result


def rendered_files(
    document: Document, theme: Theme, formats: Sequence[str], stem: Path, profile_dir: Path
) -> dict[Path, tuple[str, bytes]]:
    """Every format's files, named from `stem`: out/x.pdf, out/x-1.png, out/x-2.png…"""
    return {
        stem.with_name(f"{stem.name}{suffix}"): (fmt, data)
        for fmt in formats
        for suffix, data in render_files(document, theme, fmt, profile_dir).items()
    }


def prepare_profile(job: Job, settings: Settings) -> Prepared:
    """A profile as written, into out/NAME.FORMAT."""
    source = display_path(job.path)
    profile = load_profile(job.path)
    theme = resolve_theme(profile, source, settings.theme_name, settings.theme_dirs, settings.options)
    document = view_document(profile, section_order(theme))
    files = rendered_files(document, theme, settings.formats, settings.out_dir / job.path.stem, job.path.parent)
    return Prepared(files, profile)


def prepare_target(job: Job, settings: Settings) -> Prepared:
    """Tailor the target's profile, fit it to its page limit, render it, and report on the job match."""
    source = display_path(job.path)
    target_file = load_target(job.path)
    target = target_file.target
    profile_dir = target_file.profile_path.parent
    profile = load_profile(target_file.profile_path)
    analysed = load_job(target_file, profile) if target.job else None
    plan = plan_tailoring(profile, target, analysed)
    tailored = apply_plan(profile, target, plan)
    # Options in the order they win, each checked in the name of the file (or flag) that set it.
    theme = resolve_theme(
        profile, display_path(target_file.profile_path), settings.theme_name or target.theme, settings.theme_dirs, {}
    )
    theme = theme.with_options(target_options(target), f"{source}: options")
    theme = theme.with_options(settings.options, "--option")
    warnings = list(plan.warnings)
    fit: FitResult | None = None
    if target.page_limit is not None:
        fit = fit_to_pages(profile, target, plan, theme, target.page_limit, measurer(profile_dir))
        tailored, theme = fit.profile, fit.theme
        if not fit.fits:
            warnings.append(overflow_warning(fit))
    document = view_document(tailored, section_order(theme))
    stem = settings.out_dir / output_stem(target_file, profile)
    files = rendered_files(document, theme, settings.formats, stem, profile_dir)
    report = None
    if analysed is not None and target_file.job_path is not None:
        report = make_report(
            target=target_file.name,
            profile=display_path(target_file.profile_path),
            job_source=display_path(target_file.job_path),
            job=analysed,
            plan=plan,
            shown=document,
            everything=view_document(profile),
            fit=fit,
            outputs=[display_path(path) for path in files],
        )
        files[stem.with_name(f"{stem.name}.match.md")] = ("match.md", report.to_markdown().encode("utf-8"))
        files[stem.with_name(f"{stem.name}.match.json")] = ("match.json", report.to_json().encode("utf-8"))
    return Prepared(files, tailored, report, tuple(warnings))


def measurer(profile_dir: Path) -> Callable[[Profile, Theme], Layout]:
    """How a page fit measures a candidate: the real PDF layout of its Document, nothing written."""

    def measure(profile: Profile, theme: Theme) -> Layout:
        return layout(view_document(profile, section_order(theme)), theme, profile_dir)

    return measure


def overflow_warning(fit: FitResult) -> str:
    """Say that the limit was not met, and what is still past it."""
    density = f" at density {fit.density}" if fit.density else ""
    return (
        f"page limit {fit.limit} not met: {fit.pages} pages{density} even without every part a fit may leave out "
        f"(roles, education and each item's best bullet always stay); past the limit: " + "; ".join(fit.overflow)
    )


def remove_stale_pages(files: Mapping[Path, tuple[str, bytes]]) -> None:
    """A format that numbers its files (NAME-1.png…) drops the pages an earlier, longer build left."""
    pages: dict[tuple[Path, str, str], int] = {}
    for path in files:
        if match := _PAGE_NUMBER.search(path.name):
            key = (path.parent, path.name[: match.start()], path.suffix)
            pages[key] = pages.get(key, 0) + 1
    for (folder, stem, extension), count in pages.items():
        number = count + 1
        while (stale := folder / f"{stem}-{number}{extension}").is_file():
            stale.unlink()
            number += 1
