"""Which link targets a resume may carry: one rule for URL fields, Markdown links and rendered output.

Only http(s), mailto and tel lead somewhere a reader expects; `javascript:`, `data:`, `file:` and
relative targets either run code, read the reader's disk or point nowhere in a standalone file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_PREFIXES = ("http://", "https://", "mailto:", "tel:")
ALLOWED_HINT = "use http(s)://, mailto: or tel:"


def link_problem(url: str) -> str | None:
    """Why `url` may not be a link target, in words for the profile's author; None when it may."""
    if not url:
        return "a link cannot be empty"
    lowered = url.lower()
    if not lowered.startswith(SAFE_PREFIXES):
        return f"'{url}' is not an allowed link ({ALLOWED_HINT})"
    if any(ch.isspace() for ch in url):
        return f"'{url}' is not a valid link (it contains spaces)"
    if lowered.startswith(("http://", "https://")):
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if not host:
            return f"'{url}' is not a valid link (no host name after the scheme)"
    elif lowered in ("mailto:", "tel:"):
        return f"'{url}' is not a valid link (nothing after the scheme)"
    return None


def is_safe_link(url: str) -> bool:
    """True when `url` may be written into an output as a link."""
    return link_problem(url) is None
