"""The source tree reads as the pipeline: each stage imports only from itself and earlier stages."""

from __future__ import annotations

import re
from pathlib import Path

import cvforge

SOURCE = Path(cvforge.__file__).resolve().parent
# Earlier stages first. `targets` sits above `renderers`: its page fit measures real PDF layouts.
STAGES = ("schema", "reader", "document", "renderers", "targets", "readback", "reviewer", "builder", "cli")
SHARED = {"errors", "logs"}  # used by every stage, importing none
IMPORT = re.compile(r"^\s*(?:from|import) cvforge\.(\w+)", re.MULTILINE)
CLICK = re.compile(r"^\s*(?:from|import) click\b", re.MULTILINE)


def _stage(path: Path) -> str:
    return path.relative_to(SOURCE).parts[0].removesuffix(".py")


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def test_no_module_imports_a_later_stage() -> None:
    wrong = []
    for path in modules():
        stage = _stage(path)
        if stage not in STAGES:
            continue
        for imported in IMPORT.findall(path.read_text(encoding="utf-8")):
            if imported in STAGES and STAGES.index(imported) > STAGES.index(stage):
                wrong.append(f"{path.relative_to(SOURCE)} imports cvforge.{imported}")
    assert not wrong, "\n".join(wrong)


def test_only_the_cli_imports_click() -> None:
    """builder/ is the engine the API and the command line share: click stays in front of it."""
    assert any(CLICK.search(path.read_text(encoding="utf-8")) for path in modules() if _stage(path) == "cli")
    wrong = [
        str(path.relative_to(SOURCE))
        for path in modules()
        if _stage(path) != "cli" and CLICK.search(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "click imported outside cli/: " + ", ".join(wrong)


def test_shared_modules_import_no_stage() -> None:
    for name in SHARED:
        assert not IMPORT.findall((SOURCE / f"{name}.py").read_text(encoding="utf-8")), name


def test_every_module_is_in_a_stage() -> None:
    known = {*STAGES, *SHARED, "__init__", "__main__", "data", "py"}
    for path in modules():
        assert _stage(path) in known, f"{path.relative_to(SOURCE)} is outside the pipeline's packages"
