"""The build: profiles in, files out. Gathers everything, renders in memory, writes atomically.

One failing profile does not stop the others; the result says what was written and what failed,
and the CLI decides how to print it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvforge.builder import density_record
from cvforge.builder.cache import CACHE_NAME, BuildCache
from cvforge.builder.discover import as_job
from cvforge.builder.job_keys import digest_theme_files, job_key
from cvforge.builder.jobs import Job, Settings, entry_id, recorded_profile, rendered_profile
from cvforge.builder.letters import letter_of
from cvforge.builder.output_kinds import expand_formats, job_formats
from cvforge.builder.prepare import Outcome, run_job, run_remote
from cvforge.builder.project import FORMATS, default_workers
from cvforge.builder.write import (
    check_out_dir,
    holds_already,
    remove_stale_pages,
    sweep_temporary_files,
    write_atomic,
)
from cvforge.errors import CvforgeError, display_path
from cvforge.logs import collect_warnings
from cvforge.reader.read import once_per_build, parsing_once
from cvforge.renderers.themes import OptionValue
from cvforge.targets.redact import redact_profile

if TYPE_CHECKING:  # tailoring, page fitting and reports load only when a target is built
    from concurrent.futures import ProcessPoolExecutor

    from cvforge.document.letter import LetterDocument
    from cvforge.readback.verify import Report
    from cvforge.schema import Profile
    from cvforge.targets.report import MatchReport

LOGGER = logging.getLogger("cvforge.builder.run")


@dataclass(frozen=True)
class Output:
    """One file written by a build."""

    path: Path
    format: str
    size: int
    check: Report | None = None  # what a parser read in it, when the build was asked to check
    unchanged: bool = False  # not written: its inputs had not changed, or it came out as the file already there


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
    notes: list[Notice] = field(default_factory=list)  # worth knowing, never errors: a PDF past two pages
    skipped: list[str] = field(default_factory=list)  # jobs whose every output was already up to date
    inputs: list[Path] = field(default_factory=list)  # every input file the jobs' keys were computed from
    planning_warnings: list[str] = field(default_factory=list)  # logged while deciding what was stale

    @property
    def ok(self) -> bool:
        return not self.failures and all(o.check is None or o.check.ok for o in self.outputs)


@parsing_once  # each profile file is read and parsed once per build, however many steps need it
def build(
    jobs: Iterable[Path | Job],
    *,
    theme_name: str | None = None,
    formats: Sequence[str] = FORMATS,
    out_dir: Path = Path("out"),
    theme_dirs: Sequence[Path] = (),
    options: Mapping[str, OptionValue] | None = None,
    on_output: Callable[[Output], None] | None = None,
    on_progress: Callable[[int, int, str | None], None] | None = None,
    check: bool = False,
    strict: bool = False,
    force: bool = False,
    workers: int = 1,
    executor: Executor | None = None,
    redact: Sequence[str] = (),
    page_limit: int | None = None,
) -> BuildResult:
    """Build every job into every format; each job's files are all rendered before any is written,
    and one failing job never stops the others. A bare path is a target if it looks like one, else a profile.

    Outputs whose inputs are unchanged since they were written are skipped (see `cache`), unless
    `force`. Stale jobs render in up to `workers` processes, or on `executor` (any
    `concurrent.futures.Executor`, a Dask cluster's among them); files are written here, in job order.
    With `check`, every PDF and DOCX is read back as a parser would (see `cvforge.readback`),
    against the profile it was rendered from (the tailored one, for a target).
    With `strict`, a job whose build warned (a remote photo left out, a page limit not met) is not written.
    `formats` may name `letter` and `packet` (see `builder.output_kinds`); `redact` names contact fields to leave out.
    `page_limit` fits every resume's PDF, PNG and DOCX to that many pages, as a target's `page_limit`
    does (and over it); without it a resume PDF past two pages gets a note in `result.notes`.
    `on_progress(done, total, current)` is called as jobs finish, with the job being rendered next.
    """
    kinds = expand_formats(formats)
    result = BuildResult()
    check_out_dir(out_dir)
    sweep_temporary_files(out_dir)
    cache = BuildCache.open(out_dir)  # --force re-renders this call's jobs; every other record is kept
    themes_digest = once_per_build(("theme files", tuple(theme_dirs)), partial(digest_theme_files, theme_dirs))
    settings = Settings(
        theme_name,
        kinds,
        out_dir,
        tuple(theme_dirs),
        dict(options or {}),
        tuple(redact),
        page_limit,
        layout_salt=density_record.layout_salt(themes_digest),
    )
    planned: list[tuple[Job, str, Settings]] = []  # job, its input key, settings with only stale formats
    claimed: dict[Path, str] = {}  # every output path of this build → the job that owns it
    all_jobs = [j if isinstance(j, Job) else as_job(j) for j in jobs]
    done = 0

    def progress(current: Job | None) -> None:
        if on_progress is not None:
            on_progress(done, len(all_jobs), display_path(current.path) if current else None)

    with collect_warnings() as planning:  # what deciding alone says: a no-change build says exactly this
        for job in all_jobs:
            source = display_path(job.path)
            try:
                key, extras = job_key(job, settings, themes_digest, result.inputs)
                own = job_formats(job, settings.formats)
            except CvforgeError as exc:
                result.failures.append(Failure(source, exc.format_message()))
                continue
            fresh = {} if force else {fmt: cache.fresh_files(entry_id(job, fmt), key) for fmt in own}
            stale = [fmt for fmt in own if fresh.get(fmt) is None]
            all_fresh = not stale and all(cache.is_fresh(entry_id(job, extra), key) for extra in extras)
            unchanged = unchanged_outputs(job, fresh, cache, settings, check) if all_fresh else None
            if unchanged is not None:
                result.notes += [Notice(source, note) for note in recorded_notes(job, key, cache)]
                for output in unchanged:
                    claimed[output.path.resolve()] = source
                    result.outputs.append(output)
                    if on_output:
                        on_output(output)
                result.skipped.append(source)
                remove_stale_pages(
                    {path: (fmt, b"") for fmt in settings.formats for path in cache.files_of(entry_id(job, fmt))},
                    out_dir,
                )
                continue
            if all_fresh:  # fresh, but --check has no valid recorded profile to compare with: built again
                stale = list(own)
            known = tuple(density_record.recorded(job, cache).items())
            planned.append((job, key, dataclasses.replace(settings, formats=tuple(stale), densities=known)))
    result.planning_warnings = list(dict.fromkeys(record.getMessage() for record in planning))
    rebuilt = False
    out_root = out_dir.resolve()
    done = len(all_jobs) - len(planned)  # unchanged and unreadable jobs are done already
    progress(planned[0][0] if planned else None)
    for index, ((job, key, _), outcome) in enumerate(zip(planned, run_all(planned, workers, executor), strict=True)):
        done += 1
        progress(planned[index + 1][0] if index + 1 < len(planned) else None)
        source = display_path(job.path)
        if outcome.remote:
            for message in outcome.logged:
                LOGGER.warning("%s", message)
        prepared = outcome.prepared
        if prepared is None:
            result.failures.append(Failure(source, outcome.failure or "failed"))
            continue
        outside = next((p for p in prepared.files if not p.resolve().is_relative_to(out_root)), None)
        if outside is not None:
            result.failures.append(Failure(source, f"would write {display_path(outside)}, outside {out_dir}"))
            continue
        clash = next((p for p in prepared.files if claimed.get(p.resolve(), source) != source), None)
        if clash is not None:
            message = f"would overwrite {display_path(clash)}, written by {claimed[clash.resolve()]}"
            result.failures.append(Failure(source, message))
            continue
        if strict and (outcome.logged or prepared.warnings):
            messages = "\n".join([*outcome.logged, *prepared.warnings])
            result.failures.append(Failure(source, f"{messages}\nwarnings are errors with --strict"))
            continue
        result.warnings += [Notice(source, message) for message in prepared.warnings]
        result.notes += [Notice(source, note) for note in prepared.notes]
        by_format: dict[str, dict[Path, bytes]] = {}
        rebuilt = True
        for path, (fmt, data) in prepared.files.items():
            same = not force and holds_already(path, data)  # --force writes every file again
            if not same:
                write_atomic(path, data)
            claimed[path.resolve()] = source
            by_format.setdefault(fmt, {})[path] = data
            report = read_back(prepared.profile, prepared.letter, data, fmt, path) if check else None
            output = Output(path, fmt, len(data), report, unchanged=same)
            result.outputs.append(output)
            if on_output:
                on_output(output)
        for fmt, files in by_format.items():
            cache.record(entry_id(job, fmt), key, files)
        if job.kind == "target" or prepared.fitted:  # what `check` compares unchanged files with, next time
            cache.record(entry_id(job, "profile"), key, {}, prepared.profile.model_dump_json())
        density_record.record(job, key, cache, dict(outcome.densities))
        if prepared.notes:  # what an unchanged build of it says again
            cache.record(entry_id(job, NOTES), key, {}, json.dumps(list(prepared.notes)))
        remove_stale_pages(prepared.files, out_dir)
        if prepared.report is not None:
            result.reports.append(prepared.report)
    if rebuilt or cache.repaired:  # the record changes only when a job was rebuilt, or it was damaged
        write_atomic(out_dir / CACHE_NAME, cache.serialise())
    return result


NOTES = "notes"  # the cache entry that keeps a job's notes


def recorded_notes(job: Job, key: str, cache: BuildCache) -> list[str]:
    """The notes the job's last build printed, when it was made from these same inputs."""
    entry = entry_id(job, NOTES)
    kept = cache.extra_of(entry) if cache.is_fresh(entry, key) else None
    try:
        notes = json.loads(kept) if kept else []
    except ValueError:
        return []
    return [str(note) for note in notes] if isinstance(notes, list) else []


def unchanged_outputs(
    job: Job, fresh: Mapping[str, Mapping[Path, bytes] | None], cache: BuildCache, settings: Settings, check: bool
) -> list[Output] | None:
    """The files of a job whose outputs are all fresh, from the bytes read to prove it (the record's
    paths are never read again): with `check`, each read back against the profile it was rendered
    from. None when that is a target's tailored profile and the record holds none that validates
    (the job is built again: its untailored profile would fail every check it was cut for)."""
    rendered = letter = None
    if check:
        fitted = job.kind == "target" or settings.page_limit is not None
        profile = recorded_profile(job, cache) if fitted else rendered_profile(job, cache)
        if profile is None:
            return None
        rendered = redact_profile(profile, settings.redact)
        letter = letter_of(job, settings, rendered)
    outputs: list[Output] = []
    for fmt, files in fresh.items():
        for path, data in (files or {}).items():
            report = read_back(rendered, letter, data, fmt, path) if check else None
            outputs.append(Output(path, fmt, len(data), report, unchanged=True))
    return outputs


def read_back(
    profile: Profile | None, letter: LetterDocument | None, data: bytes, fmt: str, path: Path
) -> Report | None:
    """`--check`: what a parser reads in a PDF or DOCX, against the resume, else the letter it holds.
    The read-back stack (pdf text extraction, python-docx) loads only when a build checks."""
    from cvforge.readback.extract import EXTRACTORS
    from cvforge.readback.letters import check_letter_bytes
    from cvforge.readback.verify import check_bytes

    report = check_bytes(profile, data, fmt, display_path(path)) if profile is not None and fmt in EXTRACTORS else None
    if report is None and letter is not None:
        report = check_letter_bytes(letter, data, fmt, display_path(path))
    return report


def run_all(
    planned: Sequence[tuple[Job, str, Settings]], workers: int, executor: Executor | None = None
) -> Iterator[Outcome]:
    """Outcomes in job order. With an `executor`, every stale job is submitted to it. Otherwise one
    stale job (or one worker) runs here; more go to a process pool, where each worker pays
    WeasyPrint's import once and renders several jobs."""
    first = planned[0][2] if planned else None  # whose theme a warm worker loads
    makes_pdf = any(fmt in PDF_FORMATS for _, _, settings in planned for fmt in settings.formats)
    if executor is not None:
        if first is not None:
            from cvforge.builder.dask_warm import warm_dask_workers

            warm_dask_workers(executor, first.theme_name, first.theme_dirs, pdf=makes_pdf)
        futures = [executor.submit(run_remote, job, settings) for job, _, settings in planned]
        for future in futures:
            yield future.result()
        return
    if first is None or workers <= 1 or len(planned) <= 1:
        for job, _, settings in planned:
            yield run_job(job, settings)
        return
    pool = warm_pool(min(workers, len(planned)), first.theme_name, first.theme_dirs, pdf=makes_pdf)
    try:
        futures = [pool.submit(run_remote, job, settings) for job, _, settings in planned]
        for future in futures:
            yield future.result()
    except BaseException:  # SIGTERM (SystemExit), Ctrl-C, a failure: stop the workers now, not after their jobs
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


PDF_FORMATS = ("pdf", "png", "letter", "packet")  # what lays pages out with WeasyPrint


def warm_pool(
    workers: int | None = None, theme_name: str | None = None, theme_dirs: Sequence[Path] = (), *, pdf: bool = True
) -> ProcessPoolExecutor:
    """A process pool whose workers start ready: WeasyPrint imported and the theme's fonts loaded here,
    once, then inherited by every worker (forked, where the platform can), instead of each worker
    importing and decoding them again. Elsewhere (spawn) each worker warms itself as it starts."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    count = workers or default_workers()
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        if pdf:
            warm_up(theme_name, theme_dirs)
        return _frozen_fork_pool()(
            max_workers=count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=bind_to_parent,
            initargs=(os.getpid(),),
        )
    spawned = (os.getpid(), pdf, theme_name)
    return ProcessPoolExecutor(max_workers=count, initializer=bind_to_parent, initargs=spawned)


@lru_cache(maxsize=1)
def _frozen_fork_pool() -> type[ProcessPoolExecutor]:
    from concurrent.futures import ProcessPoolExecutor

    class Pool(ProcessPoolExecutor):
        """Forks its workers (at the first submit) with the parent's heap frozen: what the parent
        imported and warmed is never scanned by a worker's garbage collector, nor copied by it."""

        def submit(self, *args: Any, **kwargs: Any) -> Any:
            if getattr(self, "_cvforge_forked", False):
                return super().submit(*args, **kwargs)
            self._cvforge_forked = True
            gc.freeze()
            try:
                return super().submit(*args, **kwargs)
            finally:
                gc.unfreeze()  # the parent (a user's program) collects as before

    return Pool


def warm_up(theme_name: str | None, theme_dirs: Sequence[Path] = ()) -> None:
    """Import WeasyPrint and lay out a line in the theme's fonts; a theme that cannot load warms nothing."""
    from cvforge.builder.theme_choice import DEFAULT_THEME
    from cvforge.renderers.pdf import warm_up as warm_pdf
    from cvforge.renderers.themes import load_theme

    with contextlib.suppress(CvforgeError):
        warm_pdf(load_theme(theme_name or DEFAULT_THEME, theme_dirs))


def bind_to_parent(parent: int, pdf: bool = False, theme_name: str | None = None) -> None:
    """Run in each worker first: die with the build, whatever kills it (and, spawned, warm up).

    On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG); elsewhere a thread
    notices the parent has gone. SIGTERM and SIGINT get their default meaning back, so a signal to
    the process group ends the workers at once instead of running the build's own handlers.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the pool
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="cvforge-parent-watch", daemon=True).start()
    if pdf:
        warm_up(theme_name)
