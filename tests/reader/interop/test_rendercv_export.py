"""`cvforge export --to rendercv`: YAML that RenderCV's own validator accepts, and that reads back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from cvforge.cli import main
from cvforge.reader.interop import export_profile
from cvforge.reader.interop.rendercv import import_cv, section_title
from cvforge.reader.read import load_profile
from tests.helpers.project import PROFILES, SCENARIOS

SOURCES = [*PROFILES, SCENARIOS / "round-trip" / "profile.yaml", SCENARIOS / "international-names" / "profile.yaml"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name if p.parent.name != "profiles" else p.stem)
def test_the_export_is_valid_rendercv(path: Path) -> None:
    profile = load_profile(path)
    text = export_profile(profile, "rendercv")
    data = YAML(typ="safe").load(text)
    assert data["cv"]["name"] == profile.person.name
    sections = {section_title(key): entries for key, entries in data["cv"]["sections"].items()}
    title = profile.headings.experience.title if profile.headings.experience else None
    assert [e["position"].split(", ")[0] for e in sections.get(title or "Experience", [])] == [
        role.title or role.team or "—" for role in profile.experience
    ]
    converted = import_cv(data, "exported.yaml")  # cvforge's own reading of RenderCV's format
    assert not converted.problems, converted.problems
    rendercv = pytest.importorskip("rendercv.data", reason="rendercv (a test extra) is not installed")
    model = rendercv.validate_input_dictionary_and_return_the_data_model(data)
    assert model.cv.name == profile.person.name


def test_export_command_writes_rendercv_yaml(tmp_path: Path) -> None:
    out = tmp_path / "cv.yaml"
    result = CliRunner().invoke(main, ["export", str(PROFILES[0]), "--to", "rendercv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").splitlines()[1] == "cv:"
