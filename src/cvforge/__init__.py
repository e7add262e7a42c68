"""cvforge: one resume profile, compiled through themes into PDF, DOCX and HTML.

The public API follows the pipeline, one verb a stage:

    import cvforge

    profile = cvforge.load("profiles/jane.yaml")           # read and validate (cvforge, JSON Resume, RenderCV)
    pdf = cvforge.render(profile, "pdf", theme="modern")   # bytes; nothing is written
    report = cvforge.check(pdf, profile)                   # read it back as a job portal's parser would
    findings = cvforge.review(profile)                     # weak bullets, located, offline
    result = cvforge.build(["profiles"], out_dir="out")    # the CLI's build: cached, atomic, parallel

Every function raises a subclass of `CvforgeError` for bad input and never prints. Heavy libraries
(WeasyPrint, python-docx) load only when a format that needs them is rendered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from cvforge.errors import (
    CheckError,
    CvforgeError,
    Problem,
    ProfileError,
    RenderError,
    TargetError,
    ThemeError,
    UsageError,
)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from cvforge.builder.jobs import Job
    from cvforge.builder.run import BuildResult
    from cvforge.readback.verify import Report
    from cvforge.renderers.themes import OptionValue
    from cvforge.reviewer.finding import Finding
    from cvforge.schema import Profile
    from cvforge.targets.target import TargetFile

__version__ = "0.1.0"

# Warnings are log records on the "cvforge" logger: a program shows them by configuring logging,
# and without that Python's last-resort handler must not print them for us.
logging.getLogger("cvforge").addHandler(logging.NullHandler())

__all__ = [
    "BuildResult",
    "CheckError",
    "CvforgeError",
    "Finding",
    "Problem",
    "Profile",
    "ProfileError",
    "RenderError",
    "Report",
    "TargetError",
    "TargetFile",
    "ThemeError",
    "UsageError",
    "__version__",
    "build",
    "check",
    "load",
    "load_target",
    "render",
    "review",
    "tailor",
    "warm_pool",
]

Format = Literal["pdf", "docx", "html", "md", "txt", "png"]
_LAZY_TYPES = {
    "BuildResult": "cvforge.builder.run",
    "Finding": "cvforge.reviewer.finding",
    "Report": "cvforge.readback.verify",
    "Profile": "cvforge.schema",
    "TargetFile": "cvforge.targets.target",
}
_SUFFIXES = (".yaml", ".yml", ".json")


def __getattr__(name: str) -> Any:
    """The API's classes load with their stage on first use, so `import cvforge` stays instant."""
    if name in _LAZY_TYPES:
        import importlib

        return getattr(importlib.import_module(_LAZY_TYPES[name]), name)
    raise AttributeError(f"module 'cvforge' has no attribute {name!r}")


def load(source: str | Path | Mapping[str, Any] | Profile, *, base_dir: str | Path | None = None) -> Profile:
    """Read and validate a profile, in cvforge's own form, JSON Resume or RenderCV YAML.

    `source` is a path (`str` or `Path`) to a `.yaml`, `.yml` or `.json` file, the YAML or JSON
    text itself, or a `dict` (as from `json.load`). A relative photo is looked for next to the
    file, or in `base_dir` (default: the working directory) for text and dicts.

    Raises `ProfileError` whose `.problems` lists every problem at once, each with its file
    (`<string>` or `<dict>` for those), line, column, field path and message.

    Examples:
        >>> profile = cvforge.load("profiles/jane.yaml")
        >>> profile = cvforge.load("person:\\n  name: Jane Doe\\n")
        >>> profile = cvforge.load({"person": {"name": "Jane Doe"}})
        >>> profile.person.name
        'Jane Doe'
    """
    from cvforge.reader.read import load_profile, load_profile_data, load_profile_text
    from cvforge.schema import Profile

    folder = Path(base_dir) if base_dir is not None else Path.cwd()
    if isinstance(source, Profile):
        return source
    if isinstance(source, Path):
        return load_profile(source)
    if isinstance(source, str):
        if _names_a_file(source):
            return load_profile(Path(source))
        return load_profile_text(source, folder)
    if isinstance(source, Mapping):
        return load_profile_data(source, folder)
    raise UsageError(f"cannot load a profile from {type(source).__name__} (give a path, YAML/JSON text or a dict)")


def _names_a_file(text: str) -> bool:
    """A one-line string naming an existing file, or ending like a profile file's name, is a path."""
    if "\n" in text or len(text) > 4096:
        return False
    return text.strip().lower().endswith(_SUFFIXES) or Path(text).is_file()


def load_target(source: str | Path) -> TargetFile:
    """Read and validate a target (one job application: the profile it tailors, the job description,
    tags, order, page limit); the files it names are resolved against the target's own folder.

    Raises `TargetError` (a `ProfileError`) listing every problem, located, including missing files.

    Examples:
        >>> target = cvforge.load_target("targets/jane-acme.yaml")
        >>> target.profile_path
        PosixPath('targets/../profiles/jane.yaml')
    """
    from cvforge.targets.target import load_target as load_target_file

    return load_target_file(Path(source))


def tailor(profile: str | Path | Mapping[str, Any] | Profile, target: str | Path | TargetFile) -> Profile:
    """The profile as the target wants it: items selected by tags, sections ordered, lists capped,
    headline and summary overridden, items ranked by the job description's terms.

    Pure: nothing is read but the target's job description and synonyms, nothing rendered. The page
    limit (which needs layouts) is applied by `build`, which also reports the job match.

    Examples:
        >>> target = cvforge.load_target("targets/jane-acme.yaml")
        >>> tailored = cvforge.tailor(cvforge.load(target.profile_path), target)
    """
    from cvforge.targets.tailoring import apply_plan, plan_tailoring
    from cvforge.targets.target import TargetFile, load_job

    target_file = target if isinstance(target, TargetFile) else load_target(target)
    loaded = load(profile)
    job = load_job(target_file, loaded) if target_file.target.job else None
    return apply_plan(loaded, target_file.target, plan_tailoring(loaded, target_file.target, job))


@overload
def render(
    profile: str | Path | Mapping[str, Any] | Profile,
    format: Literal["png"],
    *,
    theme: str | None = ...,
    options: Mapping[str, OptionValue] | None = ...,
    theme_dirs: Sequence[str | Path] = ...,
    base_dir: str | Path | None = ...,
) -> list[bytes]: ...
@overload
def render(
    profile: str | Path | Mapping[str, Any] | Profile,
    format: Literal["pdf", "docx", "html", "md", "txt"],
    *,
    theme: str | None = ...,
    options: Mapping[str, OptionValue] | None = ...,
    theme_dirs: Sequence[str | Path] = ...,
    base_dir: str | Path | None = ...,
) -> bytes: ...
def render(
    profile: str | Path | Mapping[str, Any] | Profile,
    format: Format,
    *,
    theme: str | None = None,
    options: Mapping[str, OptionValue] | None = None,
    theme_dirs: Sequence[str | Path] = (),
    base_dir: str | Path | None = None,
) -> bytes | list[bytes]:
    """Render one format to bytes in memory: `pdf`, `docx`, `html`, `md`, `txt`, or `png` (a list,
    one PNG a page). Nothing is written.

    `theme` defaults to the profile's own, else `classic`; `options` override the theme's options
    (`{"accent": "#0a7d5a"}`) as `--option` does. `theme_dirs` are searched before the built-in
    themes. A profile given as a path has its photo read next to it; otherwise from `base_dir`.

    Examples:
        >>> pdf = cvforge.render("profiles/jane.yaml", "pdf", theme="modern")
        >>> pdf[:5]
        b'%PDF-'
        >>> pages = cvforge.render(profile, "png")
    """
    from cvforge.builder.theme_choice import resolve_theme
    from cvforge.builder.view_options import localized, section_order
    from cvforge.document.view import view_document
    from cvforge.renderers.formats import RENDERERS, render_files

    if format not in RENDERERS:
        raise UsageError(f"unknown format '{format}' (choose from {', '.join(RENDERERS)})")
    folder = Path(base_dir) if base_dir is not None else Path.cwd()
    if isinstance(profile, Path) or (isinstance(profile, str) and _names_a_file(profile)):
        folder = Path(profile).parent
    loaded = load(profile, base_dir=folder)
    dirs = [Path(d) for d in theme_dirs]
    chosen = resolve_theme(loaded, "<api>", theme, dirs, dict(options or {}))
    document = view_document(localized(loaded, chosen), section_order(chosen))
    files = render_files(document, chosen, format, folder)
    if format == "png":
        return list(files.values())
    return files[f".{format}"]


def build(
    inputs: Iterable[str | Path | Job],
    *,
    out_dir: str | Path = "out",
    formats: Sequence[str] = ("pdf", "docx", "html", "letter", "packet"),
    theme: str | None = None,
    options: Mapping[str, OptionValue] | None = None,
    theme_dirs: Sequence[str | Path] = (),
    jobs: int = 1,
    executor: Executor | None = None,
    check: bool = False,
    strict: bool = False,
    force: bool = False,
    redact: Sequence[str] = (),
    page_limit: int | None = None,
) -> BuildResult:
    """The build the CLI runs: every profile and target in `inputs` into every format in `out_dir`.

    A folder stands for every profile and target in it. Unchanged outputs are skipped (the build
    record in `out_dir`), files are written atomically, and one failing input never stops the
    others: the result lists `outputs`, `failures`, `warnings` and match `reports`.

    `formats` are file formats plus `letter` (a target's cover letter, in the chosen file
    formats) and `packet` (letter then resume, one PDF); profiles make no letters. `redact` names
    contact fields (`phone`, `address`, ...) to leave out of every output. `page_limit` fits every
    resume's PDF, PNG and DOCX to that many pages as a target's `page_limit` does (the HTML,
    Markdown and text stay complete); without it, a PDF past two pages gets a line in `notes`.

    Stale jobs render in `jobs` local processes (forked once WeasyPrint and the fonts are loaded,
    see `warm_pool`), or on `executor`, any `concurrent.futures.Executor`: `warm_pool()` keeps
    such warm workers across builds, and a Dask cluster's `Client.get_executor()` fans the build
    out over its workers (install `cvforge[dask]`). Files are always written here, in input order.

    Examples:
        >>> result = cvforge.build(["profiles"], out_dir="out", formats=["pdf"])
        >>> result.ok, [o.path.name for o in result.outputs]
        (True, ['jane.pdf'])
    """
    from cvforge.builder.discover import jobs_in
    from cvforge.builder.jobs import Job
    from cvforge.builder.output_kinds import parse_formats
    from cvforge.builder.run import build as run_build
    from cvforge.targets.redact import parse_redact

    chosen = parse_formats(list(formats))  # a UsageError names an unknown one
    hidden = parse_redact(",".join(redact)) if redact else ()
    planned: list[Job] = []
    for item in inputs:
        planned += [item] if isinstance(item, Job) else jobs_in(Path(item))
    return run_build(
        planned,
        theme_name=theme,
        formats=chosen,
        out_dir=Path(out_dir),
        theme_dirs=[Path(d) for d in theme_dirs],
        options=dict(options or {}),
        check=check,
        strict=strict,
        force=force,
        workers=jobs,
        executor=executor,
        redact=hidden,
        page_limit=page_limit,
    )


def warm_pool(
    jobs: int | None = None, *, theme: str | None = None, theme_dirs: Sequence[str | Path] = ()
) -> ProcessPoolExecutor:
    """A process pool whose workers start ready to render: WeasyPrint imported and `theme`'s fonts
    loaded once, here, then inherited by every worker (forked on Linux; elsewhere each worker warms
    itself as it starts). Pass it as `build(..., executor=pool)` to keep warm workers across builds;
    `jobs` defaults to the cores this process may use. Shut it down when done (or use `with`).

    Examples:
        >>> with cvforge.warm_pool(2) as pool:
        ...     cvforge.build(["profiles"], out_dir="out", formats=["pdf"], executor=pool).ok
        True
    """
    from cvforge.builder.run import warm_pool as make_pool

    return make_pool(jobs, theme, [Path(folder) for folder in theme_dirs])


def check(
    output: str | Path | bytes,
    profile: str | Path | Mapping[str, Any] | Profile,
    *,
    format: Literal["pdf", "docx"] | None = None,
) -> Report:
    """Read a PDF or DOCX back as an applicant tracking system would and check every detail of the
    profile is there: name, contacts, each role's title, organisation and dates in order, projects,
    skills. `output` is a file path or the file's bytes (the format is told from its first bytes).

    Examples:
        >>> report = cvforge.check("out/jane.pdf", "profiles/jane.yaml")
        >>> report.ok, report.summary()
        (True, 'out/jane.pdf: all 31 checks passed')
    """
    from cvforge.readback.extract import read_output
    from cvforge.readback.verify import check_bytes

    if isinstance(output, bytes):
        data, source = output, "<bytes>"
    else:
        source = str(output)
        data = read_output(Path(output), source)
    fmt = format or ("pdf" if data.startswith(b"%PDF") else "docx" if data.startswith(b"PK") else None)
    if fmt is None:
        raise CheckError(f"{source}: not a PDF or DOCX file")
    return check_bytes(load(profile), data, fmt, source)


def review(profile: str | Path | Mapping[str, Any] | Profile, *, pages: int | None = None) -> list[Finding]:
    """Review a profile as a careful editor would, offline: weak openers, bullets without figures,
    pronouns, repeated verbs, tense, length, clichés, misspellings, technology names, dates and
    contact details (the rules and their fixes: docs/review.md). A target file (`targets/*.yaml`)
    is reviewed as tailored. `pages`, the built PDF's page count, enables the length-of-resume rule.

    A file's findings carry its line and column; text, dicts and loaded profiles carry paths only.
    Raises `ProfileError` when the profile does not validate.

    Examples:
        >>> for finding in cvforge.review("profiles/jane.yaml"):
        ...     print(finding)
        profiles/jane.yaml:42:9: experience[0].bullets[2]: weak-opener: "Responsible for" says what …
    """
    from cvforge.reviewer.engine import review_file, review_profile

    if isinstance(profile, Path) or (isinstance(profile, str) and _names_a_file(profile)):
        path = Path(profile)
        from cvforge.targets.files import is_target_file

        if is_target_file(path):
            from cvforge.reviewer.tailored import review_target

            return review_target(path, pages=pages).findings
        return review_file(path, pages=pages).findings
    return review_profile(load(profile), pages=pages).findings
