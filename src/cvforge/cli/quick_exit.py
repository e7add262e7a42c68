"""Ending the `cvforge` process without the interpreter's teardown.

Once a command has written its outputs (each file closed, so its bytes are the kernel's) and its
report (standard streams flushed), tearing down every module and object it loaded changes nothing
on disk and costs a third of a second after a PDF build. The registered exit functions still run,
WeasyPrint's font folders are removed as their finalizers would, and the exit code is kept.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

# Long-lived commands keep the cyclic garbage collector as it is: their heap must not grow per edit.
LONG_LIVED = frozenset({"watch", "preview", "serve"})
# A one-shot command makes few cycles worth finding; collecting them as often as Python does by
# default (every 700 allocations) costs a tenth of a build. Generation 0 is collected this rarely.
ONE_SHOT_THRESHOLD = 50_000


def run_then_exit(command: Callable[[], object], argv: list[str]) -> NoReturn:
    """Run the command line, then end the process at once with its exit code.

    A Python error that is not an exit (a bug) unwinds as usual, with its traceback.
    """
    long_lived = any(arg in LONG_LIVED for arg in argv[1:])
    if not long_lived:
        from cvforge.renderers import weasyload

        gc.set_threshold(ONE_SHOT_THRESHOLD, *gc.get_threshold()[1:])
        weasyload.freeze_after_import = True
    try:
        command()
        code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
    _finish(code)


def _exit_code(code: object) -> int:
    """What `sys.exit(code)` would make the exit status: a message is printed and means 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _finish(code: int) -> NoReturn:
    atexit._run_exitfuncs()  # what a normal exit runs first: pools, loggers, temp folders
    pdf = sys.modules.get("cvforge.renderers.pdf")
    if pdf is not None:
        pdf.remove_font_folders()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader anyway
            code = code or 1
    os._exit(code)
