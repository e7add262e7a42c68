"""`cvforge watch`'s server: the output folder on localhost, every page reloading itself after a
rebuild. The rebuilding is the engine's (`builder.watch`); serving is the front end's alone.

The server only ever binds to a loopback address. The reload script is added to pages as they are
served, never to the files on disk, so built HTML stays script-free.
"""

from __future__ import annotations

import errno
import html
import io
import os
import re
import secrets
import select
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

from cvforge.cli.preview import (
    add_findings,
    add_overlay,
    built_outputs,
    index_page,
    inside,
    only_page,
    open_served,
    read_served,
    servable,
)

EVENTS_PATH = "/__cvforge/events"
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', re.IGNORECASE)


class ReloadSignal:
    """A generation counter that waiting clients block on; bumped after every rebuild, with the
    rebuild's errors (None when it succeeded), which served pages show in an overlay."""

    def __init__(self) -> None:
        self._generation = 0
        self._changed = threading.Condition()
        self.errors: str | None = None
        self.findings: tuple[str, ...] = ()  # the last build's review, for the preview's findings panel

    @property
    def generation(self) -> int:
        return self._generation

    def bump(self, errors: str | None = None) -> None:
        with self._changed:
            self.errors = errors
            self._generation += 1
            self._changed.notify_all()

    def wait_past(self, generation: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self._generation > generation, timeout=timeout)
            return self._generation


def reload_snippet(nonce: str) -> str:
    return (
        f'<script nonce="{nonce}">'
        f'new EventSource("{EVENTS_PATH}").addEventListener("reload", () => location.reload());'
        "</script>"
    )


def inject_reload(page: str, nonce: str) -> str:
    """Add the reload script, and let the page's own CSP allow exactly that script and its stream."""

    def widen(match: re.Match[str]) -> str:
        policy = html.unescape(match.group(1))
        policy = re.sub(r"script-src[^;]*;?", "", policy).strip().rstrip(";")
        policy = re.sub(r"connect-src[^;]*;?", "", policy).strip().rstrip(";")
        policy += f"; script-src 'nonce-{nonce}'; connect-src 'self'"
        return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">'

    page = _CSP_META.sub(widen, page, count=1)
    snippet = reload_snippet(nonce)
    return page.replace("</body>", snippet + "</body>", 1) if "</body>" in page else page + snippet


MAX_CONNECTIONS = 32  # threads serving at once; a connection beyond them is closed at once
MAX_STREAMS = 16  # of those, live-reload streams (one per open tab): pages always have room left
IDLE_SECONDS = 5  # a connection that sends nothing for this long is closed (streams only write)


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the output folder; HTML gets the reload script, the events path streams reloads."""

    signal: ReloadSignal
    timeout = IDLE_SECONDS  # the socket's: a request that does not arrive in time ends the connection

    def __init__(self, *args: Any, signal: ReloadSignal, **kwargs: Any) -> None:
        self.signal = signal
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build messages."""

    def do_HEAD(self) -> None:
        if self._refused():
            return
        super().do_HEAD()

    def do_GET(self) -> None:
        if self._refused():
            return
        if self.path == EVENTS_PATH:
            self._stream_events()
            return
        folder, translated = Path(self.directory), self.translate_path(self.path)  # keeps a trailing slash
        page: str | None = None
        if translated.endswith(".html") and (data := read_served(folder, Path(translated))) is not None:
            page = data.decode("utf-8", errors="replace")
        elif self.path.split("?", 1)[0] == "/":  # the résumé when there is one, else an index of the outputs
            outputs = built_outputs(folder)
            only = only_page(outputs)
            data = read_served(folder, folder / only) if only else None
            page = data.decode("utf-8", errors="replace") if data is not None else index_page(outputs)
        if page is not None:
            nonce = secrets.token_urlsafe(16)
            shown = add_findings(add_overlay(page, self.signal.errors), self.signal.findings)
            body = inject_reload(shown, nonce).encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def _refused(self) -> bool:
        """Answer 400 to a Host that is not this loopback server (a DNS-rebinding page asking) or a
        path holding NUL, and 404 to anything that is not a built output (hidden files: the cache
        record, temporary files). True when the request was answered here."""
        address = self.server.server_address
        port = address[1] if isinstance(address, tuple) else 0
        if not allowed_host(self.headers.get("Host"), int(port)):
            self.send_error(HTTPStatus.BAD_REQUEST, "Host must be this loopback server")
            return True
        route = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if "\0" in route or "\\" in route:
            self.send_error(HTTPStatus.BAD_REQUEST, "bad path")
            return True
        if any(part.startswith(".") for part in route.split("/") if part):
            self.send_error(HTTPStatus.NOT_FOUND)
            return True
        return False

    def send_head(self) -> BinaryIO | io.BytesIO | None:
        """Serve only regular files and folders that resolve inside the served folder: a symlink in
        it (`leak.txt → /etc/passwd`, `root → /`) answers 404, like a file that is not there."""
        folder, wants_folder = Path(self.directory), urllib.parse.urlsplit(self.path).path.endswith("/")
        found = inside(folder, Path(self.translate_path(self.path)))
        if found is not None and found.is_dir():
            if not wants_folder:
                return super().send_head()  # the redirect to the folder's URL with its slash
            index = next((found / n for n in ("index.html", "index.htm") if servable(folder, found / n)), None)
            if index is None:
                return self.list_directory(found)
            found = index
        handle = open_served(folder, found) if found is not None and not wants_folder else None
        if handle is None:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        stat = os.fstat(handle.fileno())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(found)))
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return handle

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        """A folder's built outputs, without hidden files (the cache record, temporary files) or links
        that lead out of the served folder."""
        folder = Path(self.directory)
        entries = sorted(
            (p for p in Path(path).iterdir() if not p.name.startswith(".") and self._listed(folder, p)),
            key=lambda p: p.name,
        )
        links = "".join(
            f'<li><a href="{urllib.parse.quote(p.name)}{"/" if p.is_dir() else ""}">{html.escape(p.name)}</a></li>'
            for p in entries
        )
        body = f"<!doctype html><meta charset=utf-8><title>cvforge</title><ul>{links}</ul>".encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    @staticmethod
    def _listed(folder: Path, path: Path) -> bool:
        """A folder or regular file that resolves inside the served folder: what a listing may show."""
        real = inside(folder, path)
        return real is not None and (real.is_dir() or real.is_file())

    def _stream_events(self) -> None:
        """Stream a `reload` event after every rebuild while the page stays open; at most MAX_STREAMS
        at once (503 beyond: that page does not reload itself). A closed tab frees its stream within
        a tick, so reloads never pile up streams that wait for their next write to fail."""
        streams = getattr(self.server, "streams", None)
        if streams is not None and not streams.acquire(blocking=False):
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "too many live-reload streams")
            return
        try:
            self._stream_until_closed()
        finally:
            if streams is not None:
                streams.release()

    def _stream_until_closed(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, quiet = self.signal.generation, 0.0
        try:
            while not self._client_gone():
                current = self.signal.wait_past(seen, timeout=STREAM_TICK)
                quiet = 0.0 if current > seen else quiet + STREAM_TICK
                if current > seen or quiet >= KEEP_ALIVE_SECONDS:
                    message = "event: reload\ndata: now\n\n" if current > seen else ": keep-alive\n\n"
                    self.wfile.write(message.encode("ascii"))
                    self.wfile.flush()
                    quiet = 0.0
                seen = current
        except OSError:  # the tab went away, or stopped reading for IDLE_SECONDS
            return

    def _client_gone(self) -> bool:
        """Whether the browser closed its end: a stream's client sends nothing, so readable means EOF."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True


STREAM_TICK = 1.0  # how often a stream looks whether its tab closed
KEEP_ALIVE_SECONDS = 15  # a comment on a quiet stream, so proxies and browsers keep it open


class PreviewServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a bound: at most MAX_CONNECTIONS threads, MAX_STREAMS of them streams.

    A connection that finds no free thread is closed at once rather than queued behind idle ones, so
    300 idle sockets cost at most MAX_CONNECTIONS threads, each freed after IDLE_SECONDS.
    """

    daemon_threads = True
    request_queue_size = 64  # the kernel holds a burst of connections (no thread each) until accepted

    def __init__(self, address: tuple[str, int], handler: Callable[..., PreviewHandler]) -> None:
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)  # starts the thread that releases the slot
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that hangs up or stalls mid-answer is no bug: only anything else is printed."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_host(host: str | None, port: int) -> bool:
    """A Host header naming a loopback address and this server's port (what a browser sends for our URL)."""
    if not host:
        return False
    name, _, given = host.strip().rpartition(":")
    return name.lower() in LOOPBACK_NAMES and given == str(port)


class PortInUseError(OSError):
    """The port asked for is taken; `free` is one near it that is not (None if none was found)."""

    def __init__(self, port: int, free: int | None) -> None:
        super().__init__(errno.EADDRINUSE, f"port {port} is in use")
        self.port, self.free = port, free


def free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    """The first port after `port` that `host` can bind now."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        try:
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
                probe.bind((host, candidate))
                return candidate
        except OSError:
            continue
    return None


def start_server(folder: Path, host: str, port: int, signal: ReloadSignal) -> ThreadingHTTPServer:
    """Serve `folder` from a daemon thread; refuses any non-loopback host. A busy port raises
    PortInUseError naming a free one, so the command can say so before it builds anything."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"cvforge only serves on a loopback address, not {host!r}")
    folder.mkdir(parents=True, exist_ok=True)
    handler = partial(PreviewHandler, directory=str(folder), signal=signal)
    try:
        server = PreviewServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(port, free_port_near(host, port)) from None
        raise
    threading.Thread(target=server.serve_forever, name="cvforge-preview", daemon=True).start()
    return server


def serve_or_explain(folder: Path, host: str, port: int, signal: ReloadSignal) -> ThreadingHTTPServer:
    """`start_server`, its failures said as usage errors (exit 2): a busy port names a free one."""
    from cvforge.errors import UsageError

    try:
        return start_server(folder, host, port, signal)
    except PortInUseError as exc:
        hint = f"; try --port {exc.free}" if exc.free else "; choose another with --port"
        message = f"cannot serve on {host}:{port}: the port is in use (another cvforge watch?){hint}"
        raise UsageError(message) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc}") from None
