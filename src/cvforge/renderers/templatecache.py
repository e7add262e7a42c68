"""Compiled theme templates on disk, so a new process skips Jinja's parse and compile, and only
what this user's cvforge compiled is ever loaded from there.

Why keep it, and why an HMAC: Jinja's entry is a pickle and a marshalled code object, so a planted
entry (a shared $XDG_CACHE_HOME, a cache CI restored) ran any Python on the next build. No format
of compiled templates is safe to load from someone else: Jinja compiles to Python, so even its
source form is code. The choice was to drop the disk cache or to prove each entry is ours. The
cache saves the compile in every new process (every CLI call, watch start and CI job): measured
for a seed profile's first HTML in a process, 0.108 s without it, 0.066 s with it, and the same
0.066 s with the HMAC check (hashing tens of kilobytes costs microseconds); issue 16 measured
0.28 s → 0.08 s on a cold build. So it stays, and each entry starts with an
HMAC-SHA256 of its bucket key and content under the user's own key (`cachekey`: kept outside the
cache folder, 0600, refused when anyone else could read or change it). The tag is checked on the
raw bytes before Jinja sees them: pickle and marshal never touch an entry that is not ours. An
entry without a valid tag is said once (a warning), compiled again and replaced; without a
trusted key there is no disk cache at all (templates compile in memory, as a read-only home would).

Entries are keyed by template name and source checksum (Jinja's own scheme), in a folder named by
cvforge's and Jinja's versions, the environment's filters and tests as the compiler sees them, and
the key's public id: an edited template, an upgrade, a filter that now takes the context (compiled
code passes it or not) or another user's entries never meet ours. Writes are atomic; a cache that
cannot be written costs a compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from cvforge import __version__
from cvforge.reader.ownfiles import read_own_file, write_own_file
from cvforge.renderers import cachekey
from cvforge.renderers.fontcache import cache_root

LOGGER = logging.getLogger(__name__)
_FORMAT = "2"  # bump when the environment's compile options change (trim_blocks, sandboxing…) or the entry's layout
_MAGIC = b"cvforge-template-2\n"
_PURPOSE = "template"
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a compiled theme template is tens of kilobytes


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache in one folder, each entry `_MAGIC + HMAC + Jinja's bytes`, loaded only
    when the HMAC is this user's; atomic writes, quiet about a read-only folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._warned: set[str] = set()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"__jinja2_{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        try:
            raw = read_own_file(path, MAX_ENTRY_BYTES).data
        except FileNotFoundError:
            return
        except OSError as exc:
            self._distrust(path, exc.strerror or str(exc))
            return
        payload = self._verified(bucket.key, raw)
        if payload is None:
            self._distrust(path, "it is not one this user's cvforge wrote (its HMAC does not match)")
            return
        try:
            bucket.bytecode_from_string(payload)  # ours, so only an older Python's or Jinja's bytes fail here
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        payload = bucket.bytecode_to_string()
        tag = cachekey.tag(_PURPOSE, bucket.key, payload)
        if tag is None:
            return
        with contextlib.suppress(OSError):  # a read-only home: compiled again next time, same result
            write_own_file(self._path(bucket), _MAGIC + tag + payload)

    @staticmethod
    def _verified(name: str, raw: bytes) -> bytes | None:
        """Jinja's bytes from an entry whose tag is this user's, else None (never unpickled)."""
        head, start = len(_MAGIC), len(_MAGIC) + cachekey.TAG_BYTES
        if raw[:head] != _MAGIC or len(raw) < start:
            return None
        payload = raw[start:]
        return payload if cachekey.verify(_PURPOSE, name, payload, raw[head:start]) else None

    def _distrust(self, path: Path, reason: str) -> None:
        """Said once per entry and process; the entry is compiled again (and replaced, where writable)."""
        if path.name not in self._warned:
            self._warned.add(path.name)
            LOGGER.warning("template cache: %s not used: %s; compiled again", path, reason)
        with contextlib.suppress(OSError):
            path.unlink()


def template_cache(environment: jinja2.Environment) -> TemplateCache | None:
    """The cache for `environment` (its filters and tests already set) under cache_root(), or None
    when its folder cannot be made or no key is trusted."""
    key = cachekey.key_id()
    if key is None:
        return None
    shape = compiler_view(environment)
    folder = cache_root() / "templates" / f"{_FORMAT}-{__version__}-jinja{jinja2.__version__}-{shape}-{key}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return TemplateCache(folder)


def compiler_view(environment: jinja2.Environment) -> str:
    """A digest of what Jinja's compiler reads from the environment besides the source: each
    filter's and test's name and what it is passed (`pass_context` and its kin change the compiled
    call). A cvforge in development keeps its version number while its filters change; a cached
    call compiled for the old filter failed ("inline_in_page() missing 1 required positional
    argument") in every theme."""
    parts = [
        f"{kind}:{name}:{getattr(function, 'jinja_pass_arg', '')}"
        for kind, table in (("filter", environment.filters), ("test", environment.tests))
        for name, function in sorted(table.items())
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
