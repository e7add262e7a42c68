"""The library's front door: profiles in, files out. Gathers everything, renders in memory, writes atomically.

One failing profile does not stop the others; the result says what was written and what failed,
and the CLI decides how to print it.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cvforge.check import EXTRACTORS, Report, check_bytes
from cvforge.errors import CvforgeError, display_path
from cvforge.loader import load_profile
from cvforge.logs import collect_warnings
from cvforge.schema import Profile
from cvforge.themes import OptionValue, Theme, load_theme
from cvforge.view import Document, view_document

FORMATS: tuple[str, ...] = ("pdf", "docx", "html")  # what `build` makes by default
DEFAULT_THEME = "classic"


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


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

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


def build(
    profile_paths: Iterable[Path],
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
    """Build every profile into every format; all of one profile's files are rendered before any is written.

    With `check`, every PDF and DOCX written is read back as a parser would (see `cvforge.check`).
    With `strict`, a profile whose build logged a warning (say, a remote photo left out) is not written.
    """
    result = BuildResult()
    for path in profile_paths:
        source = display_path(path)
        with collect_warnings() as warned:
            try:
                profile = load_profile(path)
                theme = resolve_theme(profile, source, theme_name, theme_dirs, options or {})
                document = view_document(profile, section_order(theme))
                rendered = {fmt: render_files(document, theme, fmt, path.parent) for fmt in formats}
            except CvforgeError as exc:
                result.failures.append(Failure(source, exc.format_message()))
                continue
        if strict and warned:
            messages = "\n".join(record.getMessage() for record in warned)
            result.failures.append(Failure(source, f"{messages}\nwarnings are errors with --strict"))
            continue
        for fmt, files in rendered.items():
            for suffix, data in files.items():
                target = out_dir / f"{path.stem}{suffix}"
                write_atomic(target, data)
                report = check_bytes(profile, data, fmt, display_path(target)) if check and fmt in EXTRACTORS else None
                output = Output(target, fmt, len(data), report)
                result.outputs.append(output)
                if on_output:
                    on_output(output)
            remove_stale_pages(out_dir, path.stem, files)
    return result


def remove_stale_pages(out_dir: Path, stem: str, files: Mapping[str, bytes]) -> None:
    """A format that numbers its files (NAME-1.png…) drops the pages an earlier, longer build left."""
    numbered = [suffix for suffix in files if suffix.startswith("-") and suffix[1:].split(".")[0].isdigit()]
    if not numbered:
        return
    extension = Path(numbered[0]).suffix
    number = len(numbered) + 1
    while (stale := out_dir / f"{stem}-{number}{extension}").is_file():
        stale.unlink()
        number += 1
