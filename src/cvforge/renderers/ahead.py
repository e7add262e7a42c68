"""A warm helper process that lays out PDFs ahead of this one, for `cvforge watch`.

Watch writes the HTML first, then the PDF: the helper starts each resume's PDF as soon as its HTML's
build has the page (`pdf.lay_out_ahead`), at the density it kept last time, so the PDF lands sooner
by the time the HTML took. And a resume whose last page was saved by tightening (see
`pdf.save_last_page`) needs two layouts, the normal one to see that its last page is sparse and the
tighter one that is written: the helper makes the tighter one while this process makes the normal
one. The bytes are the same: the helper is a fork of this process laying out the same HTML with the
same fonts, and its work is taken only for that very HTML (`submit_once`, `outcome`).

Only a long-running process that has cores to spare starts a helper; builds never do (their CPU
time would grow by the layouts guessed wrongly), so nothing here runs unless `start` was called.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")

_helper: ProcessPoolExecutor | None = None
_last_choice: dict[Hashable, Any] = {}  # what a document's last build chose (the density kept)
_started: OrderedDict[Hashable, Future[Any]] = OrderedDict()  # work sent ahead, by what it makes
STARTED_KEPT = 16  # every job of one rebuild (a watched folder of profiles); older work is not waited for


def start(
    warm_up: Callable[[], object] | None = None,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> bool:
    """Fork the helper now (call it while this process has no other threads) and let it warm itself
    up in the background; False where processes cannot be forked (it then never runs).
    `initializer(*initargs)` runs in the helper first (the builder's: die with this process, leave
    Ctrl-C to it)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _helper
    if _helper is not None:
        return True
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return False
    _helper = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=initializer, initargs=initargs
    )
    _helper.submit(_warm_then_freeze, warm_up)  # forks the worker at once, before any thread starts here
    return True


def _warm_then_freeze(warm_up: Callable[[], object] | None) -> None:
    """The helper's first task: warm up, then leave everything loaded so far out of the cyclic
    garbage collector's sweeps (`gc.freeze`). Without it a full collection walked the whole
    inherited heap every few edits: Sai's layout and write took 220–350 ms of CPU in the helper
    against 210 in a fresh loop. What each edit makes is still collected."""
    import gc

    if warm_up is not None:
        warm_up()
    gc.collect()
    gc.freeze()


def stop() -> None:
    """End the helper without waiting for a layout nobody needs any more."""
    global _helper
    helper, _helper = _helper, None
    _last_choice.clear()  # what was learnt is for this helper's builds; another watch starts afresh
    _started.clear()
    if helper is not None:
        for process in list(getattr(helper, "_processes", {}).values()):
            process.kill()
        # killed, so waiting is short; a manager thread left running would trip over a
        # half torn-down interpreter at exit ("Exception ignored in … weakref_cb")
        helper.shutdown(wait=True, cancel_futures=True)


def running() -> bool:
    return _helper is not None


def submit(function: Callable[..., T], *args: Any) -> Future[T] | None:
    """`function(*args)` in the helper, or None without one (or when it has died)."""
    if _helper is None:
        return None
    try:
        return _helper.submit(function, *args)
    except RuntimeError:  # a broken pool: the helper was killed; work on without it
        stop()
        return None


def submit_once(key: Hashable, function: Callable[..., T], *args: Any) -> Future[T] | None:
    """`function(*args)` in the helper, unless what makes `key` was sent already: that one, then."""
    if key in _started:
        return _started[key]
    future = submit(function, *args)
    if future is not None:
        _started[key] = future
        while len(_started) > STARTED_KEPT:
            _started.popitem(last=False)[1].cancel()
    return future


def outcome(key: Hashable, *, take: bool = False) -> Any | None:
    """What the helper made for `key` (waited for), or None: never sent, failed, or the helper
    died (whatever went wrong there is found again, and reported, by doing it here). `take`: the
    last use, forgotten after."""
    future = _started.pop(key, None) if take else _started.get(key)
    if future is None:
        return None
    try:
        return future.result()
    except Exception:
        _started.pop(key, None)
        return None


def last_choice(key: Hashable) -> Any:
    return _last_choice.get(key)


def remember(key: Hashable, choice: Any) -> None:
    _last_choice[key] = choice
