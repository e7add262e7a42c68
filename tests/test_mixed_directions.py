"""An Arabic role inside an English resume keeps the page's geometry, and reads right to left inside
it: in every theme, its bullets sit in the same margin as the English ones and its dates where the
other roles' dates are (PDF word boxes), its text is isolated in `<bdi dir="rtl">` rather than the
boxes carrying `dir` (HTML), and the DOCX gives its runs w:rtl but no paragraph w:bidi, so its
bullet and its dates' tab stay on the page's side. Built once per session."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from cvforge.builder.run import build
from tests.helpers.inert import local_name, parse
from tests.helpers.project import THEMES
from tests.helpers.textlayer import pdfjs_missing, pdfjs_text, pdftotext_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROLE, ORGANISATION = "مهندسة برمجيات", "شركة المثال للمدفوعات"
# An education entry (a heading and a line of dates) and a certificate (one line), long enough to wrap
# in the sidebar's narrow column, where WeasyPrint once cut a word of them in two ("الجام|عة").
DEGREE, AREA, INSTITUTION = (
    "بكالوريوس العلوم",
    "هندسة البرمجيات والحوسبة السحابية",
    "الجامعة الأردنية للعلوم والتكنولوجيا",
)
CERTIFICATE, ISSUER = "شهادة أمن المعلومات المتقدمة", "هيئة الاتصالات"
BULLETS = ("بنت خط معالجة التسويات الذي يعالج مليوني معاملة يومياً.", "خفّضت زمن الإصلاح من 45 → 15 دقيقة.")
PROFILE = {
    "person": {"name": "Layla Haddad", "headline": "Senior Backend Engineer", "email": "layla@example.com"},
    "locale": "en",
    "experience": [
        {"title": "Senior Software Engineer", "organisation": "Example Payments", "location": "London",
         "start": "2022-03", "end": "present", "bullets": ["Led the payments service's move to events.",
                                                           "Mentored four engineers."]},
        {"title": ROLE, "organisation": ORGANISATION, "location": "دبي", "start": "2019-04", "end": "2022-02",
         "bullets": list(BULLETS)},
        {"title": "Software Developer", "organisation": "Northern Stores", "location": "Amman",
         "start": "2016-09", "end": "2019-03", "bullets": ["Built the stock service used by 120 shops."]},
    ],
    "education": [
        {"degree": "MSc", "area": "Computer Science", "institution": "University of Edinburgh", "start": "2017",
         "end": "2018"},
        {"degree": DEGREE, "area": AREA, "institution": INSTITUTION, "start": "2012", "end": "2016"},
    ],
    "certifications": [
        {"name": "AWS Certified Solutions Architect", "issuer": "Amazon Web Services", "date": "2021-06"},
        {"name": CERTIFICATE, "issuer": ISSUER, "date": "2019-05"},
    ],
}  # fmt: skip
# The reverse: English entries in an Arabic resume, beside Arabic ones.
ARABIC_PAGE = {
    "person": {"name": "ليلى حداد", "headline": "مهندسة برمجيات", "email": "layla@example.com"},
    "locale": "ar",
    "experience": [{"title": ROLE, "organisation": ORGANISATION, "start": "2019-04", "end": "2022-02",
                    "bullets": [BULLETS[0]]}],
    "education": [
        {"degree": DEGREE, "area": AREA, "institution": INSTITUTION, "start": "2012", "end": "2016"},
        {"degree": "MSc", "area": "Computer Science", "institution": "University of Edinburgh", "start": "2017",
         "end": "2018"},
    ],
    "certifications": [
        {"name": CERTIFICATE, "issuer": ISSUER, "date": "2019-05"},
        {"name": "AWS Certified Solutions Architect", "issuer": "Amazon Web Services", "date": "2021-06"},
    ],
}  # fmt: skip


@dataclass(frozen=True)
class Built:
    out: dict[str, Path]  # theme → folder (mixed.* is the English page, arabic.* the Arabic one)


@pytest.fixture(scope="session")
def mixed_directions(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("mixed-directions")
    sources = [folder / "mixed.yaml", folder / "arabic.yaml"]
    for source, data in zip(sources, (PROFILE, ARABIC_PAGE), strict=True):
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out: dict[str, Path] = {}
    for theme in THEMES:
        out[theme] = tmp_path_factory.mktemp(f"mixed-directions-{theme}")
        result = build(sources, theme_name=theme, formats=("pdf", "docx", "html"), out_dir=out[theme])
        assert not result.failures, result.failures
    return Built(out)


def _words(pdf: Path) -> list[tuple[float, float, str]]:
    """(x, y, word) of page 1's words, as pdftotext's word boxes place them."""
    boxes = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)
    return [(float(x), float(y), word) for x, y, word in found]


@pytest.mark.parametrize("theme", THEMES)
def test_the_bullets_stay_in_the_pages_margin(mixed_directions: Built, theme: str) -> None:
    words = _words(mixed_directions.out[theme] / "mixed.pdf")
    markers = sorted({round(x) for x, _, word in words if word == "•"})
    assert len([w for w in words if w[2] == "•"]) == 5, "five bullets, each with its marker"
    assert markers[-1] - markers[0] <= 1, f"{theme}: bullet markers at x = {markers}"


@pytest.mark.parametrize("theme", THEMES)
def test_the_dates_stay_where_the_other_roles_put_them(mixed_directions: Built, theme: str) -> None:
    words = _words(mixed_directions.out[theme] / "mixed.pdf")
    starts = {word: x for x, _, word in words if word in ("Mar", "Apr", "Sep")}
    assert set(starts) == {"Mar", "Apr", "Sep"}, (theme, starts)
    if abs(starts["Mar"] - starts["Sep"]) < 1:  # the English roles' dates share a column: so does the Arabic's
        assert abs(starts["Apr"] - starts["Mar"]) < 1, (theme, starts)
    else:  # the dates follow the title on its line: the English and Arabic lines both start at the margin
        assert starts["Apr"] > 0


@pytest.mark.parametrize("theme", THEMES)
def test_the_pdf_reads_the_arabic_role_as_written(mixed_directions: Built, theme: str) -> None:
    text = pdftotext_text(mixed_directions.out[theme] / "mixed.pdf")
    # The bullet's last word is left out (open, issue 27 point 2): its tanween (ً) is drawn raised, so
    # the alef's glyph reads "اً"; pdftotext joins the mark to the full stop drawn beside it and moves
    # both to the line's start, and pdf.js takes a glyph whose text holds a mark for one of no width
    # and reads "يومي اً" (on Arabic pages too, wherever a word ends in a raised tanween).
    for expected in (ROLE, ORGANISATION, BULLETS[0].rsplit(" ", 1)[0]):
        assert expected in text, (theme, expected)


@pytest.mark.parametrize("theme", THEMES)
def test_the_html_isolates_the_text_not_the_boxes(mixed_directions: Built, theme: str) -> None:
    root = parse((mixed_directions.out[theme] / "mixed.html").read_text("utf-8"))
    with_dir = [e for e in root.iter() if e.get("dir") and local_name(e) not in ("html", "bdi")]
    assert not with_dir, f"{theme}: {[(local_name(e), e.get('dir')) for e in with_dir]}"
    isolated = [" ".join("".join(e.itertext()).split()) for e in root.iter() if local_name(e) == "bdi"]
    assert any(ROLE in text and ORGANISATION in text for text in isolated), theme
    for bullet in BULLETS:
        item = next(e for e in root.iter() if local_name(e) == "li" and "".join(e.itertext()).strip() == bullet)
        assert item.get("dir") is None
        children = [c for c in item if local_name(c) == "bdi"]
        assert [c.get("dir") for c in children] == ["rtl"], (theme, bullet)


def test_the_docx_keeps_its_bullets_and_date_tab_on_the_pages_side(mixed_directions: Built) -> None:
    """The DOCX does not depend on the theme's templates: classic's stands for all."""
    with zipfile.ZipFile(mixed_directions.out["classic"] / "mixed.docx") as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    assert root.find(f".//{W}pPr/{W}bidi") is None and root.find(f".//{W}sectPr/{W}bidi") is None

    def text(paragraph: ElementTree.Element) -> str:
        return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))

    paragraphs = list(root.iter(f"{W}p"))
    heading = next(p for p in paragraphs if ROLE in text(p))
    english = next(p for p in paragraphs if text(p).startswith("Software Developer"))
    # The same paragraph properties as an English role's heading: its style's dates tab, no w:bidi.
    assert ElementTree.tostring(heading.find(f"{W}pPr")) == ElementTree.tostring(english.find(f"{W}pPr"))
    assert text(heading) == f"\u202b{ROLE}، {ORGANISATION}\u202c\u200eApr\u00a02019\u00a0–\u00a0Feb\u00a02022"
    arabic_runs = [r for p in paragraphs for r in p.iter(f"{W}r") if ROLE in text(r) or BULLETS[0][:8] in text(r)]
    assert arabic_runs and all(r.find(f"{W}rPr/{W}rtl") is not None for r in arabic_runs)
    bullets = [text(p) for p in paragraphs if any(b[:8] in text(p) for b in BULLETS)]
    figure = BULLETS[1].replace("45 → 15", "\u202a45 → 15\u202c")  # the change embedded left to right
    assert bullets == [f"\u202b{BULLETS[0]}\u202c\u200e", f"\u202b{figure}\u202c\u200e"]


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    word: str

    def reads(self, word: str) -> bool:
        """pdftotext's word boxes give a right-to-left word in drawn order: either way round."""
        return word in (self.word, self.word[::-1])


def _boxes(pdf: Path) -> list[Box]:
    """Page 1's word boxes."""
    out = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', out)
    return [Box(float(x0), float(y0), float(x1), word.strip("،,·")) for x0, y0, x1, word in found]


def _line_of(boxes: list[Box], word: str) -> tuple[Box, list[Box]]:
    """The first box reading `word`, and the boxes of its line in its column (no wider gap than 20 pt
    between neighbours: the sidebar's other column stands on the same baselines)."""
    box = next((b for b in boxes if b.reads(word)), None)
    assert box is not None, f"{word!r} not on page 1 whole: {[b.word for b in boxes]}"
    return box, _same_line(boxes, box)


def _same_line(boxes: list[Box], box: Box) -> list[Box]:
    row = sorted((b for b in boxes if abs(b.y0 - box.y0) < 5), key=lambda b: b.x0)  # Arabic boxes sit 3.5 pt higher
    at = row.index(box)
    start = end = at
    while start > 0 and row[start].x0 - row[start - 1].x1 < 20:
        start -= 1
    while end + 1 < len(row) and row[end + 1].x0 - row[end].x1 < 20:
        end += 1
    return row[start : end + 1]


ENTRIES = {  # page → [(an entry of the page's own direction, the entry written the other way, its dates' first word)]
    "mixed": [("MSc", DEGREE.split()[0], "2012"), ("AWS", CERTIFICATE.split()[0], "May")],
    "arabic": [(DEGREE.split()[0], "MSc", "2017"), (CERTIFICATE.split()[0], "AWS", "2021")],
}


@pytest.mark.parametrize("page", ["mixed", "arabic"])
@pytest.mark.parametrize("theme", THEMES)
def test_an_entry_written_the_other_way_starts_where_the_pages_entries_do(
    mixed_directions: Built, theme: str, page: str
) -> None:
    """Its title's line starts at the column's start (left on an English page, right on an Arabic
    one), as the entry beside it in the page's own direction does: the line is not mirrored."""
    boxes = _boxes(mixed_directions.out[theme] / f"{page}.pdf")
    for own, other, _ in ENTRIES[page]:
        _, own_line = _line_of(boxes, own)
        _, other_line = _line_of(boxes, other)
        if page == "mixed":
            assert abs(min(b.x0 for b in other_line) - min(b.x0 for b in own_line)) < 1, (theme, other)
        else:
            assert abs(max(b.x1 for b in other_line) - max(b.x1 for b in own_line)) < 1, (theme, other)


@pytest.mark.parametrize("page", ["mixed", "arabic"])
@pytest.mark.parametrize("theme", THEMES)
def test_an_entry_written_the_other_way_has_its_dates_after_it(mixed_directions: Built, theme: str, page: str) -> None:
    """Its dates come after its text in the page's direction: to the right of every word of the entry
    on their line on an English page (a line with dir="rtl" drew them at its left), to the left on an
    Arabic one; or they open a line of their own, at the column's start."""
    boxes = _boxes(mixed_directions.out[theme] / f"{page}.pdf")
    for own, other, first_date in ENTRIES[page]:
        title, _ = _line_of(boxes, other)
        dates = next(b for b in boxes if b.word == first_date and b.y0 >= title.y0 - 1)
        _, line = _line_of(boxes, own)
        start = min(b.x0 for b in line) if page == "mixed" else max(b.x1 for b in line)
        entry = [b for b in _same_line(boxes, dates) if b is not dates and not b.word.isdigit()]
        entry = [b for b in entry if b.word and b.word not in ("–", "May", "Jun")]
        if page == "mixed":
            assert all(b.x1 <= dates.x0 + 1 for b in entry), (theme, first_date, [(b.word, b.x0) for b in entry])
            assert not entry or dates.x0 > start, theme
        else:
            assert all(b.x0 >= dates.x1 - 1 for b in entry), (theme, first_date, [(b.word, b.x1) for b in entry])
        assert entry or abs((dates.x0 if page == "mixed" else dates.x1) - start) < 25, (theme, first_date)


@pytest.mark.parametrize("page", ["mixed", "arabic"])
@pytest.mark.parametrize("theme", THEMES)
def test_no_word_of_an_entry_is_cut(mixed_directions: Built, theme: str, page: str) -> None:
    """Every Arabic word of the entries reads whole from the text layer (the sidebar's narrow column
    wraps them), by pdftotext and pdf.js."""
    pdf = mixed_directions.out[theme] / f"{page}.pdf"
    words = " ".join((DEGREE, AREA, INSTITUTION, CERTIFICATE, ISSUER)).split()
    texts = {"pdftotext": pdftotext_text(pdf)}
    if not pdfjs_missing():
        texts["pdf.js"] = pdfjs_text(pdf)
    for name, text in texts.items():
        found = set(re.findall(r"[\u0621-\u064a\u0671-\u06d3]+", text))
        assert not [w for w in words if w not in found], (theme, name, sorted(found))
