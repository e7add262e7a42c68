"""Format name → renderer. Renderers are imported only when their format is asked for, so a build
that makes no PDF never pays for importing WeasyPrint."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

from cvforge.document.view import Document
from cvforge.errors import CvforgeError
from cvforge.renderers.themes import Theme

# Format → (module, function). Renderers are imported only when their format is asked for,
# so a build that makes no PDF never pays for importing WeasyPrint.
RENDERERS: dict[str, tuple[str, str]] = {
    "pdf": ("cvforge.renderers.pdf", "render_pdf"),
    "docx": ("cvforge.renderers.docx", "render_docx"),
    "html": ("cvforge.renderers.html", "render_html_bytes"),
    "md": ("cvforge.renderers.markdown", "render_markdown"),
    "txt": ("cvforge.renderers.text", "render_text"),
    "png": ("cvforge.renderers.png", "render_png"),
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
