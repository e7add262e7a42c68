"""Document → PDF: the theme's HTML (print media) laid out by WeasyPrint.

WeasyPrint is imported here, lazily, because importing it costs about half a second; a build that
makes no PDF never pays it. Its URL fetcher only serves files from the theme's own static folders.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from cvforge.document.view import Document
from cvforge.renderers import ahead, density_memory, fontcache, fonts, linestart, printsheet, textlayer
from cvforge.renderers.fontcache import fonts_dir
from cvforge.renderers.glyphs import printable
from cvforge.renderers.html import render_html, theme_css
from cvforge.renderers.themes import DENSITIES, Theme, density_steps
from cvforge.renderers.weasyload import import_weasyprint

if TYPE_CHECKING:
    from weasyprint.document import Document as WeasyDocument
    from weasyprint.text.fonts import FontConfiguration

LOGGER = logging.getLogger(__name__)


# WeasyPrint font configurations, by the exact @font-face rules of the pages laid out with them. A
# configuration keeps every face it was ever given, and its measurements (line struts) with them:
# shared by documents with other faces, one document's fonts would reach the next one's layout.
# One process owns them: a forked worker gets copies whose font folder is its parent's (see
# `_configurations`). A few are kept, so a batch of resumes in one script pays for its faces once.
_CONFIGS: OrderedDict[tuple[str, ...], FontConfiguration] = OrderedDict()
_CONFIGS_OWNER = [os.getpid()]
KEPT_CONFIGS = 4
_FACE_RULE = re.compile(r"@font-face\s*\{[^}]*\}")


def _font_config(html: str) -> FontConfiguration:
    """The configuration made for exactly this page's font faces, in this process (made on first use)."""
    configs = _configurations()
    faces = tuple(sorted(set(_FACE_RULE.findall(html))))
    if faces in configs:
        configs.move_to_end(faces)
        return configs[faces]
    config = configs[faces] = _config_class()()
    while len(configs) > KEPT_CONFIGS:
        configs.popitem(last=False)
    return config


def _configurations() -> OrderedDict[tuple[str, ...], FontConfiguration]:
    """This process's configurations. A forked child starts without its parent's: WeasyPrint decides
    whether a face is loaded by a file in the configuration's folder, which parent and children then
    share, so a face one worker loaded looked loaded, and was never loaded, in the other (a Chinese
    resume drawn in the Korean face, or in black bars)."""
    if _CONFIGS_OWNER[0] != os.getpid():
        _CONFIGS.clear()  # the copies' finalizers leave the parent's folder alone (see _config_class)
        _LAYOUTS.clear()  # laid out with the parent's configurations
        printsheet.forget()  # parsed into them
        _CONFIGS_OWNER[0] = os.getpid()
    return _CONFIGS


def remove_font_folders() -> None:
    """Remove this process's WeasyPrint font folders now: a process ending without finalizers
    (cli/quick_exit.py) would otherwise leave them in the temporary folder."""
    configs = _configurations()
    for config in configs.values():
        folder = getattr(config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None
    _LAYOUTS.clear()
    _PRINT_HTML.clear()
    printsheet.forget()
    configs.clear()


@lru_cache(maxsize=1)
def _config_class() -> type[FontConfiguration]:
    """WeasyPrint's FontConfiguration, deleting its font folder only in the process that made it."""
    import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    class ProcessFontConfiguration(FontConfiguration):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.owner = os.getpid()

        # what it calls is bound now: at interpreter exit, module globals may already be None
        def __del__(self, remove: Callable[..., None] = shutil.rmtree, pid: Callable[[], int] = os.getpid) -> None:
            folder = getattr(self, "_folder", None)
            if folder and pid() == self.owner:
                remove(folder, ignore_errors=True)

    return ProcessFontConfiguration


def warm_up(theme: Theme) -> None:
    """Import WeasyPrint and lay out one line with the theme's print stylesheets, so its Latin faces
    are loaded into this process's FontConfiguration: processes forked from this one start ready."""
    import_weasyprint()
    linestart.install()
    from weasyprint import HTML

    css = theme_css(theme, "file", fonts.TEMPLATE_CODEPOINTS)
    roots = print_roots(theme)
    html = f"<!doctype html><style>{css}</style><p>Warm <b>up</b> <i>now</i> <code>1</code></p>"
    HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=make_fetcher(roots)).render(
        font_config=_font_config(html), **PDF_OPTIONS
    )


def make_fetcher(allowed_roots: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that reads local files under `allowed_roots` and nothing else.

    Paths are compared after resolving symbolic links, `..` and percent-escapes, so no spelling of
    a URL reaches outside; every refusal is a warning (a theme asked for something it may not have).
    """
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [root.resolve() for root in allowed_roots]

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            path = _local_path(parsed.path) if parsed.scheme == "file" else None
            if (
                path is None
                or parsed.netloc not in ("", "localhost")
                or not any(path.is_relative_to(root) for root in roots)
                or not path.is_file()
            ):
                LOGGER.warning("PDF: refused to load %s (cvforge reads only the theme's own files)", url[:200])
                raise ValueError(f"cvforge does not load {url[:200]}")
            return URLFetcherResponse(url, _local_bytes(path, url))

    return LocalOnlyFetcher(allowed_protocols=("file", "data"))


def _local_bytes(path: Path, url: str) -> bytes:
    """A theme file's bytes; from the font cache, only a decoded face's, and only verified as it is
    read (the cache folder is input: see fontcache)."""
    if not path.is_relative_to(fonts_dir().resolve()):
        return path.read_bytes()
    data = fontcache.verified_face(path)
    if data is None:
        LOGGER.warning("PDF: refused to load %s (not a font face cvforge decoded into its cache)", url[:200])
        raise ValueError(f"cvforge does not load {url[:200]}")
    return data


def _local_path(url_path: str) -> Path | None:
    """The real file a file: URL names, or None when it cannot name one (a %00 in it, say)."""
    text = unquote(url_path)
    return None if "\x00" in text else Path(text).resolve()


def asset_roots(theme: Theme) -> list[Path]:
    """The theme's static folders that really lie inside their theme's folder (not linked from elsewhere)."""
    # absolute: WeasyPrint takes the first as its base URL, and a `--theme-dir themes` is relative
    resolved = [(folder.resolve(), folder.parent.resolve()) for folder in theme.static_dirs]
    return [folder for folder, theme_folder in resolved if folder.is_relative_to(theme_folder)]


def print_roots(theme: Theme) -> tuple[Path, ...]:
    """Everything a print page of `theme` may load: its static folders, and the cache folder its
    fonts are decoded into (fontcache). Resume, letter and warm-up pages all load through this."""
    return (*asset_roots(theme), fonts_dir())


# Passed to both layout and writing: some (pdf_variant) change how WeasyPrint lays a page out.
# PDF/UA-1 makes a tagged PDF: a structure tree (H1–H3, P, L/LI, Link with its annotation), the
# document language, the title shown as the window title; borders and backgrounds are artifacts.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
# A last page filled less than this is worth saving: the PDF is laid out again at the theme's
# tighter densities, and the first that needs a page fewer is kept.
SPARSE_LAST_PAGE = 0.5


def render_pdf(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """Lay out the print HTML; title, author and keywords come from its <head> into PDF metadata.

    The photo is inline in the HTML, so the fetcher needs no access to the profile's folder.
    At the default density a nearly empty last page is saved by tightening (see `save_last_page`).
    """
    asked = rendering_key(document, theme)
    document = printable(document, theme)  # a character no font of the theme has would print as a box
    guess = _guess_tighter(document, theme, profile_dir)
    kept = save_last_page(document, theme, profile_dir, guess)
    _remember_density(asked, kept.options.get("density"))
    if ahead.running():
        ahead.remember(_document_key(document, theme), kept.options.get("density"))
    html, roots = _print_html(document, kept, profile_dir)
    made_ahead: tuple[Layout, bytes] | None = ahead.outcome((html, roots), take=True)
    if made_ahead is not None:  # the helper wrote it: a guessed tighter density, or watch's HTML-first start
        _LAYOUTS.clear()
        _PRINT_HTML.clear()
        return _counted(made_ahead[1], made_ahead[0].page_count)
    laid_out = _laid_out(html, roots)
    return _counted(write(laid_out), len(laid_out.pages))


# The page counts of the last PDFs render_pdf made, by their bytes: what a build says of a PDF it just
# made (a long resume's note) is known without reading the PDF back (PDFium's import alone is 12 ms).
_PAGES_MADE: OrderedDict[bytes, int] = OrderedDict()
PAGES_KEPT = 4


def _counted(pdf: bytes, pages: int) -> bytes:
    _PAGES_MADE[pdf] = pages
    while len(_PAGES_MADE) > PAGES_KEPT:
        _PAGES_MADE.popitem(last=False)
    return pdf


def pages_made(pdf: bytes) -> int | None:
    """The page count of a PDF render_pdf just made in this process; None for any other PDF."""
    return _PAGES_MADE.get(pdf)


# The density each recent PDF was laid out at, by its document and theme (see `kept_density`).
_KEPT_DENSITY: OrderedDict[str, object] = OrderedDict()
KEPT_DENSITIES = 32


def rendering_key(document: object, theme: Theme) -> str:
    """What laying `document` out in `theme` depends on, as one digest: the key of the small memos
    that spare a second layout in one process (the density a PDF kept, a letter's setting)."""
    import hashlib

    spelled = repr((theme.name, sorted(theme.options.items()), document))
    return hashlib.sha256(spelled.encode("utf-8")).hexdigest()


def _remember_density(key: str, density: object) -> None:
    _KEPT_DENSITY[key] = density
    _KEPT_DENSITY.move_to_end(key)
    while len(_KEPT_DENSITY) > KEPT_DENSITIES:
        _KEPT_DENSITY.popitem(last=False)


def kept_density(document: Document, theme: Theme, profile_dir: Path | None = None) -> str | None:
    """The density this document's PDF is laid out at: the theme's, or a tighter one that saved a
    sparse last page (`save_last_page`). The Word file follows it, so it is as long as the PDF.
    Known without a layout when the PDF was just rendered in this process; else measured."""
    key = rendering_key(document, theme)
    if key not in _KEPT_DENSITY:
        kept = save_last_page(printable(document, theme, warn=False), theme, profile_dir)
        _remember_density(key, kept.options.get("density"))
    density = _KEPT_DENSITY[key]
    return str(density) if density is not None else None


def let_go_of_pages() -> None:
    """In a one-shot command, collect the pages just written before the next format is made. Their
    boxes refer to each other, and such a command collects cycles rarely (cli/quick_exit.py), so
    they stayed in memory under the Word file and the HTML: 3 MiB of an all-format build's peak,
    for one collection (20,000 objects for Sai). A long-lived process collects as usual."""
    from cvforge.renderers import weasyload

    if weasyload.freeze_after_import:  # set for one-shot commands only
        import gc

        gc.collect()


def write(laid_out: WeasyDocument) -> bytes:
    """The PDF of a laid-out page, with dates that never depend on the clock. The layouts measured and
    not kept go first: a lower peak of memory."""
    _LAYOUTS.clear()
    _PRINT_HTML.clear()
    textlayer.install()  # every glyph reads back as the text it draws (Cyrillic, Devanagari, Thai, lam-alef)
    with stable_font_dates():
        written = laid_out.write_pdf(**PDF_OPTIONS)
    assert written is not None
    return bytes(written)


def lay_out(html: str, theme: Theme) -> WeasyDocument:
    """A print page of `theme` laid out (kept while it may be written next, see _LAYOUTS)."""
    return _laid_out(html, print_roots(theme))


def _print_html(document: Document, theme: Theme, profile_dir: Path | None) -> tuple[str, tuple[Path, ...]]:
    """The print page; the one just made for the page fit's measure is the one written (not made again)."""
    for made, html in _PRINT_HTML:
        if made[0] is document and made[1] is theme and made[2] == profile_dir:
            return html, print_roots(theme)
    html = render_html(document, theme, mode="file", profile_dir=profile_dir)
    _PRINT_HTML.append(((document, theme, profile_dir), html))
    del _PRINT_HTML[:-2]
    return html, print_roots(theme)


# The last two print pages, by the very document and theme objects they were made from: a build
# measures the page it then writes. Kept by identity (the objects are held, so never reused) until written.
_PRINT_HTML: list[tuple[tuple[Document, Theme, Path | None], str]] = []


def save_last_page(
    document: Document, theme: Theme, profile_dir: Path | None = None, guess: _Guess | None = None
) -> Theme:
    """The theme, tightened one density step at a time while that saves a sparse last page.

    Only from the default density ("normal"): a theme or profile asking for another keeps it.
    A resume that fits one page at a tighter density is then one page, not one and a bit.
    A `guess` is a tighter density already laid out by the helper (see `ahead`): measured, not redone.
    A decision the builder recorded for exactly these print pages is taken as it is (`density_memory`).
    """
    if theme.options.get("density") != "normal":
        return theme
    steps = [d for d in density_steps(theme) if DENSITIES.index(d) < DENSITIES.index("normal")]
    tighter = [theme.with_options({"density": density}, "page budget") for density in steps]
    key = _decision_key(document, [theme, *tighter], profile_dir) if tighter and density_memory.has_known() else None
    decided = density_memory.known(key) if key else None
    if decided is not None:
        return next((t for t in tighter if t.options.get("density") == decided), theme)
    pages = layout(document, theme, profile_dir).pages
    if len(pages) < 2 or pages[-1].fill >= SPARSE_LAST_PAGE:
        return theme  # decided by the one layout that is written: nothing worth remembering
    kept = theme
    for candidate in tighter:
        density = str(candidate.options.get("density"))
        done = guess.outcome() if guess is not None and guess.density == density else None
        measured = done[0] if done else layout(document, candidate, profile_dir)
        if measured.page_count < len(pages):
            kept = candidate
            break
    if density_memory.active():
        key = key or _decision_key(document, [theme, *tighter], profile_dir)
        density_memory.learn(key, str(kept.options.get("density")))
    return kept


def _decision_key(document: Document, themes: Sequence[Theme], profile_dir: Path | None) -> str:
    """The density decision's inputs: the print page at every density it may lay out (as `layout` makes them)."""
    pages = [_print_html(printable(document, theme, warn=False), theme, profile_dir) for theme in themes]
    return density_memory.decision_key(pages[0][0], "\0".join(html for html, _ in pages[1:]), pages[0][1])


@dataclass(frozen=True)
class _Guess:
    """A tighter density being laid out and written by the helper process, as this one would:
    its print page and asset folders, the key of the helper's work (`ahead.submit_once`)."""

    density: str
    page: tuple[str, tuple[Path, ...]]

    def outcome(self) -> tuple[Layout, bytes] | None:
        """Its layout and PDF; None when the helper failed or was stopped (laid out here instead)."""
        made: tuple[Layout, bytes] | None = ahead.outcome(self.page)
        return made


def _document_key(document: Document, theme: Theme) -> tuple[str, str]:
    return theme.name, document.person.name


def _guess_tighter(document: Document, theme: Theme, profile_dir: Path | None) -> _Guess | None:
    """With a helper running (`cvforge watch`), the density this resume kept last time, when that
    was a tighter one: sent to the helper now, while this process lays out the normal density."""
    tighter = _tighter_last_time(document, theme) if ahead.running() else None
    if tighter is None:
        return None
    page = _start_ahead(document, tighter, profile_dir)
    return _Guess(str(tighter.options.get("density")), page) if page is not None else None


def lay_out_ahead(document: Document, theme: Theme, profile_dir: Path | None) -> None:
    """In `cvforge watch`, as the HTML is written: this resume's PDF at the density it kept last
    time, laid out and written in the helper on the second core. `render_pdf` then takes it
    instead of laying it out here: the PDF lands sooner by the time the HTML took."""
    if ahead.running():
        _start_ahead(document, _tighter_last_time(document, theme) or theme, profile_dir)


def _tighter_last_time(document: Document, theme: Theme) -> Theme | None:
    """`theme` at the tighter density this resume's PDF kept last time in this watch; None when it
    kept the theme's normal one, or the theme asks for another density itself."""
    density = ahead.last_choice(_document_key(document, theme))
    if density is None or density == "normal" or theme.options.get("density") != "normal":
        return None
    return theme.with_options({"density": density}, "page budget")


def _start_ahead(document: Document, theme: Theme, profile_dir: Path | None) -> tuple[str, tuple[Path, ...]] | None:
    """The PDF of this print page (as `layout` makes it) laid out and written in the helper; the
    page, the key of that work (`ahead.outcome`), or None when no helper took it."""
    html, roots = _print_html(printable(document, theme, warn=False), theme, profile_dir)
    return (html, roots) if ahead.submit_once((html, roots), lay_out_and_write, html, roots) is not None else None


def lay_out_and_write(html: str, roots: tuple[Path, ...]) -> tuple[Layout, bytes]:
    """One PDF, measured and written (what the helper does for a guess)."""
    laid_out = _laid_out(html, roots)
    return Layout(tuple(_outline(page) for page in laid_out.pages)), write(laid_out)


@contextmanager
def stable_font_dates() -> Iterator[None]:
    """Without HarfBuzz's subsetter (macOS, pip-only installs) WeasyPrint subsets fonts with
    fontTools, which stamps each font's `head.modified` with the clock unless SOURCE_DATE_EPOCH is
    set: pin that clock while the PDF is written, so the bytes never depend on the time of day."""
    from fontTools.ttLib.tables import _h_e_a_d

    original = _h_e_a_d.timestampNow
    _h_e_a_d.timestampNow = _fixed_font_time
    try:
        yield
    finally:
        _h_e_a_d.timestampNow = original


def _fixed_font_time() -> int:
    """SOURCE_DATE_EPOCH when set (as fontTools reads it), else 2000-01-01, in fontTools' epoch (1904)."""
    from fontTools.misc.timeTools import epoch_diff

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch if epoch.isdigit() else 946684800) - int(epoch_diff)


@dataclass(frozen=True)
class PageOutline:
    """What one laid-out page holds: the h1–h3 headings that start on it, whether it opens with the
    rest of something begun on the page before, the free height below its last line and the height
    of its content area (CSS px)."""

    headings: tuple[tuple[int, str], ...]
    continues: bool
    free: float = 0.0
    height: float = 0.0
    last_tag: str | None = None  # the element holding the page's last line: "h2" there is an orphaned heading

    @property
    def fill(self) -> float:
        """How much of the printable height the page's content reaches, 0–1."""
        return 1.0 - self.free / self.height if self.height else 1.0


@dataclass(frozen=True)
class Layout:
    """The PDF as WeasyPrint lays it out, without writing it: enough to fit a page limit."""

    pages: tuple[PageOutline, ...]

    @property
    def page_count(self) -> int:
        return len(self.pages)


def layout(document: Document, theme: Theme, profile_dir: Path | None = None) -> Layout:
    """Measure the PDF's pages. The laid-out document is kept, so writing the same PDF next is free."""
    html, roots = _print_html(printable(document, theme, warn=False), theme, profile_dir)
    made_ahead: tuple[Layout, bytes] | None = ahead.outcome((html, roots))
    if made_ahead is not None:
        return made_ahead[0]
    rendered = _laid_out(html, roots)
    return Layout(tuple(_outline(page) for page in rendered.pages))


# The last two layouts, by their HTML and asset folders: a page fit measures the final version, then
# the PDF is written from it without laying it out again. Two, not more: each holds its box tree.
_LAYOUTS: OrderedDict[tuple[str, tuple[Path, ...]], WeasyDocument] = OrderedDict()


def _laid_out(html: str, roots: tuple[Path, ...]) -> WeasyDocument:
    """One layout per HTML, kept while it may be written next (see _LAYOUTS)."""
    import_weasyprint()
    linestart.install()  # before any layout: no word cut where the line could break before it
    from weasyprint import HTML

    key = (html, roots)
    if key in _LAYOUTS:
        _LAYOUTS.move_to_end(key)
        return _LAYOUTS[key]
    base_url = roots[0].as_uri() + "/" if roots else None
    fetcher, config = make_fetcher(roots), _font_config(html)
    split = printsheet.split(html)  # the theme's stylesheet, parsed once rather than at every layout
    page = HTML(string=split[0] if split else html, base_url=base_url, url_fetcher=fetcher)
    # read against the page's own base URL (a <base> element moves it), as WeasyPrint reads a <style>
    parsed = printsheet.parsed(split[1], page.base_url, fetcher, config) if split else None
    if split and parsed is None:  # its parse warned: laid out with the sheet inline, to warn again
        page = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    sheet: dict[str, Any] = {"counter_style": parsed.counters, "stylesheets": [parsed.sheet]} if parsed else {}
    laid_out = page.render(font_config=config, **sheet, **PDF_OPTIONS)
    _LAYOUTS[key] = laid_out
    while len(_LAYOUTS) > 2:
        _LAYOUTS.popitem(last=False)
    return laid_out


def _outline(page: Any) -> PageOutline:
    """Headings come from WeasyPrint's bookmarks; a page 'continues' when text precedes its first one."""
    headings = tuple((level, label) for level, label, _, _ in page.bookmarks)
    first_text_y = next((box.position_y for box in _text_boxes(page)), None)
    first_heading_y = page.bookmarks[0][2][1] if page.bookmarks else None
    continues = first_text_y is not None and (first_heading_y is None or first_text_y < first_heading_y - 0.5)
    last = _last_line_tag(_body(page))
    return PageOutline(headings, continues, free_height(page), float(page._page_box.height), last)


def _body(page: Any) -> Any:
    """The page's root box; the page box's later children are its margin boxes (page numbers)."""
    return page._page_box.children[0]


def _text_boxes(page: Any) -> Any:
    """Text on the page body, in layout order."""
    from weasyprint.formatting_structure.boxes import TextBox

    return (box for box in _body(page).descendants() if isinstance(box, TextBox) and box.text.strip())


def _last_line_tag(box: Any) -> str | None:
    """The tag of the element whose line is the last one laid out on the page (None: no text)."""
    from weasyprint.formatting_structure.boxes import LineBox

    last: str | None = None
    for child in getattr(box, "children", ()):
        if isinstance(child, LineBox):
            last = getattr(box, "element_tag", None) or last
        else:
            last = _last_line_tag(child) or last
    return last


def free_height(page: Any) -> float:
    """Height left between the page's last line and the bottom of its content area."""
    from weasyprint.formatting_structure.boxes import LineBox

    box = page._page_box
    bottom = float(box.content_box_y() + box.height)
    lines = [line.position_y + line.height for line in _body(page).descendants() if isinstance(line, LineBox)]
    return max(0.0, bottom - max(lines, default=float(box.content_box_y())))
