"""Compiled theme templates on disk, so a new process skips Jinja's parse and compile (about 0.2 s
of a cold build). Entries are keyed by template name and source checksum (Jinja's own scheme), in a
folder named by cvforge's and Jinja's versions: an edited template or an upgrade never meets a stale
entry. A cache folder that cannot be written or holds a damaged entry costs a compile, never a build.
"""

from __future__ import annotations

import contextlib

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from cvforge import __version__
from cvforge.renderers.fontcache import cache_root

_FORMAT = "1"  # bump when the environment's compile options change (trim_blocks, sandboxing…)


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache (atomic writes), quiet about a read-only or damaged cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # pickle and marshal raise anything on damaged bytes
            bucket.reset()  # damaged or unreadable: compiled again and written anew

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only home: compiled again next time, same result
            super().dump_bytecode(bucket)


def template_cache() -> TemplateCache | None:
    """The cache under cache_root(), or None when its folder cannot be made."""
    folder = cache_root() / "templates" / f"{_FORMAT}-{__version__}-jinja{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return TemplateCache(str(folder))
