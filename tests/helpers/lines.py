"""Ragged lines, measured where the lines are drawn: a paragraph line (not its last) that ends more than
a quarter of its column short although the next word would have fitted on it.

In the browser the lines are the client rectangles of each word (a no-wrap element counts as one
word: it must move as one); in the PDF they are WeasyPrint's own line boxes, from the layout it writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

SHORT = 0.25  # of the column's width

# Every element that lays out its own lines (block or list item whose children are all inline), its
# words as rectangles grouped into lines; a line is ragged when its slack exceeds SHORT of the column
# and the next line's first word (plus a space) fits in that slack. Code and preformatted text keep
# their own lines; elements with <br> end lines on purpose.
BROWSER_RAGGED_JS = r"""
(short) => {
  const found = [];
  // floats (the sidebar theme's column): a line beside one has only the room left of it (or right)
  const floats = [...document.querySelectorAll('body *')].filter((e) => getComputedStyle(e).float !== 'none')
    .map((e) => { const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
      return {el: e, top: r.top, bottom: r.bottom, side: cs.float,
              left: r.left - parseFloat(cs.marginLeft), right: r.right + parseFloat(cs.marginRight)}; });
  const inlineOnly = (el) => [...el.children].every((c) => {
    const d = getComputedStyle(c).display;
    return d.startsWith('inline') || d === 'contents' || d === 'none';
  });
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['block', 'list-item'].includes(style.display) || !inlineOnly(el)) continue;
    if (style.whiteSpace.startsWith('pre') || style.whiteSpace === 'nowrap' || el.querySelector('br')) continue;
    if (el.closest('pre, code, [aria-hidden="true"]') || !el.textContent.trim()) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    const contentLeft = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
    const contentRight = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
    if (contentRight - contentLeft <= 0) continue;
    const words = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let held = null;  // the outermost no-wrap element inside el: a unit that must move as one
      for (let up = node.parentElement; up && up !== el; up = up.parentElement) {
        const s = getComputedStyle(up);  // no-wrap text, or an atomic box (a badge): one unit
        if (s.whiteSpace === 'nowrap' || s.display.startsWith('inline-')) held = up;
      }
      if (held) {
        if (!seen.has(held)) {
          seen.add(held);
          const sep = held.classList.contains('sep');
          for (const r of held.getClientRects()) words.push({r, t: held.textContent, sep});
        }
        continue;
      }
      for (const m of node.textContent.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        for (const r of range.getClientRects()) if (r.width > 0) words.push({r, t: m[0]});
      }
    }
    const units = [];  // pieces with no space between them ("S3" and the " ·" held to it) move as one
    for (const w of words) {
      const last = units[units.length - 1];
      // touching, and no space between them in the text (a space inside a no-wrap run is glue the
      // markup added, not a word's end: the next word must still be measured on its own)
      // ... and a slash or closing punctuation after a space, which no line starts with (LB13)
      const joined = last && ((!/\s$/.test(last.t) && (w.sep || !/^\s/.test(w.t))) || /^[\])}!?,.:;\/]+$/.test(w.t));
      const gap = /^[\])}!?,.:;\/]+$/.test(w.t) ? 8 : 0.5;
      if (joined && Math.abs(last.r.top - w.r.top) < 1 && w.r.left - last.r.right < gap && w.r.left >= last.r.left) {
        const width = w.r.right - last.r.left;
        last.r = DOMRect.fromRect({x: last.r.left, y: last.r.top, width, height: last.r.height});
        last.t += w.t;
      } else units.push({r: w.r, t: w.t});
    }
    const lines = [];
    for (const w of units) {
      const line = lines.find((l) => Math.abs(l.mid - (w.r.top + w.r.bottom) / 2) < w.r.height / 2);
      if (line) line.words.push(w); else lines.push({mid: (w.r.top + w.r.bottom) / 2, words: [w]});
    }
    lines.sort((a, b) => a.mid - b.mid);
    const space = parseFloat(style.fontSize) * 0.3;
    for (let i = 0; i + 1 < lines.length; i++) {
      const ws = lines[i].words;
      const right = Math.max(...ws.map((w) => w.r.right)), left = Math.min(...ws.map((w) => w.r.left));
      const top = Math.min(...ws.map((w) => w.r.top)), bottom = Math.max(...ws.map((w) => w.r.bottom));
      let roomLeft = contentLeft, roomRight = contentRight;
      for (const f of floats) {
        if (f.top >= bottom || top >= f.bottom || f.el.contains(el)) continue;
        if (f.side === 'right' || f.side === 'inline-end') roomRight = Math.min(roomRight, f.left);
        else roomLeft = Math.max(roomLeft, f.right);
      }
      const width = roomRight - roomLeft;
      // from the content box's start edge: a marker or ::before drawn on the line takes its room too
      const used = style.textAlign === 'center' ? right - left
        : style.direction === 'rtl' ? roomRight - left : right - roomLeft;
      const next = lines[i + 1].words.reduce((a, b) => (a.r.left <= b.r.left ? a : b));
      const slack = width - used;
      if (slack > short * width && next.r.width + space + 2 < slack) {  // 2 px: rounding
        found.push(`${el.tagName.toLowerCase()}.${el.className}: "${ws.map((w) => w.t).join(' ')}" ` +
          `ends ${Math.round(100 * slack / width)} % short; "${next.t}" would fit`);
      }
    }
  }
  return found;
}
"""


def browser_ragged_lines(browser: Any, html: str, width: int) -> list[str]:
    """Every ragged line of `html` laid out by Chromium at `width` CSS pixels."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        return list(page.evaluate(BROWSER_RAGGED_JS, SHORT))
    finally:
        context.close()


def pdf_ragged_lines(laid_out: Any) -> list[str]:
    """Every ragged line in a WeasyPrint layout (a `weasyprint.Document`, as cvforge writes it)."""
    found: list[str] = []
    for number, page in enumerate(laid_out.pages, 1):
        boxes = list(page._page_box.descendants())
        floats = [box for box in boxes if box.style["float"] != "none"]
        for box in boxes:
            found += [f"page {number}: {line}" for line in _ragged_in_block(box, floats)]
    return found


def _room(box: Any, line: Any, floats: list[Any]) -> tuple[float, float]:
    """The left and right edges a line may use: the block's content box, less any float beside it."""
    left, right = float(box.content_box_x()), float(box.content_box_x() + box.width)
    top, bottom = float(line.position_y), float(line.position_y + line.height)
    for beside in floats:
        y, height = float(beside.position_y), float(beside.margin_height())
        if y < bottom and top < y + height:
            x, width = float(beside.position_x), float(beside.margin_width())
            if beside.style["float"] == "right":
                right = min(right, x)
            else:
                left = max(left, x + width)
    return left, right


def _ragged_in_block(box: Any, floats: list[Any]) -> list[str]:
    from weasyprint.formatting_structure.boxes import LineBox

    lines = [child for child in getattr(box, "children", ()) if isinstance(child, LineBox)]
    if len(lines) < 2 or box.style["white_space"] in ("pre", "pre-wrap", "pre-line", "nowrap"):
        return []
    found: list[str] = []
    for line, following in pairwise(lines):
        pieces, after = _pieces(line), _pieces(following)
        if not pieces or not after or pieces[-1].text.endswith("\n"):
            continue
        left, right = _room(box, line, floats)
        width = right - left
        slack = right - max(piece.right for piece in pieces)
        space = float(box.style["font_size"]) * 0.3
        if slack > SHORT * width and _first_unit_width(after) * WIDTH_MARGIN + space < slack:
            text = " ".join(piece.text.strip() for piece in pieces)
            found.append(f"{text!r} ends {round(100 * slack / width)} % short; the next word would fit")
    return found


# A line never breaks before closing punctuation or a slash, even after a space (Unicode line
# breaking, LB13): "DAC7 /" moves as one.
_UNIT_START = re.compile(r"\S+(?:\s+[\])}!?,.:;/]+(?=\s|$))*")
WIDTH_MARGIN = 1.15  # a word's width is estimated as its share of its text box's: wide capitals err


@dataclass(frozen=True)
class _Piece:
    """One thing a line is made of: a run of text, or an atomic box (a badge) that moves whole."""

    text: str
    width: float
    right: float
    atomic: bool


def _pieces(line: Any) -> list[_Piece]:
    from weasyprint.formatting_structure.boxes import AtomicInlineLevelBox, InlineBox, TextBox

    found: list[_Piece] = []
    for child in line.children:
        if isinstance(child, TextBox) and child.text.strip():
            found.append(_Piece(child.text, float(child.width), float(child.position_x + child.width), False))
        elif isinstance(child, AtomicInlineLevelBox):
            right = float(child.position_x + child.margin_width())
            found.append(_Piece("[box]", float(child.margin_width()), right, True))
        elif isinstance(child, InlineBox):
            found += _pieces(child)
    return found


def _first_unit_width(pieces: list[_Piece]) -> float:
    """The width of what a line starts with and cannot split: an atomic box, or the first word (its
    share of its text run), with the separator held to it (" ·") when the word is the whole run."""
    first = pieces[0]
    if first.atomic:
        return first.width
    text = first.text.strip()
    word = _UNIT_START.match(text)
    width = first.width * len(word.group(0) if word else text) / len(text)
    if " " not in text and len(pieces) > 1 and pieces[1].text.startswith(" ·"):
        width += pieces[1].width
    return width
