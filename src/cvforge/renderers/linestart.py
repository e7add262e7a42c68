"""WeasyPrint told where a line really starts, so `overflow-wrap: break-word` splits no word that
would fit on the next line.

WeasyPrint lets a text box break inside a word only when the box is the first thing on its line
(`is_line_start`). It decides that by counting what the line box holds so far, and counts only its
own children: text inside an inline box that went on from the line before (a title in `<strong>`
inside an isolate, the "، institution" after it) was taken for the line's start wherever it stood,
and its first word, too long for what was left of the line, was cut: "الجام|عة" in the sidebar's
narrow column, "Un|iversity" in a nested span (WeasyPrint issues #1614 and #2102). Browsers break
before such a word. Here a text box is at the line's start only when nothing stands before it on
the line: its left edge is the line's.
"""

from __future__ import annotations

from typing import Any

_INSTALLED: list[bool] = [False]
_LINE_STARTS: list[float] = []  # the left edge of each line being laid out, innermost last (inline blocks nest lines)
_SLACK = 0.01  # CSS px: WeasyPrint's positions are sums of floats


def install() -> None:
    """Wrap WeasyPrint's inline layout once per process: before any layout, as the patch changes it."""
    if _INSTALLED[0]:
        return
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline

    split_inline_box = inline.split_inline_box
    split_text_box = inline.split_text_box

    def line_with_its_start(context: Any, box: Any, position_x: float, *args: Any) -> Any:
        if not isinstance(box, boxes.LineBox):
            return split_inline_box(context, box, position_x, *args)
        _LINE_STARTS.append(position_x)
        try:
            return split_inline_box(context, box, position_x, *args)
        finally:
            _LINE_STARTS.pop()

    def text_at_its_place(context: Any, box: Any, available_width: float, skip: Any, is_line_start: bool = True) -> Any:
        after_something = bool(_LINE_STARTS) and box.position_x > _LINE_STARTS[-1] + _SLACK
        if is_line_start and available_width is not None and after_something:
            is_line_start = False  # something stands before it on this line: break before the word instead
        return split_text_box(context, box, available_width, skip, is_line_start=is_line_start)

    inline.split_inline_box = line_with_its_start
    inline.split_text_box = text_at_its_place
    _INSTALLED[0] = True
