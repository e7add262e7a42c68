"""Sub-points under a bullet (RenderCV's nested highlights) are a second-level list in every format:
nested <ul> in HTML and indented in the PDF, Word's List Bullet 2, an indented Markdown list, an
indented text line. A second list of schools (a custom section of kind education) is drawn too."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.etree
import lxml.html
import pytest
from markdown_it import MarkdownIt
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextLine

from cvforge.builder.run import build
from tests.helpers.outputs import normalise, pdf_text
from tests.helpers.project import FIXTURES, THEMES

SOURCE = FIXTURES / "rendercv" / "ours" / "nested-and-second-education.yaml"
NAME = SOURCE.stem
HEAD = "Led the depth-estimation rewrite"
SUBS = ["40% lower latency on the Jetson fleet", "2 papers at ICRA"]
# every bullet with sub-points in the file: its own line, then its sub-points
NESTED = {
    HEAD: SUBS,
    "Published at": ["ICRA 2020", "IROS 2020"],
    "Thesis on stereo matching": ["supervised by Prof. A. Bello"],
    "Three backends": ["CUDA", "Metal", "CPU"],
    "Poster on low-light depth": ["best poster award"],
    "Taught": ["Python basics", "Arduino"],
}


@pytest.fixture(scope="session")
def built_sub_points(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file once in every format (classic), and as HTML in every other theme."""
    out = tmp_path_factory.mktemp("sub-points")
    result = build([SOURCE], out_dir=out / "classic", formats=("pdf", "docx", "html", "md", "txt"))
    assert result.ok, result.failures
    for theme in THEMES[1:]:
        result = build([SOURCE], out_dir=out / theme, theme_name=theme, formats=("html",))
        assert result.ok, result.failures
    return out


@pytest.mark.parametrize("theme", THEMES)
def test_html_nests_the_sub_points_in_their_bullet_in_every_theme(built_sub_points: Path, theme: str) -> None:
    page = lxml.html.parse(str(built_sub_points / theme / f"{NAME}.html")).getroot()
    lxml.etree.strip_tags(page, "wbr")  # libxml2's HTML parser nests what follows a <wbr> inside it
    for head, subs in NESTED.items():
        (item,) = [li for li in page.iter("li") if _own_text(li) == head]
        nested = item.findall("ul")
        assert len(nested) == 1 and nested[0].get("class") == "sub-bullets", head
        assert [li.text_content().strip() for li in nested[0].findall("li")] == subs, head
    assert "Mentored four engineers" in [li.text_content().strip() for li in page.iter("li")]
    # the second Education section, titled as in the file, with its schools drawn as schools
    assert "Training" in [h.text_content().strip() for h in page.iter("h2")]
    text = normalise(page.text_content())
    assert "Summer School · Machine Learning, Deep Learning Indaba" in text


def test_docx_writes_sub_points_as_second_level_bullets(built_sub_points: Path) -> None:
    paragraphs = docx.Document(str(built_sub_points / "classic" / f"{NAME}.docx")).paragraphs
    styled = [(p.style.name if p.style is not None else "", p.text) for p in paragraphs]
    for head, subs in NESTED.items():
        at = styled.index(("List Bullet", head))
        assert styled[at + 1 : at + 1 + len(subs)] == [("List Bullet 2", sub) for sub in subs], head
    assert ("List Bullet", "Mentored four engineers") in styled
    assert sum(style == "List Bullet 2" for style, _ in styled) == sum(len(s) for s in NESTED.values())


def test_markdown_is_a_nested_commonmark_list(built_sub_points: Path) -> None:
    markdown = (built_sub_points / "classic" / f"{NAME}.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(markdown)
    nested_items = [t for t in tokens if t.type == "inline" and t.level == 5]  # ul > li > p > ul > li > p
    assert [t.content for t in nested_items] == [sub for subs in NESTED.values() for sub in subs]
    assert f"- {HEAD}\n  - {SUBS[0]}\n  - {SUBS[1]}\n- Mentored four engineers" in markdown


def test_plain_text_indents_the_sub_points_under_their_bullet(built_sub_points: Path) -> None:
    lines = (built_sub_points / "classic" / f"{NAME}.txt").read_text(encoding="utf-8").splitlines()
    (at,) = [i for i, line in enumerate(lines) if line.strip() == f"- {HEAD}"]
    indent = len(lines[at]) - len(lines[at].lstrip())
    assert lines[at + 1 : at + 3] == [f"{' ' * (indent + 2)}- {sub}" for sub in SUBS]


def test_pdf_draws_sub_points_on_their_own_lines_indented(built_sub_points: Path) -> None:
    pdf = built_sub_points / "classic" / f"{NAME}.pdf"
    text = normalise(pdf_text(pdf))
    for head, subs in NESTED.items():
        found = text.find(normalise(head))
        assert found >= 0, head
        for sub in subs:
            found = text.find(normalise(sub), found)
            assert found >= 0, sub
    lefts = {}
    for page in extract_pages(pdf):
        for line in _lines(page):
            lefts.setdefault(line.get_text().strip().lstrip("•◦○").strip(), line.x0)
    assert lefts[SUBS[0]] > lefts[HEAD] + 5  # a level in, not glued on or flush with its bullet
    assert abs(lefts[SUBS[0]] - lefts[SUBS[1]]) < 1


def _own_text(item: lxml.html.HtmlElement) -> str:
    """A list item's text without the list nested in it."""
    return normalise("".join(item.xpath("./text() | ./*[not(self::ul)]//text()")))


def _lines(layout: object) -> list[LTTextLine]:
    if isinstance(layout, LTTextLine):
        return [layout]
    return [line for child in getattr(layout, "_objs", []) for line in _lines(child)]
