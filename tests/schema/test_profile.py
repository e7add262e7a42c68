"""The profile schema: dates, links, required fields and the rules between fields."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from cvforge.schema import Experience, Metric, Profile
from cvforge.schema.base import parse_partial_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        (2024, "2024"),
        ("2024", "2024"),
        ("2024-03", "2024-03"),
        ("2024-03-15", "2024-03-15"),
        (dt.date(2024, 3, 15), "2024-03-15"),
    ],
)
def test_partial_dates_keep_their_precision(raw: object, iso: str) -> None:
    assert parse_partial_date(raw).iso() == iso


@pytest.mark.parametrize("raw", ["Jan 2024", "2024-13", "2024-02-30", "24", True, 12.5])
def test_bad_dates_say_what_to_use(raw: object) -> None:
    with pytest.raises(ValueError, match=r"is not a date \(use YYYY, YYYY-MM or YYYY-MM-DD\)"):
        parse_partial_date(raw)


def test_present_is_an_end_date() -> None:
    role = Experience.model_validate({"title": "SDE", "start": "2024-03", "end": "present"})
    assert role.end == "present"


def test_end_before_start_is_an_error_on_the_end_field() -> None:
    with pytest.raises(ValidationError) as info:
        Experience.model_validate({"title": "SDE", "start": "2024-05", "end": 2023})
    (error,) = info.value.errors()
    assert error["loc"] == ("end",)
    assert "before start" in error["msg"]


def test_same_year_end_with_less_precision_is_fine() -> None:
    Experience.model_validate({"title": "SDE", "start": "2024-05", "end": 2024})


def test_metric_needs_a_value_or_a_change() -> None:
    assert Metric.model_validate({"before": "45", "after": "15", "unit": "min", "label": "MTTR"}).after == "15"
    with pytest.raises(ValidationError, match="give a value"):
        Metric.model_validate({"label": "MTTR"})
    with pytest.raises(ValidationError, match="before and after go together"):
        Metric.model_validate({"value": "3×", "before": "45", "label": "MTTR"})


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://x.y"])
def test_only_safe_link_schemes(url: str) -> None:
    with pytest.raises(ValidationError, match="is not an allowed link"):
        Profile.model_validate({"person": {"name": "A", "website": url}})


def test_unknown_keys_are_errors_everywhere() -> None:
    with pytest.raises(ValidationError) as info:
        Profile.model_validate({"person": {"name": "A", "nmae": "B"}, "projects": [{"name": "P", "stack": []}]})
    locations = {error["loc"] for error in info.value.errors()}
    assert locations == {("person", "nmae"), ("projects", 0, "stack")}


def test_principles_accept_plain_strings_and_tags() -> None:
    profile = Profile.model_validate(
        {"person": {"name": "A"}, "principles": ["Design for failure", {"text": "Own it", "tags": ["ops"]}]}
    )
    assert [p.text for p in profile.principles] == ["Design for failure", "Own it"]
    assert profile.principles[1].tags == ["ops"]


def test_every_list_item_can_carry_tags() -> None:
    tagged = {"tags": ["backend"]}
    profile = Profile.model_validate(
        {
            "person": {"name": "A"},
            "metrics": [{"value": "1", "label": "x", **tagged}],
            "experience": [{"title": "SDE", **tagged}],
            "projects": [{"name": "P", **tagged}],
            "snapshots": [{"title": "S", **tagged}],
            "notes": [{"title": "N", **tagged}],
            "education": [{"institution": "U", **tagged}],
            "certifications": [{"name": "C", **tagged}],
            "awards": [{"title": "W", **tagged}],
            "languages": [{"language": "Hindi", **tagged}],
            "custom": [{"title": "X", "entries": [{"title": "E", **tagged}], **tagged}],
            "skills": {"groups": [{"name": "G", **tagged}], "table": [{"category": "C", "items": ["i"], **tagged}]},
        }
    )
    assert profile.custom[0].entries[0].tags == ["backend"]
