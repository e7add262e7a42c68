"""One job, start to finish in memory: load, tailor and fit (targets), view, render every format.
Nothing is written here, so it runs as well in a worker process as in the build's own."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cvforge.builder.jobs import Job, Settings
from cvforge.builder.letters import letter_outputs
from cvforge.builder.theme_choice import resolve_theme
from cvforge.builder.view_options import localized, section_order
from cvforge.document.letter import LetterDocument
from cvforge.document.view import Document, view_document
from cvforge.errors import CvforgeError, display_path
from cvforge.logs import collect_warnings
from cvforge.reader.read import load_profile, once_per_build
from cvforge.renderers.formats import RENDERERS, render_files
from cvforge.renderers.themes import Theme
from cvforge.schema import Profile
from cvforge.targets.redact import redact_profile

if TYPE_CHECKING:  # tailoring, page fitting and reports load only when a target is built
    from cvforge.renderers.pdf import Layout
    from cvforge.targets.fit import FitResult
    from cvforge.targets.report import MatchReport


@dataclass(frozen=True)
class Prepared:
    """One job's files, rendered in memory and not yet written, and what to tell the user about it."""

    files: dict[Path, tuple[str, bytes]]  # destination → (format, bytes)
    profile: Profile  # what was rendered (tailored, for a target): what `check` compares against
    report: MatchReport | None = None
    warnings: tuple[str, ...] = ()
    letter: LetterDocument | None = None  # the letter it rendered, if any: what `check` compares letters against
    notes: tuple[str, ...] = ()  # worth saying, not warnings (`--strict` passes): a long PDF, what a limit left out
    fitted: bool = False  # its PDF was fitted to a page limit: `profile` is the fitted one


@dataclass(frozen=True)
class Outcome:
    """What running one job gave: its files in memory, or the reason it failed, and what it logged."""

    prepared: Prepared | None
    failure: str | None
    logged: tuple[str, ...]
    remote: bool = False  # run in a worker process, so its warnings were not shown as they happened
    densities: tuple[tuple[str, str], ...] = ()  # density decisions made by laying out, for the record


_ONE_JOB_AT_A_TIME = threading.Lock()


def run_job(job: Job, settings: Settings) -> Outcome:
    """Load, tailor, fit and render one job in memory. Safe to run in a worker process.

    What it logged is its own, each message once (HTML and PDF may say the same thing): nothing is
    remembered from an earlier job, so a job warns alike whichever worker and whatever came before.
    Jobs sent to threads (a threaded executor) run one at a time: the warnings they log and the
    PDF renderer's fonts belong to the whole process."""
    from cvforge.renderers.density_memory import remembered

    with (
        _ONE_JOB_AT_A_TIME,
        collect_warnings() as logged,
        remembered(dict(settings.densities), settings.layout_salt) as learnt,
    ):
        try:
            preparers = {"target": prepare_target, "letter": prepare_letter}
            prepared = preparers.get(job.kind, prepare_profile)(job, settings)
        except CvforgeError as exc:
            return Outcome(None, exc.format_message(), _messages(logged))
    return Outcome(prepared, None, _messages(logged), densities=tuple(learnt.items()))


def _messages(records: Sequence[logging.LogRecord]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(record.getMessage() for record in records))


def run_remote(job: Job, settings: Settings) -> Outcome:
    return dataclasses.replace(run_job(job, settings), remote=True)


def rendered_files(
    document: Document, theme: Theme, formats: Sequence[str], stem: Path, profile_dir: Path, *, pdf_next: bool = True
) -> dict[Path, tuple[str, bytes]]:
    """Every format's files, named from `stem`: out/x.pdf, out/x-1.png, out/x-2.png…

    In `cvforge watch` (a layout helper running), the HTML is built alone and its PDF next: the
    PDF's layout starts in the helper now, while this process writes the HTML (`pdf_next`: this
    document is the one the PDF will show)."""
    from cvforge.renderers import ahead

    if pdf_next and ahead.running() and "html" in formats and "pdf" not in formats:
        from cvforge.renderers.pdf import lay_out_ahead

        lay_out_ahead(document, theme, profile_dir)
    files: dict[Path, tuple[str, bytes]] = {}
    for position, fmt in enumerate(formats):
        if fmt not in RENDERERS:  # letters and packets are made by `letter_outputs`
            continue
        for suffix, data in render_files(document, theme, fmt, profile_dir).items():
            files[stem.with_name(f"{stem.name}{suffix}")] = (fmt, data)
        if fmt == "pdf" and formats[position + 1 :]:
            from cvforge.renderers.pdf import let_go_of_pages

            let_go_of_pages()
    return files


def prepare_profile(job: Job, settings: Settings) -> Prepared:
    """A profile as written, into out/NAME.FORMAT; with `--page-limit`, its paged formats fitted
    to it (see `page_budget`), the rest complete."""
    whole, theme, profile, document = _viewed(job, settings)
    stem = settings.out_dir / job.path.stem
    if settings.page_limit is None:
        files = rendered_files(document, theme, settings.formats, stem, job.path.parent)
        return Prepared(files, profile, notes=long_pdf_notes(files, target=False))
    from cvforge.builder.page_budget import PAGED_FORMATS, fit_profile

    fit, note = fit_profile(whole, theme, settings.page_limit, measurer(job.path.parent))
    fitted = localized(fit.profile, fit.theme)
    paged = [fmt for fmt in settings.formats if fmt in PAGED_FORMATS]
    files = rendered_files(
        document, theme, [fmt for fmt in settings.formats if fmt not in paged], stem, job.path.parent, pdf_next=False
    )
    if paged:
        fitted_document = view_document(fitted, section_order(fit.theme))
        files |= rendered_files(fitted_document, fit.theme, paged, stem, job.path.parent)
    warnings = () if fit.fits else (overflow_warning(fit),)
    return Prepared(files, fitted, warnings=warnings, notes=(note,) if paged else (), fitted=bool(paged))


def _viewed(job: Job, settings: Settings) -> tuple[Profile, Theme, Profile, Document]:
    """The profile (redacted), its theme, the profile in the theme's language, and its view: made once
    per build of the same file and settings (`once_per_build`). A watch rebuild builds the HTML, then
    the PDF: the PDF's build gets the very document the HTML's made, whose print page is made already."""
    loaded = load_profile(job.path)  # the same object within a build, until the file changes
    options = tuple(sorted(settings.options.items()))
    key = ("view", id(loaded), settings.redact, settings.theme_name, tuple(settings.theme_dirs), options)

    def view() -> tuple[Profile, Profile, Theme, Profile, Document]:
        whole = redact_profile(loaded, settings.redact)
        theme = resolve_theme(whole, display_path(job.path), settings.theme_name, settings.theme_dirs, settings.options)
        profile = localized(whole, theme)
        return loaded, whole, theme, profile, view_document(profile, section_order(theme))

    _, whole, theme, profile, document = once_per_build(key, view)  # `loaded` held: its id stays its own
    return whole, theme, profile, document


def long_pdf_notes(files: dict[Path, tuple[str, bytes]], *, target: bool) -> tuple[str, ...]:
    """A note for a resume PDF past two pages (see `page_budget`); nothing for a shorter one or none."""
    from cvforge.builder.page_budget import long_resume_note, pdf_pages

    notes = (long_resume_note(pdf_pages(data), target=target) for fmt, data in files.values() if fmt == "pdf")
    return tuple(note for note in notes if note)


def prepare_target(job: Job, settings: Settings) -> Prepared:
    """Tailor the target's profile, fit it to its page limit, render it, and report on the job match."""
    from cvforge.targets.fit import fit_to_pages
    from cvforge.targets.letter import target_letter
    from cvforge.targets.report import make_report
    from cvforge.targets.tailoring import apply_plan, plan_tailoring, target_options
    from cvforge.targets.target import load_job, load_target, output_stem

    source = display_path(job.path)
    target_file = load_target(job.path)
    target = target_file.target
    profile_dir = target_file.profile_path.parent
    profile = redact_profile(load_profile(target_file.profile_path), (*settings.redact, *target.redact))
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
    limit = settings.page_limit if settings.page_limit is not None else target.page_limit
    if limit is not None:
        fit = fit_to_pages(profile, target, plan, theme, limit, measurer(profile_dir))
        tailored, theme = fit.profile, fit.theme
        if not fit.fits:
            warnings.append(overflow_warning(fit))
    tailored = localized(tailored, theme)
    document = view_document(tailored, section_order(theme))
    stem = settings.out_dir / output_stem(target_file, profile)
    files = rendered_files(document, theme, settings.formats, stem, profile_dir)
    letter_files, letter, letter_warnings = letter_outputs(
        target_letter(job.path, target),
        tailored,
        theme,
        settings.formats,
        stem,
        profile_dir,
        lambda: (
            files.get(stem.with_name(f"{stem.name}.pdf"), ("", b""))[1]
            or render_files(document, theme, "pdf", profile_dir)[".pdf"]
        ),
    )
    warnings += letter_warnings
    report = None
    if analysed is not None and target_file.job_path is not None:
        # Paths as the target writes them and as the output folder holds them: a report that CI
        # publishes must not carry the machine's absolute paths.
        report = make_report(
            target=target_file.name,
            profile=target.profile,
            job_source=target.job.description if target.job else "",
            job=analysed,
            plan=plan,
            shown=document,
            everything=view_document(profile),
            fit=fit,
            outputs=[path.relative_to(settings.out_dir).as_posix() for path in {**files, **letter_files}],
            letter=letter,
        )
        files[stem.with_name(f"{stem.name}.match.md")] = ("match.md", report.to_markdown().encode("utf-8"))
        files[stem.with_name(f"{stem.name}.match.json")] = ("match.json", report.to_json().encode("utf-8"))
    notes = long_pdf_notes(files, target=True) if limit is None else ()
    return Prepared({**files, **letter_files}, tailored, report, tuple(warnings), letter, notes)


def prepare_letter(job: Job, settings: Settings) -> Prepared:
    """A standalone letter file, into out/PROFILE/NAME.letter.FORMAT, in its sender's theme."""
    from cvforge.targets.letter import load_letter_file

    source = load_letter_file(job.path)
    profile = redact_profile(load_profile(source.profile_path), (*settings.redact, *source.redact))
    shown = display_path(source.profile_path)
    theme = resolve_theme(profile, shown, settings.theme_name or source.theme, settings.theme_dirs, {})
    theme = theme.with_options(dict(source.options), f"{display_path(job.path)}: options")
    theme = theme.with_options(settings.options, "--option")
    stem = settings.out_dir / source.profile_path.stem / job.path.stem
    files, letter, warnings = letter_outputs(source, profile, theme, settings.formats, stem, source.profile_path.parent)
    return Prepared(files, profile, warnings=warnings, letter=letter)


def measurer(profile_dir: Path) -> Callable[[Profile, Theme], Layout]:
    """How a page fit measures a candidate: the real PDF layout of its Document, nothing written."""

    from cvforge.renderers.pdf import layout

    def measure(profile: Profile, theme: Theme) -> Layout:
        return layout(view_document(localized(profile, theme), section_order(theme)), theme, profile_dir)

    return measure


def overflow_warning(fit: FitResult) -> str:
    """Say that the limit was not met, and what is still past it."""
    density = f" at density {fit.density}" if fit.density else ""
    return (
        f"page limit {fit.limit} not met: {fit.pages} pages{density} even without every part a fit may leave out "
        f"(roles, education and each item's best bullet always stay); past the limit: " + "; ".join(fit.overflow)
    )
