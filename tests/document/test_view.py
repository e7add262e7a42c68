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


def test_publications_bold_the_persons_own_name_and_link_the_doi() -> None:
    from cvforge.document.sections import PublicationsSection
    from cvforge.schema.markup import plain_text

    profile = Profile.model_validate(
        {
            "person": {"name": "Jane  Doe"},
            "publications": [
                {
                    "title": "A",
                    "authors": ["Li Zhang", "jane doe"],
                    "venue": "VLDB",
                    "doi": "10.1/x",
                    "url": "https://a.example",
                },
                {"title": "B", "authors": ["*Jane Doe*", "Li Zhang"]},
            ],
        }
    )
    section = view_document(profile).section("publications")
    assert isinstance(section, PublicationsSection)
    first, second = section.items
    assert [(span.text, span.bold) for span in first.text[0]] == [("Li Zhang, ", False), ("jane doe", True)]
    assert first.link is not None and first.link.href == "https://doi.org/10.1/x"
    assert first.meta == "a.example"  # the URL as well as the DOI
    assert plain_text(second.text[0]) == "Jane Doe, Li Zhang" and second.text[0][0].italic  # as written


def test_custom_kinds_build_their_classes_and_custom_keys_place_them() -> None:
    from cvforge.document.sections import CustomBulletsSection, CustomNumberedSection, CustomTextSection

    profile = Profile.model_validate(
        {
            "person": {"name": "Jane Doe", "summary": ["Hi."]},
            "custom": [
                {"title": "Welcome", "kind": "text", "items": ["One.", "Two."]},
                {"title": "Honors", "kind": "bullets", "items": ["A", "B"]},
                {"title": "Talks", "kind": "reversed-numbered", "items": ["New", "Mid", "Old"]},
            ],
        }
    )
    document = view_document(profile, ("custom-0", "summary", "custom"))
    assert [s.title for s in document.sections] == ["Welcome", "Summary", "Honors", "Talks"]
    welcome, _, honors, talks = document.sections
    assert isinstance(welcome, CustomTextSection) and isinstance(honors, CustomBulletsSection)
    assert isinstance(talks, CustomNumberedSection) and talks.numbers == (3, 2, 1)
