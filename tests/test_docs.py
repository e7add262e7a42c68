"""The documentation site: the generated reference covers the models, and the nav names real pages.

No MkDocs build here (`make docs` runs `mkdocs build --strict`); the hook's generator is called directly.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from ruamel.yaml import YAML

from cvforge.schema import Profile
from cvforge.schema.target import Target
from tests.helpers.project import ROOT

DOCS = ROOT / "docs"


def load_hook() -> ModuleType:
    """The hook as MkDocs loads it: a module from a file path, not from a package."""
    spec = importlib.util.spec_from_file_location("cvforge_docs_reference", DOCS / "hooks" / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as MkDocs does: dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    return load_hook()


def field_rows(markdown: str) -> set[str]:
    """The field names in the first column of the reference's tables."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", markdown, flags=re.MULTILINE))


def root_table(markdown: str, title: str) -> str:
    """The section of the root model `title` (up to the next model's heading)."""
    start = markdown.index(f"## {title} ")
    end = markdown.find("\n### ", start)
    return markdown[start : end if end != -1 else None]


def test_reference_lists_every_top_level_field_of_profile(hook: ModuleType) -> None:
    markdown = hook.profile_reference(ROOT)
    missing = set(Profile.model_fields) - field_rows(root_table(markdown, "Profile"))
    assert not missing, f"fields of Profile missing from the reference: {sorted(missing)}"


def test_reference_lists_every_top_level_field_of_target(hook: ModuleType) -> None:
    markdown = hook.target_reference(ROOT)
    missing = set(Target.model_fields) - field_rows(root_table(markdown, "Target"))
    assert not missing, f"fields of Target missing from the reference: {sorted(missing)}"


def test_reference_has_both_parts_and_examples_from_the_profiles(hook: ModuleType) -> None:
    markdown = hook.reference_markdown(ROOT)
    assert "## Profile {#profile}" in markdown
    assert "## Target {#target}" in markdown
    # person.name is required, and its example is the name in the first profile of profiles/.
    first = YAML(typ="safe").load(sorted((ROOT / "profiles").glob("*.yaml"))[0].read_text(encoding="utf-8"))
    name = re.escape(first["person"]["name"])
    assert re.search(rf"^\| `name` \| text \(not empty\) \| \*\*yes\*\* \|.*`{name}`", markdown, re.MULTILINE)


def test_reference_names_markdown_fields_even_with_their_own_description(hook: ModuleType) -> None:
    # Principle.text is typed `Markdown` directly, so its own description replaces the alias's in the
    # schema; the Type column must still say Markdown, and the Description column show the field's.
    markdown = hook.profile_reference(ROOT)
    start = markdown.index("### Principle ")
    table = markdown[start : markdown.find("\n### ", start + 1)]
    row = re.search(r"^\| `text` \| Markdown text \(not empty\) \| \*\*yes\*\* \| ([^|]*) \|", table, re.MULTILINE)
    assert row is not None, table
    assert row.group(1).strip(), "Principle.text has an empty description"


def test_reference_page_has_the_marker_the_hook_fills(hook: ModuleType) -> None:
    assert hook.MARKER in (DOCS / hook.PAGE).read_text(encoding="utf-8")


def nav_files(entries: Any) -> Iterator[str]:
    """Every page file the nav names, however deeply nested; external links are not files."""
    if isinstance(entries, str):
        if "://" not in entries:
            yield entries
    elif isinstance(entries, list):
        for entry in entries:
            yield from nav_files(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from nav_files(value)


def test_nav_names_only_files_that_exist() -> None:
    # mkdocs.yml may hold Python tags (e.g. !!python/name for extensions); a round-trip load keeps them inert.
    config = YAML(typ="rt").load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs_dir = ROOT / str(config.get("docs_dir", "docs"))
    pages = list(nav_files(config["nav"]))
    assert pages, "mkdocs.yml has no nav"
    missing = [page for page in pages if not (docs_dir / page).is_file()]
    assert not missing, f"mkdocs.yml's nav names files that do not exist: {missing}"


def _packages() -> list[str]:
    """Every package under src/cvforge/, as a dotted name (`cvforge.renderers.docx`)."""
    source = ROOT / "src"
    return sorted(".".join(init.parent.relative_to(source).parts) for init in (source / "cvforge").rglob("__init__.py"))


def test_the_developer_guide_names_every_package() -> None:
    """A package nobody wrote up is one the next engineer has to reverse-engineer: docs/develop.md
    names each, in its package table, as `cvforge.x.y`."""
    guide = (DOCS / "develop.md").read_text(encoding="utf-8")
    packages = _packages()
    assert {"cvforge", "cvforge.cli", "cvforge.readback", "cvforge.renderers.docx"} <= set(packages)
    missing = [name for name in packages if f"| `{name}`" not in guide]
    assert not missing, f"docs/develop.md's package table lacks {missing}"
