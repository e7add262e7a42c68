"""LetterDocument → HTML and PDF through the theme's `letter.html.j2`, in the resume's look.

The letter template includes the resume's own header partial and uses the resume's stylesheets
plus `letter.css`, so the letter matches the resume it goes with. The PDF must fit one page: it
is laid out at spacing steps 0, 1 and 2 (each tighter), and the first that fits is written; if
none does, the result names what is past page one, for the build to warn about.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvforge.document.letter import LetterDocument
from cvforge.errors import CvforgeError
from cvforge.reader.signature import read_signature
from cvforge.renderers import fonts
from cvforge.renderers.context import LetterContext
from cvforge.renderers.html import AssetMode, check_coverage, page_context, photo_uri, render_page
from cvforge.renderers.themes import Theme

LETTER_TEMPLATE = "letter.html.j2"
LETTER_STYLESHEET = "letter.css"
FIT_STEPS = (0, 1, 2)  # spacing steps: letter.css tightens `.fit-1` and `.fit-2`
LETTER_FORMATS = ("pdf", "docx", "html", "md", "txt")
# Format → (module, function(letter, theme, profile_dir, letter_dir) -> bytes); PDF is `fit_letter_pdf`.
LETTER_RENDERERS: dict[str, tuple[str, str]] = {
    "docx": ("cvforge.renderers.docx.letter", "render_letter_docx"),
    "html": ("cvforge.renderers.letter", "render_letter_html_bytes"),
    "md": ("cvforge.renderers.letter_text", "render_letter_markdown"),
    "txt": ("cvforge.renderers.letter_text", "render_letter_text"),
}


def letter_theme(theme: Theme) -> Theme:
    """The theme with `letter.css` after its own stylesheets (the first theme in the chain that ships it wins)."""
    names = theme.stylesheet_names(screen=False)
    if LETTER_STYLESHEET in names or theme.find_static(LETTER_STYLESHEET) is None:
        return theme
    options = {**theme.options, "stylesheets": ",".join([*names, LETTER_STYLESHEET])}
    return dataclasses.replace(theme, options=options)


def signature_uri(letter: LetterDocument, letter_dir: Path | None) -> str | None:
    if letter.signature is None or letter_dir is None:
        return None
    return read_signature(letter_dir, letter.signature).data_uri()


def render_letter_html(
    letter: LetterDocument,
    theme: Theme,
    mode: AssetMode = "embed",
    profile_dir: Path | None = None,
    letter_dir: Path | None = None,
    fit: int = 0,
    lift: int = 0,
) -> str:
    """The letter page; `fit` is the spacing step (0: the theme's own spacing), `lift` the steps of
    white space above the letter that set a short one as a block on its page (see `fit_letter_pdf`)."""
    styled = letter_theme(theme)
    codepoints = fonts.document_codepoints(letter)
    check_coverage(styled, codepoints)
    context: LetterContext = {
        **page_context(styled, mode, photo_uri(letter, profile_dir), letter.locale),
        "doc": letter,
        "signature": signature_uri(letter, letter_dir),
        "fit": fit,
        "lift": lift,
    }
    return render_page(styled, LETTER_TEMPLATE, mode, codepoints, context)


def render_letter_html_bytes(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> bytes:
    """The standalone HTML file, as the build writes it."""
    return render_letter_html(letter, theme, profile_dir=profile_dir, letter_dir=letter_dir).encode("utf-8")


@dataclass(frozen=True)
class LetterPdf:
    """The letter's PDF, how tight its spacing had to be, and what is still past page one (if anything)."""

    data: bytes
    pages: int
    fit: int
    overflow: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        return self.pages == 1


def fit_letter_pdf(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> LetterPdf:
    """Lay the letter out at each spacing step until it fits one page; write the first that does (or the tightest)."""
    from cvforge.renderers.pdf import write

    rendered, step = _set_letter(letter, theme, profile_dir, letter_dir)
    overflow = () if len(rendered.pages) <= 1 else describe_overflow(letter, rendered.pages[1:])
    return LetterPdf(write(rendered), len(rendered.pages), step, overflow)


@dataclass(frozen=True)
class LetterSetting:
    """How the PDF sets a letter: its spacing step and the lift steps above a short one. The Word
    letter follows both, so it reads at the same size and sits on its page the same way."""

    fit: int
    lift: int


def letter_setting(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> LetterSetting:
    """The PDF's setting of this letter: known when its PDF was just made in this process, else laid out."""
    from cvforge.renderers.pdf import rendering_key

    key = rendering_key(letter, theme)
    if key not in _SETTINGS:
        _set_letter(letter, theme, profile_dir, letter_dir)
    return _SETTINGS[key]


# The setting of each recent letter PDF, by its letter and theme (see `letter_setting`).
_SETTINGS: dict[str, LetterSetting] = {}
KEPT_SETTINGS = 32


def _set_letter(
    letter: LetterDocument, theme: Theme, profile_dir: Path | None, letter_dir: Path | None
) -> tuple[Any, int]:
    """The letter laid out at the first spacing step that fits one page (or the tightest), lifted
    when short; remembered as its `LetterSetting`."""
    from cvforge.renderers.pdf import lay_out, rendering_key

    rendered: Any = None
    step = FIT_STEPS[0]
    for step in FIT_STEPS:
        rendered = lay_out(render_letter_html(letter, theme, "file", profile_dir, letter_dir, fit=step), theme)
        if len(rendered.pages) <= 1:
            break
    lift = _lift_steps(rendered.pages[0]) if len(rendered.pages) == 1 else 0
    if lift:
        html = render_letter_html(letter, theme, "file", profile_dir, letter_dir, fit=step, lift=lift)
        rendered = lay_out(html, theme)
    _SETTINGS[rendering_key(letter, theme)] = LetterSetting(step, lift)
    while len(_SETTINGS) > KEPT_SETTINGS:
        del _SETTINGS[next(iter(_SETTINGS))]
    return rendered, step


LIFT_STEP_MM = 4.0  # letter.css: `.lift-N` adds N × 4 mm above the letter
LIFT_STEP_PX = LIFT_STEP_MM * 96 / 25.4  # a layout's heights are CSS px (96 to the inch), not points
LIFT_STEPS = 12


def _lift_steps(page: Any) -> int:
    """How many lift steps put two fifths of a short letter's free space above it and three below
    (a block a little above the middle, as a letter is set); none when the page is nearly full."""
    from cvforge.renderers.pdf import free_height

    return min(LIFT_STEPS, int(free_height(page) * 0.4 // LIFT_STEP_PX))


def describe_overflow(letter: LetterDocument, pages: Sequence[Any]) -> tuple[str, ...]:
    """What the pages after the first hold, by the ids the letter template gives its parts."""
    from cvforge.renderers.pdf import _body

    found: list[str] = []
    for page in pages:
        for box in _body(page).descendants():
            element = getattr(box, "element", None)
            ident = element.get("id") if element is not None else None
            if ident and ident not in found:
                found.append(ident)
    return tuple(_part_name(letter, ident) for ident in found if ident.startswith(("body-", "sign-off", "enclosures")))


def _part_name(letter: LetterDocument, ident: str) -> str:
    if ident.startswith("body-"):
        number = int(ident.removeprefix("body-"))
        words = " ".join("".join(span.text for span in letter.body[number - 1]).split()[:6])
        return f"paragraph {number} (“{words}…”)"
    return {"sign-off": "the closing and signature", "enclosures": "the enclosures line"}[ident]


def render_letter(
    letter: LetterDocument, theme: Theme, fmt: str, profile_dir: Path | None = None, letter_dir: Path | None = None
) -> bytes:
    """One format of the letter, in memory (the PDF at the spacing that fits, without its fit report)."""
    if fmt == "pdf":
        return fit_letter_pdf(letter, theme, profile_dir, letter_dir).data
    if fmt not in LETTER_RENDERERS:
        raise CvforgeError(f"a letter cannot be rendered as '{fmt}' (use {', '.join(LETTER_FORMATS)})")
    module_name, function_name = LETTER_RENDERERS[fmt]
    renderer = getattr(importlib.import_module(module_name), function_name)
    return bytes(renderer(letter, theme, profile_dir, letter_dir))
