"""Document → PDF: the theme's HTML (print media) laid out by WeasyPrint.

WeasyPrint is imported here, lazily, because importing it costs about half a second; a build that
makes no PDF never pays it. Its URL fetcher only serves files from the theme's own folders.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from cvforge.render.html import render_html
from cvforge.themes import Theme
from cvforge.view import Document

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One FontConfiguration per process: reusing it skips re-decoding web fonts on every render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def make_fetcher(allowed_roots: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that reads local files under `allowed_roots` and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [root.resolve() for root in allowed_roots]

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme != "file":
                raise ValueError(f"cvforge does not fetch remote resources: {url}")
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
                raise ValueError(f"cvforge only reads files from the theme or the profile's folder: {url}")
            return URLFetcherResponse(url, path.read_bytes())

    return LocalOnlyFetcher(allowed_protocols=("file", "data"))


def render_pdf(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """Lay out the print HTML; title, author and keywords come from its <head> into PDF metadata."""
    html = render_html(document, theme, mode="file")
    roots = (*theme.static_dirs, *([profile_dir] if profile_dir else []))
    theme_files = tuple((str(path), path.stat().st_mtime_ns) for path in theme.files())
    return _write_pdf(html, roots, theme_files)


@lru_cache(maxsize=1)
def _write_pdf(html: str, roots: tuple[Path, ...], theme_files: tuple[tuple[str, int], ...]) -> bytes:
    """Cached on the HTML and the theme's file dates: a build making pdf and png lays it out once."""
    from weasyprint import HTML

    base_url = roots[0].as_uri() + "/" if roots else None
    pdf = HTML(string=html, base_url=base_url, url_fetcher=make_fetcher(roots)).write_pdf(
        font_config=_font_config(), pdf_variant=None, uncompressed_pdf=False
    )
    assert pdf is not None
    return bytes(pdf)
