"""Document → PNG previews: the PDF, one image per page, drawn by PDFium.

A preview is the PDF as a reader will see it, so it is rasterised from the very PDF the build
makes (render_pdf caches it, so building pdf and png together lays the document out once).
"""

from __future__ import annotations

import io
from pathlib import Path

from cvforge.document.view import Document
from cvforge.renderers.pdf import render_pdf
from cvforge.renderers.themes import Theme

# 144 dpi: twice the CSS reference pixel, sharp on a high-density screen; an A4 page is 1191 × 1684.
PNG_DPI = 144


def rasterise_pdf(pdf: bytes, dpi: float = PNG_DPI) -> list[bytes]:
    """One PNG per page; no metadata, so the same PDF always gives the same bytes."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages: list[bytes] = []
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            pages.append(buffer.getvalue())
            page.close()
        return pages
    finally:
        document.close()


def render_png(document: Document, theme: Theme, profile_dir: Path | None = None) -> dict[str, bytes]:
    """`NAME-1.png`, `NAME-2.png`…: file-name suffix → image, the build's form for several files."""
    pages = rasterise_pdf(render_pdf(document, theme, profile_dir))
    return {f"-{number}.png": image for number, image in enumerate(pages, start=1)}
