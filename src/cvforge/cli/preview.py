"""What `cvforge watch` shows besides the built files: an index of the outputs at `/`, and an overlay
with the last build's located errors over the last good page (cleared by the next good build).

Both are made as pages are served and never written to disk.
"""

from __future__ import annotations

import html
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cvforge.builder.cache import BuildCache

OVERLAY_ID = "cvforge-errors"
INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
SHOWN_SUFFIXES = (".html", ".pdf", ".docx", ".md", ".txt", ".png")
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Built:
    """One job's outputs, as the index lists them."""

    name: str  # the person's name (from the page title), else the file's stem
    source: str  # the profile or target it came from, when the build record says
    files: tuple[str, ...]  # paths relative to the served folder, URL-ready


def built_outputs(folder: Path) -> list[Built]:
    """The outputs in `folder`, grouped by the job that wrote them (from the build record), else by stem."""
    cache = BuildCache.open(folder)
    groups: dict[str, list[str]] = {}
    for entry in sorted(cache.entries):
        kind, _, rest = entry.partition(":")
        source, _, part = rest.rpartition(":")
        if kind in ("profile", "target") and part != "profile":
            names = [name for name in cache.entries[entry].get("files", {}) if servable(folder, folder / name)]
            groups.setdefault(source, []).extend(n for n in names if n.endswith(SHOWN_SUFFIXES))
    if not groups:  # no build record (an older or hand-made folder): one row per file stem
        by_stem: dict[str, list[str]] = {}
        for path in sorted(folder.rglob("*")):
            if path.suffix in SHOWN_SUFFIXES and servable(folder, path):
                name = path.relative_to(folder).as_posix()
                by_stem.setdefault(name.rsplit(".", 1)[0].removesuffix(".match"), []).append(name)
        return [Built(_name_of(folder, files, Path(stem).name), "", tuple(files)) for stem, files in by_stem.items()]
    return [Built(_name_of(folder, files, Path(src).stem), src, tuple(files)) for src, files in groups.items() if files]


def _name_of(folder: Path, files: list[str], fallback: str) -> str:
    page = next((name for name in files if name.endswith(".html")), None)
    head = read_served(folder, folder / page, limit=4096) if page is not None else None
    if head is not None:
        found = _TITLE.search(head.decode("utf-8", errors="replace"))
        if found:
            return html.unescape(found.group(1)).split(" — ")[0].strip() or fallback
    return fallback


def inside(folder: Path, path: Path) -> Path | None:
    """`path` with every link followed, when that stays inside `folder`; else None (also when it is missing).

    A symlink in the output folder (`leak.txt → /etc/passwd`, `root → /`) must not serve what it points at.
    """
    try:
        real = path.resolve(strict=True)
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return None
    return real if real.is_relative_to(root) else None


def open_served(folder: Path, path: Path) -> BinaryIO | None:
    """`path` opened for reading when it is a regular file inside `folder`; else None.

    Judged on the opened descriptor (fstat), so a file swapped for a link or a FIFO after the path
    check is refused too; O_NONBLOCK keeps a FIFO from stalling the open itself.
    """
    real = inside(folder, path)
    if real is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(real, flags)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


def read_served(folder: Path, path: Path, limit: int = -1) -> bytes | None:
    """The bytes of a file `open_served` accepts (at most `limit`), else None."""
    handle = open_served(folder, path)
    if handle is None:
        return None
    with handle:
        return handle.read(limit)


def servable(folder: Path, path: Path) -> bool:
    """Whether the preview serves `path`: a regular file that resolves inside `folder`."""
    real = inside(folder, path)
    return real is not None and real.is_file()


def only_page(outputs: list[Built]) -> str | None:
    """The one résumé page to show at `/` when the build made exactly one."""
    pages = [name for built in outputs for name in built.files if name.endswith(".html")]
    return pages[0] if len(pages) == 1 else None


def index_page(outputs: list[Built]) -> str:
    """A plain page linking every output, one row per profile or target."""
    rows = []
    for built in outputs:
        links = " ".join(
            f'<a href="/{html.escape(name, quote=True)}">{html.escape(name.rsplit(".", 1)[-1].upper())}</a>'
            for name in built.files
        )
        source = f' <span class="source">{html.escape(built.source)}</span>' if built.source else ""
        rows.append(f"<li><strong>{html.escape(built.name)}</strong>{source}<br>{links}</li>")
    body = "\n".join(rows) or "<li>Nothing built yet: the first build's errors are shown above.</li>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{INDEX_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>cvforge watch</title>\n<style>\n"
        "body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; }\n"
        "body { color: #1f2328; }\n"
        "li { margin: 0 0 1rem; } a { margin-right: 0.75rem; color: #0b57d0; } .source { color: #59636e; }\n"
        "</style>\n</head>\n<body>\n<main>\n<h1>Built résumés</h1>\n"
        f"<ul>\n{body}\n</ul>\n</main>\n</body>\n</html>\n"
    )


def error_overlay(errors: str) -> str:
    """The last build's errors over the page (like Vite's overlay); the page beneath is the last good one."""
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;'
        "background:rgba(20,20,24,.92);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;"
        'padding:2rem;box-sizing:border-box">'
        '<p style="margin:0 0 1rem;font:600 18px/1.4 system-ui,sans-serif;color:#ff8a80">'
        "cvforge: the last edit did not build</p>"
        f'<pre style="white-space:pre-wrap;margin:0 0 1rem;color:#fff">{html.escape(errors)}</pre>'
        '<p style="margin:0;font:14px/1.4 system-ui,sans-serif;color:#d0d0d0">'
        "Beneath this is the last good build. Fix the file and save: this page reloads and the message goes."
        "</p></div>"
    )


def add_overlay(page: str, errors: str | None) -> str:
    """`page` with the overlay first in its body when the last build failed."""
    if not errors:
        return page
    overlay = error_overlay(errors)
    match = re.search(r"<body[^>]*>", page, re.IGNORECASE)
    return page[: match.end()] + overlay + page[match.end() :] if match else overlay + page


FINDINGS_ID = "cvforge-review"


def findings_panel(findings: Sequence[str]) -> str:
    """The last build's review findings, in a collapsed panel in the corner: advice to read when you
    choose, apart from the error overlay (which covers the page because the page is stale)."""
    count = len(findings)
    items = "".join(f'<li style="margin:0 0 .5rem">{html.escape(line)}</li>' for line in findings)
    return (
        f'<details id="{FINDINGS_ID}" style="position:fixed;right:1rem;bottom:1rem;z-index:2147483646;'
        "max-width:min(44rem,calc(100vw - 2rem));max-height:60vh;overflow:auto;background:#fffbe6;color:#1f2328;"
        "border:1px solid #d4a72c;border-radius:6px;box-shadow:0 2px 12px rgba(0,0,0,.2);"
        'font:13px/1.45 system-ui,sans-serif;padding:.5rem .75rem">'
        '<summary style="cursor:pointer;font-weight:600">'
        f"cvforge review: {count} finding{'s' if count != 1 else ''}</summary>"
        f'<ul style="margin:.5rem 0 0;padding-left:1.1rem;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace">'
        f"{items}</ul></details>"
    )


def add_findings(page: str, findings: Sequence[str] | None) -> str:
    """`page` with the findings panel last in its body, when the review found anything."""
    if not findings:
        return page
    panel = findings_panel(findings)
    return page.replace("</body>", panel + "</body>", 1) if "</body>" in page else page + panel
