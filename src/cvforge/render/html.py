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

from cvforge import __version__
from cvforge.errors import ThemeError
from cvforge.markup import Inline
from cvforge.themes import Theme
from cvforge.view import Document

AssetMode = Literal["embed", "file"]
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
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
    return env


def theme_css(theme: Theme, mode: AssetMode) -> Markup:
    """The theme's stylesheets, with asset URLs embedded as data: URIs or resolved to local files.

    Remote URLs are removed: output must never make a reader's browser (or WeasyPrint) fetch.
    """
    names = str(theme.options.get("stylesheets", "style.css")).split(",")
    if mode == "embed":
        names += str(theme.options.get("screen_stylesheets", "")).split(",")
    chunks: list[str] = []
    for name in filter(None, (n.strip() for n in names)):
        path = theme.find_static(name)
        if path is None:
            raise ThemeError(f"theme '{theme.name}': stylesheet '{name}' not found in its static folder")
        chunks.append(_CSS_URL.sub(lambda m: _resolve_url(theme, m.group(2), mode), path.read_text("utf-8")))
    return Markup("\n".join(chunks).replace("</", "<\\/"))


def _resolve_url(theme: Theme, url: str, mode: AssetMode) -> str:
    asset = None if ":" in url or url.startswith("/") else theme.find_static(url)
    if asset is None:
        return "url()"
    if mode == "file":
        return f'url("{asset.as_uri()}")'
    mime = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    data = base64.b64encode(asset.read_bytes()).decode("ascii")
    return f'url("data:{mime};base64,{data}")'


def render_html(document: Document, theme: Theme, mode: AssetMode = "embed") -> str:
    """Render the theme's `resume.html.j2`; `mode` says how fonts and images are referenced."""
    env = _environment(tuple(str(d) for d in theme.template_dirs))
    try:
        template = env.get_template("resume.html.j2")
        return template.render(
            doc=document,
            options=dict(theme.options),
            css=theme_css(theme, mode),
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
