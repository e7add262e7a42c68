"""Warnings about what hurts a reader: no way to contact the person; a role without title or dates."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cvforge.reader.read import load_profile

ROLE = "  - organisation: Acme\n"


def warnings_for(tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture, name: str = "p.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="cvforge.reader.advice"):
        load_profile(path)
    return [r.getMessage() for r in caplog.records if r.name == "cvforge.reader.advice"]


def test_a_profile_nobody_can_contact_is_a_located_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (message,) = warnings_for(tmp_path, "person:\n  name: Jane Doe\n  location: Oslo\n", caplog)
    assert "p.yaml:1:1: person: no email, phone, website or link" in message
    assert "contact Jane Doe" in message


def test_any_contact_detail_is_enough(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for contact in ("email: j@example.com", "phone: '+47 123'", "website: https://jane.dev"):
        caplog.clear()
        assert warnings_for(tmp_path, f"person:\n  name: Jane Doe\n  {contact}\n", caplog) == []


def test_a_role_without_title_or_dates_is_named_and_located(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "person:\n  name: Jane Doe\n  email: j@example.com\nexperience:\n"
        "  - organisation: Acme\n    title: Engineer\n    start: 2020-01\n"
        "  - organisation: Beta\n    start: 2019-01\n"
        "  - organisation: Gamma\n    title: Lead\n"
        "  - organisation: Delta\n    title: Lead\n    period: Recent\n"
    )
    messages = warnings_for(tmp_path, text, caplog)
    assert len(messages) == 2
    assert ":8:5: experience[1] (Beta): no title:" in messages[0] and messages[0].endswith("(add title)")
    assert ":10:5: experience[2] (Lead): no dates:" in messages[1] and messages[1].endswith("(add start)")


def test_a_json_resume_is_located_in_its_own_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = '{\n  "basics": {"name": "Jane Doe"},\n  "work": [\n    {"name": "Acme", "position": "Dev"}\n  ]\n}\n'
    messages = warnings_for(tmp_path, text, caplog, "r.json")
    assert any("contact Jane Doe" in m for m in messages)
    (role,) = [m for m in messages if "experience[0]" in m]
    assert ":4:" in role and "no dates" in role
