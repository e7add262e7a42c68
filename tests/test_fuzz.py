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

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from cvforge.builder.run import build
from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import available_themes
from tests.helpers.inert import inert_problems
from tests.helpers.strategies import FUZZ, MARKDOWN_HOSTILE, dirty_profiles, plain_words, profiles, yaml_like

THEMES = sorted(available_themes())


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


@pytest.mark.slow
@settings(FUZZ, max_examples=50)
@given(data=profiles, suffix=st.sampled_from([".json", ".yaml"]), theme=st.sampled_from(THEMES))
def test_random_profiles_build_to_html_and_docx_or_fail_cleanly(data: dict[str, Any], suffix: str, theme: str) -> None:
    build_and_check(data, suffix, theme, ("html", "docx"))


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(data=dirty_profiles, suffix=st.sampled_from([".json", ".yaml"]), theme=st.sampled_from(THEMES))
def test_dirty_profiles_build_or_fail_cleanly(data: dict[str, Any], suffix: str, theme: str) -> None:
    build_and_check(data, suffix, theme, ("html", "docx"))


@pytest.mark.slow
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


def markdown_elements(markdown: str) -> set[str]:
    """The elements a CommonMark renderer with raw HTML allowed makes of `markdown`."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    found: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.add(tag)

    Collect().feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    return found


MARKDOWN_ELEMENTS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "em", "strong", "a", "code", "pre", "br", "hr"}
TABLE_ELEMENTS = {"table", "thead", "tbody", "tr", "th", "td"}


@settings(FUZZ, max_examples=40)
@given(data=profiles)
def test_random_profiles_make_markdown_with_no_markup_of_their_own(data: dict[str, Any]) -> None:
    """Issue 12.6: whatever the text, the Markdown holds no element or image the profile did not ask for."""
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        result = build([write(folder, data, ".json")], formats=("md",), out_dir=folder / "out")
        if not result.ok:
            event("refused")
            return
        event("built")
        elements = markdown_elements((folder / "out" / "profile.md").read_text("utf-8"))
        assert elements <= MARKDOWN_ELEMENTS, elements - MARKDOWN_ELEMENTS


OUTPUT_PATTERNS = ["{profile}/{target}", "{person}", "jane", "x/{target}", "{profile:>9}", "../x", "{target!r}", "."]
JOB_REFERENCES = ["jobs/job.md", "/etc/passwd", "../../outside.md", "jobs/missing.md", "jobs/link.md", ""]
PROFILE_NAMES = ["profile.json", "...json", "cv-2.json", ".hidden.json"]


def target_files() -> st.SearchStrategy[dict[str, Any]]:
    """Target files: random names, output patterns and job references, with hostile text in them."""
    text = st.one_of(plain_words, st.sampled_from(MARKDOWN_HOSTILE))
    return st.fixed_dictionaries(
        {"output": st.sampled_from(OUTPUT_PATTERNS), "job": st.sampled_from(JOB_REFERENCES)},
        optional={
            "headline": text,
            "summary": st.lists(text, max_size=2),
            "page_limit": st.integers(-1, 3),
            "caps": st.fixed_dictionaries({}, optional={"bullets": st.integers(-1, 3), "nope": st.just(1)}),
            "tags": st.fixed_dictionaries({}, optional={"include": st.lists(text, max_size=2)}),
        },
    )


@pytest.mark.slow
@settings(FUZZ, max_examples=30)
@given(
    target=target_files(),
    profile_data=profiles,
    profile_name=st.sampled_from(PROFILE_NAMES),
    name=st.sampled_from(["t", "cv-1", "..."]),
)
def test_random_target_files_build_inside_out_or_fail_cleanly(
    target: dict[str, Any], profile_data: dict[str, Any], profile_name: str, name: str
) -> None:
    """Issue 12.2 and 12.4: whatever a target says, nothing is written outside --out and nothing
    outside the project is read into a report; a bad target is a clean failure."""
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        project = root / "project"
        (project / "targets" / "jobs").mkdir(parents=True)
        (root / "outside.md").write_text("SECRET_OUTSIDE kubernetes\n")
        (project / "targets" / "jobs" / "job.md").write_text("We want Python, Kafka and kubernetes.\n")
        (project / "targets" / "jobs" / "link.md").symlink_to(root / "outside.md")
        (project / profile_name).write_text(json.dumps(profile_data), encoding="utf-8")
        body = {"profile": f"../{profile_name}", **target}
        if not body["job"]:
            del body["job"]
        path = project / "targets" / f"{name}.json"
        path.write_text(json.dumps(body), encoding="utf-8")
        out = project / "out" / "inner"
        before = {p for p in root.rglob("*") if out not in p.parents}
        result = build([path], formats=("md",), out_dir=out)
        assert {p for p in root.rglob("*") if out not in p.parents and p != out} <= before | {project / "out"}
        for failure in result.failures:
            assert failure.message.strip() and "Traceback" not in failure.message
        written = list(out.rglob("*.md")) if out.exists() else []
        event("built" if result.ok else "refused")
        for file in written:
            text = file.read_text("utf-8")
            assert "SECRET_OUTSIDE" not in text and temp not in text
            assert markdown_elements(text) <= MARKDOWN_ELEMENTS | TABLE_ELEMENTS
