"""The section registry: every section class is listed once in AnySection, every profile section key
has a builder that makes one of them, and every kind has the theme partial that draws it."""

from __future__ import annotations

from pathlib import Path
from typing import get_type_hints

import pytest

from cvforge.document.sections import SECTION_CLASSES, BaseSection, CustomSection
from cvforge.document.view import SECTION_BUILDERS, view_custom, view_document
from cvforge.reader.read import load_profile
from cvforge.schema.sections import DEFAULT_ORDER, SECTION_KEYS

ROOT = Path(__file__).resolve().parents[2]
PARTIALS = ROOT / "themes" / "classic" / "templates" / "sections"
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}


def _built_class(key: str) -> type:
    """The section class a key's builder says it makes (its return annotation)."""
    if key == "custom":
        return get_type_hints(view_custom)["return"].__args__[0]  # list[CustomSection]
    built: type = get_type_hints(SECTION_BUILDERS[key])["return"]
    return built


def test_every_section_class_is_in_the_registry_once() -> None:
    """Every concrete section class (one nothing subclasses) is in AnySection, once; the shapes that
    kinds share (prose, entries) are bases, not kinds."""
    assert len(set(SECTION_CLASSES)) == len(SECTION_CLASSES)
    leaves = {cls for cls in _subclasses(BaseSection) if not cls.__subclasses__()}
    assert leaves == set(SECTION_CLASSES)


def test_every_profile_section_key_has_a_builder() -> None:
    assert set(SECTION_BUILDERS) == set(SECTION_KEYS)
    assert set(DEFAULT_ORDER) == {*SECTION_KEYS, "custom"}


def test_every_key_builds_a_registered_class_and_every_class_is_built() -> None:
    built = {key: _built_class(key) for key in DEFAULT_ORDER}
    assert set(built.values()) <= set(SECTION_CLASSES), built
    assert set(SECTION_CLASSES) <= set(built.values()), "a section class no profile key builds"
    assert len(set(built.values())) == len(built), "two profile keys share a section class"
    assert built["custom"] is CustomSection


def test_every_kind_has_a_partial() -> None:
    for kind in {cls.kind for cls in SECTION_CLASSES}:
        assert (PARTIALS / f"{kind}.html.j2").is_file(), f"no sections/{kind}.html.j2 in the classic theme"


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_view_builds_each_section_as_its_keys_class(path: Path) -> None:
    document = view_document(load_profile(path))
    assert document.sections
    for section in document.sections:
        key = "custom" if section.key.startswith("custom-") else section.key
        assert type(section) is _built_class(key)
