"""Document → PDF: the theme's HTML (print media) laid out by WeasyPrint.

WeasyPrint is imported here, lazily, because importing it costs about half a second; a build that
makes no PDF never pays it. Its URL fetcher only serves files from the theme's own static folders.
"""

from __future__ import annotations

import logging
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

LOGGER = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One FontConfiguration per process: reusing it skips re-decoding web fonts on every render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def make_fetcher(allowed_roots: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that reads local files under `allowed_roots` and nothing else.

    Paths are compared after resolving symbolic links, `..` and percent-escapes, so no spelling of
    a URL reaches outside; every refusal is a warning (a theme asked for something it may not have).
    """
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
            return URLFetcherResponse(url, path.read_bytes())

    return LocalOnlyFetcher(allowed_protocols=("file", "data"))


def _local_path(url_path: str) -> Path | None:
    """The real file a file: URL names, or None when it cannot name one (a %00 in it, say)."""
    text = unquote(url_path)
    return None if "\x00" in text else Path(text).resolve()


def asset_roots(theme: Theme) -> list[Path]:
    """The theme's static folders that really lie inside their theme's folder (not linked from elsewhere)."""
    return [folder for folder in theme.static_dirs if folder.resolve().is_relative_to(folder.parent.resolve())]


def render_pdf(document: Document, theme: Theme, profile_dir: Path | None = None) -> bytes:
    """Lay out the print HTML; title, author and keywords come from its <head> into PDF metadata.

    The photo is inline in the HTML, so the fetcher needs no access to the profile's folder.
    """
    html = render_html(document, theme, mode="file", profile_dir=profile_dir)
    roots = tuple(asset_roots(theme))
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
