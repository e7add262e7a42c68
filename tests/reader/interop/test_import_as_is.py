"""Real RenderCV 2.x and JSON Resume files build as they are (issue 12.15 and 12.16)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile
from tests.helpers.project import FIXTURES

RENDERCV_23 = """\
cv:
  name: John Doe
  location: San Francisco, CA
  email: john.doe@example.com
  website: https://example.com/
  sort_entries: reverse-chronological
  social_networks:
    - network: GitHub
      username: johndoe
  sections:
    education:
      - institution: University of Pennsylvania
        area: Computer Science
        degree: BS
        grade: "GPA: 3.9/4.0"
        start_date: 2000-09
        end_date: 2005-05
        highlights:
          - "Coursework: Software Foundations"
    experience:
      - company: Sun
        position: Intern
        start_date: 2004-06
        end_date: 2004-09
      - company: Apple
        position: Software Engineer
        start_date: 2005-06
        end_date: present
        highlights:
          - Shipped things
design:
  theme: classic
rendercv_settings:
  sort_entries: none
"""


def test_a_rendercv_2_3_file_builds_with_its_grade_and_sorted_entries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "John_Doe_CV.yaml"
    path.write_text(RENDERCV_23)
    with caplog.at_level(logging.WARNING):
        profile = load_profile(path)
    assert profile.education[0].score == "GPA: 3.9/4.0"
    # sort_entries is applied: the ongoing role first, though the file lists it second.
    assert [role.organisation for role in profile.experience] == ["Apple", "Sun"]
    notes = [r.getMessage() for r in caplog.records]
    assert not any("sort_entries" in n for n in notes), notes
    assert any("design.theme" in n for n in notes), notes


def sample(**changes: object) -> dict[str, object]:
    data = json.loads((FIXTURES / "jsonresume" / "sample.resume.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def test_json_resume_bare_hosts_read_as_https_with_a_notice(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = sample()
    data["projects"] = [
        {"name": "Miss Direction", "url": "missdirection.example.com", "description": "A mapping engine"}
    ]
    data["basics"]["url"] = "www.richardhendricks.example.com"  # type: ignore[index]
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data, indent=2))
    with caplog.at_level(logging.WARNING):
        profile = load_profile(path)
    assert str(profile.person.website).rstrip("/") == "https://www.richardhendricks.example.com"
    assert [str(link.url).rstrip("/") for link in profile.projects[0].links] == ["https://missdirection.example.com"]
    notes = "\n".join(r.getMessage() for r in caplog.records)
    assert "projects[0].url: 'missdirection.example.com' has no scheme" in notes
    assert "basics.url: 'www.richardhendricks.example.com' has no scheme" in notes


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd"])
def test_json_resume_dangerous_schemes_stay_errors(tmp_path: Path, url: str) -> None:
    data = sample()
    data["projects"] = [{"name": "P", "url": url}]
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(ProfileError, match="projects"):
        load_profile(path)


def test_json_resume_theme_fields_map_to_the_nearest_cvforge_field(tmp_path: Path) -> None:
    data = sample()
    data["education"] = [{"institution": "Stanford", "area": "CS", "studyType": "BS", "gpa": "3.8"}]
    data["projects"] = [{"name": "Piper", "summary": "Compression that changes everything."}]
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data, indent=2))
    profile = load_profile(path)
    assert profile.education[0].score == "3.8"
    assert "Compression that changes everything." in str(profile.projects[0].description)
