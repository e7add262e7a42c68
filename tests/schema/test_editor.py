"""`cvforge schema`, `new`, `import` and `export`: the schema accepts what the loader accepts, starter and
imported profiles validate and build, nothing is overwritten without --force."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from cvforge.cli import main
from cvforge.reader.read import load_profile
from cvforge.schema.editor import profile_filename, profile_json_schema, schema_text
from tests.helpers.jsonresume import schema_errors
from tests.helpers.project import FIXTURES, JSON_RESUMES, PROFILES, RENDERCV_STARTER, ROOT


def as_editor_sees(value: Any) -> Any:
    """YAML as an editor's language server reads it (YAML 1.2 core: 2024-03-15 is a string)."""
    if isinstance(value, dict):
        return {str(k): as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_yaml(path: Path) -> Any:
    return as_editor_sees(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


def profile_schema_errors(document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(profile_json_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(profile_json_schema())


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_every_seed_profile_validates_against_the_schema(path: Path) -> None:
    assert profile_schema_errors(read_yaml(path)) == []


def test_the_schema_catches_what_the_loader_catches() -> None:
    bad = {
        "person": {"name": "A", "emial": "x"},
        "experience": [{"title": "B", "start": "Jan 2024", "end": "soon"}],
        "projects": [{"name": "C", "links": [{"url": "javascript:alert(1)"}]}],
    }
    errors = "\n".join(profile_schema_errors(bad))
    assert "'emial' was unexpected" in errors
    assert "experience/0/start" in errors and "experience/0/end" in errors
    assert "projects/0/links/0/url" in errors
    good = {"person": {"name": "A"}, "experience": [{"title": "B", "start": 2024, "end": "Present"}]}
    assert profile_schema_errors(good) == []


def test_the_committed_schema_is_up_to_date() -> None:
    committed = ROOT / "schema" / "cvforge.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_text(), "run: cvforge schema -o schema/cvforge.schema.json"


def test_schema_command_prints_or_writes_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "cvforge profile"
    result = runner.invoke(main, ["schema", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0 and (tmp_path / "s.json").read_text(encoding="utf-8") == schema_text()


def test_new_writes_a_starter_that_points_at_the_schema_validates_and_builds(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "Jane Doe"])
    assert result.exit_code == 0, result.output
    profile = tmp_path / "profiles" / "jane-doe.yaml"
    schema = tmp_path / "schema" / "cvforge.schema.json"
    assert (
        profile.read_text(encoding="utf-8").splitlines()[0]
        == "# yaml-language-server: $schema=../schema/cvforge.schema.json"
    )
    assert (profile.parent / "../schema/cvforge.schema.json").resolve() == schema.resolve()
    assert schema.read_text(encoding="utf-8") == schema_text()
    assert profile_schema_errors(read_yaml(profile)) == []
    assert load_profile(profile).person.name == "Jane Doe"
    result = runner.invoke(main, ["build", "--format", "html,pdf,md,txt"])
    assert result.exit_code == 0, result.output
    assert "Jane Doe" in (tmp_path / "out" / "jane-doe.txt").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "jane-doe.pdf").stat().st_size > 1000
    # never over an existing file without --force
    profile.write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(main, ["new", "Jane Doe"])
    assert result.exit_code == 2 and "use --force" in result.output
    assert profile.read_text(encoding="utf-8") == "# mine\n"
    assert runner.invoke(main, ["new", "Jane Doe", "--force"]).exit_code == 0


def test_new_takes_any_script_and_an_output_path(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert profile_filename("山田 太郎") == "山田-太郎.yaml"
    result = runner.invoke(main, ["new", "Zoë: O'Brien", "-o", "cv/zoe.yaml"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "cv" / "zoe.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/cvforge.schema.json"
    assert load_profile(tmp_path / "cv" / "zoe.yaml").person.name == "Zoë: O'Brien"


@pytest.mark.parametrize("source", [*JSON_RESUMES, RENDERCV_STARTER], ids=lambda p: p.name)
def test_import_writes_an_equivalent_commented_profile(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", str(source), "-o", "profiles/me.yaml"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "profiles" / "me.yaml"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/cvforge.schema.json"
    assert any(line.startswith("# from ") for line in lines)
    assert not any(line.rstrip().endswith(("{", "[")) for line in lines), "block style only"
    assert load_profile(written) == load_profile(source)
    assert profile_schema_errors(read_yaml(written)) == []
    result = runner.invoke(main, ["import", str(source), "-o", "profiles/me.yaml"])
    assert result.exit_code == 2 and "use --force" in result.output


def test_import_names_the_file_after_the_person_and_lists_what_it_left_out(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "resume.json"
    source.write_text(json.dumps({"basics": {"name": "Ana Lima", "image": "https://x.example/me.png"}}), "utf-8")
    result = runner.invoke(main, ["import", str(source)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "profiles" / "ana-lima.yaml").read_text(encoding="utf-8")
    assert "# Not imported" in text and "#   basics.image:" in text


def test_import_refuses_a_cvforge_profile_and_reports_errors_located(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["import", str(PROFILES[0]), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "already a cvforge profile" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "basics": {"name": "A"},\n  "work": [{"startDate": "last year"}]\n}\n', "utf-8")
    result = runner.invoke(main, ["import", str(broken), "-o", str(tmp_path / "y.yaml")])
    assert result.exit_code == 1
    assert "broken.json:3:26: work[0].startDate: 'last year' is not a date" in result.output
    assert not (tmp_path / "y.yaml").exists()


@pytest.mark.parametrize("profile", [PROFILES[0], FIXTURES / "rendercv" / "starter.yaml"], ids=lambda p: p.name)
def test_export_writes_a_valid_json_resume(runner: CliRunner, tmp_path: Path, profile: Path) -> None:
    target = tmp_path / "resume.json"
    result = runner.invoke(main, ["export", str(profile), "--to", "jsonresume", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert schema_errors(document) == []
    assert document["basics"]["name"] == load_profile(profile).person.name
    printed = runner.invoke(main, ["export", str(profile), "--to", "jsonresume"])
    assert json.loads(printed.stdout) == document  # warnings about what JSON Resume cannot carry go to stderr


def test_export_keeps_what_json_resume_has_no_field_for(runner: CliRunner) -> None:
    profile = load_profile(ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml")
    result = runner.invoke(
        main, ["export", str(ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"), "--to", "jsonresume"]
    )
    document = json.loads(result.stdout)
    summary = document["basics"]["summary"]
    for metric in profile.metrics:  # metrics → basics.summary lines
        assert metric.label in summary
    project = profile.projects[0]
    exported = next(p for p in document["projects"] if p["name"] == project.name)
    if project.diagram:  # diagrams → the project's description
        assert project.diagram.strip().splitlines()[0] in exported["description"]
    custom_titles = {section.title for section in profile.custom}
    assert custom_titles <= {p.get("type") for p in document["projects"]}  # other sections → typed projects


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["export", str(PROFILES[0]), "--to", "fresh"]).exit_code == 2
    assert runner.invoke(main, ["export", str(tmp_path / "none.yaml"), "--to", "jsonresume"]).exit_code == 2
    assert runner.invoke(main, ["import", str(tmp_path / "none.json")]).exit_code == 2
    assert runner.invoke(main, ["build", str(PROFILES[0]), "--format", "md,rtf"]).exit_code == 2
