"""The library's front door: profiles in, files out. Gathers everything, renders in memory, writes atomically.

One failing profile does not stop the others; the result says what was written and what failed,
and the CLI decides how to print it.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cvforge.cache import CACHE_NAME, BuildCache, InputDigest, base_digest
from cvforge.check import EXTRACTORS, Report, check_bytes
from cvforge.errors import CvforgeError, display_path
from cvforge.loader import load_profile
from cvforge.logs import collect_warnings
from cvforge.schema import Profile
from cvforge.targets import SYNONYMS_FILE, is_target_file, load_job, load_target, output_stem
from cvforge.themes import OptionValue, Theme, load_theme, search_dirs
from cvforge.view import Document, view_document

if TYPE_CHECKING:  # tailoring, page fitting and reports load only when a target is built
    from cvforge.fit import FitResult
    from cvforge.render.pdf import Layout
    from cvforge.report import MatchReport

FORMATS: tuple[str, ...] = ("pdf", "docx", "html")  # what `build` makes by default
DEFAULT_THEME = "classic"
LOGGER = logging.getLogger("cvforge.build")
_PAGE_NUMBER = re.compile(r"-\d+(?=\.[^.]+$)")  # the "-2" of NAME-2.png


@dataclass(frozen=True)
class Output:
    """One file written by a build."""

    path: Path
    format: str
    size: int
    check: Report | None = None  # what a parser read in it, when the build was asked to check
    unchanged: bool = False  # its inputs had not changed, so it was not rebuilt


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
    skipped: list[str] = field(default_factory=list)  # jobs whose every output was already up to date

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


TEMP_SUFFIX = ".cvforge-tmp"


def _file_mode() -> int:
    """What a plain `open(..., "w")` would give: 0666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def sweep_temporary_files(out_dir: Path) -> None:
    """Remove what a build killed outright (SIGKILL, power loss) left mid-write: only our own temp names."""
    if out_dir.is_dir():
        for leftover in out_dir.rglob(f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600 files; outputs are meant to be read (and served)
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


@dataclass(frozen=True)
class Outcome:
    """What running one job gave: its files in memory, or the reason it failed, and what it logged."""

    prepared: Prepared | None
    failure: str | None
    logged: tuple[str, ...]
    remote: bool = False  # run in a worker process, so its warnings were not shown as they happened


def as_job(path: Path) -> Job:
    """A bare path given to `build`: a target when it looks like one (see `is_target_file`), else a profile."""
    return Job(path, "target") if is_target_file(path) else Job(path)


def run_job(job: Job, settings: Settings) -> Outcome:
    """Load, tailor, fit and render one job in memory. Safe to run in a worker process."""
    with collect_warnings() as logged:
        try:
            prepared = prepare_target(job, settings) if job.kind == "target" else prepare_profile(job, settings)
        except CvforgeError as exc:
            return Outcome(None, exc.format_message(), tuple(r.getMessage() for r in logged))
    return Outcome(prepared, None, tuple(r.getMessage() for r in logged))


def _run_remote(job: Job, settings: Settings) -> Outcome:
    return dataclasses.replace(run_job(job, settings), remote=True)


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
    force: bool = False,
    workers: int = 1,
) -> BuildResult:
    """Build every job into every format; each job's files are all rendered before any is written,
    and one failing job never stops the others. A bare path is a target if it looks like one, else a profile.

    Outputs whose inputs are unchanged since they were written are skipped (see `cache`), unless
    `force`. Stale jobs render in up to `workers` processes; files are written here, in job order.
    With `check`, every PDF and DOCX is read back as a parser would (see `cvforge.check`),
    against the profile it was rendered from (the tailored one, for a target).
    With `strict`, a job whose build warned (a remote photo left out, a page limit not met) is not written.
    """
    settings = Settings(theme_name, tuple(formats), out_dir, tuple(theme_dirs), dict(options or {}))
    result = BuildResult()
    sweep_temporary_files(out_dir)
    cache = BuildCache(out_dir) if force else BuildCache.open(out_dir)
    themes_digest = digest_theme_files(theme_dirs)
    planned: list[tuple[Job, str, Settings]] = []  # job, its input key, settings with only stale formats
    for job in (j if isinstance(j, Job) else as_job(j) for j in jobs):
        source = display_path(job.path)
        try:
            key, extras = job_key(job, settings, themes_digest)
        except CvforgeError as exc:
            result.failures.append(Failure(source, exc.format_message()))
            continue
        stale = [fmt for fmt in settings.formats if not cache.is_fresh(entry_id(job, fmt), key)]
        if not stale and all(cache.is_fresh(entry_id(job, extra), key) for extra in extras):
            rendered = rendered_profile(job, cache) if check else None
            for fmt in settings.formats:
                for path in cache.files_of(entry_id(job, fmt)):
                    checks = rendered is not None and fmt in EXTRACTORS
                    report = check_bytes(rendered, path.read_bytes(), fmt, display_path(path)) if checks else None
                    output = Output(path, fmt, path.stat().st_size, report, unchanged=True)
                    result.outputs.append(output)
                    if on_output:
                        on_output(output)
            result.skipped.append(source)
            remove_stale_pages(
                {path: (fmt, b"") for fmt in settings.formats for path in cache.files_of(entry_id(job, fmt))}
            )
            continue
        planned.append((job, key, dataclasses.replace(settings, formats=tuple(stale))))
    written: dict[Path, str] = {}
    for (job, key, _), outcome in zip(planned, run_all(planned, workers), strict=True):
        source = display_path(job.path)
        if outcome.remote:
            for message in outcome.logged:
                LOGGER.warning("%s", message)
        prepared = outcome.prepared
        if prepared is None:
            result.failures.append(Failure(source, outcome.failure or "failed"))
            continue
        clash = next((p for p in prepared.files if p.resolve() in written), None)
        if clash is not None:
            message = f"would overwrite {display_path(clash)}, written by {written[clash.resolve()]}"
            result.failures.append(Failure(source, message))
            continue
        if strict and (outcome.logged or prepared.warnings):
            messages = "\n".join([*outcome.logged, *prepared.warnings])
            result.failures.append(Failure(source, f"{messages}\nwarnings are errors with --strict"))
            continue
        result.warnings += [Notice(source, message) for message in prepared.warnings]
        by_format: dict[str, dict[Path, bytes]] = {}
        for path, (fmt, data) in prepared.files.items():
            write_atomic(path, data)
            written[path.resolve()] = source
            by_format.setdefault(fmt, {})[path] = data
            checks = check and fmt in EXTRACTORS
            report = check_bytes(prepared.profile, data, fmt, display_path(path)) if checks else None
            output = Output(path, fmt, len(data), report)
            result.outputs.append(output)
            if on_output:
                on_output(output)
        for fmt, files in by_format.items():
            cache.record(entry_id(job, fmt), key, files)
        if job.kind == "target":  # what `check` compares an unchanged target's files with, next time
            cache.record(entry_id(job, "profile"), key, {}, prepared.profile.model_dump_json())
        remove_stale_pages(prepared.files)
        if prepared.report is not None:
            result.reports.append(prepared.report)
    if written:  # the record changes only when files were written
        write_atomic(out_dir / CACHE_NAME, cache.serialise())
    return result


def run_all(planned: Sequence[tuple[Job, str, Settings]], workers: int) -> Iterator[Outcome]:
    """Outcomes in job order. One stale job (or one worker) runs here; more go to a process pool,
    where each worker pays WeasyPrint's import once and renders several jobs."""
    if workers <= 1 or len(planned) <= 1:
        for job, _, settings in planned:
            yield run_job(job, settings)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(planned))) as pool:
        futures = [pool.submit(_run_remote, job, settings) for job, _, settings in planned]
        for future in futures:
            yield future.result()


def rendered_profile(job: Job, cache: BuildCache) -> Profile:
    """The profile a job rendered: the file itself, or the tailored profile a target recorded."""
    if job.kind == "target" and (recorded := cache.extra_of(entry_id(job, "profile"))) is not None:
        return Profile.model_validate_json(recorded)
    return load_profile(job.path) if job.kind == "profile" else load_profile(load_target(job.path).profile_path)


def entry_id(job: Job, part: str) -> str:
    """Names one job's one format in the cache record."""
    return f"{job.kind}:{Path(display_path(job.path)).as_posix()}:{part}"


def digest_theme_files(theme_dirs: Sequence[Path]) -> str:
    """Every file of every theme a build could use: a theme edit makes its users' outputs stale."""
    digest = InputDigest()  # a part of each job's key, which already starts from `base_digest`
    for folder in search_dirs(theme_dirs):
        digest.add_files("theme", folder, (p for p in folder.rglob("*") if p.is_file()))
    return digest.hexdigest()


def job_key(job: Job, settings: Settings, themes_digest: str) -> tuple[str, tuple[str, ...]]:
    """The digest of everything a job's outputs depend on, and the extra parts a job writes (reports).

    Reading the files is cheap (no rendering, no heavy imports); an invalid file is reported here.
    """
    digest = base_digest().add_text("themes", themes_digest).add_text("job", job.kind)
    digest.add_mapping("settings", {"theme": settings.theme_name, "options": dict(settings.options)})
    extras: tuple[str, ...] = ()
    if job.kind == "target":
        target = load_target(job.path)
        inputs = [job.path, target.profile_path]
        if target.job_path is not None:
            inputs.append(target.job_path)
            extras = ("match.md", "match.json")
        synonyms = job.path.parent / SYNONYMS_FILE
        if synonyms.is_file():
            inputs.append(synonyms)
        profile_path = target.profile_path
    else:
        inputs, profile_path = [job.path], job.path
    profile = load_profile(profile_path)
    photo = profile.person.photo
    if photo and "://" not in photo and (profile_path.parent / photo).is_file():
        inputs.append(profile_path.parent / photo)
    for index, path in enumerate(inputs):
        digest.add_file(f"input{index}", path)
    return digest.hexdigest(), extras


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
    from cvforge.fit import fit_to_pages
    from cvforge.report import make_report
    from cvforge.tailor import apply_plan, plan_tailoring, target_options

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

    from cvforge.render.pdf import layout

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
