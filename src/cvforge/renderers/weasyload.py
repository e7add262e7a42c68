"""Importing WeasyPrint without ctypes' library search and without parsing its C declarations.

WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names; each name that is not a
file makes cffi call `ctypes.util.find_library`, which on Linux runs ldconfig, gcc and ld (86
processes, 0.2 s of CPU) before the name that works, the library's soname, is reached. When every
soname opens directly, the search is skipped for the import: WeasyPrint loads the same libraries.

WeasyPrint also declares the C functions it calls as source that cffi parses with pycparser on
every import (60 ms). `weasyprint_ffi` holds those declarations parsed ahead of time
(scripts/prebuild_weasyprint_ffi.py); they stand in only for the very source they were made from,
checked by its SHA-256 when WeasyPrint declares it. Any other source is parsed as usual.

Its PDF writer imports fontTools' instancer and subsetter by name (15 MiB, 50 ms) for variable fonts
and for systems without HarfBuzz's subsetter; they are imported when first called instead.

Every one-shot command imports this module (cli/quick_exit.py sets `freeze_after_import`), a
no-change rebuild included: ctypes and hashlib are imported where they are used, not here.
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

# The sonames WeasyPrint's loader reaches last on Linux (weasyprint/text/ffi.py); it needs them all.
LINUX_SONAMES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)


# Set by a one-shot command line (cli/quick_exit.py). What WeasyPrint's import allocates lives until
# the process ends, yet the cyclic collector walked it in every collection after (15-25 ms of a cold
# build): the import then runs without collections, and what it made is frozen (`gc.freeze`).
# Never in a library user's process, whose own objects the freeze would keep from the collector.
freeze_after_import = False


@lru_cache(maxsize=1)
def import_weasyprint() -> None:
    """Import WeasyPrint once; on Linux with every library in place, without probing for them."""
    if "weasyprint" in sys.modules:
        return
    if not freeze_after_import:
        _import_weasyprint()
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        _import_weasyprint()
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _import_weasyprint() -> None:
    with _font_variation_and_subsetting_on_first_use():
        _import_weasyprint_quickly()


def _import_weasyprint_quickly() -> None:
    if not sys.platform.startswith("linux") or not _sonames_open():
        importlib.import_module("weasyprint")  # where the search is the only way in, it is kept

        return
    with without_library_search():
        try:
            with _declarations_parsed_ahead():
                importlib.import_module("weasyprint")
        except _NotPrebuiltError:  # the modules the failed import left unfinished are gone; the rest are kept
            importlib.import_module("weasyprint")


@contextmanager
def without_library_search() -> Iterator[None]:
    """Within the block, find_library finds nothing, so cffi's loader goes on to the next name."""
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        yield
    finally:
        ctypes.util.find_library = search


class _NotPrebuiltError(Exception):
    """WeasyPrint declared source other than the prebuilt declarations were parsed from."""


@contextmanager
def _declarations_parsed_ahead() -> Iterator[None]:
    """Within the block, `cffi.FFI()` called from WeasyPrint's ffi module is the prebuilt out-of-line
    FFI, whose `cdef` checks the source; called from anywhere else, it is cffi's own."""
    import _cffi_backend
    import cffi

    from cvforge.renderers import weasyprint_ffi

    class DeclaredAhead(_cffi_backend.FFI):  # type: ignore[misc]
        def cdef(self, csource: str, *args: Any, **kwargs: Any) -> None:
            import hashlib

            if args or kwargs or hashlib.sha256(csource.encode()).hexdigest() != weasyprint_ffi.CDEF_SHA256:
                raise _NotPrebuiltError

    def prebuilt(*args: Any, **kwargs: Any) -> Any:
        if args or kwargs or sys._getframe(1).f_globals.get("__name__") != "weasyprint.text.ffi":
            return original(*args, **kwargs)  # any other caller, in this thread or another, as usual
        try:
            return weasyprint_ffi.declared(DeclaredAhead)
        except Exception as exc:  # a cffi that cannot read this data: parse instead
            raise _NotPrebuiltError from exc

    original = cffi.FFI
    cffi.FFI = prebuilt
    try:
        yield
    finally:
        cffi.FFI = original


# The fontTools modules WeasyPrint's PDF writer imports by name, and what it takes from them. It calls
# them only for a variable font or where HarfBuzz cannot subset; imported, they hold 15 MiB and cost
# 50 ms (fontTools.varLib with the OpenType table classes), about a sixth of a cold build's memory.
DEFERRED_FONTTOOLS: dict[str, tuple[str, ...]] = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in for a module while WeasyPrint imports it by name; the first attribute read imports
    the module itself and answers from it, so what holds the stand-in gets the module's behaviour."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real_module(self.__name__), name)


def _real_module(name: str) -> types.ModuleType:
    """The module itself; a stand-in still in its place (read during WeasyPrint's import) goes first."""
    if isinstance(sys.modules.get(name), _ImportedOnFirstUse):
        del sys.modules[name]
    return importlib.import_module(name)


def _called_on_first_use(module: str, name: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


@contextmanager
def _font_variation_and_subsetting_on_first_use() -> Iterator[None]:
    """Within the block, `fontTools.subset` and `fontTools.varLib.instancer` are stand-ins that
    import the modules when used; after it, importing them anywhere imports the modules."""
    standing_in: dict[str, types.ModuleType] = {}
    for module, names in DEFERRED_FONTTOOLS.items():
        if module in sys.modules:
            continue
        stand_in: types.ModuleType = _ImportedOnFirstUse(module)
        for name in names:
            setattr(stand_in, name, _called_on_first_use(module, name))
        standing_in[module] = sys.modules[module] = stand_in
    try:
        yield
    finally:
        for module, standing in standing_in.items():
            if sys.modules.get(module) is standing:
                del sys.modules[module]


def _sonames_open() -> bool:
    import ctypes

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
