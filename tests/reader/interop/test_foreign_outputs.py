"""Every JSON Resume fixture and the RenderCV starter build to every format with their content present;
Markdown is valid CommonMark and plain text wraps by display width."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cvforge.builder.run import build
from cvforge.renderers.markdown import escape
from cvforge.renderers.text import display_width, wrap
from tests.helpers.outputs import docx_text, normalise, parse_html, pdf_text
from tests.helpers.project import FIXTURES, PROFILES, SCENARIOS

SOURCES = [
    *sorted((FIXTURES / "jsonresume").glob("*.json")),
    FIXTURES / "rendercv" / "starter.yaml",
    SCENARIOS / "jsonresume-unicode-dates" / "resume.json",
]
ALL_FORMATS = ("pdf", "docx", "html", "md", "txt")


def stem(path: Path) -> str:
    return path.stem


@pytest.fixture(scope="session")
def built_foreign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("foreign")
    result = build([*SOURCES, *PROFILES], out_dir=out, formats=ALL_FORMATS)
    assert result.ok, result.failures
    return out


def expected_content(path: Path) -> list[str]:
    """Names, positions, project names, skills: what a reader must find, from the source file itself."""
    if path.suffix == ".json":
        resume = json.loads(path.read_text(encoding="utf-8"))
        items = [resume["basics"]["name"]]
        items += [work["position"] for work in resume.get("work", [])]
        items += [project["name"] for project in resume.get("projects", [])]
        items += [skill["name"] for skill in resume.get("skills", [])]
        items += [keyword for skill in resume.get("skills", []) for keyword in skill["keywords"]]
        items += [school["institution"] for school in resume.get("education", [])]
        items += [v["organization"] for v in resume.get("volunteer", [])]
        items += [i["name"] for i in resume.get("interests", [])]
        items += [r["name"] for r in resume.get("references", [])]
        items += [p["name"] for p in resume.get("publications", [])]
        items += [c["name"] for c in resume.get("certificates", [])]
        return items
    return [
        "John Doe",
        "Co-Founder & CTO",
        "Nexus AI",
        "FlashInfer",
        "NeuralPrune",
        "ML Frameworks",
        "Boğaziçi University",
        "Sparse Mixture-of-Experts at Scale",
        "Fulbright Scholarship for Graduate Studies (2018)",
        "Hardware-Aware Neural Architecture Search Method",
        "Efficient Deep Learning",
    ]


def latin(text: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in text)


def poppler_text(path: Path) -> str:
    """pypdf cannot decode the text of a PDF whose font subset mixes many scripts (it returns bytes
    soup for everything but the title), though the text layer is right; poppler reads it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def output_text(path: Path, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_text(path)
    if fmt == "docx":
        return docx_text(path)
    if fmt == "html":
        return " ".join(parse_html(path).text)
    if fmt == "md":
        return " ".join(rendered_text(path.read_text(encoding="utf-8")))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_foreign_files_build_to_every_format_with_their_content(built_foreign: Path, source: Path, fmt: str) -> None:
    text = normalise(output_text(built_foreign / f"{stem(source)}.{fmt}", fmt))
    if fmt == "pdf":  # the PDF's text layer may break a line inside a word pair; compare without spaces
        text = text.replace(" ", "")
    if fmt == "pdf" and not all(latin(item) for item in expected_content(source)):
        text = normalise(poppler_text(built_foreign / f"{stem(source)}.pdf")).replace(" ", "")
    for item in expected_content(source):
        wanted = normalise(item).replace(" ", "") if fmt == "pdf" else normalise(item)
        assert wanted in text, f"{item!r} missing from {source.name}.{fmt}"


def rendered_text(markdown: str) -> list[str]:
    """The text a CommonMark renderer shows: inline tokens' plain children."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    texts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            texts.extend(child.content for child in token.children or [] if child.type in ("text", "code_inline"))
        elif token.type in ("fence", "code_block"):
            texts.append(token.content)
    return texts


@pytest.mark.parametrize("name", [*[stem(s) for s in SOURCES], *[p.stem for p in PROFILES]])
def test_markdown_is_commonmark_with_one_heading_per_section(built_foreign: Path, name: str) -> None:
    markdown = (built_foreign / f"{name}.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(markdown)
    levels = [t.tag for t in tokens if t.type == "heading_open"]
    assert levels[0] == "h1" and levels.count("h1") == 1
    html_sections = parse_html(built_foreign / f"{name}.html").tags.count("section")
    assert levels.count("h2") == html_sections
    text = " ".join(rendered_text(markdown))
    assert "**" not in text and "](" not in text, "markup leaked into the rendered text"
    links = [
        t.attrGet("href") for tok in tokens if tok.type == "inline" for t in tok.children or [] if t.type == "link_open"
    ]
    html_links = parse_html(built_foreign / f"{name}.html").links
    assert set(links) == set(html_links)


def test_markdown_escapes_what_would_become_markup() -> None:
    hostile = "1. <b>x</b> *not em* [not](link) # no &amp; `tick` | pipe"
    rendered = MarkdownIt("commonmark").render(escape(hostile))
    assert "<b>" not in rendered and "<em>" not in rendered and "<a " not in rendered and "<ol" not in rendered
    assert "&amp;amp;" in rendered  # the literal "&amp;" survives as text


@pytest.mark.parametrize("name", [*[stem(s) for s in SOURCES], *[p.stem for p in PROFILES]])
def test_plain_text_wraps_at_80_columns_except_urls_and_diagrams(built_foreign: Path, name: str) -> None:
    lines = (built_foreign / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if display_width(line) > 80:
            assert line.startswith("    ") or re.search(r"\S{40,}", line), f"overlong line: {line!r}"


def test_text_wrap_counts_wide_characters_twice_and_breaks_between_them() -> None:
    text = "大規模な分散システムを設計し、障害復旧時間を半分にした" * 3
    lines = wrap(text, width=20, first="- ", rest="  ")
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(line[2:] for line in lines) == text
    assert wrap("a " * 5 + "https://example.com/" + "x" * 90, width=30)[-1].startswith("https://")


def test_unicode_reaches_every_text_output(built_foreign: Path) -> None:
    for fmt in ("docx", "html", "md", "txt"):
        text = output_text(built_foreign / f"resume.{fmt}", fmt)
        for item in (
            "Łukasz Żółkiewski-Ðorđević",
            "山田商事株式会社",
            "大規模な分散システムを設計し",
            "Ζήτα",
            "منصة بيانات",
        ):
            assert item in text, f"{item!r} missing from resume.{fmt}"
    pdf = poppler_text(built_foreign / "resume.pdf")
    for item in ("Łukasz Żółkiewski-Ðorđević", "Инженер-программист", "Kraków", "Ζήτα", "山田商事株式会社"):
        assert item in pdf


def test_dates_read_as_written(built_foreign: Path) -> None:
    text = (built_foreign / "resume.txt").read_text(encoding="utf-8")
    assert "Apr 2021 – Present" in text
    assert "2018 – Mar 2021" in text
    assert "Oct 2013 – 2018" in text
    assert "Jan 2020" in text  # a one-day project: start and end on the same date show once


def test_rendercv_sections_keep_their_kind_in_every_format(built_foreign: Path) -> None:
    """The RenderCV starter's publications, bullets and countdown: drawn as such, in every format."""
    name = stem(FIXTURES / "rendercv" / "starter.yaml")
    countdown = "4. Scaling Laws for Efficient Inference"
    for fmt in ("pdf", "docx", "html", "txt"):
        text = normalise(output_text(built_foreign / f"{name}.{fmt}", fmt))
        assert normalise(countdown) in text, fmt
        assert normalise("1. Efficient Deep Learning") in text, fmt
        assert "doi:10.1234/neurips.2023.1234" in text.replace(" ", ""), fmt  # a long DOI may wrap
    markdown = (built_foreign / f"{name}.md").read_text(encoding="utf-8")
    assert "4\\. Scaling Laws" in markdown and "\n\n3\\. Building AI" in markdown  # a countdown, not a list
    html = parse_html(built_foreign / f"{name}.html")
    assert html.tags.count("section") >= 9  # RenderCV's nine sections, none folded into another
