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
