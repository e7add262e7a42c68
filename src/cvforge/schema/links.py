"""Which link targets a resume may carry: one rule for URL fields, Markdown links and rendered output.

Only http(s), mailto and tel lead somewhere a reader expects; `javascript:`, `data:`, `file:` and
relative targets either run code, read the reader's disk or point nowhere in a standalone file.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

SAFE_PREFIXES = ("http://", "https://", "mailto:", "tel:")
ALLOWED_HINT = "use http(s)://, mailto: or tel:"
PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BARE_HOST = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]\S*)?$")  # github.com/jane


def link_problem(url: str) -> str | None:
    """Why `url` may not be a link target, in words for the profile's author; None when it may."""
    if not url:
        return "a link cannot be empty"
    lowered = url.lower()
    if not lowered.startswith(SAFE_PREFIXES):
        if _BARE_HOST.match(url):
            return f"'{url}' has no scheme; did you mean 'https://{url}'?"
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


def is_remote(reference: str) -> bool:
    return reference.lower().startswith(("http://", "https://"))


def reference_problem(reference: str) -> str | None:
    """Why `reference` cannot name a photo (checked without touching the disk); None when it can."""
    hint = "use a PNG or JPEG file next to the profile (photo.jpg) or an http(s):// URL"
    if any(ord(char) < 0x20 for char in reference):
        return f"{reference!r} contains control characters; {hint}"
    if is_remote(reference):
        problem = link_problem(reference)
        return f"{problem}; {hint}" if problem else None
    if _SCHEME.match(reference):
        return f"'{reference}' is not a photo ({hint})"
    if reference.startswith(("/", "\\")):
        return f"'{reference}' is an absolute path; give the photo's path relative to the profile's folder"
    parts = PurePosixPath(reference.replace("\\", "/")).parts
    if ".." in parts:
        return f"'{reference}' leads outside the profile's folder; keep the photo next to the profile"
    if not reference.lower().endswith(PHOTO_SUFFIXES):
        return f"'{reference}' is not a PNG or JPEG file (.png, .jpg or .jpeg)"
    return None
