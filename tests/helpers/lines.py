"""Ragged lines, measured where the lines are drawn: a paragraph line (not its last) that ends more than
a quarter of its column short although the next word would have fitted on it.

In the browser the lines are the client rectangles of each word (a no-wrap element counts as one
word: it must move as one); in the PDF they are WeasyPrint's own line boxes, from the layout it writes.
"""

from __future__ import annotations

from typing import Any

SHORT = 0.25  # of the column's width

# Every element that lays out its own lines (block or list item whose children are all inline), its
# words as rectangles grouped into lines; a line is ragged when its slack exceeds SHORT of the column
# and the next line's first word (plus a space) fits in that slack. Code and preformatted text keep
# their own lines; elements with <br> end lines on purpose.
BROWSER_RAGGED_JS = """
(short) => {
  const found = [];
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
    const width = contentRight - contentLeft;
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
        if (!seen.has(held)) { seen.add(held); for (const r of held.getClientRects()) words.push({r, t: held.textContent}); }
        continue;
      }
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        for (const r of range.getClientRects()) if (r.width > 0) words.push({r, t: m[0]});
      }
    }
    const units = [];  // pieces with no space between them ("S3" and its " ·") move as one
    for (const w of words) {
      const last = units[units.length - 1];
      if (last && Math.abs(last.r.top - w.r.top) < 1 && w.r.left - last.r.right < 0.5 && w.r.left >= last.r.left) {
        last.r = DOMRect.fromRect({x: last.r.left, y: last.r.top, width: w.r.right - last.r.left, height: last.r.height});
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
      // from the content box's start edge: a marker or ::before drawn on the line takes its room too
      const used = style.textAlign === 'center' ? right - left
        : style.direction === 'rtl' ? contentRight - left : right - contentLeft;
      const next = lines[i + 1].words.reduce((a, b) => (a.r.left <= b.r.left ? a : b));
      const slack = width - used;
      if (slack > short * width && next.r.width + space < slack) {
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
        for box in page._page_box.descendants():
            found += [f"page {number}: {line}" for line in _ragged_in_block(box)]
    return found


def _ragged_in_block(box: Any) -> list[str]:
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    lines = [child for child in getattr(box, "children", ()) if isinstance(child, LineBox)]
    if len(lines) < 2 or box.style["white_space"] in ("pre", "pre-wrap", "pre-line", "nowrap"):
        return []
    width = float(box.width)
    found: list[str] = []
    for line, following in zip(lines, lines[1:], strict=False):
        texts = [t for t in line.descendants() if isinstance(t, TextBox) and t.text.strip()]
        after = [t for t in following.descendants() if isinstance(t, TextBox) and t.text.strip()]
        if not texts or not after or "\n" in texts[-1].text:
            continue
        used = max(t.position_x + t.width for t in texts) - float(box.content_box_x())
        slack = width - used
        next_word = _first_word_width(after[0])
        space = float(after[0].style["font_size"]) * 0.3
        if slack > SHORT * width and next_word + space < slack:
            text = " ".join(t.text.strip() for t in texts)
            found.append(f"{text!r} ends {round(100 * slack / width)} % short; the next word would fit")
    return found


def _first_word_width(box: Any) -> float:
    """The width of the first word a line starts with: a whole no-wrap run, else its share of the box."""
    text = box.text.strip()
    if box.style["white_space"] == "nowrap" or " " not in text:
        return float(box.width)
    return float(box.width) * len(text.split(" ", 1)[0]) / len(text)
