"""JSON Resume details: 0.x keys read under their 1.0 names with a notice (all of them), images in
text shown as their alt text, usernames only from known profile URLs, and a file without a language
built in the locale of the script most of its text is in."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from cvforge.reader.interop.base import known_username
from cvforge.reader.interop.jsonresume_export import export_losses, export_resume
from cvforge.reader.interop.script_locale import guess_locale
from cvforge.reader.read import load_profile
from cvforge.schema.markup import parse_inline, plain_text
from tests.helpers.project import JSON_RESUMES, PROFILES, RENDERCV_FILES, RENDERCV_OWN_FILES, SCENARIOS


def _load(tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_profile(path)


def test_every_0x_key_is_read_under_its_1_0_name_with_a_notice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = {
        "basics": {"name": "Ada Old", "website": "https://ada.example", "picture": "https://ada.example/me.png"},
        "work": [
            {"company": "Acme", "position": "Engineer", "website": "https://acme.example", "details": "Built it."}
        ],
        "education": [{"institution": "Uni", "gpa": "3.9"}],
    }
    with caplog.at_level(logging.WARNING):
        profile = _load(tmp_path, data)
    role = profile.experience[0]
    assert (role.organisation, role.url, role.summary) == ("Acme", "https://acme.example", "Built it.")
    assert profile.person.website == "https://ada.example"
    assert profile.education[0].score == "3.9"
    notes = " | ".join(r.getMessage() for r in caplog.records)
    for old, new in (
        ("company", "name"),
        ("website", "url"),
        ("details", "summary"),
        ("gpa", "score"),
        ("picture", "image"),
    ):
        assert f"0.x key '{old}' read as '{new}'" in notes, (old, notes)
    assert "is not a JSON Resume field" not in notes  # not reported twice


def test_an_image_in_text_is_its_alt_text_not_a_bang() -> None:
    spans = parse_inline("Logo: ![Acme logo](https://acme.example/logo.png).")
    assert plain_text(spans) == "Logo: Acme logo."
    assert spans[1].href == "https://acme.example/logo.png"


def test_usernames_come_only_from_known_profile_urls() -> None:
    assert known_username("GitHub", "https://github.com/ada") == "ada"
    assert known_username("Mastodon", "https://hachyderm.io/@lena") == "@lena@hachyderm.io"
    assert known_username("Website", "https://example.com/theme/x.css") is None
    assert known_username("GitHub", "https://example.com/ada") is None
    profile = load_profile_data(
        {"person": {"name": "A", "links": [{"network": "Blog", "url": "https://a.example/x.css"}]}}
    )
    assert "username" not in export_resume(profile)["basics"]["profiles"][0]


def load_profile_data(data: dict[str, Any]) -> Any:
    from cvforge.reader.read import load_profile_data as load

    return load(data, Path())


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["シニアエンジニア", "東京で分散システムを設計した", "Kubernetes"], "ja"),
        (["高级工程师", "设计分布式系统", "Go"], "zh-Hans"),
        (["مهندس برمجيات أول", "أنظمة موزعة", "AWS"], "ar"),
        (["مهندس نرم‌افزار", "پروژه‌های بزرگ"], "fa"),
        (["Старший инженер", "Санкт-Петербург"], "ru"),
        (["Інженер", "Київ"], "uk"),
        (["시니어 엔지니어", "분산 시스템"], "ko"),
        (["Senior engineer", "Distributed systems", "東京"], None),  # a few kanji in English text
        (["Ingénieur logiciel"], None),
    ],
)
def test_the_dominant_script_chooses_the_locale(texts: list[str], expected: str | None) -> None:
    assert guess_locale({"basics": {"summary": texts}}) == expected


def test_a_japanese_json_resume_gets_japanese_headings_and_a_notice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = {
        "basics": {"name": "山田 太郎", "label": "シニアエンジニア"},
        "work": [{"name": "山田商事", "position": "エンジニア"}],
    }
    with caplog.at_level(logging.WARNING):
        profile = _load(tmp_path, data)
    assert profile.locale == "ja"
    notes = " ".join(r.getMessage() for r in caplog.records)
    assert "Japanese (ja)" in notes and "--locale" in notes


def _leaves(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}[{i}]")]
    return [(path, str(value))]


# Carried by the shape of the JSON Resume rather than a value: an open end is a missing endDate, a
# custom section titled Volunteer/Interests/References is that JSON Resume section, roles are a list.
def _carried_by_shape(field: str, value: str) -> bool:
    return (
        (field.endswith(".end") and value == "present")
        or (field.startswith("custom[") and field.endswith("].title"))
        or field.endswith(".role")
        or (field == "headings.notes.title" and value == "Publications")
    )


@pytest.mark.parametrize(
    "path",
    [*PROFILES, *JSON_RESUMES, *RENDERCV_FILES, *RENDERCV_OWN_FILES, SCENARIOS / "round-trip" / "profile.yaml"],
    ids=lambda p: p.stem,
)
def test_the_json_resume_export_carries_every_field_or_names_it(path: Path) -> None:
    profile = load_profile(path)
    flat = "\n".join(value for _, value in _leaves(export_resume(profile)))
    warned = [line.split(":", 1)[0].split(" ")[0] for line in export_losses(profile)]
    missing = []
    for field, value in _leaves(profile.model_dump(mode="json", exclude_defaults=True)):
        if ".tags[" in field or field.endswith(".kind") or value in ("", "None"):
            continue
        shown = value.replace("mailto:", "")
        if shown in flat or (len(value) >= 7 and value[4:5] == "-" and value[:7] in flat):
            continue
        if _carried_by_shape(field, value) or any(field.startswith(w) for w in warned):
            continue
        missing.append((field, value))
    assert missing == [], missing
