"""Review after a build: `build --review`, and the page count the last build record gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from click.testing import CliRunner

from cvforge.cli import main

PROFILE = """\
person:
  name: Test Person
  email: t@example.com
experience:
  - organisation: Acme
    title: Engineer
    start: 2020-01
    end: 2023-06
    bullets:
      - Responsible for the billing service and its 40 services
      - Shipped the onboarding redesign to 2M users
"""


def test_build_review_prints_the_findings_after_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "test.yaml").write_text(PROFILE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--format", "md", "--review", "profiles/test.yaml"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "test.md").is_file()
    assert "profiles/test.yaml:10:9: experience[0].bullets[0]: weak-opener:" in result.output
    assert "profiles/test.yaml: 1 finding (weak-opener 1)" in result.output
    again = CliRunner().invoke(main, ["build", "--format", "md", "--review", "profiles/test.yaml"])  # nothing to do
    assert "weak-opener" in again.output
    plain = CliRunner().invoke(main, ["build", "--format", "md", "profiles/test.yaml"])
    assert "weak-opener" not in plain.output


def test_pages_come_from_the_last_build_record(project_build: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_build.root)
    result = CliRunner().invoke(main, ["review", "--json"])
    assert result.exit_code == 0, result.output
    files = {entry["file"]: entry for entry in json.loads(result.output)["files"]}
    for name in ("aayushi-gupta", "rajkumar", "sai-sushanth-thakkalapally"):
        pdf = project_build.root / "out" / f"{name}.pdf"
        document = pypdfium2.PdfDocument(pdf.read_bytes())
        assert files[f"profiles/{name}.yaml"]["pages"] == len(document)
        document.close()
    assert all(entry["pages"] for entry in files.values())  # targets too: out/PROFILE/TARGET.pdf


def test_watch_preview_shows_findings_in_a_collapsed_panel_apart_from_errors(tmp_path: Path) -> None:
    import urllib.request

    from cvforge.cli.preview import FINDINGS_ID, OVERLAY_ID
    from cvforge.cli.serve import ReloadSignal, start_server

    out = tmp_path / "out"
    out.mkdir()
    (out / "jane.html").write_text("<html><head></head><body><p>resume</p></body></html>", "utf-8")
    signal = ReloadSignal()
    server = start_server(out, "127.0.0.1", 0, signal)

    def fetch() -> str:
        url = f"http://127.0.0.1:{server.server_address[1]}/jane.html"
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    try:
        signal.findings = ('profiles/jane.yaml:10:9: experience[0].bullets[0]: weak-opener: "Helped" <x>',)
        signal.bump(None)
        page = fetch()
        panel = page[page.index(f'<details id="{FINDINGS_ID}"') :]
        assert "cvforge review: 1 finding</summary>" in panel and " open" not in panel.split(">", 1)[0]
        assert "weak-opener: &quot;Helped&quot; &lt;x&gt;" in panel and OVERLAY_ID not in page
        signal.bump("profiles/jane.yaml:3:9: invalid YAML")
        page = fetch()
        assert OVERLAY_ID in page and FINDINGS_ID in page  # both, each in its place
        signal.findings = ()
        signal.bump(None)
        assert FINDINGS_ID not in fetch()
    finally:
        server.shutdown()


def test_watch_reviews_every_job_that_loads(tmp_path: Path) -> None:
    from cvforge.builder.jobs import Job
    from cvforge.cli.watch import review_lines

    good = tmp_path / "good.yaml"
    good.write_text(PROFILE, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("person: {nmae: x}\n", encoding="utf-8")
    lines = review_lines([Job(bad), Job(good)], tmp_path / "out")
    assert len(lines) == 1 and ":10:9: experience[0].bullets[0]: weak-opener:" in lines[0]
