"""The view model: timelines, date ranges, metrics and section order."""

from __future__ import annotations

from cvforge.document.sections import TimelineGroup
from cvforge.document.view import DEFAULT_ORDER, view_document
from cvforge.schema import Profile


def profile(**data: object) -> Profile:
    return Profile.model_validate({"person": {"name": "Jane Doe"}, **data})


def test_roles_at_one_organisation_form_one_timeline_group() -> None:
    doc = view_document(
        profile(
            experience=[
                {"organisation": "Amazon", "title": "SDE II", "start": 2024, "end": "present"},
                {"organisation": "Amazon", "title": "SDE I", "start": "2022-06", "end": 2024},
                {"organisation": "Niyo", "title": "Engineer", "start": 2020, "end": 2022},
            ]
        )
    )
    section = doc.section("experience")
    assert section is not None
    groups = section.items
    assert isinstance(groups[0], TimelineGroup)
    assert [(g.organisation, len(g.roles), g.dates) for g in groups] == [
        ("Amazon", 2, "Jun 2022 – Present"),
        ("Niyo", 1, "2020 – 2022"),
    ]
    assert groups[0].roles[0].dates == "2024 – Present"


def test_single_year_and_period_labels() -> None:
    doc = view_document(
        profile(
            experience=[
                {"title": "Intern", "start": 2022, "end": 2022},
                {"organisation": "Startups", "title": "Founding engineer", "period": "Earlier"},
            ]
        )
    )
    section = doc.section("experience")
    assert section is not None
    assert [g.roles[0].dates for g in section.items] == ["2022", "Earlier"]


def test_metric_figures_are_normalised() -> None:
    doc = view_document(
        profile(
            metrics=[
                {"value": "670K+", "label": "tax identities"},
                {"before": "45", "after": "15", "unit": "min", "label": "MTTR"},
            ]
        )
    )
    section = doc.section("metrics")
    assert section is not None
    assert [(m.figure, m.unit) for m in section.items] == [("670K+", None), ("45 → 15", "min")]


def test_sections_follow_the_order_and_skip_empty_ones() -> None:
    p = profile(projects=[{"name": "GoKV"}], experience=[{"title": "SDE"}], principles=["One"])
    assert [s.key for s in view_document(p).sections] == ["experience", "projects", "principles"]
    assert [s.key for s in view_document(p, ["principles", "projects"]).sections] == ["principles", "projects"]
    assert "custom" in DEFAULT_ORDER


def test_headings_override_default_titles() -> None:
    p = profile(projects=[{"name": "GoKV"}], headings={"projects": {"title": "Selected Work", "intro": "Real work."}})
    section = view_document(p).section("projects")
    assert section is not None
    assert section.title == "Selected Work"
    assert section.intro is not None
