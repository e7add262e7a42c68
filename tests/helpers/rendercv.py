"""RenderCV's own validator, run in RenderCV's interpreter (it needs Python 3.12+ and its own
dependencies, so it is never imported here): `CVFORGE_RENDERCV` names that interpreter, or the
`rendercv` command whose environment holds it; else the checkout's `.venv-rendercv` (`make
rendercv`, which `make test` runs); else `rendercv` on PATH. Tests skip, saying so, when none is
found."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.helpers.project import ROOT

# Runs inside RenderCV's interpreter: each YAML text in, each error (or None) out.
_VALIDATE = """
import json, sys
from rendercv.schema.rendercv_model_builder import build_rendercv_dictionary_and_model
results = []
for text in json.load(sys.stdin):
    try:
        build_rendercv_dictionary_and_model(text)
        results.append(None)
    except BaseException as exc:  # RenderCV raises its own validation errors
        results.append(f"{type(exc).__name__}: {getattr(exc, 'validation_errors', None) or exc}")
print(json.dumps(results, default=str))
"""
WHY_MISSING = (
    "RenderCV is not installed: run `make rendercv` (Python >= 3.12) or set CVFORGE_RENDERCV to its python "
    "(or rendercv command) to use its validator"
)
LOCAL = ROOT / ".venv-rendercv" / "bin" / "python"


def rendercv_python() -> Path | None:
    named = os.environ.get("CVFORGE_RENDERCV") or (str(LOCAL) if LOCAL.is_file() else None) or shutil.which("rendercv")
    if not named:
        return None
    path = Path(named)
    python = path if path.name.startswith("python") else path.with_name("python")
    return python if python.is_file() else None


def rendercv_errors(texts: list[str]) -> list[str | None]:
    """RenderCV's verdict on each YAML text: None when it accepts it, else its error."""
    python = rendercv_python()
    assert python is not None, WHY_MISSING
    done = subprocess.run(
        [str(python), "-c", _VALIDATE], input=json.dumps(texts), capture_output=True, text=True, timeout=300, check=True
    )
    results: list[str | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return results
