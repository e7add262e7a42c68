"""Importing WeasyPrint without ctypes' library search.

WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names; each name that is not a
file makes cffi call `ctypes.util.find_library`, which on Linux runs ldconfig, gcc and ld (86
processes, 0.2 s of CPU) before the name that works, the library's soname, is reached. When every
soname opens directly, the search is skipped for the import: WeasyPrint loads the same libraries.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import sys
from functools import lru_cache

# The sonames WeasyPrint's loader reaches last on Linux (weasyprint/text/ffi.py); it needs them all.
LINUX_SONAMES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)


@lru_cache(maxsize=1)
def import_weasyprint() -> None:
    """Import WeasyPrint once; on Linux with every library in place, without probing for them."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux") or not _sonames_open():
        importlib.import_module("weasyprint")  # where the search is the only way in, it is kept

        return
    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = search


def _sonames_open() -> bool:
    try:
        for soname in LINUX_SONAMES:
            ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _not_searched(name: str) -> str | None:
    """What find_library says during the import: not found, so the loader tries its next name."""
    del name
    return None
