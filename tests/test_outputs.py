"""Every seed profile builds to PDF, DOCX and HTML, and each output holds its content in order."""

from __future__ import annotations

import re

import docx
import pytest
from pypdf import PdfReader

from tests.helpers.outputs import Built, assert_in_order, docx_text, expected_sequence, parse_html, pdf_text
from tests.helpers.project import PROFILES

SEEDS = [path.stem for path in PROFILES]


@pytest.fixture(params=SEEDS)
def seed(request: pytest.FixtureRequest, built_seeds: dict[str, Built]) -> Built:
    return built_seeds[request.param]


def test_html_holds_name_metrics_roles_and_projects_in_order(seed: Built) -> None:
    page = parse_html(seed.files["html"])
    assert_in_order(" ".join(page.text), expected_sequence(seed.profile))


def test_pdf_holds_name_metrics_roles_and_projects_in_order(seed: Built) -> None:
    assert_in_order(pdf_text(seed.files["pdf"]), expected_sequence(seed.profile))


def test_docx_holds_name_metrics_roles_and_projects_in_order(seed: Built) -> None:
    assert_in_order(docx_text(seed.files["docx"]), expected_sequence(seed.profile))


def test_every_bullet_principle_and_diagram_line_reaches_the_pdf(seed: Built) -> None:
    # Compared without whitespace: extraction adds spaces around padded code spans and at line ends.
    text = re.sub(r"\s+", "", pdf_text(seed.files["pdf"]))
    p = seed.profile
    expected = [b for role in p.experience for b in role.bullets]
    expected += [b for project in p.projects for b in project.bullets]
    expected += [o for project in p.projects for o in project.outcomes]
    expected += [principle.text for principle in p.principles]
    expected += [line.strip() for project in p.projects if project.diagram for line in project.diagram.splitlines()]
    for item in expected:
        plain = item.replace("`", "").replace("**", "")
        assert re.sub(r"\s+", "", plain) in text, f"missing from PDF: {plain[:80]!r}"


def test_pdf_metadata_links_and_selectable_text(seed: Built) -> None:
    reader = PdfReader(seed.files["pdf"])
    assert reader.metadata is not None
    assert reader.metadata.title and reader.metadata.title.startswith(seed.profile.person.name)
    assert reader.metadata.author == seed.profile.person.name
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    person = seed.profile.person
    if person.email:
        assert f"mailto:{person.email}" in uris
    for link in person.links:
        assert link.url in uris


def test_html_is_standalone(seed: Built) -> None:
    page = parse_html(seed.files["html"])
    assert [url for url in page.loads if not url.startswith("data:image/")] == []  # the favicon is inline
    source = seed.files["html"].read_text(encoding="utf-8")
    assert "@font-face" in source and "data:font/woff2;base64," in source
    assert "http://" not in source.split("<body")[0].replace("http://www.w3.org", "")
    assert source.count("<script") == source.count('<script type="application/ld+json">') == 1  # data, never run


def test_docx_uses_real_word_structure(seed: Built) -> None:
    document = docx.Document(str(seed.files["docx"]))
    styles = {paragraph.style.name for paragraph in document.paragraphs if paragraph.style is not None}
    assert {"Title", "Heading 1", "Heading 2"} <= styles
    if any(role.bullets for role in seed.profile.experience) or any(p.bullets for p in seed.profile.projects):
        assert "List Bullet" in styles
    body = document.element.body.xml
    assert "txbxContent" not in body and "<w:tbl>" not in body.replace(" ", "")
    for section in document.sections:
        assert all(not paragraph.text.strip() for paragraph in section.header.paragraphs)
    person = seed.profile.person
    if person.email or person.links:
        assert "<w:hyperlink" in body
    assert document.core_properties.author == person.name
    assert document.core_properties.title.startswith(person.name)


def test_metrics_projects_and_experience_are_distinct_elements(seed: Built) -> None:
    source = seed.files["html"].read_text(encoding="utf-8")
    p = seed.profile
    assert source.count('class="metric"') == len(p.metrics)
    assert source.count('class="project"') == len(p.projects)
    assert source.count('class="org') >= (1 if p.experience else 0)
