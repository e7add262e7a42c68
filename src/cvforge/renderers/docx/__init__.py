"""Document → DOCX through python-docx: Word plumbing (ooxml), the theme's look (styles), the
theme's reference document (template) and the section writers (writer)."""

from cvforge.renderers.docx.writer import render_docx

__all__ = ["render_docx"]
