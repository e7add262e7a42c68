"""HarfBuzz's font subsetter through ctypes: 5 ms a face where fontTools takes 0.7 s.

WeasyPrint uses the same library (libharfbuzz-subset) for the fonts inside PDFs; loading it with
ctypes here keeps `import weasyprint` off the HTML path. `available()` is False where it is not
installed (macOS without Homebrew's HarfBuzz, say); callers then subset with fontTools.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_VOID = ctypes.c_void_p
_SETS_NAME_ID = 4  # hb_subset_sets_t: HB_SUBSET_SETS_NAME_ID
_SETS_LAYOUT_FEATURE_TAG = 6  # HB_SUBSET_SETS_LAYOUT_FEATURE_TAG


@lru_cache(maxsize=1)
def _libraries() -> tuple[Any, Any] | None:
    for core, subset in (
        ("libharfbuzz.so.0", "libharfbuzz-subset.so.0"),
        ("libharfbuzz.0.dylib", "libharfbuzz-subset.0.dylib"),
        ("libharfbuzz-0.dll", "libharfbuzz-subset-0.dll"),
    ):
        try:
            hb, hs = ctypes.CDLL(core), ctypes.CDLL(subset)
        except OSError:
            continue
        hb.hb_version_string.restype = ctypes.c_char_p
        hb.hb_blob_create.restype = _VOID
        hb.hb_blob_create.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_int, _VOID, _VOID]
        hb.hb_face_create.restype = _VOID
        hb.hb_face_create.argtypes = [_VOID, ctypes.c_uint]
        hb.hb_set_add.argtypes = [_VOID, ctypes.c_uint32]
        hb.hb_set_del.argtypes = [_VOID, ctypes.c_uint32]
        hb.hb_face_reference_blob.restype = _VOID
        hb.hb_face_reference_blob.argtypes = [_VOID]
        hb.hb_blob_get_data.restype = ctypes.POINTER(ctypes.c_char)
        hb.hb_blob_get_data.argtypes = [_VOID, ctypes.POINTER(ctypes.c_uint)]
        hb.hb_blob_destroy.argtypes = [_VOID]
        hb.hb_face_destroy.argtypes = [_VOID]
        hs.hb_subset_input_create_or_fail.restype = _VOID
        hs.hb_subset_input_destroy.argtypes = [_VOID]
        hs.hb_subset_input_unicode_set.restype = _VOID
        hs.hb_subset_input_unicode_set.argtypes = [_VOID]
        hs.hb_subset_input_set.restype = _VOID
        hs.hb_subset_input_set.argtypes = [_VOID, ctypes.c_int]
        hs.hb_subset_or_fail.restype = _VOID
        hs.hb_subset_or_fail.argtypes = [_VOID, _VOID]
        return hb, hs
    return None


def available() -> bool:
    return _libraries() is not None


def version() -> str:
    """HarfBuzz's version ('' without it): part of a cached subset's key, since it shapes the bytes."""
    libraries = _libraries()
    return (libraries[0].hb_version_string() or b"").decode("ascii", "replace") if libraries else ""


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii").ljust(4)[:4], "big")


def subset_sfnt(
    font: bytes,
    codepoints: Iterable[int],
    name_ids: Iterable[int],
    add_features: Iterable[str] = (),
    drop_features: Iterable[str] = (),
) -> bytes:
    """An uncompressed TrueType/OpenType font (not WOFF) cut down to `codepoints`, keeping the layout
    features HarfBuzz keeps by default plus `add_features`, less `drop_features`, and the extra
    `name_ids` (copyright, licence)."""
    libraries = _libraries()
    if libraries is None:
        raise RuntimeError("libharfbuzz-subset is not installed")
    hb, hs = libraries
    blob = hb.hb_blob_create(font, len(font), 1, None, None)  # 1: HB_MEMORY_MODE_READONLY
    face = hb.hb_face_create(blob, 0)
    request = hs.hb_subset_input_create_or_fail()
    try:
        unicodes = hs.hb_subset_input_unicode_set(request)
        for codepoint in sorted(codepoints):
            hb.hb_set_add(unicodes, codepoint)
        names = hs.hb_subset_input_set(request, _SETS_NAME_ID)
        for name_id in name_ids:
            hb.hb_set_add(names, name_id)
        features = hs.hb_subset_input_set(request, _SETS_LAYOUT_FEATURE_TAG)
        for feature in add_features:
            hb.hb_set_add(features, _tag(feature))
        for feature in drop_features:
            hb.hb_set_del(features, _tag(feature))
        result = hs.hb_subset_or_fail(face, request)
        if not result:
            raise RuntimeError("HarfBuzz could not subset the font")
        out = hb.hb_face_reference_blob(result)
        length = ctypes.c_uint()
        data = ctypes.string_at(hb.hb_blob_get_data(out, ctypes.byref(length)), length.value)
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return data
    finally:
        hs.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
