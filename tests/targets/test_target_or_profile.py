"""Telling a target from a profile (targets/files.py `is_target_file`) by a block-style YAML file's
unindented keys, without parsing it: the answer must be the full parse's on every file we hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cvforge.targets.files import is_target_file, top_level_keys
from tests.helpers.project import ROOT

YAML_FILES = sorted(
    path
    for folder in ("profiles", "targets", "tests/fixtures", "examples", "docs")
    if (ROOT / folder).is_dir()
    for path in (ROOT / folder).rglob("*")
    if path.suffix in (".yaml", ".yml") and path.is_file()
)


def parsed_keys(text: str) -> set[str] | None:
    try:
        data = YAML(typ="safe").load(text)
    except Exception:
        return None
    return set(data) if isinstance(data, dict) else set()


def test_there_are_files_of_both_kinds() -> None:
    kinds = {is_target_file(path) for path in YAML_FILES}
    assert len(YAML_FILES) > 30 and kinds == {True, False}


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_unindented_keys_are_the_parsed_top_level(path: Path) -> None:
    text = path.read_text("utf-8", errors="replace")
    scanned, parsed = top_level_keys(text), parsed_keys(text)
    if scanned is not None and parsed is not None:
        assert scanned == parsed


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("person:\n  name: A\nsections:  # a comment\n  - x\n", {"person", "sections"}),
        ("%YAML 1.2\n---\nprofile: a.yaml\n# person: not a key\njob: |\n  person: nor this\n", {"profile", "job"}),
        ("\"profile\": a.yaml\n'job': b\n", {"profile", "job"}),
        ("{profile: a.yaml}", None),  # flow style: parsed
        ("- person\n", None),  # a list: parsed
        ("--- {profile: a}\n", None),
        ("? complex\n: key\n", None),
        ("profile:a.yaml\n", None),  # a plain scalar, not a key: parsed
        ("# nothing but a comment\n", None),
    ],
)
def test_what_the_scan_reads_and_what_it_leaves_to_the_parser(text: str, keys: set[str] | None) -> None:
    assert top_level_keys(text) == keys


@pytest.mark.parametrize(
    ("name", "text", "target"),
    [
        ("t.yaml", "profile: me.yaml\njob: job.md\n", True),
        ("p.yaml", "person:\n  name: A\n", False),
        ("both.yaml", "profile: me.yaml\nperson:\n  name: A\n", False),
        ("flow.yaml", "{profile: me.yaml, job: job.md}\n", True),
        ("t.json", '{"profile": "me.yaml"}', True),
        ("broken.yaml", "profile: [unclosed\n", True),  # keys read; the target loader says where it breaks
        ("broken-flow.yaml", "{profile: [unclosed\n", False),  # unreadable: the profile loader says so
        ("bad.json", "{nope", False),
    ],
)
def test_a_file_is_a_target_when_its_top_level_names_a_profile(
    tmp_path: Path, name: str, text: str, target: bool
) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert is_target_file(path) is target
