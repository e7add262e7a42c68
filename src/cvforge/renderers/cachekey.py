"""The per-user key that proves a cache entry is this user's cvforge's own work.

The cache folder ($CVFORGE_CACHE_DIR, $XDG_CACHE_HOME/cvforge) may be shared, or restored by CI
from a cache another branch wrote, so what is in it is input. Compiled templates are code and
decoded fonts end up in every PDF: each such entry carries an HMAC-SHA256 of its name and content
under this key, and is used only when the HMAC matches.

A key kept in the cache folder would prove nothing (whoever writes the folder would write the
key), so it lives where only its owner writes: $XDG_STATE_HOME/cvforge/cache.key, else
~/.local/state/cvforge/cache.key. It is 32 random bytes, created atomically with mode 0600
(written under a temporary name, then hard-linked into place, so no process ever reads half a
key), and refused (with a warning; the caches then live in memory only) when it is a link, not
a regular file of 32 bytes, not owned by the user, readable or writable by anyone else, or inside
the cache folder. A fresh CI runner makes a fresh key, so a restored font or template cache is
recomputed there rather than trusted.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import logging
import os
import secrets
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

from cvforge.reader.ownfiles import read_own_file

LOGGER = logging.getLogger(__name__)
KEY_NAME = "cache.key"
KEY_BYTES = 32
TAG_BYTES = 32  # HMAC-SHA256


def key_path() -> Path:
    """$XDG_STATE_HOME/cvforge/cache.key, else ~/.local/state/cvforge/cache.key."""
    state = os.environ.get("XDG_STATE_HOME", "").strip()
    return (Path(state) if state else Path.home() / ".local" / "state") / "cvforge" / KEY_NAME


def user_key() -> bytes | None:
    """This user's key (made on first use), or None when there is none to trust: then nothing that
    needs one is read from or written to the disk cache."""
    from cvforge.renderers.fontcache import cache_root

    return _key(str(key_path()), str(cache_root()))


def key_id() -> str | None:
    """A short public name for the key (not the key): caches of several users in one folder keep apart."""
    key = user_key()
    return None if key is None else hmac.new(key, b"cvforge cache key id", hashlib.sha256).hexdigest()[:16]


def tag(purpose: str, name: str, data: bytes) -> bytes | None:
    """The HMAC of `data` stored as `name` for `purpose` (so no entry passes for another), or None without a key."""
    key = user_key()
    if key is None:
        return None
    message = hmac.new(key, f"cvforge:{purpose}:{name}\0".encode(), hashlib.sha256)
    message.update(data)
    return message.digest()


def verify(purpose: str, name: str, data: bytes, claimed: bytes) -> bool:
    """Whether `claimed` is the tag this user's cvforge gave `data` under `name` (never without a key)."""
    expected = tag(purpose, name, data)
    return expected is not None and hmac.compare_digest(expected, claimed)


def seal(purpose: str, name: str, body: bytes) -> bytes | None:
    """`body` behind a first line holding its tag in hex: for small records kept in the cache
    folder (the digest index, replays); None without a key (then keep nothing)."""
    found = tag(purpose, name, body)
    return None if found is None else found.hex().encode("ascii") + b"\n" + body


def unseal(purpose: str, name: str, sealed: bytes) -> bytes | None:
    """The body `seal` wrapped, if its tag is this user's; else None (never parsed, never trusted)."""
    head, newline, body = sealed.partition(b"\n")
    try:
        claimed = bytes.fromhex(head.decode("ascii"))
    except ValueError:
        return None
    return body if newline and verify(purpose, name, body, claimed) else None


@lru_cache(maxsize=8)
def _key(path_text: str, cache_text: str) -> bytes | None:
    """Read (or make) the key at `path_text`, once per process; a refusal is said once."""
    path = Path(path_text)
    if _inside(path, Path(cache_text)):
        LOGGER.warning(
            "cache key %s lies inside the cache folder %s, which others may write: not used "
            "(fonts and templates are cached in memory only; set XDG_STATE_HOME elsewhere)",
            path,
            cache_text,
        )
        return None
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        _refuse(path, exc.strerror or str(exc))
        return None
    with contextlib.suppress(OSError):
        _create_key(path)
    try:
        return _read_key(path)
    except FileNotFoundError:
        return None  # nowhere to keep one (a read-only home): caches in memory only, quietly
    except OSError as exc:
        _refuse(path, exc.strerror or str(exc))
        return None


def _inside(path: Path, folder: Path) -> bool:
    with contextlib.suppress(OSError, RuntimeError):
        return path.resolve().is_relative_to(folder.resolve())
    return True  # cannot tell: do not trust it


def _refuse(path: Path, reason: str) -> None:
    LOGGER.warning(
        "cache key %s: %s; not used (fonts and templates are cached in memory only until it is "
        "fixed or removed: cvforge makes a new one, mode 0600)",
        path,
        reason,
    )


def _read_key(path: Path) -> bytes:
    """The key, if only its owner (this user) can read or change it; else OSError saying why."""
    read = read_own_file(path, KEY_BYTES)  # a link (ELOOP), a device, a FIFO or a folder is refused
    status = read.status  # of the file read, not of whatever the name points to now
    if hasattr(os, "getuid"):  # POSIX: owner and permissions mean something
        if status.st_uid != os.getuid():
            raise OSError(errno.EPERM, f"owned by user {status.st_uid}, not by this user ({os.getuid()})")
        if stat.S_IMODE(status.st_mode) & 0o077:
            raise OSError(errno.EPERM, f"mode {stat.S_IMODE(status.st_mode):04o} lets others read or change it")
    if len(read.data) != KEY_BYTES:
        raise OSError(errno.EINVAL, f"holds {len(read.data)} bytes, not a {KEY_BYTES}-byte key")
    return read.data


def _create_key(path: Path) -> None:
    """Write a new key atomically: the full 32 bytes under a temporary name (0600), then a hard
    link to the real name, which fails if another process was first (its key is then used)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache.key.")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            path.hardlink_to(temporary)
    finally:
        Path(temporary).unlink()


def forget() -> None:
    """Read the key again on next use (for tests that move it)."""
    _key.cache_clear()
