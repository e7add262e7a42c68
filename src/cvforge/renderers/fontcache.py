"""What fonts cost, paid once per machine: decoded faces, their cmaps and their subsets, on disk.

Every entry is named by the font file's content digest (and, for a subset, the digest of the
characters and of the subsetter), so an edited or replaced font never meets a stale entry, and a
rebuild reads a few kilobytes instead of decoding WOFF2, reading cmaps or subsetting again. The
folder is $CVFORGE_CACHE_DIR, else $XDG_CACHE_HOME/cvforge, else ~/.cache/cvforge; when it cannot
be written, everything is computed in memory instead (slower, never wrong). Writes are atomic.

The folder is input: it may be shared, or restored by CI from a cache another branch wrote, and a
decoded face in it ends up in every PDF. A name is the digest of what an entry was made *from*, so
it cannot vouch for the entry's bytes; each entry therefore has a sidecar, `tags/<key id>/<name>`,
holding an HMAC-SHA256 of its name and bytes under the user's own key (see `cachekey`: outside
the cache folder, 0600). An entry is used only when its tag matches; one whose tag does not, or
that is a link, a device, a FIFO or too large, is said once (a warning), deleted and made again.
An entry with no tag of this key (an older cvforge's, another user's) is made again quietly.
The HMAC costs one hash of the entry per process and file version: a verified entry is
remembered by its identity (device, inode, size, modification and change time), and a later read
whose identity matches skips the hash. Without a trusted key nothing is read from or written to
the folder.

A decoded face is handed to WeasyPrint as a file: URL, but WeasyPrint reads it through cvforge's
fetcher (`pdf.make_fetcher`), which asks `verified_face` for the bytes: the bytes checked are the
bytes used, so a file swapped after the check is never what WeasyPrint gets.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cvforge.reader.ownfiles import read_own_file, write_own_file
from cvforge.renderers import cachekey, hbsubset

LOGGER = logging.getLogger(__name__)
CACHE_ENV = "CVFORGE_CACHE_DIR"
# copyright, family, subfamily, unique id, full name, version, PostScript name, licence, licence URL
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)
_FORMAT = "1"  # bump when what an entry holds changes
_PURPOSE = "font"
TAGS_DIR = "tags"
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a whole CJK face decoded is about 20 MB
_VERIFIED: dict[str, tuple[int, int, int, int, int]] = {}  # entry name → identity of the file checked
_WARNED: set[str] = set()  # entries already said to be untrusted, in this process
_SOURCES: dict[str, Path] = {}  # decoded face's entry name → the font it is decoded from


def cache_root() -> Path:
    """Where cvforge keeps what it computed once (fonts/ under it)."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cvforge"


def fonts_dir() -> Path:
    return cache_root() / "fonts"


def stamp(path: Path) -> tuple[str, int, int]:
    """A key that changes when the file does (path, modification time, size)."""
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def font_digest(path: Path) -> str:
    """The font file's content digest, read once per process and file version."""
    return _digest(stamp(path))


@lru_cache(maxsize=256)
def _digest(key: tuple[str, int, int]) -> str:
    return hashlib.sha256(Path(key[0]).read_bytes()).hexdigest()


def cached(name: str, make: Callable[[], bytes]) -> bytes:
    """The cache entry `name` if it is verified as this user's, else made (and stored, atomically)."""
    data = read_entry(name)
    if data is None:
        data = make()
        store(name, data)
    return data


def read_entry(name: str) -> bytes | None:
    """The entry's bytes if its tag is this user's; None when it is missing, has no tag of this key,
    or cannot be trusted (then it is said once and deleted, so it is made again)."""
    if cachekey.user_key() is None:
        return None
    path = fonts_dir() / name
    try:
        read = read_own_file(path, MAX_ENTRY_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        _distrust(name, exc.strerror or str(exc))
        return None
    if _VERIFIED.get(name) == read.identity:
        return read.data  # this very file version was checked in this process
    claimed = _read_tag(name)
    if claimed is None:
        return None
    if not cachekey.verify(_PURPOSE, name, read.data, claimed):
        _distrust(name, "it is not what this user's cvforge wrote there (its HMAC does not match)")
        return None
    _VERIFIED[name] = read.identity
    return read.data


def _tag_path(name: str) -> Path | None:
    key = cachekey.key_id()
    return None if key is None else fonts_dir() / TAGS_DIR / key / name


def _read_tag(name: str) -> bytes | None:
    """The tag kept for `name` under this user's key; None when there is none (an older cvforge's
    entry, another user's): not a sign of tampering, the entry is simply made again."""
    path = _tag_path(name)
    if path is None:
        return None
    try:
        return read_own_file(path, cachekey.TAG_BYTES).data
    except FileNotFoundError:
        return None
    except OSError as exc:
        _distrust(name, f"its tag {exc.strerror or exc}")
        return None


def _distrust(name: str, reason: str) -> None:
    """Say once per process that an entry is not used, and delete it (and its tag) where we may."""
    if name not in _WARNED:
        _WARNED.add(name)
        LOGGER.warning("font cache: %s not used: %s; made again", fonts_dir() / name, reason)
    _VERIFIED.pop(name, None)
    for path in (fonts_dir() / name, _tag_path(name)):
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def store(name: str, data: bytes) -> bool:
    """Keep `data` as entry `name` with its tag (each written atomically, the entry first); False
    when there is no trusted key or the folder cannot be written (computed again next time)."""
    tag = cachekey.tag(_PURPOSE, name, data)
    tag_path = _tag_path(name)
    if tag is None or tag_path is None:
        return False
    try:
        write_own_file(fonts_dir() / name, data)
        write_own_file(tag_path, tag)
    except OSError:
        return False  # a read-only home: computed again next time, same bytes
    return True


def _is_woff(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) in (b"wOF2", b"wOFF")


def decoded_font(path: Path) -> Path:
    """The font as an uncompressed TrueType/OpenType file (WOFF/WOFF2 decoded once, on disk).

    WeasyPrint decodes every WOFF2 face each time a process first uses it; handing it the decoded
    file skips that. The entry is verified (or made again) before its path is handed out, and
    WeasyPrint reads it only through `verified_face`. The original path comes back when the font
    is not WOFF or no cache is writable.
    """
    if not _is_woff(path):
        return path
    name = f"{font_digest(path)}.sfnt"
    _SOURCES[name] = path
    if read_entry(name) is not None or store(name, decode(path.read_bytes())):
        return fonts_dir() / name
    return path  # nowhere to keep it: WeasyPrint decodes it


def decoded_bytes(path: Path) -> bytes:
    """The font's uncompressed sfnt bytes: from the cache when verified, else decoded (and kept)."""
    if not _is_woff(path):
        return path.read_bytes()
    name = f"{font_digest(path)}.sfnt"
    _SOURCES[name] = path
    return cached(name, lambda: decode(path.read_bytes()))


def verified_face(path: Path) -> bytes | None:
    """For the PDF fetcher: the bytes of a decoded face `decoded_font` handed out, checked as they
    are read (made again from its font when the file was changed since); None for any other file."""
    name = path.name
    source = _SOURCES.get(name)
    if path.parent != fonts_dir().resolve() or source is None:
        return None
    return cached(name, lambda: decode(source.read_bytes()))


def decode(font: bytes) -> bytes:
    """WOFF or WOFF2 bytes → the sfnt (TrueType/OpenType) they compress, as WeasyPrint would decode them."""
    from fontTools.ttLib import TTFont, woff2

    out = io.BytesIO()
    if font[:4] == b"wOF2":
        woff2.decompress(io.BytesIO(font), out)
    elif font[:4] == b"wOFF":
        ttfont = TTFont(io.BytesIO(font))
        ttfont.flavor = ttfont.flavorData = None
        ttfont.save(out)
    else:
        return font
    return out.getvalue()


@dataclass(frozen=True)
class Coverage:
    """The characters a font maps to glyphs, as sorted ranges. A page asks about its own few hundred
    characters, never for the font's thousands as a set (decoding a theme's 22 cmaps into sets was
    10 ms of every cold build)."""

    firsts: tuple[int, ...]
    lasts: tuple[int, ...]

    def __contains__(self, codepoint: object) -> bool:
        if not isinstance(codepoint, int):
            return False
        index = bisect_right(self.firsts, codepoint) - 1
        return index >= 0 and codepoint <= self.lasts[index]

    def among(self, codepoints: Iterable[int]) -> frozenset[int]:
        """Those of `codepoints` the font has."""
        return frozenset(c for c in codepoints if c in self)

    def codepoints(self) -> frozenset[int]:
        """Every character the font has (thousands for a CJK face)."""
        return frozenset(c for first, last in zip(self.firsts, self.lasts, strict=True) for c in range(first, last + 1))


def lacking(codepoints: Iterable[int], coverages: Iterable[Coverage]) -> frozenset[int]:
    """Those of `codepoints` none of the fonts has."""
    fonts = tuple(coverages)
    return frozenset(c for c in codepoints if not any(c in font for font in fonts))


def font_cmap(path: Path) -> Coverage:
    """The characters a font maps to glyphs: read from the font once per machine, then from the cache."""
    return _cmap(stamp(path))


@lru_cache(maxsize=256)
def _cmap(key: tuple[str, int, int]) -> Coverage:
    path = Path(key[0])
    text = cached(f"{_digest(key)}.cmap{_FORMAT}", lambda: _encode_ranges(_read_cmap(path))).decode("ascii")
    return _decode_ranges(text)


def _read_cmap(path: Path) -> list[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return sorted(font.getBestCmap() or {})


def _encode_ranges(codepoints: list[int]) -> bytes:
    """'20-7e,a0,…' (hexadecimal ranges): a CJK cmap of 20,000 characters in a few kilobytes."""
    parts: list[str] = []
    index = 0
    while index < len(codepoints):
        end = index
        while end + 1 < len(codepoints) and codepoints[end + 1] == codepoints[end] + 1:
            end += 1
        first, last = codepoints[index], codepoints[end]
        parts.append(f"{first:x}" if first == last else f"{first:x}-{last:x}")
        index = end + 1
    return ",".join(parts).encode("ascii")


def _decode_ranges(text: str) -> Coverage:
    firsts: list[int] = []
    lasts: list[int] = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        firsts.append(int(first, 16))
        lasts.append(int(last or first, 16))
    return Coverage(tuple(firsts), tuple(lasts))


def subsetter() -> str:
    """Which subsetter makes the bytes (HarfBuzz and its version, else fontTools and its version)."""
    if hbsubset.available():
        return f"harfbuzz-{hbsubset.version()}"
    from fontTools import version

    return f"fonttools-{version}"


@dataclass(frozen=True)
class Features:
    """OpenType layout features a subset keeps beyond the subsetter's defaults, and those it drops."""

    add: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()


def subset_woff2(path: Path, codepoints: frozenset[int], features: Features = Features()) -> bytes:
    """A WOFF2 font holding only the glyphs `codepoints` need (and what its layout features reach).

    Deterministic: the font's own dates are kept, and the entry is keyed by the font's digest, the
    characters, the features and the subsetter, so a cache hit returns exactly what computing it
    again would.
    """
    wanted = tuple(sorted(font_cmap(path).among(codepoints)))
    spec = f"{subsetter()}|{','.join(map(str, wanted))}|{'+'.join(features.add)}|{'-'.join(features.drop)}"
    key = hashlib.sha256(spec.encode("ascii")).hexdigest()[:32]
    return _subset(stamp(path), key, wanted, features)


@lru_cache(maxsize=64)
def _subset(file: tuple[str, int, int], key: str, wanted: tuple[int, ...], features: Features) -> bytes:
    path = Path(file[0])
    return cached(f"{_digest(file)}-{key}.woff2", lambda: _make_subset(path, wanted, features))


def _make_subset(path: Path, wanted: tuple[int, ...], features: Features) -> bytes:
    from fontTools.ttLib import woff2

    if hbsubset.available():
        sfnt = hbsubset.subset_sfnt(decoded_bytes(path), wanted, NAME_IDS, features.add, features.drop)
        out = io.BytesIO()
        woff2.compress(io.BytesIO(sfnt), out)
        return out.getvalue()
    return _fonttools_subset(path, wanted, features)


def _fonttools_subset(path: Path, wanted: tuple[int, ...], features: Features) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = list(NAME_IDS)
    kept = [tag for tag in [*options.layout_features, *features.add] if tag not in features.drop]
    options.layout_features = list(dict.fromkeys(kept))
    tool = subset.Subsetter(options)
    tool.populate(unicodes=wanted)
    with TTFont(path, recalcTimestamp=False) as font:  # keep the font's own date: same bytes every run
        tool.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def clear_memory() -> None:
    """Forget what this process computed and checked (the disk cache stays): for tests that compute afresh."""
    for function in (_digest, _cmap, _subset):
        function.cache_clear()
    for remembered in (_VERIFIED, _WARNED, _SOURCES):
        remembered.clear()
