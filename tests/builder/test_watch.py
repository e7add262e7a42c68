"""`cvforge watch`: live reload added only to served pages, loopback only, rebuilds on change."""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvforge.builder.watch import watch_and_rebuild
from cvforge.cli.serve import EVENTS_PATH, ReloadSignal, inject_reload, start_server

PAGE = (
    '<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'\"></head><body><p>Jane</p></body></html>"
)


def test_reload_script_is_allowed_by_nonce_only() -> None:
    served = inject_reload(PAGE, "abc123")
    assert '<script nonce="abc123">' in served
    assert served.index("<script") > served.index("<p>Jane</p>")
    assert "script-src &#x27;nonce-abc123&#x27;" in served and "connect-src &#x27;self&#x27;" in served
    assert "default-src &#x27;none&#x27;" in served


def test_serves_pages_with_reload_and_streams_a_reload_after_a_rebuild(tmp_path: Path) -> None:
    (tmp_path / "jane.html").write_text(PAGE, "utf-8")
    signal = ReloadSignal()
    server = start_server(tmp_path, "127.0.0.1", 0, signal)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with urllib.request.urlopen(f"{base}/jane.html", timeout=5) as response:
            body = response.read().decode("utf-8")
        assert "EventSource" in body and "<p>Jane</p>" in body
        assert "EventSource" not in (tmp_path / "jane.html").read_text("utf-8")  # never on disk
        events = urllib.request.urlopen(f"{base}{EVENTS_PATH}", timeout=5)
        threading.Timer(0.3, signal.bump).start()
        assert events.readline() == b"event: reload\n"
        events.close()
    finally:
        server.shutdown()


def test_refuses_to_serve_beyond_loopback(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        start_server(tmp_path, "0.0.0.0", 0, ReloadSignal())


@pytest.mark.slow
def test_rebuilds_on_change_but_not_on_its_own_outputs(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "out").mkdir()
    profile = tmp_path / "profiles" / "jane.yaml"
    profile.write_text("person: {name: Jane}\n", "utf-8")
    calls: list[float] = []
    signal, stop = ReloadSignal(), threading.Event()

    def rebuild() -> None:
        calls.append(time.monotonic())
        (tmp_path / "out" / "jane.html").write_text("built", "utf-8")  # must not trigger another rebuild

    watcher = threading.Thread(
        target=watch_and_rebuild, args=([tmp_path], rebuild, signal), kwargs={"ignore": tmp_path / "out", "stop": stop}
    )
    watcher.start()
    try:
        time.sleep(0.5)
        profile.write_text("person: {name: Jane Doe}\n", "utf-8")
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert len(calls) == 1
    assert signal.generation == 1


def raw_get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    """One GET with exactly this Host header (None: none), as a page under DNS rebinding would send it."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_answers_only_loopback_hosts_and_only_built_outputs(tmp_path: Path) -> None:
    """Issue 12.5: DNS rebinding, a NUL in the path, and the cache record."""
    (tmp_path / "jane.html").write_text(PAGE, "utf-8")
    (tmp_path / ".cvforge-cache.json").write_text('{"entries": {}}', "utf-8")
    (tmp_path / ".jane.html.x.cvforge-tmp").write_text("half", "utf-8")
    server = start_server(tmp_path, "127.0.0.1", 0, ReloadSignal())
    port = server.server_address[1]
    try:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
            status, body = raw_get(port, "/jane.html", host)
            assert status == 200 and b"<p>Jane</p>" in body, host
        for host in (
            "evil.example",
            f"evil.example:{port}",
            f"127.0.0.1:{port + 1}",
            None,
            "127.0.0.1",
            f"127.0.0.1.evil:{port}",
        ):
            status, body = raw_get(port, "/jane.html", host)
            assert status == 400 and b"Jane" not in body, host
        for path in ("/%00", "/jane%00.html", "/.cvforge-cache.json", "/.jane.html.x.cvforge-tmp", "/%2e%2e/etc"):
            status, body = raw_get(port, path, f"127.0.0.1:{port}")
            assert status in (400, 404) and b"entries" not in body and b"half" not in body, path
        status, body = raw_get(port, "/", f"127.0.0.1:{port}")
        assert b".cvforge-cache.json" not in body
    finally:
        server.shutdown()


def test_serves_only_regular_files_that_resolve_inside_the_folder(tmp_path: Path) -> None:
    """Issue 24.11: a symlink in out/ (to a file, to a folder, to a page) never serves what it points at."""
    out, secret = tmp_path / "out", tmp_path / "secret"
    out.mkdir()
    secret.mkdir()
    (secret / "key.txt").write_text("SECRET-KEY", "utf-8")
    (secret / "page.html").write_text("<html><body>SECRET-PAGE <title>SECRET-TITLE</title></body></html>", "utf-8")
    (out / "jane.html").write_text(PAGE, "utf-8")
    (out / "jane").mkdir()
    (out / "jane" / "acme.txt").write_text("a tailored letter", "utf-8")
    (out / "leak.txt").symlink_to(secret / "key.txt")
    (out / "leak.html").symlink_to(secret / "page.html")
    (out / "root").symlink_to("/")
    (out / "away").symlink_to(secret)
    (out / "jane" / "up.txt").symlink_to("../../secret/key.txt")
    (out / "alias.txt").symlink_to("jane/acme.txt")  # inside the folder: still served
    os.mkfifo(out / "jane" / "pipe.txt")  # not a regular file: refused at once, never waited on
    server = start_server(out, "127.0.0.1", 0, ReloadSignal())
    port = server.server_address[1]
    try:
        for path in (
            "/leak.txt",
            "/leak.html",
            "/root/etc/passwd",
            "/root/etc/",
            "/away/key.txt",
            "/away/",
            "/jane/up.txt",
            "/jane/pipe.txt",
        ):
            status, body = raw_get(port, path, f"127.0.0.1:{port}")
            assert status == 404, (path, status)
            assert b"SECRET" not in body and b"root:" not in body, path
        assert raw_get(port, "/jane/acme.txt", f"127.0.0.1:{port}") == (200, b"a tailored letter")
        assert raw_get(port, "/alias.txt", f"127.0.0.1:{port}") == (200, b"a tailored letter")
        status, body = raw_get(port, "/", f"127.0.0.1:{port}")  # the index reads no page through a link
        assert status == 200 and b"SECRET" not in body
        status, body = raw_get(port, "/jane/", f"127.0.0.1:{port}")
        assert status == 200 and b"acme.txt" in body and b"up.txt" not in body and b"pipe" not in body
        assert raw_get(port, "/jane.html/", f"127.0.0.1:{port}")[0] == 404
    finally:
        server.shutdown()


HOSTILE_SEGMENTS = ["..", ".", "", "%2e%2e", "%2E%2e%2f", "%2f", "%00", "leak.txt", "leak.html", "root", "etc"]
HOSTILE_SEGMENTS += ["passwd", "away", "key.txt", "jane", "up.txt", "~", "%5c..%5c", "index.html", "?x=/../"]


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segments=st.lists(st.sampled_from(HOSTILE_SEGMENTS), min_size=1, max_size=6), slash=st.booleans())
def test_no_route_leads_through_a_link_out_of_the_folder(
    linked_out: tuple[int, Path], segments: list[str], slash: bool
) -> None:
    """Any path made of dots, escapes and the links' names: never what a link outside points at."""
    port, _ = linked_out
    status, body = raw_get(port, "/" + "/".join(segments) + ("/" if slash else ""), f"127.0.0.1:{port}")
    assert b"SECRET" not in body and b"root:" not in body, (segments, status)


@pytest.fixture
def linked_out(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A served out/ whose links lead to a secret folder, to /etc/passwd and to /."""
    out, secret = tmp_path / "out", tmp_path / "secret"
    (out / "jane").mkdir(parents=True)
    secret.mkdir()
    (secret / "key.txt").write_text("SECRET-KEY", "utf-8")
    (secret / "index.html").write_text("<title>SECRET-PAGE</title>", "utf-8")
    (out / "jane.html").write_text(PAGE, "utf-8")
    (out / "leak.txt").symlink_to(secret / "key.txt")
    (out / "leak.html").symlink_to(secret / "index.html")
    (out / "passwd").symlink_to("/etc/passwd")
    (out / "root").symlink_to("/")
    (out / "away").symlink_to(secret)
    (out / "jane" / "up.txt").symlink_to("../../secret/key.txt")
    (out / "jane" / "index.html").symlink_to(secret / "index.html")
    server = start_server(out, "127.0.0.1", 0, ReloadSignal())
    try:
        yield server.server_address[1], out
    finally:
        server.shutdown()


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.slow
def test_idle_connections_get_a_bounded_number_of_threads_and_are_closed(tmp_path: Path) -> None:
    """Issue 24.13: 150 idle sockets made 150 threads that waited forever; now a bounded pool, and an
    idle connection is closed after a few seconds, after which the server answers as before."""
    from cvforge.cli.serve import IDLE_SECONDS, MAX_CONNECTIONS

    (tmp_path / "jane.html").write_text(PAGE, "utf-8")
    server = start_server(tmp_path, "127.0.0.1", 0, ReloadSignal())
    port = server.server_address[1]
    before = threading.active_count()
    idle: list[socket.socket] = []
    try:
        most = 0
        for _ in range(150):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            most = max(most, threading.active_count() - before)
        wait_until(lambda: False, 1.0)  # let the server take them all
        most = max(most, threading.active_count() - before)
        assert most <= MAX_CONNECTIONS, f"{most} threads for idle connections"
        # every idle connection is closed by the server (at once when no thread is free, else after IDLE_SECONDS)
        for connection in idle:
            connection.settimeout(IDLE_SECONDS + 20)
            assert connection.recv(1) == b""
        assert wait_until(lambda: threading.active_count() - before <= 1, 10)
        status, body = raw_get(port, "/jane.html", f"127.0.0.1:{port}")
        assert status == 200 and b"<p>Jane</p>" in body
    finally:
        for connection in idle:
            connection.close()
        server.shutdown()


@pytest.mark.slow
def test_live_reload_outlives_the_idle_timeout_and_its_streams_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's event stream sends nothing for long stretches and must stay open; streams have their
    own bound, below the connections', so pages are still served when many tabs listen."""
    from cvforge.cli import serve as watch_module

    monkeypatch.setattr(watch_module.PreviewHandler, "timeout", 0.5)
    (tmp_path / "jane.html").write_text(PAGE, "utf-8")
    signal = ReloadSignal()
    server = start_server(tmp_path, "127.0.0.1", 0, signal)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    streams = []
    try:
        streams = [urllib.request.urlopen(f"{base}{EVENTS_PATH}", timeout=10) for _ in range(watch_module.MAX_STREAMS)]
        with pytest.raises(urllib.error.HTTPError) as refused:  # one stream too many
            urllib.request.urlopen(f"{base}{EVENTS_PATH}", timeout=10)
        assert refused.value.code == 503
        with urllib.request.urlopen(f"{base}/jane.html", timeout=10) as page:  # pages still served
            assert b"<p>Jane</p>" in page.read()
        time.sleep(1.5)  # three idle timeouts: the streams stay open
        signal.bump()
        assert all(stream.readline() == b"event: reload\n" for stream in streams)
        streams.pop().close()  # a closed tab frees its stream within a second or so
        assert wait_until(lambda: _stream_opens(base), 10)
    finally:
        for stream in streams:
            stream.close()
        server.shutdown()


def _stream_opens(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}{EVENTS_PATH}", timeout=10).close()
    except urllib.error.HTTPError:
        return False
    return True


def test_what_a_build_read_is_what_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24.12, the class: profiles, targets, job descriptions, synonyms, photos and the themes in
    use rebuild (even when they appear later: a failed job's missing photo, a synonyms file); logs,
    notes, editor files and unused themes do not."""
    from PIL import Image

    from cvforge.builder.discover import collect_jobs
    from cvforge.builder.run import build
    from cvforge.builder.watch_inputs import WatchInputs
    from cvforge.reader.read import parse_once

    monkeypatch.chdir(tmp_path)
    for folder in ("profiles", "targets/jobs", "themes/mine", "themes/unused/static"):
        (tmp_path / folder).mkdir(parents=True)
    for theme in ("mine", "unused"):
        (tmp_path / "themes" / theme / "theme.toml").write_text(f'name = "{theme}"\nextends = "classic"\n', "utf-8")
    Image.new("RGB", (20, 20)).save(tmp_path / "profiles" / "me.png")
    (tmp_path / "profiles" / "jane.yaml").write_text("person: {name: Jane, photo: me.png}\ntheme: mine\n", "utf-8")
    (tmp_path / "profiles" / "bob.yaml").write_text("person: {name: Bob, photo: bob.png}\n", "utf-8")  # no bob.png
    (tmp_path / "targets" / "jobs" / "jd.md").write_text("Python and Go.\n", "utf-8")
    (tmp_path / "targets" / "t.yaml").write_text("profile: ../profiles/jane.yaml\njob: jobs/jd.md\n", "utf-8")
    jobs = collect_jobs(())
    inputs = WatchInputs((), None, ())
    with parse_once():
        result = build(jobs, formats=["md"], out_dir=tmp_path / "out")
        inputs.record(result, jobs)
    assert [failure.source for failure in result.failures] == ["profiles/bob.yaml"]

    def rebuilds(*names: str) -> bool:
        return inputs.changed(tmp_path / name for name in names)

    for read in (
        "profiles/jane.yaml",
        "profiles/bob.yaml",
        "profiles/me.png",
        "profiles/bob.png",  # the failed job's missing photo, when it appears
        "targets/t.yaml",
        "targets/jobs/jd.md",
        "targets/synonyms.yaml",  # not there yet: a target reads it once it is
        "themes/mine/theme.toml",
        "themes/mine/templates/resume.html.j2",
        "themes/classic/theme.toml",  # a theme in use (mine extends classic) shadowed from ./themes
    ):
        assert rebuilds(read), read
    for unread in (
        "profiles/watch.log",
        "profiles/notes.txt",
        "profiles/.jane.yaml.swp",
        "profiles/jane.yaml~",
        "profiles/.#jane.yaml",
        "profiles/4913",
        "targets/jobs/other.md",
        "themes/unused/theme.toml",
        "themes/unused/static/style.css",
    ):
        assert not rebuilds(unread), unread
    (tmp_path / "profiles" / "new.yaml").write_text("person: {name: New}\n", "utf-8")
    assert rebuilds("profiles/new.yaml")  # a new job
    assert rebuilds("profiles/watch.log", "profiles/jane.yaml")  # a batch with one input in it
