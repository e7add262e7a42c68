"""Document → standalone HTML through the theme's Jinja templates.

Jinja runs sandboxed with autoescape and StrictUndefined: profile text is only ever data, and a
template mistake names its file and line instead of printing an empty string.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from cvforge import __version__, fonts
from cvforge.errors import ThemeError
from cvforge.markup import Inline
from cvforge.themes import Theme
from cvforge.view import Document

AssetMode = Literal["embed", "file"]
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FACE_FAMILY = re.compile(r"""font-family:\s*(["'])(.+?)\1""")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")


def render_inline(spans: Inline | None) -> Markup:
    """Spans → safe HTML: every text is escaped; only our own tags are added."""
    if not spans:
        return Markup("")
    parts: list[str] = []
    for span in spans:
        html = str(escape(span.text)).replace("\n", "<br>")
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
def _environment(template_dirs: tuple[str, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(list(template_dirs)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = render_inline
    env.filters["tint"] = tint
    return env


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

    Remote URLs are removed: output must never make a reader's browser (or WeasyPrint) fetch.
    Given the document's `codepoints`, @font-face rules for fonts it never uses are dropped, and
    large fonts are embedded cut down to those characters (see fonts.py).
    """
    chunks: list[str] = []
    for name in theme.stylesheet_names(screen=mode == "embed"):
        path = theme.find_static(name)
        if path is None:
            raise ThemeError(f"theme '{theme.name}': stylesheet '{name}' not found in its static folder")
        chunks.append(path.read_text("utf-8"))
    css = "\n".join(chunks)
    if codepoints is not None:
        referenced = _FONT_FACE.sub("", css) + f'"{theme.options.get("font", "")}"'
        faces = [face for face in _FONT_FACE.findall(css) if _is_referenced(face, referenced)]
        needed = fonts.needed_fonts([path for face in faces for path in _face_fonts(theme, face)], codepoints)
        css = _FONT_FACE.sub(lambda m: _keep_face(theme, m.group(0), faces, needed), css)
    css = _CSS_URL.sub(lambda m: _resolve_url(theme, m.group(2), mode, codepoints), css)
    return Markup(css.replace("</", "<\\/"))


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


def check_coverage(theme: Theme, codepoints: frozenset[int]) -> None:
    """Warn about characters none of the theme's fonts can draw (they would print as boxes)."""
    paths: list[Path] = []
    for name in theme.stylesheet_names(screen=False):
        path = theme.find_static(name)
        if path is not None:
            paths += [p for rule in _FONT_FACE.findall(path.read_text("utf-8")) for p in _face_fonts(theme, rule)]
    missing = fonts.uncovered(codepoints, dict.fromkeys(paths))
    if missing:
        fonts.warn_uncovered(theme.name, tuple(missing))


def _resolve_url(theme: Theme, url: str, mode: AssetMode, codepoints: frozenset[int] | None) -> str:
    asset = None if ":" in url or url.startswith("/") else theme.find_static(url)
    if asset is None:
        return "url()"
    if mode == "file":
        return f'url("{asset.as_uri()}")'
    mime = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    is_font = mime.startswith("font/")
    content = fonts.font_bytes(asset, codepoints) if is_font and codepoints is not None else asset.read_bytes()
    data = base64.b64encode(content).decode("ascii")
    return f'url("data:{mime};base64,{data}")'


def render_html(document: Document, theme: Theme, mode: AssetMode = "embed") -> str:
    """Render the theme's `resume.html.j2`; `mode` says how fonts and images are referenced."""
    env = _environment(tuple(str(d) for d in theme.template_dirs))
    codepoints = fonts.document_codepoints(document)
    check_coverage(theme, codepoints)
    try:
        template = env.get_template("resume.html.j2")
        return template.render(
            doc=document,
            options=dict(theme.options),
            css=theme_css(theme, mode, codepoints),
            media="print" if mode == "file" else "screen",
            generator=f"cvforge {__version__}",
        )
    except TemplateSyntaxError as exc:
        raise ThemeError(f"theme '{theme.name}': {exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise ThemeError(f"theme '{theme.name}': template error: {exc}") from None


def render_html_bytes(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """The standalone HTML file, as the build writes it."""
    return render_html(document, theme).encode("utf-8")
