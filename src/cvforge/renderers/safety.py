"""The last gate before HTML is written: a Content-Security-Policy, and a check that the page is inert.

Profile text reaches a page only through autoescaped templates, so what this catches is a theme
(perhaps one from elsewhere) that writes scripts, event handlers or remote loads itself. The policy
is the browser's own second line: even markup this check misses cannot run script or fetch anything.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from cvforge.errors import ThemeError
from cvforge.schema.links import is_safe_link

# Nothing may load except the page's own inline styles, fonts and images (all data: URIs).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'

# Elements that run code, embed other documents, submit data, change the base URL, or animate
# attributes into links (SVG's set/animate can rewrite an href to javascript:).
FORBIDDEN_ELEMENTS = frozenset(
    {
        *("script", "applet", "base", "embed", "form", "frame", "frameset", "iframe", "object", "portal", "link"),
        *("input", "button", "select", "textarea"),
        *("animate", "animatemotion", "animatetransform", "set", "handler", "listener"),
    }
)
# Attributes whose value the browser (or WeasyPrint) loads; only inline data: images may appear there.
LOADING_ATTRIBUTES = frozenset(
    {
        *("src", "srcset", "poster", "data", "action", "formaction", "background", "lowsrc", "dynsrc"),
        *("longdesc", "manifest", "codebase", "archive", "classid", "profile", "icon", "ping", "xlink:href"),
    }
)
LINKING_ELEMENTS = frozenset({"a", "area"})
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_URL_NOISE = re.compile("[\t\n\r]")
MAX_REPORTED = 10


def insert_csp(html: str, theme_name: str) -> str:
    """Put the policy first in <head>, before anything it governs."""
    head = _HEAD.search(html)
    if head is None:
        raise ThemeError(
            f"theme '{theme_name}': resume.html.j2 has no <head>, so cvforge cannot add its security policy"
        )
    return html[: head.end()] + "\n" + CSP_META + html[head.end() :]


def check_inert(html: str, theme_name: str, *, expect_csp: bool) -> None:
    """Raise ThemeError naming every script, handler, remote load or unsafe link in `html`."""
    inspector = _Inspector(expect_csp=expect_csp)
    inspector.feed(html)
    inspector.close()
    problems = inspector.problems
    if expect_csp and not inspector.csp_first:
        problems.insert(0, (1, "the Content-Security-Policy is not the first element in <head>"))
    if problems:
        shown = "\n".join(f"  output line {line}: {text}" for line, text in problems[:MAX_REPORTED])
        more = f"\n  … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise ThemeError(f"theme '{theme_name}' produced HTML that is not inert, so it was not written:\n{shown}{more}")


def _normalise_url(value: str) -> str:
    """The URL a browser would follow: tabs and line breaks inside it dropped, controls around it stripped."""
    return _URL_NOISE.sub("", value).strip("".join(map(chr, range(0x21))))


def _is_page_data(tag: str, values: dict[str, str]) -> bool:
    """What a published page may carry that neither runs nor loads: JSON-LD (a data block, never
    executed), its canonical address (never fetched) and an inline favicon."""
    if tag == "script":
        return values.get("type", "").strip().lower() == "application/ld+json" and set(values) == {"type"}
    if tag == "link" and set(values) == {"rel", "href"}:
        rel, href = values["rel"].strip().lower(), _normalise_url(values["href"])
        if rel == "canonical":
            return href.lower().startswith(("https://", "http://")) and is_safe_link(href)
        return rel == "icon" and href.lower().startswith("data:image/")
    return False


def _loads_nothing(value: str) -> bool:
    """An inline image, or a reference to an element of the page itself (an SVG <use href="#icon">)."""
    url = _normalise_url(value).lower()
    return url.startswith(("data:image/", "#"))


class _Inspector(HTMLParser):
    """Collects (line, problem) for every element or attribute that could run, load or mislead."""

    def __init__(self, *, expect_csp: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []
        self.csp_first = not expect_csp
        self._after_head = False

    def _problem(self, text: str) -> None:
        self.problems.append((self.getpos()[0], text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self._after_head:
            self._after_head = False
            is_csp = tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy"
            self.csp_first = self.csp_first or (is_csp and values.get("content") == CONTENT_SECURITY_POLICY)
        if tag == "head":
            self._after_head = True
        if tag in FORBIDDEN_ELEMENTS and not _is_page_data(tag, values):
            self._problem(f"<{tag}> element")
        for name, value in values.items():
            if tag == "link" and name == "href" and _is_page_data(tag, values):
                continue  # a canonical address is never fetched; a favicon is inline data
            self._check_attribute(tag, name, value, values)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _check_attribute(self, tag: str, name: str, value: str, values: dict[str, str]) -> None:
        if name.startswith("on"):
            self._problem(f"event handler {name}= on <{tag}>")
        elif name == "srcdoc":
            self._problem(f"srcdoc= on <{tag}>")
        elif name == "http-equiv" and value.lower() in ("refresh", "set-cookie"):
            self._problem(f'<meta http-equiv="{value}">')
        elif name == "href" and tag in LINKING_ELEMENTS:
            self._check_link(tag, _normalise_url(value), values.get("rel", ""))
        elif (name in LOADING_ATTRIBUTES or name == "href") and not _loads_nothing(value):
            self._problem(f"{name}= on <{tag}> loads '{value[:80]}' (only inline data:image/ URIs may load)")

    def _check_link(self, tag: str, url: str, rel: str) -> None:
        if url.startswith("#"):
            return
        if not is_safe_link(url):
            self._problem(f"<{tag} href='{url[:80]}'>: links must be http(s), mailto: or tel:")
        elif url.lower().startswith(("http://", "https://")) and "noopener" not in rel.lower().split():
            self._problem(f"<{tag} href='{url[:80]}'> needs rel=\"noopener\"")
