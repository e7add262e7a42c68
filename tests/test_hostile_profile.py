"""A hostile profile builds in every theme to inert, complete outputs: every payload is only text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import pytest

from cvforge.builder.run import FORMATS, build
from cvforge.builder.theme_choice import resolve_theme
from cvforge.builder.view_options import section_order
from cvforge.document.view import Document, view_document
from cvforge.logs import collect_warnings
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import available_themes
from cvforge.schema.markup import Inline, plain_text
from tests.helpers.inert import (
    body_text,
    docx_external_targets,
    docx_text,
    inert_problems,
    parse,
    pdf_link_targets,
    pdf_text,
    squash,
    visible_texts,
)
from tests.helpers.project import SCENARIOS

HOSTILE = SCENARIOS / "hostile-profile" / "profile.yaml"
THEMES = sorted(available_themes())
SAFE_TARGET = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)
BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Built:
    theme: str
    document: Document
    files: dict[str, Path]
    warnings: list[str]


@pytest.fixture(scope="session")
def hostile_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The hostile profile built once per theme, into every format."""
    profile = load_profile(HOSTILE)
    builds: dict[str, Built] = {}
    for theme_name in THEMES:
        out = tmp_path_factory.mktemp(f"hostile-{theme_name}")
        with collect_warnings() as warned:
            result = build([HOSTILE], theme_name=theme_name, out_dir=out)
        assert result.ok, result.failures
        theme = resolve_theme(profile, "hostile", theme_name, (), {})
        document = view_document(profile, section_order(theme))
        files = {fmt: out / f"profile.{fmt}" for fmt in FORMATS}
        builds[theme_name] = Built(theme_name, document, files, [r.getMessage() for r in warned])
    return builds


@pytest.fixture(params=THEMES)
def hostile(request: pytest.FixtureRequest, hostile_builds: dict[str, Built]) -> Built:
    return hostile_builds[request.param]


def core_texts(document: Document, *, section_titles: bool = True) -> list[str]:
    """What every theme must show: name, headline, the summary paragraphs, and the titles of roles and projects.

    The summary's own title is left out: a portfolio shows the summary in its hero, untitled. A
    section's own title is left out where the theme prints only the heading parsers know
    (`section_titles=False`: compact on paper).
    """
    texts = [document.person.name, document.person.headline or ""]
    for section in document.sections:
        if section_titles and section.key in ("experience", "projects"):
            texts.append(section.title)
    summary = document.section("summary")
    assert summary is not None
    texts += [plain_text(paragraph) for paragraph in cast("tuple[Inline, ...]", summary.items)]
    return [t for t in texts if t]


def test_builds_every_format_and_warns_that_the_remote_photo_is_left_out(hostile: Built) -> None:
    for fmt, path in hostile.files.items():
        assert path.stat().st_size > 1000, fmt
    assert any("person.photo" in w and "does not fetch it" in w for w in hostile.warnings), hostile.warnings
    assert "tracker.png" not in hostile.files["html"].read_text("utf-8")


def test_html_is_inert(hostile: Built) -> None:
    assert inert_problems(hostile.files["html"].read_text("utf-8")) == []


def test_html_shows_every_payload_as_text(hostile: Built) -> None:
    text = squash(body_text(parse(hostile.files["html"].read_text("utf-8"))))
    texts = visible_texts(hostile.document) if hostile.theme == "classic" else core_texts(hostile.document)
    missing = [t for t in texts if squash(t) not in text]
    assert missing == []


def test_pdf_shows_every_payload_verbatim_and_links_only_to_safe_targets(hostile: Built) -> None:
    # Case-folded: themes may set headings in capitals (text-transform), which the text layer keeps.
    text = squash(pdf_text(hostile.files["pdf"])).casefold()
    if hostile.theme == "classic":
        texts = visible_texts(hostile.document)
    else:
        texts = core_texts(hostile.document, section_titles=hostile.theme != "compact")
    # A right-to-left override is drawn reversed, as a reader sees it; its text is checked in DOCX and HTML.
    missing = [t for t in texts if not BIDI_OVERRIDES.search(t) and squash(t).casefold() not in text]
    assert missing == []
    if hostile.theme != "compact":  # compact's paper leaves About out when a Summary introduces
        assert "exe.live" in text  # About's "evil.exe" under U+202E, drawn the way a reader sees it
    targets = pdf_link_targets(hostile.files["pdf"])
    assert targets, "the profile's links should be clickable"
    assert [t for t in targets if not SAFE_TARGET.match(t)] == []


def test_docx_shows_every_payload_verbatim_and_refers_to_nothing_but_links(hostile: Built) -> None:
    text = squash(docx_text(hostile.files["docx"]))
    expected = visible_texts(hostile.document)
    if hostile.theme == "compact":  # Word follows compact's paper: no About after a Summary, no own titles
        left_out = visible_texts(replace(hostile.document, person=None, sections=(hostile.document.section("about"),)))
        left_out += [section.title for section in hostile.document.sections if section.key != "skills"]
        expected = [t for t in expected if t not in left_out]
    missing = [t for t in expected if squash(t) not in text]
    assert missing == []
    external = docx_external_targets(hostile.files["docx"])
    assert external, "the profile's links should be hyperlinks"
    for kind, target in external:
        assert kind.endswith("/hyperlink"), (kind, target)  # never an image or template Word would fetch
        assert SAFE_TARGET.match(target), target


def test_template_syntax_in_a_profile_is_shown_not_run(hostile_builds: dict[str, Built]) -> None:
    html = hostile_builds["classic"].files["html"].read_text("utf-8")
    text = body_text(parse(html))
    assert "Mallory {{ 7*7 }}" in text
    assert "{% raw %}{{ config }}{% endraw %}" in text
    assert "{% include '/etc/passwd' %}" in text
    assert "root:x:0:0" not in html and "49" not in re.findall(r"Mallory (\S+)", text)


def test_strict_build_fails_on_the_remote_photo_and_writes_nothing(tmp_path: Path) -> None:
    result = build([HOSTILE], formats=("html",), out_dir=tmp_path, strict=True)
    assert not result.ok
    assert "does not fetch it" in result.failures[0].message
    assert "warnings are errors with --strict" in result.failures[0].message
    assert list(tmp_path.iterdir()) == []
