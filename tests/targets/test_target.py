"""Targets end to end: `cvforge build` makes every profile and target, reports, pages, located errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel
from pypdf import PdfReader

from cvforge.builder.cache import CACHE_NAME
from cvforge.cli import main
from cvforge.document.locale import english_labels
from cvforge.errors import TargetError
from cvforge.reader.read import load_profile
from cvforge.schema.markup import parse_inline, plain_text
from cvforge.targets.target import load_job, load_target
from tests.helpers.golden import GoldenFiles
from tests.helpers.outputs import ProjectBuild, parse_html
from tests.helpers.project import PROFILES, ROOT, SCENARIOS, TARGETS

ONE_PAGE = {"sai-ledgerline-backend", "aayushi-kiranapay-payments", "rajkumar-beacon-realtime"}
# Words the classic theme writes itself: section titles, labels, dates it formats, list numbers.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
THEME_WORDS = " ".join([*english_labels().values(), *MONTHS])
_WORD = re.compile(r"[^\W_]+")


def outputs_of(build: ProjectBuild, target: Path) -> Path:
    """The stem every file of a target is written under: out/<profile>/<target>."""
    profile = load_target(target).profile_path.stem
    return build.out / profile / target.stem


def test_build_with_no_arguments_makes_every_profile_and_target(project_build: ProjectBuild) -> None:
    assert project_build.exit_code == 0, project_build.output
    assert f"built {len(PROFILES) + len(TARGETS)} of {len(PROFILES) + len(TARGETS)} profile(s) and target(s)" in (
        project_build.output
    )
    assert len(TARGETS) == 6
    for profile in PROFILES:
        assert (project_build.out / f"{profile.stem}.pdf").is_file()
    for target in TARGETS:
        stem = outputs_of(project_build, target)
        for suffix in (".pdf", ".docx", ".html", ".match.md", ".match.json"):
            assert stem.with_name(stem.name + suffix).is_file(), f"{target.stem}: no {suffix}"


def test_every_seed_profile_has_two_targets_one_of_them_a_single_page() -> None:
    by_profile: dict[str, list[int | None]] = {}
    for target in TARGETS:
        loaded = load_target(target)
        by_profile.setdefault(loaded.profile_path.stem, []).append(loaded.target.page_limit)
        assert loaded.target.job is not None
        words = len(loaded.job_path.read_text(encoding="utf-8").split()) if loaded.job_path else 0
        assert 250 <= words <= 400, f"{target.stem}: job description of {words} words"
    assert sorted(by_profile) == sorted(p.stem for p in PROFILES)
    assert all(len(limits) == 2 and 1 in limits for limits in by_profile.values())


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.stem)
def test_page_limits_hold_in_the_pdf(project_build: ProjectBuild, target: Path) -> None:
    limit = load_target(target).target.page_limit
    stem = outputs_of(project_build, target)
    pages = len(PdfReader(stem.with_name(stem.name + ".pdf")).pages)
    assert limit is not None and pages <= limit
    if target.stem in ONE_PAGE:
        assert pages == 1
    report = json.loads(stem.with_name(stem.name + ".match.json").read_text(encoding="utf-8"))
    assert report["pages"]["pages"] == pages and report["pages"]["fits"] is True


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.stem)
def test_report_json_holds_coverage_and_what_is_covered_and_missing(project_build: ProjectBuild, target: Path) -> None:
    stem = outputs_of(project_build, target)
    report = json.loads(stem.with_name(stem.name + ".match.json").read_text(encoding="utf-8"))
    assert {"coverage", "covered", "missing", "terms", "items", "pages", "outputs"} <= set(report)
    terms = [row["term"] for row in report["terms"]]
    assert sorted(report["covered"] + report["missing"]) == sorted(terms)
    assert report["coverage"] == round(100 * len(report["covered"]) / len(terms), 1)
    assert all({"section", "item", "score", "terms", "status"} <= set(row) for row in report["items"])
    # Covered means present in what a reader gets: check it against the HTML's own text.
    loaded = load_target(target)
    job = load_job(loaded, load_profile(loaded.profile_path))
    html_text = " ".join(parse_html(stem.with_name(stem.name + ".html")).text)
    found = {job.matcher.terms[key].label for key in job.covered_by(html_text)}
    assert found == set(report["covered"])


def test_report_markdown_says_the_same(project_build: ProjectBuild) -> None:
    target = ROOT / "targets" / "sai-ledgerline-backend.yaml"
    stem = outputs_of(project_build, target)
    report = json.loads(stem.with_name(stem.name + ".match.json").read_text(encoding="utf-8"))
    markdown = stem.with_name(stem.name + ".match.md").read_text(encoding="utf-8")
    covered, total = len(report["covered"]), len(report["terms"])
    assert f"- Coverage: **{report['coverage']:.1f}%** ({covered} of {total} terms)" in markdown
    missing_section = markdown.split("## Missing terms")[1].split("## Covered terms")[0]
    for term in report["missing"]:
        assert f"| {term} |" in missing_section
    assert "| projects | Dispute Intelligence API |" in markdown


def test_the_build_prints_a_coverage_table(project_build: ProjectBuild) -> None:
    lines = project_build.output.splitlines()
    header = next(i for i, line in enumerate(lines) if re.match(r"target\s+coverage\s+terms\s+missing", line))
    rows = lines[header + 1 : header + 1 + len(TARGETS)]
    for row, target in zip(rows, sorted(TARGETS), strict=True):
        stem = outputs_of(project_build, target)
        report = json.loads(stem.with_name(stem.name + ".match.json").read_text(encoding="utf-8"))
        assert row.split()[0] == target.stem
        assert f"{report['coverage']:.1f}%" in row and f"{len(report['covered'])}/{len(report['terms'])}" in row


# Nothing invented -------------------------------------------------------------------------


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def strings_of(value: Any) -> list[str]:
    """Every text a model holds, Markdown reduced to what it displays."""
    if isinstance(value, str):
        return [value, plain_text(parse_inline(value))]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]  # date parts: the theme writes 2024 from start: 2024
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings_of(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_of(item)]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in strings_of(getattr(value, name))]
    return []


def invented(html: Path, target: Path) -> set[str]:
    """Words of the page found neither in the profile, nor in the target's overrides, nor in the theme."""
    loaded = load_target(target)
    overrides = [loaded.target.headline, loaded.target.tagline, loaded.target.summary, loaded.target.headings]
    allowed = words(" ".join(strings_of(load_profile(loaded.profile_path)) + strings_of(overrides)))
    allowed |= words(THEME_WORDS)
    shown = words(" ".join(parse_html(html).text))
    return {w for w in shown - allowed if not re.fullmatch(r"\d{1,2}", w)}  # list numbers: 1., 2., …


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.stem)
def test_every_word_of_a_tailored_page_comes_from_the_profile_the_target_or_the_theme(
    project_build: ProjectBuild, target: Path
) -> None:
    stem = outputs_of(project_build, target)
    assert invented(stem.with_name(stem.name + ".html"), target) == set()


def test_the_invention_check_catches_an_invented_word(project_build: ProjectBuild, tmp_path: Path) -> None:
    target = TARGETS[0]
    stem = outputs_of(project_build, target)
    html = stem.with_name(stem.name + ".html").read_text(encoding="utf-8")
    doctored = tmp_path / "doctored.html"
    doctored.write_text(html.replace("</main>", "<p>Blockchain rockstar</p></main>"), encoding="utf-8")
    assert invented(doctored, target) == {"blockchain", "rockstar"}


# Building one target, and errors ----------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_target_builds_alone_by_name(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "sai-cortexa-ai-platform", "--format", "html"])
    assert result.exit_code == 0, result.output
    out = project / "out"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != CACHE_NAME)
    assert written == [
        "sai-sushanth-thakkalapally/sai-cortexa-ai-platform.html",
        "sai-sushanth-thakkalapally/sai-cortexa-ai-platform.match.json",
        "sai-sushanth-thakkalapally/sai-cortexa-ai-platform.match.md",
    ]
    assert "built 1 of 1 profile(s) and target(s)" in result.output


@pytest.mark.slow
def test_a_target_builds_alone_by_path_and_its_output_pattern_is_used(project: Path) -> None:
    target = project / "targets" / "custom-out.yaml"
    target.write_text(
        "profile: ../profiles/rajkumar.yaml\noutput: applications/{person}-{target}\nsections: [summary, experience]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(target), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert (project / "out" / "applications" / "rajkumar-custom-out.pdf").is_file()
    assert "job-description match" not in result.output  # no job, so no report


def test_an_unknown_target_name_is_a_usage_error_listing_the_targets(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "nope"])
    assert result.exit_code == 2
    assert "no such file or folder: nope, and no target of that name (targets: aayushi-" in result.output


def test_validate_checks_targets_too(project: Path) -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "ok targets/rajkumar-beacon-realtime.yaml (Rajkumar)" in result.output


def test_broken_target_error_list_is_golden(monkeypatch: pytest.MonkeyPatch, golden_files: GoldenFiles) -> None:
    monkeypatch.chdir(SCENARIOS)
    with pytest.raises(TargetError) as info:
        load_target(SCENARIOS / "broken-target" / "target.yaml")
    actual = [str(problem) for problem in info.value.problems]
    golden_files.check(SCENARIOS / "broken-target" / "expected-errors.txt", "\n".join(actual) + "\n")


@pytest.mark.slow
def test_a_broken_target_fails_alone_with_located_errors(project: Path) -> None:
    (project / "targets" / "broken.yaml").write_text(
        "profile: ../profiles/rajkumar.yaml\ncaps:\n  project: 2\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", "--format", "html"])
    assert result.exit_code == 1
    assert "targets/broken.yaml:3:3: caps: unknown key 'project' (did you mean 'projects'?)" in result.output
    assert "built 9 of 10 profile(s) and target(s)" in result.output
    assert "Traceback" not in result.output


def test_a_broken_synonyms_file_beside_targets_is_located(project: Path) -> None:
    (project / "targets" / "synonyms.yaml").write_text("terms:\n  Kubernetes: k8s\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "sai-cortexa-ai-platform", "--format", "html"])
    assert result.exit_code == 1
    assert "targets/synonyms.yaml:2:15: terms.Kubernetes: expected a list, got 'k8s'" in result.output


def test_a_synonyms_file_beside_targets_extends_the_built_in_table(project: Path) -> None:
    (project / "targets" / "synonyms.yaml").write_text(
        "terms:\n  evaluation: [answer quality]\nignore: [Cortexa]\n", encoding="utf-8"
    )
    loaded = load_target(project / "targets" / "sai-cortexa-ai-platform.yaml")
    job = load_job(loaded, load_profile(loaded.profile_path))
    evaluation = next(jt for jt in job.terms if jt.label == "evaluation")
    # "under evaluation", "Own evaluation", "offline evals", "evaluation discipline", and now "answer quality"
    assert evaluation.count == 5
    assert "Cortexa" not in {jt.label for jt in job.terms}


@pytest.mark.slow
def test_a_folder_of_targets_builds_and_its_synonyms_file_is_not_a_target(project: Path) -> None:
    (project / "targets" / "synonyms.yaml").write_text("terms:\n  Kubernetes: [kubes]\n", encoding="utf-8")
    for target in (project / "targets").glob("aayushi-*.yaml"):
        target.unlink()
    for target in (project / "targets").glob("rajkumar-*.yaml"):
        target.unlink()
    result = CliRunner().invoke(main, ["build", "targets", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "built 2 of 2 profile(s) and target(s)" in result.output


def test_a_bad_theme_option_names_the_file_that_set_it(project: Path) -> None:
    (project / "targets" / "bad-option.yaml").write_text(
        "profile: ../profiles/rajkumar.yaml\noptions: {colour: red}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", "bad-option", "--format", "html"])
    assert result.exit_code == 1
    assert "targets/bad-option.yaml: options: unknown theme option 'colour' for theme 'classic'" in result.output


def test_two_targets_writing_the_same_file_is_an_error(project: Path) -> None:
    for name in ("a", "b"):
        (project / "targets" / f"{name}.yaml").write_text(
            "profile: ../profiles/rajkumar.yaml\noutput: same\n", encoding="utf-8"
        )
    result = CliRunner().invoke(main, ["build", "a", "b", "--format", "html"])
    assert result.exit_code == 1
    assert "would overwrite out/same.html, written by targets/a.yaml" in result.output


@pytest.mark.slow
def test_tailoring_is_deterministic(project: Path) -> None:
    for out in ("one", "two"):
        result = CliRunner().invoke(main, ["build", "rajkumar-beacon-realtime", "--format", "html", "--out", out])
        assert result.exit_code == 0, result.output
    for suffix in (".html", ".match.json", ".match.md"):
        first = (project / "one" / "rajkumar" / f"rajkumar-beacon-realtime{suffix}").read_text(encoding="utf-8")
        second = (project / "two" / "rajkumar" / f"rajkumar-beacon-realtime{suffix}").read_text(encoding="utf-8")
        assert first.replace("one/", "") == second.replace("two/", "")
