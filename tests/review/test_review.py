"""Review of whole profiles and targets: dates, pages, contact, silencing, locations that survive
tailoring, the command line's formats and exit codes, and what review must not import."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cvforge
from cvforge.cli import main
from cvforge.reviewer.engine import review_file, review_profile
from tests.helpers.project import PROFILES, ROOT

TODAY = date(2026, 6, 1)


def review_roles(roles: list[dict[str, Any]], **person: Any) -> list[cvforge.Finding]:
    person = {"name": "Test Person", "email": "t@example.com", **person}
    profile = cvforge.load({"person": person, "experience": roles})
    return review_profile(profile, width=104, today=TODAY).findings


def role(org: str, start: str, end: str | None, **more: Any) -> dict[str, Any]:
    return {"organisation": org, "title": "Engineer", "start": start, **({"end": end} if end else {}), **more}


def by_rule(findings: list[cvforge.Finding], rule: str) -> list[cvforge.Finding]:
    return [f for f in findings if f.rule == rule]


def test_dates_overlap_gap_future_and_ambiguous_end() -> None:
    findings = by_rule(
        review_roles(
            [
                role("Acme", "2018-01", "2020-06"),
                role("Globex", "2020-03", "2021-01"),  # overlaps Acme by three months
                role("Initech", "2022-06", "2023"),  # a gap of 17 months after Globex
                role("Hooli", "2023-05", "2023"),  # the end may be before the start
                role("Future Co", "2027-01", None),
            ]
        ),
        "dates",
    )
    messages = {f.path: f for f in findings}
    assert messages["experience[1].start"].severity == "info" and "overlaps experience[0]" in str(findings)
    assert any("gap of about 17 months" in f.message for f in findings)
    assert messages["experience[3].end"].severity == "warning"
    assert "future" in messages["experience[4].start"].message


def test_dates_leave_promotions_and_year_only_handovers_alone() -> None:
    findings = review_roles(
        [role("Acme", "2018", "2020"), role("Acme", "2020", "2022"), role("Globex", "2022", "present")]
    )
    assert not by_rule(findings, "dates")


def test_length_of_resume_uses_pages_against_years() -> None:
    profile = cvforge.load({"person": {"name": "T", "email": "t@x.io"}, "experience": [role("A", "2021", "2024")]})
    (finding,) = by_rule(review_profile(profile, pages=3, today=TODAY).findings, "length-of-resume")
    assert "page_limit" in finding.message and finding.severity == "warning"
    assert not by_rule(review_profile(profile, pages=2, today=TODAY).findings, "length-of-resume")
    assert not by_rule(review_profile(profile, today=TODAY).findings, "length-of-resume")  # never built


def test_contact_needs_an_email_or_a_phone() -> None:
    assert by_rule(review_roles([], email=None), "contact")
    assert not by_rule(review_roles([], email=None, phone="+1 555 0100"), "contact")


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
      - Responsible for the billing service
      - Worked on search ranking  # cvforge: ignore[weak-opener]
      - Team player who shipped the onboarding redesign in 2022
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_findings_are_located_and_silenced_by_comment_and_by_list(tmp_path: Path) -> None:
    path = write(tmp_path, "profiles/test.yaml", PROFILE)
    findings = review_file(path, today=TODAY).findings
    weak = by_rule(findings, "weak-opener")
    assert [(f.line, f.column, f.path) for f in weak] == [(10, 9, "experience[0].bullets[0]")]
    assert str(weak[0]).endswith(
        'experience[0].bullets[0]: weak-opener: "Responsible for" says what the job was, '
        'not what you did; start with the verb ("Ran", "Owned", "Cut")'
    )
    assert by_rule(findings, "cliche")[0].line == 12
    write(tmp_path, "profiles/test.yaml", PROFILE + "review:\n  ignore: [cliche]\n")
    assert not by_rule(review_file(path, today=TODAY).findings, "cliche")


TARGET = """\
profile: ../profiles/test.yaml
sections: [experience]
caps:
  bullets: 1
summary: A results-driven engineer.
review:
  ignore: [no-figure]
"""


def test_a_target_is_reviewed_as_tailored_at_the_profile_lines(tmp_path: Path) -> None:
    write(tmp_path, "profiles/test.yaml", PROFILE)
    target = write(tmp_path, "targets/job.yaml", TARGET)
    findings = cvforge.review(target)
    in_profile = [f for f in findings if f.file.endswith("profiles/test.yaml")]
    assert [(f.rule, f.line) for f in in_profile] == [("weak-opener", 10)]  # bullets 1 and 2 are capped away
    (own,) = [f for f in findings if f.file.endswith("targets/job.yaml")]
    assert (own.rule, own.line, own.path) == ("cliche", 5, "summary[0]")


def test_api_takes_a_loaded_profile() -> None:
    profile = cvforge.load({"person": {"name": "T"}})
    (finding,) = cvforge.review(profile)
    assert finding.rule == "contact" and finding.line == 0 and str(finding).startswith("<profile>: person: contact:")


@pytest.fixture(scope="module")
def seed_run() -> Any:
    result = CliRunner().invoke(main, ["review", "--json", *map(str, PROFILES)])
    return result


def test_cli_json_lists_every_seed(seed_run: Any) -> None:
    assert seed_run.exit_code == 0, seed_run.output
    data = json.loads(seed_run.output)
    assert [Path(f["file"]).name for f in data["files"]] == [p.name for p in PROFILES]
    assert data["findings"] == sum(len(f["findings"]) for f in data["files"])
    assert all(
        {"rule", "severity", "line", "column", "path", "message"} <= set(f)
        for e in data["files"]
        for f in e["findings"]
    )


def test_cli_strict_exits_1_on_a_warning_and_prints_a_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "profiles/test.yaml", PROFILE)
    result = CliRunner().invoke(main, ["review", str(path)])
    assert result.exit_code == 0
    assert "3 findings (cliche 1, no-figure 1, weak-opener 1)" in result.output
    assert "Engineer at Acme: 1 of 3 bullets carry a number" in result.output
    assert CliRunner().invoke(main, ["review", "--strict", str(path)]).exit_code == 1


def test_cli_github_annotations(tmp_path: Path) -> None:
    path = write(tmp_path, "profiles/test.yaml", PROFILE)
    result = CliRunner().invoke(main, ["review", "--format-errors", "github", str(path)])
    assert (
        "::warning file=" in result.output and ",line=10,col=9,title=cvforge review%3A weak-opener::" in result.output
    )


def test_cli_invalid_profile_exits_1_with_a_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, "profiles/bad.yaml", "person:\n  name: T\n  nmae: x\n")
    result = CliRunner().invoke(main, ["review", str(path)])
    assert result.exit_code == 1 and "bad.yaml:3:3" in result.output and "Traceback" not in result.output


def test_review_imports_neither_weasyprint_nor_numpy() -> None:
    code = (
        "import sys, cvforge\n"
        f"cvforge.review({str(PROFILES[0])!r})\n"
        "print(sorted(m for m in ('weasyprint', 'numpy', 'pypdfium2') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_line_width_follows_the_theme() -> None:
    from cvforge.reviewer.engine import theme_width

    profile = cvforge.load({"person": {"name": "T"}})
    classic = theme_width(profile, "classic")
    assert 110 <= classic <= 125  # classic's PDF sets about 118 characters a bullet line
    assert theme_width(profile, "sidebar") < classic * 0.8  # the wide column of two
    assert theme_width(profile, "no-such-theme") == 100  # validate reports the theme; review still measures


def test_length_of_resume_needs_dated_roles() -> None:
    profile = cvforge.load({"person": {"name": "T", "email": "t@x.io"}, "experience": [{"organisation": "A"}]})
    assert not by_rule(review_profile(profile, pages=3, today=TODAY).findings, "length-of-resume")


def test_tech_names_the_profiles_consistent_spelling_wins() -> None:
    def tech(bullets: list[str]) -> list[str]:
        roles = [role("Acme", "2020", "2022", bullets=bullets)]
        return [f.message for f in by_rule(review_roles(roles), "tech-name")]

    assert tech(["Ran Postgresql upgrades", "Tuned Postgresql vacuum"]) == [
        '"Postgresql" is written "PostgreSQL"',
        '"Postgresql" is written "PostgreSQL"',
    ]  # a listed misspelling, however consistent
    assert tech(["Ran postgreSQL upgrades", "Tuned postgreSQL vacuum"]) == []  # unlisted, and the same every time
    assert tech(["Ran postgreSQL upgrades", "Tuned PostgreSQL vacuum"]) == ['"postgreSQL" is written "PostgreSQL"']
    assert tech(["Let the team go home on time with 3 fewer pages", "Learned Rust and Go in 2021"]) == []


def test_a_seed_target_reports_the_job_terms_it_leaves_unsaid_at_its_job_line() -> None:
    target = ROOT / "targets" / "rajkumar-tallyfox-billing.yaml"
    terms = by_rule(cvforge.review(target), "job-term")
    assert terms and all(f.severity == "info" and f.path == "job.description" for f in terms)
    line = next(n for n, text in enumerate(target.read_text("utf-8").splitlines(), 1) if "description:" in text)
    assert {f.line for f in terms} == {line}
    (docker,) = [f for f in terms if '"Docker"' in f.message]
    assert "though the profile does" in docker.message  # its skill group is left out by the target's tags


def test_single_bullet_roles_read_as_english() -> None:
    profile = cvforge.load(
        {"person": {"name": "T", "email": "t@x.io"}, "projects": [{"name": "P", "bullets": ["Did it"]}]}
    )
    assert review_profile(profile, today=TODAY).rates == ["P: 0 of 1 bullet carries a number"]


def test_a_resume_in_another_language_gets_only_the_rules_that_read_no_english() -> None:
    bullets = ["Responsible for Javascript widgets", "Team player"]
    roles = [role("Acme", "2020", "2022", bullets=bullets)]
    german = cvforge.load({"locale": "de", "person": {"name": "T", "email": "t@x.io"}, "experience": roles})
    rules = {f.rule for f in review_profile(german, today=TODAY).findings}
    assert rules == {"tech-name", "length", "no-figure"}  # no weak-opener, cliché: those lists are English


def test_length_counts_wide_glyphs_twice_and_words_without_spaces() -> None:
    from cvforge.reviewer.rules import width_of

    assert width_of("決済サービス") == 12 and width_of("abc") == 3
    ja = cvforge.load(
        {
            "locale": "ja",
            "person": {"name": "T", "email": "t@x.io"},
            "experience": [
                role("A", "2020", "2022", bullets=["エンジニア4名の育成を担当し、設計レビューを導入。", "移行"])
            ],
        }
    )
    found = by_rule(review_profile(ja, today=TODAY).findings, "length")
    assert [f.path for f in found] == ["experience[0].bullets[1]"]  # two glyphs are short; a sentence is not


def test_a_targets_review_leaves_out_what_its_last_build_fitted_out(tmp_path: Path) -> None:
    from cvforge.reviewer.tailored import fit_drops, review_target

    write(tmp_path, "profiles/test.yaml", PROFILE)
    target = write(tmp_path, "targets/job.yaml", "profile: ../profiles/test.yaml\n")
    profile = cvforge.load(tmp_path / "profiles/test.yaml")
    role = profile.experience[0]
    fitted = profile.model_copy(
        update={"experience": [role.model_copy(update={"bullets": role.bullets[1:]})]}
    )  # the build left out bullets[0], the weak opener
    assert fit_drops(profile, fitted) == {"Responsible for the billing service"}
    rules = {f.rule for f in review_target(target, today=TODAY, rendered=fitted).findings}
    assert "weak-opener" not in rules and "cliche" in rules
    stale = profile.model_copy(update={"experience": [role.model_copy(update={"bullets": ["An older bullet"]})]})
    assert fit_drops(profile, stale) == set()  # the profile changed since that build: the record says nothing
    assert "weak-opener" in {f.rule for f in review_target(target, today=TODAY, rendered=stale).findings}


def test_a_second_list_of_schools_is_reviewed_as_education_is() -> None:
    """A custom section of kind education has schools, not entries: its bullets are not work
    claims (as Education's are not), and naming their place must not reach into `entries`."""
    from cvforge.schema import Profile

    school = {"institution": "Deep Learning Indaba", "start": "2019", "bullets": ["Poster"]}
    profile = Profile.model_validate(
        {
            "person": {"name": "Mira Okafor"},
            "experience": [role("Lumen", "2021-03", None, bullets=["Cut latency 40% on the fleet"])],
            "custom": [{"title": "Training", "kind": "education", "education": [school]}],
        }
    )
    findings = review_profile(profile).findings
    assert not [f for f in findings if "custom" in str(f)], findings
