"""Document → standalone HTML through the theme's Jinja templates.

Jinja runs in its immutable sandbox with autoescape and StrictUndefined: profile text is only ever
data, what a template is given is read-only to it, and a template mistake names its file and line
instead of printing an empty string.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Literal, cast
from urllib.parse import unquote

from jinja2 import StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from cvforge import __version__
from cvforge.document.headings import heading_parts
from cvforge.document.letter import LetterDocument
from cvforge.document.locale import FIGURE_CHANGE, LocaleView
from cvforge.document.sections import AnySection
from cvforge.document.view import Document
from cvforge.errors import ThemeError
from cvforge.reader.photo import read_photo
from cvforge.renderers import fontcache, fonts
from cvforge.renderers.context import LetterContext, PageContext, ResumeContext
from cvforge.renderers.css import plan_urls
from cvforge.renderers.safety import check_inert, insert_csp
from cvforge.renderers.sandbox import theme_loader
from cvforge.renderers.share import share_context
from cvforge.renderers.templatecache import template_cache
from cvforge.renderers.themes import Theme
from cvforge.schema.markup import Inline, plain_text

LOGGER = logging.getLogger(__name__)
AssetMode = Literal["embed", "file"]
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# What a template expression can raise at render time (1/0, "a" + 1, deep recursion…): a theme's
# mistake, reported with its template and line rather than as a cvforge traceback.
TEMPLATE_RUNTIME_ERRORS = (ArithmeticError, LookupError, TypeError, ValueError, RecursionError)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FACE_FAMILY = re.compile(r"""font-family:\s*(["'])(.+?)\1""")
_CSS_SLOT = Markup("\ufdd2cvforge-stylesheets\ufdd3")  # non-characters: in <head>, before any profile text
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")


# What a line must never break inside, and nothing more (greedy runs leave lines ragged):
# - a number with its unit: "45 min", "~104K writes/s", "3.5 GB", "99.9 %";
# - a short compound: "on-call", "zero-downtime", "reads/s", and a name with its version: "Java 21".
# A break after a hyphen makes poppler join the halves and drop the hyphen ("zerodowntime"); a soft
# hyphen or U+2011 would change the characters extractors read. A compound longer than
# _SHORT_COMPOUND ("first-of-its-kind") is held only on paper: in a phone's narrow column holding it
# leaves a line a quarter short, and a browser has no extractor to mislead.
#
# How a run is held depends on the medium. On screen, a no-wrap span. On paper, word joiners
# (U+2060) after the run's inner spaces, hyphens and slashes, and no element at all: a tagged PDF
# (PDF/UA) gives every inline element its own marked-content sequence, pdf.js ends a text item at
# each, and the space at the boundary becomes a lone blank item that OpenResume drops, so its lines
# read "end-to-endfrom". And WeasyPrint (70, text/line_break.py split_first_line) measures a text
# box's first line with its trailing space, which the text before an element always has: when the
# line fits Pango only without that space, it keeps the box's first word alone and the line ends
# early (sidebar Sai's "a zero-downtime JDK 17 migration"). The text layer writes the joiners as
# nothing (textlayer._NEVER_READ).
_UNIT = (
    r"(?:%|[KMGTP]i?B|[KkM]|[mµn]s|s|secs?|mins?|minutes?|h|hrs?|hours?|days?|wks?|weeks?|mos?|months?"
    r"|yrs?|years?|x|×|pp|pts?|bps|[KMG]bps|rps|qps|tps|ops|FPS|fps|req|\w+/(?:s|sec|min|h|hr|day|mo|yr))"
)
# A letter: \w, and the marks Python's \w leaves out (Devanagari vowel signs, Thai vowels, accents):
# a run cut before "ा" drew it on its own, over a dotted circle ("आध◌ारित").
_L = r"[\w\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0670\u0900-\u0dff\u0e00-\u0e7f]"
_NUMBER_WITH_UNIT = rf"[~≈<>]?\d[\d.,]*[%+×KkMB]*\s+{_UNIT}(?![\w/-])"
_NAME_WITH_VERSION = r"[A-Z][\w.+#]*\s+\d[\d.]*\+?(?![\w%/-])"
_COMPOUND = rf"{_L}+(?:[-/]{_L}+)+"
_UNBREAKABLE = re.compile(rf"(?<!{_L}|-)(?:{_NUMBER_WITH_UNIT}|{_NAME_WITH_VERSION}|{_COMPOUND})(?: (?=\S))?")
_SHORT_COMPOUND = 15  # letters and hyphens: "zero-downtime", "non-withholding" stay whole
_KEEP_LIMIT = 32  # longer runs (paths, URLs) may still wrap rather than overflow a narrow column
# After a space, a hyphen or a slash inside a held run on paper: no line breaks before or after a
# word joiner (Unicode's line breaking rule LB11), so not at the space or mark before it either.
WORD_JOINER = "\u2060"


def keep_together(text: str, *, paper: bool = False) -> Markup:
    """Escaped `text` with every unbreakable run held on one line (the `keep` filter): in a no-wrap
    span on screen, by word joiners on `paper` (see above).

    A link's text (a domain, then a path) breaks after a slash, on paper too: it has no space an
    element could lose. Its parts stay whole in no-wrap spans; one longer than a held run
    ("certified-solutions-architect-professional") may also break before a hyphen, rather than run
    past the edge of a narrow column and the page, but never after one, where pdftotext would take
    the hyphen for a word's and drop it (the link itself keeps the whole address).
    """
    if "/" in text and "." in text.split("/", 1)[0] and not any(char.isspace() for char in text):
        parts = ["<wbr>".join(_nobr_span(piece) for piece in _url_pieces(part)) for part in text.split("/")]
        return Markup("/<wbr>".join(parts))
    return Markup(_UNBREAKABLE.sub(_joined_run if paper else _nobr, str(escape(text))))


def _url_pieces(part: str) -> list[str]:
    """A path part, split before each hyphen when it is too long to hold whole."""
    return re.split(r"(?=-)", part) if len(part) > _KEEP_LIMIT else [part]


def _nobr_span(text: str) -> str:
    return f'<span class="nobr">{escape(text)}</span>' if text else ""


def _nobr(match: re.Match[str]) -> str:
    """The run in a no-wrap span, and the one space after it inside the span, drawn as a glyph, so
    extractors that join words closer than a space's width (pdfplumber) still see two words; the
    `<wbr>` after it keeps the line free to break there (Chromium breaks at no space inside a no-wrap
    span, so without it the run would stick to the next word)."""
    run = match.group(0)
    word = run.rstrip(" ")
    if len(run) > _KEEP_LIMIT:
        return run
    # A long compound is held on paper only, where poppler would drop its hyphen at a line's end; a
    # browser's text has no extractor to mislead, so there it may break after a hyphen.
    if _is_compound(word) and len(word) > _SHORT_COMPOUND:
        return run
    return f'<span class="nobr">{run}</span><wbr>' if run != word else f'<span class="nobr">{run}</span>'


def _joined_run(match: re.Match[str]) -> str:
    """The run on paper: a word joiner after each of its inner spaces, hyphens and slashes; the
    space after it stays a plain space, where the line may break."""
    run = match.group(0)
    word = run.rstrip(" ")
    if len(run) > _KEEP_LIMIT:
        return run
    return _joined(word, " -/") + run[len(word) :]


def _joined(text: str, breaks: str) -> str:
    """`text` with a word joiner after each of `breaks` that a character follows."""
    return re.sub(rf"(?<=[{re.escape(breaks)}])(?=\S)", WORD_JOINER, text)


def _is_compound(word: str) -> bool:
    return re.fullmatch(_COMPOUND, word) is not None


def _isolating_changes(text: str, paper: bool, rtl: bool) -> Markup:
    """`keep_together`, each figure's change ("45 → 15") kept whole: in a left-to-right `<bdi>` on
    screen and on a right-to-left page, where its arrow must point forward (browsers and WeasyPrint
    both follow the element); on a left-to-right page's paper by word joiners alone, as no element
    may split the PDF's text items (see above)."""
    parts: list[str] = []
    last = 0
    for found in FIGURE_CHANGE.finditer(text):
        parts.append(keep_together(text[last : found.start()], paper=paper))
        change = str(escape(found.group(0)))
        if paper and not rtl:
            parts.append(_joined(change, " "))
        elif paper:
            parts.append(f'<bdi dir="ltr">{_joined(change, " ")}</bdi>')
        else:
            parts.append(f'<bdi class="nobr" dir="ltr">{change}</bdi>')
        last = found.end()
    parts.append(keep_together(text[last:], paper=paper))
    return Markup("".join(parts))


def render_inline(spans: Inline | None, *, paper: bool = False, rtl: bool = False) -> Markup:
    """Spans → safe HTML: every text is escaped; only our own tags are added. Runs are held as
    `keep_together` holds them on `paper` or screen, on a page that reads right to left or not."""
    if not spans:
        return Markup("")
    parts: list[str] = []
    for span in spans:
        html = str(_isolating_changes(span.text, paper, rtl)).replace("\n", "<br>")
        if span.code:
            html = f"<code>{html}</code>"
        if span.italic:
            html = f"<em>{html}</em>"
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.href:
            html = f'<a href="{escape(span.href)}" rel="noopener noreferrer">{html}</a>'
        parts.append(html)
    return Markup("".join(parts))


@lru_cache(maxsize=16)
def _environment(template_dirs: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=theme_loader(template_dirs),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline_in_page
    env.filters["own_dir"] = own_dir
    env.filters["tint"] = tint
    env.filters["sep"] = separated_in_page
    env.filters["keep"] = keep_isolated
    env.filters["dir_for"] = dir_for
    env.filters["line_dir"] = line_dir
    env.filters["heading_parts"] = section_heading
    env.bytecode_cache = template_cache(env)  # named by the filters just set: see compiler_view
    return env


def section_heading(section: AnySection, locale: LocaleView) -> tuple[str, str | None]:
    """The section's heading as résumé parsers file it ("Projects", "Skills") and the person's own
    title as a subtitle when it is not one they know ("Selected Work"): a parser that finds no
    "Skills" heading reads no skills (see `document.headings`)."""
    return heading_parts(section.key, section.title, locale)


@pass_context
def keep_isolated(context: Context, text: object) -> Markup:
    """`keep_together`, and a run in the other direction from the page's isolated in `<bdi>`: an
    English title in an Arabic resume, a phone number or a web address among right-to-left text."""
    kept = keep_together(str(text), paper=on_paper(context))
    locale = getattr(context.get("doc"), "locale", None)
    found = locale.dir_of(text) if isinstance(locale, LocaleView) else None
    return Markup(f'<bdi dir="{found}">{kept}</bdi>') if found else kept


@pass_context
def inline_in_page(context: Context, spans: Inline | None) -> Markup:
    """The `inline` filter: `render_inline`, isolated in the text's own direction when it runs the
    other way from the page's (`own_dir`)."""
    locale = getattr(context.get("doc"), "locale", None)
    rtl = bool(getattr(locale, "rtl", False))
    return own_dir(context, render_inline(spans, paper=on_paper(context), rtl=rtl), spans)


def on_paper(context: Context) -> bool:
    """Whether the page is the one WeasyPrint prints (runs are held without elements there)."""
    return bool(context.get("media") == "print")


@pass_context
def own_dir(context: Context, html: object, text: object) -> Markup:
    """`html` in `<bdi dir="rtl">` (or ltr) when `text` runs the other way from the page: an Arabic
    role in an English resume reads right to left inside its line, while the line keeps the page's
    geometry (its bullet, its alignment, the date column), which `dir` on the box would mirror."""
    if isinstance(text, tuple):
        text = plain_text(cast("Inline", text))
    locale = getattr(context.get("doc"), "locale", None)
    found = locale.dir_of(text) if isinstance(locale, LocaleView) and text else None
    markup = html if isinstance(html, Markup) else escape(str(html))
    if not found:
        return markup
    # Its parts isolated the same way (`keep`) need not be twice: WeasyPrint broke a word that
    # wrapped inside a right-to-left isolate nested in another.
    inner = re.compile(f'<bdi dir="{found}">((?:(?!<bdi|</bdi>).)*)</bdi>', re.DOTALL)
    flat = inner.sub(r"<span>\1</span>", str(markup))
    return Markup(f'<bdi dir="{found}">{flat}</bdi>')


def line_dir(locale: LocaleView, text: object) -> Markup:
    """Nothing, kept for themes written before `own_dir`: `dir` on a title line mirrored its
    geometry (the date column moved for that one entry); the line's text isolates itself now."""
    return Markup("")


def dir_for(locale: LocaleView, text: object) -> Markup:
    """Nothing, kept for themes written before `own_dir`: `dir` on a list item put its bullet in the
    other margin; the `inline` filter now isolates the item's text in its own direction."""
    return Markup("")


@pass_context
def separated_in_page(context: Context, items: Iterable[object]) -> Markup:
    """The `sep` filter: `join_separated` for the page's medium."""
    return join_separated(items, paper=on_paper(context))


def join_separated(items: Iterable[object], *, paper: bool = False) -> Markup:
    """Items joined by a middle dot held to the item before it by a no-break space, so no wrapped
    line starts with one, each item's unbreakable runs kept on one line (see `keep_together`).
    On screen the dot is hidden from screen readers (not read as "dot"); on paper it is plain
    text, as an element there would split the PDF's text items (see `keep_together`)."""
    kept = (item if isinstance(item, Markup) else keep_together(str(item), paper=paper) for item in items)
    separator = "&nbsp;· " if paper else '<span class="sep" aria-hidden="true">&nbsp;·</span> '
    return Markup(separator).join(kept)


def tint(colour: str, amount: float) -> str:
    """`colour` mixed with white, `amount` of it kept: '#3451b2' | tint(0.1) → a pale wash.

    Themes derive their soft fills from the accent option this way; WeasyPrint has no color-mix().
    """
    digits = colour.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}", digits):
        return colour
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def theme_css(theme: Theme, mode: AssetMode, codepoints: frozenset[int] | None = None) -> Markup:
    """The theme's stylesheets, with asset URLs embedded as data: URIs or resolved to local files.

    Only files inside the theme's static folders are referenced; remote, absolute and escaping URLs
    (and @import) are left out with a warning: output must never make a browser or WeasyPrint fetch.
    Given the document's `codepoints`, @font-face rules for fonts it never uses are dropped, and
    large fonts are embedded cut down to those characters (see fonts.py).
    """
    chunks: list[tuple[str, str]] = []
    for name in theme.stylesheet_names(screen=mode == "embed"):
        path = theme.find_static(name)
        if path is None:
            raise ThemeError(f"theme '{theme.name}': stylesheet '{name}' not found in its static folder")
        try:
            chunks.append((name, path.read_text("utf-8")))
        except UnicodeDecodeError:
            raise ThemeError(f"theme '{theme.name}': stylesheet '{name}' is not UTF-8 text") from None
    if codepoints is not None:
        chunks = _drop_unused_faces(theme, chunks, codepoints)
    tags = fonts.css_features("".join(css for _, css in chunks))
    filled: list[str] = []
    for name, source in chunks:
        plan = plan_urls(source)
        for target in plan.imports:
            LOGGER.warning(
                "theme '%s': %s: @import %s left out (list stylesheets in theme.toml)", theme.name, name, target
            )
        filled.append(plan.fill([_resolve_url(theme, name, url, mode, codepoints, tags) for url in plan.urls]))
    return Markup("\n".join(filled).replace("</", "<\\/"))


def _drop_unused_faces(
    theme: Theme, chunks: list[tuple[str, str]], codepoints: frozenset[int]
) -> list[tuple[str, str]]:
    """Keep only @font-face rules whose family some style names and whose font draws a needed glyph."""
    referenced = "".join(_FONT_FACE.sub("", css) for _, css in chunks) + f'"{theme.options.get("font", "")}"'
    faces = [face for _, css in chunks for face in _FONT_FACE.findall(css) if _is_referenced(face, referenced)]
    # Script fallbacks (families named "… Subset": CJK, Arabic, Hebrew) count only for characters the
    # text faces lack: the Hebrew face's few Latin letters must not put it in every Latin page.
    text = [path for face in faces if not _is_script_fallback(face) for path in _face_fonts(theme, face)]
    spare = [path for face in faces if _is_script_fallback(face) for path in _face_fonts(theme, face)]
    leftover = fontcache.lacking(codepoints, (fontcache.font_cmap(path) for path in text))
    needed = fonts.needed_fonts(text, codepoints) | fonts.needed_fonts(spare, leftover)
    return [(name, _FONT_FACE.sub(lambda m: _keep_face(theme, m.group(0), faces, needed), css)) for name, css in chunks]


def _is_script_fallback(rule: str) -> bool:
    family = _FACE_FAMILY.search(rule)
    return family is not None and family.group(2).endswith(" Subset")


def _face_fonts(theme: Theme, rule: str) -> list[Path]:
    found = (theme.find_static(m.group(2)) for m in _CSS_URL.finditer(rule) if ":" not in m.group(2))
    return [path for path in found if path is not None]


def _is_referenced(rule: str, referenced: str) -> bool:
    """A face counts only if some style (or the `font` option) names its family."""
    family = _FACE_FAMILY.search(rule)
    return not family or f'"{family.group(2)}"' in referenced or f"'{family.group(2)}'" in referenced


def _keep_face(theme: Theme, rule: str, faces: list[str], needed: set[Path]) -> str:
    """Keep an @font-face rule if its family is named somewhere and its file has a glyph the document needs."""
    if rule not in faces:
        return ""
    paths = _face_fonts(theme, rule)
    return rule if not paths or needed.intersection(paths) else ""


def theme_fonts(theme: Theme) -> list[Path]:
    """Every font file the theme's print stylesheets declare, once each."""
    paths: list[Path] = []
    for name in theme.stylesheet_names(screen=False):
        path = theme.find_static(name)
        if path is not None:
            paths += [p for rule in _FONT_FACE.findall(path.read_text("utf-8")) for p in _face_fonts(theme, rule)]
    return list(dict.fromkeys(paths))


def check_coverage(theme: Theme, codepoints: frozenset[int]) -> None:
    """Warn about characters none of the theme's fonts can draw (they would print as boxes)."""
    missing = fonts.uncovered(codepoints, theme_fonts(theme))
    if missing:
        fonts.warn_uncovered(theme.name, tuple(missing))


def _resolve_url(
    theme: Theme,
    stylesheet: str,
    url: str,
    mode: AssetMode,
    codepoints: frozenset[int] | None = None,
    css_tags: tuple[str, ...] = (),
) -> str | None:
    """A theme asset as a data: URI (embed) or file: URI (file); None, with a warning, for anything else."""
    url = url.strip()
    if url.lower().startswith("data:") or url.startswith("#"):
        return url  # inline data, or an element of the page itself: loads nothing
    relative = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if any(ord(char) < 0x20 for char in relative):
        relative = ""  # a %00 or line break names no file (and would crash a path lookup)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(stylesheet), relative)) if relative else ""
    local = (
        bool(relative) and not _SCHEME.match(url) and not url.startswith(("/", "\\")) and not joined.startswith("..")
    )
    asset = theme.find_static(joined) if local else None
    if asset is None:
        reason = "is not a file in the theme's static folder" if local else "is not a file inside the theme"
        LOGGER.warning(
            "theme '%s': %s: url(%s) %s; left out (cvforge fetches nothing)", theme.name, stylesheet, url, reason
        )
        return None
    if mode == "file":  # fonts as decoded files: WeasyPrint need not decompress them in every process
        return (fontcache.decoded_font(asset) if asset.suffix.lower() in (".woff2", ".woff") else asset).as_uri()
    mime = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    is_font = mime.startswith("font/")
    content = (
        fonts.font_bytes(asset, codepoints, css_tags) if is_font and codepoints is not None else asset.read_bytes()
    )
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def render_html(document: Document, theme: Theme, mode: AssetMode = "embed", profile_dir: Path | None = None) -> str:
    """Render the theme's `resume.html.j2`; `mode` says how fonts are referenced (photos are always inline).

    The page is checked to be inert before it is returned; the standalone page also gets a
    Content-Security-Policy that lets nothing load or run.
    """
    codepoints = fonts.document_codepoints(document)
    check_coverage(theme, codepoints)
    context: ResumeContext = {
        **page_context(theme, mode, photo_uri(document, profile_dir), document.locale),
        "doc": document,
        "share": share_context(document, theme),
    }
    return render_page(theme, "resume.html.j2", mode, codepoints, context)


def page_context(theme: Theme, mode: AssetMode, photo: str | None, locale: LocaleView) -> PageContext:
    """What every page template gets, whatever its document: options, medium, generator, stylesheet
    slot, photo and the document's locale."""
    return {
        "options": dict(theme.options),
        "media": "print" if mode == "file" else "screen",
        "generator": f"cvforge {__version__}",
        "css": _CSS_SLOT,
        "photo": photo,
        "locale": locale,
    }


def render_page(
    theme: Theme,
    template_name: str,
    mode: AssetMode,
    codepoints: frozenset[int],
    context: ResumeContext | LetterContext,
) -> str:
    """Render one of the theme's page templates (resume, letter) and make sure the page is inert.

    The stylesheets go in last: fonts are cut down to every character of the finished page (the
    document's `codepoints` and whatever the templates add: separators, labels), so none is missing.
    """
    env = _environment(tuple(str(d) for d in theme.template_dirs))
    try:
        template = env.get_template(template_name)
        html = template.render(context)
    except TemplateSyntaxError as exc:
        raise ThemeError(f"theme '{theme.name}': {exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except TemplateNotFound as exc:
        raise ThemeError(f"theme '{theme.name}': template '{exc.name}' not found in the theme's templates") from None
    except TemplateError as exc:
        raise ThemeError(f"theme '{theme.name}': template error: {exc}") from None
    except TEMPLATE_RUNTIME_ERRORS as exc:
        where = _template_line(exc.__traceback__)
        raise ThemeError(f"theme '{theme.name}': {where}{type(exc).__name__}: {exc}") from None
    page_codepoints = codepoints | frozenset(map(ord, html))
    html = html.replace(_CSS_SLOT, theme_css(theme, mode, page_codepoints), 1)  # the <head>'s, first
    if mode == "embed":
        html = insert_csp(html, theme.name)
    check_inert(html, theme.name, expect_csp=mode == "embed")
    return html


def photo_uri(document: Document | LetterDocument, profile_dir: Path | None) -> str | None:
    """The profile's photo as a data: URI: outputs never point at a file, so nothing needs fetching."""
    reference = document.person.photo
    if reference is None:
        return None
    if profile_dir is None:
        LOGGER.warning("person.photo: no profile folder to find '%s' in; built without a photo", reference)
        return None
    return read_photo(profile_dir, reference).data_uri()


def _template_line(traceback: TracebackType | None) -> str:
    """'sections/x.html.j2:12: ' for the innermost template frame (Jinja maps its frames to template lines)."""
    found = ""
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{Path(filename).as_posix().rsplit('/templates/', 1)[-1]}:{traceback.tb_lineno}: "
        traceback = traceback.tb_next
    return found


def render_html_bytes(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """The standalone HTML file, as the build writes it."""
    return render_html(document, theme, profile_dir=profile_dir).encode("utf-8")
