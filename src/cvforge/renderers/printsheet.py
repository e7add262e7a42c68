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
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cvforge.logs import LOGGER_NAME, Collector

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration

_OPEN, _CLOSE = "<style>", "</style>"
# What else could style the page: another sheet, a linked one, a style attribute (in any case or spacing).
_OTHER_STYLES = re.compile(r"<style\b[\s\S]*<style\b|<link\b[^>]*stylesheet|\sstyle\s*=", re.IGNORECASE)
# Loggers that speak while a sheet is parsed: WeasyPrint's (a rule it ignores), cvforge's (its fetcher
# refusing a URL). A sheet that warned is parsed again each time, so its warnings are said for every page.
_PARSE_LOGGERS = ("weasyprint", LOGGER_NAME)
KEPT_SHEETS = 4


@dataclass(frozen=True)
class ParsedSheet:
    """A stylesheet parsed into one font configuration, with the counter styles it defined; both are
    passed to every layout that uses it."""

    sheet: CSS
    counters: CounterStyle
    font_config: FontConfiguration


# By the sheet's text and base URL. Each entry holds the configuration its faces were loaded into:
# a sheet is only used with that very configuration (a new one has none of its faces). Emptied with
# the configurations (`forget`): by a forked child, which drops its parent's (pdf._configurations).
_SHEETS: OrderedDict[tuple[str, str], ParsedSheet] = OrderedDict()


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
    key = (css, base_url or "")
    kept = _SHEETS.get(key)
    if kept is not None and kept.font_config is font_config:
        _SHEETS.move_to_end(key)
        return kept
    made = _parse(css, base_url, url_fetcher, font_config)
    if made is None:
        return None
    _SHEETS[key] = made
    while len(_SHEETS) > KEPT_SHEETS:
        _SHEETS.popitem(last=False)
    return made


def forget() -> None:
    """Drop every parsed sheet (their font configurations are being removed)."""
    _SHEETS.clear()


def _parse(css: str, base_url: str | None, url_fetcher: Any, font_config: FontConfiguration) -> ParsedSheet | None:
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    counters = CounterStyle()
    heard = Collector()
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
    return None if heard.records else ParsedSheet(sheet, counters, font_config)
