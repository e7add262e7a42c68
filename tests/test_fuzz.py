"""Fuzzing: random profiles, random bytes and YAML-shaped junk end in success or a clean cvforge error.

`build` catches cvforge's own errors and reports them as failures; anything else escapes and fails
the test, which is exactly the guarantee: never a traceback. Example counts keep this well under a
minute in CI; PDF, the slow format, gets a handful of examples.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cvforge.builder.run import build
from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import available_themes
from tests.inert import inert_problems
from tests.strategies import dirty_profiles, profiles, yaml_like

THEMES = sorted(available_themes())
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def write(folder: Path, data: Any, suffix: str) -> Path:
    """JSON text, which is also YAML: `ensure_ascii` spells every odd character as an escape."""
    path = folder / f"profile{suffix}"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def build_and_check(data: dict[str, Any], suffix: str, theme: str, formats: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        path = write(folder, data, suffix)
        result = build([path], theme_name=theme, formats=formats, out_dir=folder / "out")
        if not result.ok:
            (failure,) = result.failures
            assert failure.message.strip()
            assert "Traceback" not in failure.message
            event("refused")
            return
        event("built")
        if "html" in formats:
            assert inert_problems((folder / "out" / "profile.html").read_text("utf-8")) == []
        for fmt in formats:
            assert (folder / "out" / f"profile.{fmt}").stat().st_size > 0


@settings(FUZZ, max_examples=50)
@given(data=profiles, suffix=st.sampled_from([".json", ".yaml"]), theme=st.sampled_from(THEMES))
def test_random_profiles_build_to_html_and_docx_or_fail_cleanly(data: dict[str, Any], suffix: str, theme: str) -> None:
    build_and_check(data, suffix, theme, ("html", "docx"))


@settings(FUZZ, max_examples=40)
@given(data=dirty_profiles, suffix=st.sampled_from([".json", ".yaml"]), theme=st.sampled_from(THEMES))
def test_dirty_profiles_build_or_fail_cleanly(data: dict[str, Any], suffix: str, theme: str) -> None:
    build_and_check(data, suffix, theme, ("html", "docx"))


@settings(FUZZ, max_examples=6)
@given(data=profiles, theme=st.sampled_from(THEMES))
def test_random_profiles_build_to_pdf_or_fail_cleanly(data: dict[str, Any], theme: str) -> None:
    build_and_check(data, ".yaml", theme, ("pdf",))


def load_or_refuse(content: bytes, suffix: str) -> None:
    """Loading either succeeds or raises ProfileError with located problems; nothing else."""
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / f"profile{suffix}"
        path.write_bytes(content)
        try:
            load_profile(path)
        except ProfileError as exc:
            assert exc.problems
            assert all(problem.line >= 1 and problem.column >= 1 for problem in exc.problems)
            event("refused")
        else:
            event("loaded")


@settings(FUZZ, max_examples=150)
@given(content=st.binary(max_size=600), suffix=st.sampled_from([".yaml", ".json"]))
def test_random_bytes_load_or_fail_cleanly(content: bytes, suffix: str) -> None:
    load_or_refuse(content, suffix)


@settings(FUZZ, max_examples=200)
@given(content=yaml_like, suffix=st.sampled_from([".yaml", ".json"]))
def test_yaml_shaped_text_loads_or_fails_cleanly(content: str, suffix: str) -> None:
    load_or_refuse(content.encode("utf-8", "surrogatepass"), suffix)


@settings(FUZZ, max_examples=100)
@given(content=st.text(max_size=300))
def test_random_text_loads_or_fails_cleanly(content: str) -> None:
    load_or_refuse(content.encode("utf-8", "surrogatepass"), ".yaml")
