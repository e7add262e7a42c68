"""`cvforge watch` as a new user meets it: `/` shows the résumé (or an index), a failed build shows
its errors over the last good page until fixed, quiet timestamped output, Ctrl-C, a busy port."""

from __future__ import annotations

import os
import re
import signal as signals
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.builder.run import build
from cvforge.cli import main
from cvforge.cli.preview import OVERLAY_ID
from cvforge.cli.serve import ReloadSignal, start_server
from tests.helpers.project import PROFILES, ROOT

JANE = "person:\n  name: Jane Doe\n  headline: Engineer\n"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, ReloadSignal]]:
    out = tmp_path / "out"
    out.mkdir()
    signal = ReloadSignal()
    server = start_server(out, "127.0.0.1", 0, signal)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", out, signal
    finally:
        server.shutdown()


def test_the_root_is_the_resume_when_there_is_one(served: tuple[str, Path, ReloadSignal], tmp_path: Path) -> None:
    base, out, _ = served
    profile = tmp_path / "jane.yaml"
    profile.write_text(JANE, "utf-8")
    assert build([profile], formats=["html", "docx"], out_dir=out).ok
    page = fetch(f"{base}/")
    assert "<h1" in page and "Jane Doe" in page and "EventSource" in page
    assert "Directory listing" not in page and ".cvforge-cache.json" not in page


def test_the_root_indexes_every_output_by_profile_name(served: tuple[str, Path, ReloadSignal]) -> None:
    base, out, _ = served
    assert build(PROFILES[:2], formats=["html", "docx"], out_dir=out).ok
    page = fetch(f"{base}/")
    assert "Directory listing" not in page and ".cvforge-cache.json" not in page
    for path in PROFILES[:2]:
        assert f'href="/{path.stem}.html"' in page and f'href="/{path.stem}.docx"' in page
    assert "Rajkumar" in page or "Aayushi" in page  # the person's name, not only the file's
    assert "EventSource" in page  # the index reloads too, when a build adds an output


def test_a_failed_build_shows_its_errors_over_the_last_good_page_until_fixed(
    served: tuple[str, Path, ReloadSignal],
) -> None:
    base, out, signal = served
    (out / "jane.html").write_text("<html><head></head><body><p>last good</p></body></html>", "utf-8")
    signal.bump("profiles/jane.yaml:3:9: invalid YAML: <tab>")
    page = fetch(f"{base}/jane.html")
    assert f'id="{OVERLAY_ID}" role="alert"' in page
    assert "profiles/jane.yaml:3:9: invalid YAML: &lt;tab&gt;" in page  # escaped
    assert "<p>last good</p>" in page
    signal.bump(None)
    assert OVERLAY_ID not in fetch(f"{base}/jane.html")


def test_a_busy_port_is_reported_before_the_first_build_with_a_free_one(tmp_path: Path) -> None:
    profile = tmp_path / "jane.yaml"
    profile.write_text(JANE, "utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["watch", str(profile), "--port", str(port), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"cannot serve on 127.0.0.1:{port}: the port is in use" in result.output
    assert re.search(r"try --port \d+", result.output)
    assert not any((tmp_path / "out").glob("*.html"))  # nothing was built


def wait_for(stream: list[str], pattern: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = "".join(stream)
        if re.search(pattern, text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"no {pattern!r} in:\n{''.join(stream)}")


@pytest.mark.slow
def test_watch_prints_only_changes_with_times_shows_errors_and_stops_quietly(tmp_path: Path) -> None:
    """The whole loop in a real process: first build, a good edit, a broken edit, the fix, Ctrl-C."""
    import threading

    (tmp_path / "profiles").mkdir()
    profile = tmp_path / "profiles" / "jane.yaml"
    profile.write_text(JANE, "utf-8")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "cvforge", "watch", "--format", "html", "--port", "0"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        url = re.search(r"at (http://\S+/) ", wait_for(lines, r"watching .*\n")).group(1)  # type: ignore[union-attr]
        assert "Jane Doe" in fetch(url)
        time.sleep(0.5)
        profile.write_text(JANE.replace("Engineer", "Staff Engineer"), "utf-8")
        wait_for(lines, r"(?s)rebuilt 1 of 1.*rebuilt 1 of 1")  # the first build, then the edit's
        profile.write_text("person:\n\tname: Jane\n", "utf-8")
        wait_for(lines, r"last good output kept")
        assert "YAML does not allow tabs" in fetch(url)  # the overlay, over the last good page
        assert "Staff Engineer" in fetch(url)
        profile.write_text(JANE, "utf-8")
        deadline = time.monotonic() + 30
        while OVERLAY_ID in fetch(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert OVERLAY_ID not in fetch(url)
    finally:
        process.send_signal(signals.SIGINT)
        process.wait(timeout=20)
        reader.join(timeout=5)
    output = "".join(lines)
    assert process.returncode == 0, output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert output.rstrip().endswith("stopped")
    assert "unchanged" not in output and "site-packages" not in output
    stamped = [line for line in output.splitlines() if re.match(r"\d\d:\d\d:\d\d ", line)]
    assert any(re.match(r"\d\d:\d\d:\d\d rebuilt 1 of 1 in \d+\.\d s$", line) for line in stamped), output
    assert any("profiles/jane.yaml:2:1: invalid YAML: YAML does not allow tabs" in line for line in output.splitlines())
    assert str(ROOT) not in output  # the built-in themes of an installed cvforge are not named


BUILD_LINE = re.compile(r"^\d\d:\d\d:\d\d (?:rebuilt \d+ of|no output changed|\d+ of \d+ failed)", re.MULTILINE)


def builds_in(log: Path) -> int:
    return len(BUILD_LINE.findall(log.read_text("utf-8", errors="replace")))


def wait_for_builds(log: Path, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while builds_in(log) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert builds_in(log) >= count, log.read_text("utf-8")


@pytest.mark.slow
def test_watch_rebuilds_only_for_what_a_build_reads_not_its_own_log_or_editor_files(tmp_path: Path) -> None:
    """Issue 24.12: `cvforge watch > profiles/watch.log` rebuilt forever (each build's line in the log
    was the next build's cause), and editors' swap files rebuilt too. Only a real input rebuilds."""
    (tmp_path / "profiles").mkdir()
    profile = tmp_path / "profiles" / "jane.yaml"
    profile.write_text(JANE, "utf-8")
    log = tmp_path / "profiles" / "watch.log"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "cvforge", "watch", "--format", "html", "--no-serve"]
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for(_Tail(log), r"watching .*\n")
        time.sleep(2.5)  # a log that fed the watch would have rebuilt a dozen times by now
        assert builds_in(log) == 1, log.read_text("utf-8")
        litter = tmp_path / "profiles"
        for name in (".jane.yaml.swp", ".jane.yaml.swx", "jane.yaml~", "4913", "notes.txt", "#jane.yaml#"):
            (litter / name).write_text("person: {name: Not Read}\n", "utf-8")
        (litter / ".#jane.yaml").symlink_to("jane@host.4242:1700000000")  # emacs's lock: a dangling link
        (tmp_path / "notes").mkdir()
        time.sleep(2.5)
        assert builds_in(log) == 1, log.read_text("utf-8")
        profile.write_text(JANE.replace("Engineer", "Staff Engineer"), "utf-8")
        wait_for_builds(log, 2)
        time.sleep(2.5)
        assert builds_in(log) == 2, log.read_text("utf-8")
        assert "Staff Engineer" in (tmp_path / "out" / "jane.html").read_text("utf-8")
    finally:
        process.send_signal(signals.SIGINT)
        process.wait(timeout=20)
    assert "Traceback" not in log.read_text("utf-8")


class _Tail(list[str]):
    """A log file as `wait_for` reads a stream: its whole text, read again each time."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def __iter__(self) -> Iterator[str]:
        return iter([self.path.read_text("utf-8", errors="replace")])
