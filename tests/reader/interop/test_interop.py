"""JSON Resume and RenderCV in, JSON Resume out: conversion, round trip, schema validity, located errors."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from cvforge.errors import ProfileError
from cvforge.reader.interop.jsonresume_export import export_resume
from cvforge.reader.interop.rendercv import nest_highlight, section_title, split_details
from cvforge.reader.read import load_profile
from cvforge.schema import PartialDate
from cvforge.schema.markup import split_sub_points
from tests.helpers.golden import GoldenFiles
from tests.helpers.jsonresume import SCHEMA, schema_errors
from tests.helpers.project import FIXTURES, JSON_RESUMES, PROFILES, RENDERCV_STARTER, SCENARIOS

# Tooling data, not resume content: not carried (docs/interop.md says so).
NOT_CARRIED = {"meta", "$schema"}


def without_blanks(value: Any) -> Any:
    """JSON Resume writes "" for "not given"; the export leaves such keys out."""
    if isinstance(value, dict):
        return {k: without_blanks(v) for k, v in value.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        return [without_blanks(v) for v in value]
    return value


# SHA-256 of the official schema (@jsonresume/schema 1.3.1, packages/schema/schema.json), as
# vendored unchanged (MIT; see the schemas folder's README.md): an edit to the copy fails here.
OFFICIAL_SCHEMA_SHA256 = "a07eedd3d86ac5bb61d72e136d788269e35baf42c35391e15d0be39b3dc5a4bd"


def test_the_shipped_schema_is_the_official_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == OFFICIAL_SCHEMA_SHA256


@pytest.mark.parametrize("path", JSON_RESUMES, ids=lambda p: p.name)
def test_the_fixtures_are_valid_json_resumes(path: Path) -> None:
    assert schema_errors(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", JSON_RESUMES, ids=lambda p: p.name)
def test_json_resume_import_then_export_gives_back_every_field(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    exported = export_resume(load_profile(path))
    assert schema_errors(exported) == []
    expected = without_blanks({k: v for k, v in original.items() if k not in NOT_CARRIED})
    actual = {k: v for k, v in exported.items() if k not in NOT_CARRIED}
    assert actual == expected


@pytest.mark.parametrize("path", [*JSON_RESUMES, RENDERCV_STARTER, *PROFILES], ids=lambda p: p.name)
def test_every_export_validates_against_the_official_schema(path: Path) -> None:
    assert schema_errors(export_resume(load_profile(path))) == []


def test_json_resume_maps_every_section_to_its_nearest_home() -> None:
    profile = load_profile(FIXTURES / "jsonresume" / "sample.resume.json")
    person = profile.person
    assert (person.name, person.headline, person.website) == (
        "Richard Hendriks",
        "Programmer",
        "http://richardhendricks.example.com",
    )
    assert person.address is not None and person.address.line() == (
        "2712 Broadway St, San Francisco, California CA 94115, US"
    )
    assert [(link.network, link.label) for link in person.links] == [
        ("Twitter", "neutralthoughts"),
        ("SoundCloud", "dandymusicnl"),  # not a known profile URL: the username is kept as the label
    ]
    role = profile.experience[0]
    assert (role.organisation, role.title, role.team, role.url) == (
        "Pied Piper",
        "CEO/President",
        "Awesome compression company",
        "http://piedpiper.example.com",
    )
    assert (role.start, role.end) == (PartialDate(year=2013, month=12, day=1), PartialDate(year=2014, month=12, day=1))
    project = profile.projects[0]
    assert (project.kind, project.role, project.organisation, project.tech[0]) == (
        "application",
        "Team lead, Designer",
        "Smoogle",
        "GoogleMaps",
    )
    assert profile.education[0].courses == ["DB1101 - Basic SQL", "CS2011 - Java Introduction"]
    assert profile.skills.groups[0].depth == "Master"
    assert profile.notes[0].topic == "Hooli" and profile.headings.notes is not None
    assert [section.title for section in profile.custom] == ["Volunteer", "Interests", "References"]
    assert profile.custom[1].entries[0].keywords == ["Ferrets", "Unicorns"]


def test_dates_in_every_precision_and_a_missing_end_is_present() -> None:
    profile = load_profile(SCENARIOS / "jsonresume-unicode-dates" / "resume.json")
    current, earlier = profile.experience
    assert (current.start, current.end) == (PartialDate(year=2021, month=4), "present")
    assert (earlier.start, earlier.end) == (PartialDate(year=2018), PartialDate(year=2021, month=3, day=31))
    education = profile.education[0]
    assert (education.start, education.end) == (PartialDate(year=2013, month=10, day=1), PartialDate(year=2018))


def test_non_latin_text_is_kept_exactly() -> None:
    path = SCENARIOS / "jsonresume-unicode-dates" / "resume.json"
    source = json.loads(path.read_text(encoding="utf-8"))
    profile = load_profile(path)
    assert profile.person.name == "Łukasz Żółkiewski-Ðorđević"
    assert profile.experience[0].organisation == "山田商事株式会社"
    assert profile.experience[0].bullets == source["work"][0]["highlights"]
    assert profile.person.summary == source["basics"]["summary"].split("\n\n")
    exported = export_resume(profile)
    assert exported["work"][0]["highlights"] == source["work"][0]["highlights"]
    assert exported["basics"]["name"] == source["basics"]["name"]


def test_unknown_keys_and_images_are_reported_not_silently_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "resume.json"
    resume = {
        "basics": {"name": "A", "image": "https://example.com/me.png", "pronouns": "she/her"},
        "work": [{"name": "Acme", "isCurrent": True}],
        "x-extra": 1,
    }
    path.write_text(json.dumps(resume, indent=2), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="cvforge.reader.interop"):
        load_profile(path)
    messages = [record.getMessage() for record in caplog.records]
    assert any("resume.json:4:5: basics.image" in m in m and "(nor fetched)" in m for m in messages)
    assert any("basics.pronouns" in m for m in messages)
    assert any("work[0].isCurrent" in m for m in messages)
    assert any(m.endswith("x-extra: 'x-extra' is not a JSON Resume field; not imported") for m in messages)


def golden(scenario: str, filename: str, monkeypatch: pytest.MonkeyPatch, golden_files: GoldenFiles) -> None:
    monkeypatch.chdir(SCENARIOS)
    with pytest.raises(ProfileError) as info:
        load_profile(SCENARIOS / scenario / filename)
    actual = [str(problem) for problem in info.value.problems]
    golden_files.check(SCENARIOS / scenario / "expected-errors.txt", "\n".join(actual) + "\n")


def test_json_resume_errors_are_all_located_under_json_resume_names(
    monkeypatch: pytest.MonkeyPatch, golden_files: GoldenFiles
) -> None:
    golden("jsonresume-errors", "resume.json", monkeypatch, golden_files)


def test_rendercv_errors_are_all_located_under_rendercv_names(
    monkeypatch: pytest.MonkeyPatch, golden_files: GoldenFiles
) -> None:
    golden("rendercv-errors", "cv.yaml", monkeypatch, golden_files)


def test_rendercv_starter_maps_every_entry_type() -> None:
    profile = load_profile(RENDERCV_STARTER)
    assert profile.person.name == "John Doe"
    assert [link.url for link in profile.person.links] == [
        "https://linkedin.com/in/rendercv",
        "https://github.com/rendercv",
    ]
    assert [role.organisation for role in profile.experience][:2] == ["Nexus AI", "NVIDIA Research"]  # ExperienceEntry
    assert profile.experience[0].end == "present"
    assert profile.education[1].institution == "Boğaziçi University"  # EducationEntry, non-Latin kept
    flash = profile.projects[0]  # NormalEntry: a Markdown link in the name becomes name + link
    assert (flash.name, flash.links[0].url, flash.end) == ("FlashInfer", "https://github.com/", "present")
    assert profile.projects[1].start == PartialDate(year=2021)
    paper = profile.publications[0]  # PublicationEntry: every field in its own place
    assert (paper.authors[0], paper.venue, paper.doi, paper.url) == (
        "*John Doe*",
        "NeurIPS 2023",
        "10.1234/neurips.2023.1234",
        None,
    )
    assert paper.date == PartialDate(year=2023, month=7)
    assert [row.category for row in profile.skills.table] == [  # OneLineEntry
        "Languages",
        "ML Frameworks",
        "Infrastructure",
        "Research Areas",
    ]
    custom = {section.title: section for section in profile.custom}
    assert [(title, section.kind) for title, section in custom.items()] == [
        ("Welcome to RenderCV", "text"),  # TextEntry
        ("Selected Honors", "bullets"),  # BulletEntry
        ("Patents", "numbered"),  # NumberedEntry
        ("Invited Talks", "reversed-numbered"),  # ReversedNumberedEntry
    ]
    assert custom["Welcome to RenderCV"].items[0].startswith("RenderCV reads a CV")
    assert custom["Selected Honors"].items[0].startswith("MIT Technology Review")
    assert custom["Patents"].items[0].startswith("Adaptive Quantization")
    assert custom["Invited Talks"].items[0].startswith("Scaling Laws")
    # RenderCV's section order, Welcome first, is kept.
    assert profile.options["sections"].split(",")[:4] == ["custom-0", "education", "experience", "projects"]


def test_rendercv_helpers() -> None:
    assert section_title("selected_honors") == "Selected Honors"
    assert section_title("education_and_training") == "Education and Training"
    assert section_title("Welcome to RenderCV") == "Welcome to RenderCV"
    assert nest_highlight("Published at - ICML 2022 - NeurIPS 2022") == "Published at\n- ICML 2022\n- NeurIPS 2022"
    assert split_sub_points(nest_highlight("Published at - ICML 2022")) == ("Published at", ("ICML 2022",))
    assert nest_highlight("No nesting here") == "No nesting here"
    assert split_sub_points("Led -a team-") == ("Led -a team-", ())  # a dash in prose is not an item
    assert split_sub_points("- written as an item") == ("- written as an item", ())
    assert split_sub_points("Shipped\n  - v1, in\n    three weeks\n  * v2") == ("Shipped", ("v1, in three weeks", "v2"))
    assert split_details("Python, C++ (CUDA, Triton), Rust") == ["Python", "C++ (CUDA, Triton)", "Rust"]
    prose = "Proficient with Python, C++, and Git; good understanding of Web, app development, and DevOps"
    assert split_details(prose) == [prose]  # a sentence is not a list


def test_rendercv_header_lists_and_other_sections(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text(
        """cv:
  name: Ana Lima
  email: [ana@example.com, ana.lima@work.example.com]
  website: [https://ana.example.com, https://blog.example.com]
  social_networks:
    - network: Mastodon
      username: "@ana@hachyderm.io"
  sections:
    summary:
      - Engineer who likes **boring** systems.
    work_history:
      - company: "[Acme](https://acme.example.com)"
        position: Engineer
        date: Summer 2020
    volunteering:
      - company: Code Club
        position: Mentor
        start_date: 2019
""",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.person.summary == ["Engineer who likes **boring** systems."]
    assert profile.person.email == "ana@example.com"
    assert [link.url for link in profile.person.links] == [
        "mailto:ana.lima@work.example.com",
        "https://blog.example.com",
        "https://hachyderm.io/@ana",
    ]
    role = profile.experience[0]
    assert (role.organisation, role.url, role.period) == ("Acme", "https://acme.example.com", "Summer 2020")
    assert profile.headings.experience is not None and profile.headings.experience.title == "Work History"
    volunteering = profile.custom[0]
    assert volunteering.title == "Volunteering"
    entry = volunteering.entries[0]
    assert (entry.title, entry.subtitle, entry.start, entry.end) == (
        "Mentor",
        "Code Club",
        PartialDate(year=2019),
        "present",
    )
