"""How many characters a bullet line holds in a theme, from its page size, margins and body size:
the length rule's "two lines" without laying anything out."""

from __future__ import annotations

from cvforge.renderers.themes import Theme

PAGE_WIDTH_CM = {"A4": 21.0, "Letter": 21.59}
BULLET_INDENT_CM = 0.6
AVERAGE_GLYPH_EM = 0.44  # measured: classic's PDF sets ~118 characters of running English a bullet line
SIDEBAR_SHARE = 0.68  # the wide column of a two-column theme
POINTS_PER_CM = 72 / 2.54


def line_chars(theme: Theme) -> int:
    page = PAGE_WIDTH_CM.get(str(theme.options.get("page_size", "A4")), PAGE_WIDTH_CM["A4"])
    margin = float(theme.docx.get("margin_cm", 1.5))
    size = float(theme.docx.get("body_size", 10))
    width = (page - 2 * margin) * (SIDEBAR_SHARE if theme.options.get("sidebar") else 1.0) - BULLET_INDENT_CM
    return max(30, round(width * POINTS_PER_CM / (size * AVERAGE_GLYPH_EM)))
