"""What fonts cost, paid once per machine: decoded faces, their cmaps and their subsets, on disk.

Every entry is named by the font file's content digest (and, for a subset, the digest of the
characters and of the subsetter), so an edited or replaced font never meets a stale entry, and a
rebuild reads a few kilobytes instead of decoding WOFF2, reading cmaps or subsetting again. The
folder is $CVFORGE_CACHE_DIR, else $XDG_CACHE_HOME/cvforge, else ~/.cache/cvforge; when it cannot
be written, everything is computed in memory instead (slower, never wrong). Writes are atomic.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cvforge.renderers import hbsubset

CACHE_ENV = "CVFORGE_CACHE_DIR"
# copyright, family, subfamily, unique id, full name, version, PostScript name, licence, licence URL
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)
_FORMAT = "1"  # bump when what an entry holds changes


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
    """The cache entry `name`, made (and stored, atomically) on first use."""
    path = fonts_dir() / name
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except OSError:
        pass  # a read-only home: computed again next time, same bytes
    return data


def decoded_font(path: Path) -> Path:
    """The font as an uncompressed TrueType/OpenType file (WOFF/WOFF2 decoded once, on disk).

    WeasyPrint decodes every WOFF2 face each time a process first uses it; handing it the decoded
    file skips that. The original path comes back when the font is not WOFF or no cache is writable.
    """
    with path.open("rb") as file:
        if file.read(4) not in (b"wOF2", b"wOFF"):
            return path
    target = fonts_dir() / f"{font_digest(path)}.sfnt"
    if not target.is_file():
        cached(target.name, lambda: decode(path.read_bytes()))
    return target if target.is_file() else path  # nowhere to keep it: WeasyPrint decodes it


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


def font_cmap(path: Path) -> frozenset[int]:
    """The characters a font maps to glyphs: read from the font once per machine, then from the cache."""
    return _cmap(stamp(path))


@lru_cache(maxsize=256)
def _cmap(key: tuple[str, int, int]) -> frozenset[int]:
    path = Path(key[0])
    text = cached(f"{_digest(key)}.cmap{_FORMAT}", lambda: _encode_ranges(_read_cmap(path))).decode("ascii")
    return frozenset(_decode_ranges(text))


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


def _decode_ranges(text: str) -> list[int]:
    codepoints: list[int] = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        codepoints.extend(range(int(first, 16), int(last or first, 16) + 1))
    return codepoints


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
    wanted = tuple(sorted(codepoints & font_cmap(path)))
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
        sfnt = hbsubset.subset_sfnt(decoded_font(path).read_bytes(), wanted, NAME_IDS, features.add, features.drop)
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
    """Forget what this process computed (the disk cache stays): for tests that compute afresh."""
    for function in (_digest, _cmap, _subset):
        function.cache_clear()
