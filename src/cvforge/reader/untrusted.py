"""Run a parser on bytes nobody vouches for in a disposable child process, with bounded time and memory.

A crafted PDF can make its parser loop for ever (pdfminer follows a /Contents that refers to itself
without end), and a Python loop there cannot even be ended by SIGTERM: cvforge's handler raises
SystemExit inside it, and pdfplumber's clean-up on the way out walks the same pages again. Parsers
in C (PDFium, lxml) do not see signals at all while they run. So the parser runs in a child: the
child is killed when its time is up, its address space is capped so a decompression bomb fails
there alone, and this process only waits on a pipe, where SIGTERM and Ctrl-C act at once (and take
the child with them).

On Linux the child is forked, so the parser already imported here costs nothing more than the fork
(about 30 ms); elsewhere it is spawned. The limits are read when a parse starts (tests lower them).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import zlib
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext, SpawnContext

from cvforge.errors import CheckError

READ_SECONDS = 20.0  # a resume reads in well under a second; a file that loops is given up on
READ_MEMORY = 1024 * 1024 * 1024  # on top of what the child starts with; a resume needs a few MB
MAX_INFLATED_STREAM = 64 * 1024 * 1024  # one PDF stream, inflated: a page's text is a few KB
MAX_TEXT = 16 * 1024 * 1024  # the text that comes back, in UTF-8: a resume's is a few KB
_TEXT, _REFUSED, _OUT_OF_MEMORY = b"T", b"E", b"M"


def parse_isolated(parse: Callable[[bytes], str], data: bytes, *, preload: str) -> str:
    """`parse(data)`, run in a child process that may use READ_SECONDS of wall-clock time and
    READ_MEMORY bytes of address space beyond what it starts with; at most MAX_TEXT bytes come back.

    `parse` signals a bad input by raising CheckError, whose message comes back here as a CheckError;
    running out of time or memory, or dying, are CheckErrors too. `parse` must be picklable (a
    module-level function, or a partial of one) for a spawned child. The module `preload` (the
    parser) is imported here first, once, so a forked child starts with it.
    """
    importlib.import_module(preload)
    seconds, memory, max_text = READ_SECONDS, READ_MEMORY, MAX_TEXT
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, parse, data, memory), name="cvforge-reader", daemon=True)
    child.start()
    sender.close()  # the child holds the only writing end: its death reads as the end of the pipe
    try:
        if not receiver.poll(seconds):
            raise CheckError(f"could not be read within {seconds:g} s (a file that loops, or far more than a resume)")
        answer = receiver.recv_bytes(max_text + 1)
    except EOFError:
        child.join(1)
        raise CheckError(f"the reader stopped without an answer (exit code {child.exitcode})") from None
    except OSError:  # recv_bytes: longer than max_text + 1
        raise CheckError(f"holds more than {max_text / 1024 / 1024:g} MiB of text; a resume holds far less") from None
    finally:
        child.kill()  # also on SIGTERM (SystemExit) or Ctrl-C here
        child.join()
        receiver.close()
    return _answer(answer, memory)


def _context() -> ForkContext | SpawnContext:
    """Fork where the platform can (the parser is imported already); spawn elsewhere."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _answer(answer: bytes, memory: int) -> str:
    """The child's text, or its refusal as this process's CheckError."""
    kind, payload = answer[:1], answer[1:]
    if kind == _TEXT:
        return payload.decode("utf-8", "surrogatepass")
    if kind == _OUT_OF_MEMORY:
        raise CheckError(f"reading it needs more than {memory / 1024 / 1024:g} MiB of memory (a decompression bomb?)")
    raise CheckError(payload.decode("utf-8", "replace"))


def _child(sender: Connection, parse: Callable[[bytes], str], data: bytes, memory: int) -> None:
    """The child's whole life: become disposable, parse, send one answer."""
    _become_disposable(memory)
    try:
        answer = _TEXT + parse(data).encode("utf-8", "surrogatepass")
    except CheckError as exc:
        answer = _REFUSED + exc.message.encode("utf-8", "surrogatepass")
    except MemoryError:
        answer = _OUT_OF_MEMORY
    except Exception as exc:  # a parser's own failure on hostile bytes: the file cannot be read
        answer = _REFUSED + f"could not be read ({type(exc).__name__}: {exc})".encode("utf-8", "replace")
    sender.send_bytes(answer)
    sender.close()


def _become_disposable(memory: int) -> None:
    """A signal ends the child at once (not the build's handlers it inherited), Ctrl-C is left to the
    parent, which kills it, and the child dies with its parent even when that is killed outright."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    _cap_memory(memory)


def _cap_memory(memory: int) -> None:
    """Cap the address space at what the child uses now plus `memory`: allocations past it fail
    with MemoryError here instead of taking the machine's memory (RLIMIT_AS; Linux only)."""
    if sys.platform != "linux":
        return  # macOS does not enforce RLIMIT_AS; Windows has no resource module
    import resource

    with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123 (a /proc file, read once)
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = in_use + memory if hard == resource.RLIM_INFINITY else min(hard, in_use + memory)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def with_bounded_inflation(parse: Callable[[bytes], str], data: bytes) -> str:
    """`parse(data)` with every FlateDecode stream pdfminer inflates bounded by MAX_INFLATED_STREAM.
    For the child only: pdfminer's `zlib` is replaced for good, which a disposable process can afford."""
    from pdfminer import pdftypes

    vars(pdftypes)["zlib"] = _BoundedZlib
    return parse(data)


class _BoundedInflater:
    """A zlib decompressor that refuses to inflate one stream past MAX_INFLATED_STREAM bytes."""

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj()
        self._inflated = 0

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    def decompress(self, data: bytes) -> bytes:
        chunk = self._inflater.decompress(data, MAX_INFLATED_STREAM - self._inflated + 1)
        self._inflated += len(chunk)
        if self._inflated > MAX_INFLATED_STREAM:
            limit = MAX_INFLATED_STREAM / 1024 / 1024
            raise CheckError(f"a stream inflates to more than {limit:g} MiB (a deflate bomb?)")
        return chunk


class _BoundedZlib:
    """The part of `zlib` pdfminer calls (decompress, decompressobj, error), each stream bounded."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes) -> bytes:
        inflater = _BoundedInflater()
        inflated = inflater.decompress(data)
        if not inflater.eof:  # as zlib.decompress: pdfminer then tries its reader for damaged streams
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return inflated

    @staticmethod
    def decompressobj() -> _BoundedInflater:
        return _BoundedInflater()
