"""`cvforge watch` in a real browser: the served page reloads after an edit, shows the error overlay
after a broken edit, and loses it after the fix, all without touching the browser."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from cvforge.cli.preview import OVERLAY_ID

JANE = "person:\n  name: Jane Doe\n  headline: Engineer\n"


def test_the_page_reloads_shows_the_error_and_clears_it(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    profile = tmp_path / "profiles" / "jane.yaml"
    profile.write_text(JANE, "utf-8")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "cvforge", "watch", "--format", "html", "--port", "0"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    context = browser.new_context()
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"at (http://\S+/) ", "".join(lines))) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert found, "".join(lines)
        page = context.new_page()
        page.goto(found.group(1))
        assert page.locator("h1").inner_text() == "Jane Doe"
        time.sleep(0.5)  # let the page's event stream connect

        profile.write_text(JANE.replace("Engineer", "Staff Engineer"), "utf-8")
        # Locators, not page functions: the page's CSP (kept as served) forbids evaluating strings.
        staff = page.locator(".headline", has_text="Staff Engineer")
        staff.wait_for(state="visible", timeout=30_000)

        profile.write_text("person:\n\tname: Jane\n", "utf-8")
        overlay = page.locator(f"#{OVERLAY_ID}")
        overlay.wait_for(state="visible", timeout=30_000)
        assert "YAML does not allow tabs for indentation; use spaces" in overlay.inner_text()
        assert "Staff Engineer" in page.locator("body").inner_text()  # the last good page beneath

        profile.write_text(JANE, "utf-8")
        overlay.wait_for(state="detached", timeout=30_000)
        staff.wait_for(state="detached", timeout=30_000)
        assert page.locator(".headline").inner_text() == "Engineer"
    finally:
        context.close()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert process.returncode == 0 and "Traceback" not in "".join(lines)
