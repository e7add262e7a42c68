"""The section registry: every section class is listed once in AnySection, every profile section key
has a builder that makes one of them, and every kind has the theme partial that draws it."""

from __future__ import annotations

from pathlib import Path
from typing import get_args, get_type_hints

import pytest

from cvforge.builder.view_options import section_order
from cvforge.document.sections import SECTION_CLASSES, BaseSection, CustomSection
from cvforge.document.view import SECTION_BUILDERS, view_custom, view_document
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import load_theme
from cvforge.schema.sections import DEFAULT_ORDER, SECTION_KEYS, Headings
from cvforge.schema.target import Caps
from cvforge.targets.tailoring import ITEM_LISTS
from tests.helpers.project import PROFILES, ROOT, THEMES

PARTIALS = ROOT / "themes" / "classic" / "templates" / "sections"


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}


def _built_classes(key: str) -> set[type]:
    """The section classes a key's builder says it makes (its return annotation); `custom` makes one
    class per custom kind."""
    if key == "custom":
        return set(get_args(get_type_hints(view_custom)["return"].__args__[0]))  # list[AnyCustomSection]
    return {get_type_hints(SECTION_BUILDERS[key])["return"]}


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
    built = {key: _built_classes(key) for key in DEFAULT_ORDER}
    every = [cls for classes in built.values() for cls in classes]
    assert set(every) <= set(SECTION_CLASSES), built
    assert set(SECTION_CLASSES) <= set(every), "a section class no profile key builds"
    assert len(set(every)) == len(every), "two profile keys share a section class"
    assert CustomSection in built["custom"]


def test_every_kind_has_a_partial() -> None:
    for kind in {cls.kind for cls in SECTION_CLASSES}:
        assert (PARTIALS / f"{kind}.html.j2").is_file(), f"no sections/{kind}.html.j2 in the classic theme"


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_view_builds_each_section_as_its_keys_class(path: Path) -> None:
    document = view_document(load_profile(path))
    assert document.sections
    for section in document.sections:
        key = "custom" if section.key.startswith("custom-") else section.key
        assert type(section) in _built_classes(key)


# A section key lives in more places than the view: these fail, naming the place, when a new key
# is left out of one, instead of the new section silently missing from a build or a target.


@pytest.mark.parametrize("theme_name", THEMES)
def test_every_built_in_theme_shows_every_section_key(theme_name: str) -> None:
    """A theme shows only the sections its `sections` option names: a key missing there is a
    section dropped from every format of that theme without a word."""
    shown = set(section_order(load_theme(theme_name)))
    assert {*SECTION_KEYS, "custom"} <= shown, f"{theme_name}'s sections option lacks {set(SECTION_KEYS) - shown}"


def test_every_section_key_takes_a_heading_override_and_a_target_cap() -> None:
    assert set(SECTION_KEYS) <= set(Headings.model_fields), "schema/sections.py's Headings lacks a key"
    assert {*SECTION_KEYS, "custom"} <= set(Caps.model_fields), "schema/target.py's Caps lacks a key"


def test_tailoring_knows_every_section_key() -> None:
    """Tailoring drops and ranks items by the lists it knows; a key it lacks keeps every tagged item."""
    assert {section for section, _, _ in ITEM_LISTS} == set(SECTION_KEYS)
