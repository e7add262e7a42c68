"""The print page's stylesheet, parsed once per process and font configuration, not once per layout.

A print page carries its theme's whole stylesheet in one `<style>` (15 KB for the classic theme).
WeasyPrint parsed it, and fetched and checked every font face it names, on each layout: 15 % of a
layout, paid again by each density measured, each watch edit and each resume of a batch, though
the sheet stays the same (the density is a class on `<body>`). Here the sheet is taken out of the
page and parsed once; the page is laid out with the parsed sheet.

A sheet passed that way is of the "user" origin, not "author". For a page whose only styles are
that one sheet, the cascade is the same: both rank above the user agent's, and with no `style`
attribute and no other sheet there is nothing of the author's for them to rank against. A page
with anything else (a custom theme's `<link>` or `style` attribute) is laid out as it is. The sheet
is read against the page's base URL, as WeasyPrint reads a `<style>`, so it is kept by that too.
"""

from __future__ import annotations

import logging
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration

_OPEN, _CLOSE = "<style>", "</style>"
# What else could style the page: another sheet, a linked one, a style attribute (in any case or spacing).
_OTHER_STYLES = re.compile(r"<style\b[\s\S]*<style\b|<link\b[^>]*stylesheet|\sstyle\s*=", re.IGNORECASE)
# Loggers that speak while a sheet is parsed: WeasyPrint's (a rule it ignores), cvforge's fetcher (a
# refused URL). A sheet that warned is parsed again each time, so its warnings are said for every page.
_PARSE_LOGGERS = ("weasyprint", "cvforge.renderers.pdf")
KEPT_SHEETS = 4


@dataclass(frozen=True)
class ParsedSheet:
    """A stylesheet parsed into one font configuration, with the counter styles it defined; both are
    passed to every layout that uses it."""

    sheet: CSS
    counters: CounterStyle
    font_config: FontConfiguration


# By the sheet's text and base URL. Each entry holds the configuration its faces were loaded into:
# a sheet is only used with that very configuration (a new one has none of its faces).
_SHEETS: OrderedDict[tuple[str, str], ParsedSheet] = OrderedDict()
_SHEETS_OWNER = [os.getpid()]


def split(html: str) -> tuple[str, str] | None:
    """The page without its stylesheet, and the stylesheet; None when the page has other styles too."""
    start = html.find(_OPEN)
    end = html.find(_CLOSE, start)
    if start < 0 or end < 0 or "<!--" in html[:start] or _OTHER_STYLES.search(html):
        return None  # (a sheet after a comment's start may be inside it: then it styles nothing)
    css = html[start + len(_OPEN) : end]
    if "@counter-style" in css:  # the user agent's would be set again over it at each layout
        return None
    return html[:start] + html[end + len(_CLOSE) :], css


def parsed(css: str, base_url: str | None, url_fetcher: Any, font_config: FontConfiguration) -> ParsedSheet | None:
    """`css` parsed with its faces loaded into `font_config`, made on first use; None when parsing it
    warned (it is then left in the page, and parsed, and warns, as before)."""
    sheets = _sheets()
    key = (css, base_url or "")
    kept = sheets.get(key)
    if kept is not None and kept.font_config is font_config:
        sheets.move_to_end(key)
        return kept
    made = _parse(css, base_url, url_fetcher, font_config)
    if made is None:
        return None
    sheets[key] = made
    while len(sheets) > KEPT_SHEETS:
        sheets.popitem(last=False)
    return made


def forget() -> None:
    """Drop every parsed sheet (their font configurations are being removed)."""
    _SHEETS.clear()


def _sheets() -> OrderedDict[tuple[str, str], ParsedSheet]:
    """This process's sheets: a forked child starts without its parent's (whose configurations it drops)."""
    if _SHEETS_OWNER[0] != os.getpid():
        _SHEETS.clear()
        _SHEETS_OWNER[0] = os.getpid()
    return _SHEETS


def _parse(css: str, base_url: str | None, url_fetcher: Any, font_config: FontConfiguration) -> ParsedSheet | None:
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    counters = CounterStyle()
    heard = _Heard()
    loggers = [logging.getLogger(name) for name in _PARSE_LOGGERS]
    for logger in loggers:
        logger.addHandler(heard)
    try:
        sheet = CSS(
            string=css, base_url=base_url, url_fetcher=url_fetcher, font_config=font_config, counter_style=counters
        )
    finally:
        for logger in loggers:
            logger.removeHandler(heard)
    return None if heard.warned else ParsedSheet(sheet, counters, font_config)


class _Heard(logging.Handler):
    """Notes whether anything at warning level or above was logged."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        self.warned = True
