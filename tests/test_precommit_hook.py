"""The pre-commit hooks: which files they check, and that checking installs and imports no PDF stack."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.helpers.project import ROOT, SCENARIOS

HOOKS = {hook["id"]: hook for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}


def selected(hook: dict[str, str], path: str) -> bool:
    return bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)


def test_the_hooks_check_profiles_targets_and_top_level_foreign_files() -> None:
    for hook in HOOKS.values():
        for path in ("profiles/jane.yaml", "profiles/jane.json", "targets/jane-acme.yaml", "resume.json", "cv.yaml"):
            assert selected(hook, path), (hook["id"], path)
        for path in ("targets/synonyms.yaml", "targets/jobs/acme.md", "docs/resume.json", "out/jane.html", "x.yaml"):
            assert not selected(hook, path), (hook["id"], path)


@pytest.mark.slow
def test_the_default_hook_installs_nothing_and_imports_no_pdf_stack(tmp_path: Path) -> None:
    hook = HOOKS["cvforge-validate"]
    assert hook["language"] in ("system", "unsupported")  # runs the installed cvforge; pre-commit installs nothing
    assert HOOKS["cvforge-validate-isolated"]["language"] == "python"
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    shutil.copy(SCENARIOS / "jsonresume-unicode-dates" / "resume.json", tmp_path / "resume.json")
    files = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    chosen = [f for f in files if selected(hook, f)]
    assert "resume.json" in chosen and any(f.startswith("targets/") for f in chosen)
    args = [*shlex.split(hook["entry"])[1:], *chosen]
    probe = (
        "import sys; from cvforge.cli import main\n"
        "try:\n    main(sys.argv[1:], prog_name='cvforge')\n"
        "except SystemExit as exit:\n"
        "    heavy = sorted(m for m in ('weasyprint', 'docx', 'pdfplumber', 'pypdfium2') if m in sys.modules)\n"
        "    print('HEAVY=' + __import__('json').dumps(heavy)); raise\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *args], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"{len(chosen)} of {len(chosen)} file(s) valid" in result.stdout
    assert json.loads(result.stdout.rsplit("HEAVY=", 1)[1]) == []
    (tmp_path / "cv.yaml").write_text("cv:\n  name: Jane\n  sections: 3\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cvforge", "validate", "cv.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1 and "cv.yaml:3:" in result.stderr


@pytest.mark.slow
def test_a_repository_with_only_a_top_level_resume_builds_without_arguments(tmp_path: Path) -> None:
    shutil.copy(SCENARIOS / "jsonresume-unicode-dates" / "resume.json", tmp_path / "resume.json")
    result = subprocess.run([sys.executable, "-m", "cvforge", "validate"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok resume.json")
