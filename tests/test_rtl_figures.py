"""A figure reads left to right on a right-to-left page: "45 → 15", its arrow forward, in Arabic,
Hebrew and Persian resumes, in every theme: drawn so in the PDF (45 left of the arrow, 15 right of
it) and read back so by pdf.js, pdftotext and pdfminer; isolated in `<bdi dir="ltr">` in the HTML;
embedded left to right inside the right-to-left run in the DOCX. Built once per session."""

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
from cvforge.logs import collect_warnings
from tests.helpers.inert import local_name, parse
from tests.helpers.project import THEMES
from tests.helpers.textlayer import pdfjs_missing, pdfjs_texts, pdfminer_text, pdftotext_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# tag → (name, role, the change's unit, its label): written out here, as a resume in the language would.
WORDS = {
    "ar": ("ليلى حداد", "مهندسة برمجيات أولى", "دقيقة", "متوسط زمن الإصلاح"),
    "he": ("נועה כהן", "מהנדסת תוכנה בכירה", "דקות", "זמן תיקון ממוצע"),
    "fa": ("مریم احمدی", "مهندس ارشد نرم‌افزار", "دقیقه", "میانگین زمان رفع خطا"),
}
LTR_EMBEDDING, POP = "\u202a", "\u202c"


def profile(tag: str) -> dict[str, object]:
    name, role, unit, label = WORDS[tag]
    return {
        "person": {"name": name, "headline": role, "email": "someone@example.com"},
        "locale": tag,
        "metrics": [
            {"before": "45", "after": "15", "unit": unit, "label": label},
            {"value": "670K+", "label": label},
        ],
        "experience": [
            {"title": role, "organisation": "Example Ltd", "start": "2021-09", "end": "present",
             "bullets": [f"{label}: 45 → 15 {unit}"]},
        ],
    }  # fmt: skip


@dataclass(frozen=True)
class Built:
    out: dict[str, Path]  # theme → folder
    warnings: tuple[str, ...]
    pdfjs: dict[Path, str]


@pytest.fixture(scope="session")
def rtl_figures(tmp_path_factory: pytest.TempPathFactory) -> Built:
    sources = tmp_path_factory.mktemp("rtl-figures-profiles")
    paths = []
    for tag in WORDS:
        path = sources / f"{tag}.yaml"
        path.write_text(yaml.safe_dump(profile(tag), allow_unicode=True), encoding="utf-8")
        paths.append(path)
    out: dict[str, Path] = {}
    with collect_warnings() as logged:
        for theme in THEMES:
            out[theme] = tmp_path_factory.mktemp(f"rtl-figures-{theme}")
            result = build(paths, theme_name=theme, formats=("pdf", "docx", "html"), out_dir=out[theme])
            assert not result.failures, result.failures
    pdfs = [out[theme] / f"{tag}.pdf" for theme in THEMES for tag in WORDS]
    return Built(out, tuple(r.getMessage() for r in logged), {} if pdfjs_missing() else pdfjs_texts(pdfs))


CASES = [(theme, tag) for theme in THEMES for tag in WORDS]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("theme", "tag"), CASES)
def test_the_pdf_draws_the_change_left_to_right(rtl_figures: Built, theme: str, tag: str) -> None:
    """Every line holding the arrow, as pdftotext's word boxes place it: 45, then →, then 15."""
    pdf = rtl_figures.out[theme] / f"{tag}.pdf"
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(x), float(y), word) for x, y, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)]  # fmt: skip
    arrows = [(x, y) for x, y, word in words if word == "→"]
    assert len(arrows) >= 2, f"the metric and the bullet each draw an arrow: {arrows}"
    for arrow_x, arrow_y in arrows:
        line = {word: x for x, y, word in words if abs(y - arrow_y) < 6 and word in ("45", "15")}
        assert line.get("45", arrow_x) < arrow_x < line.get("15", arrow_x + 1), (theme, tag, line, arrow_x)
        assert set(line) == {"45", "15"}, (theme, tag, line)


@pytest.mark.parametrize(("theme", "tag"), CASES)
def test_every_extractor_reads_the_change_forward(rtl_figures: Built, theme: str, tag: str) -> None:
    pdf = rtl_figures.out[theme] / f"{tag}.pdf"
    texts = {"pdftotext": pdftotext_text(pdf), "pdfminer": pdfminer_text(pdf)}
    if rtl_figures.pdfjs:
        texts["pdf.js"] = rtl_figures.pdfjs[pdf]
    for extractor, text in texts.items():
        flat = _flat(text.replace(LTR_EMBEDDING, "").replace(POP, "").replace("\u202b", ""))
        assert flat.count("45→15") >= 2, (theme, tag, extractor, "the metric and the bullet")
        assert "15→45" not in flat, (theme, tag, extractor)


@pytest.mark.parametrize(("theme", "tag"), CASES)
def test_the_html_isolates_the_figure_left_to_right(rtl_figures: Built, theme: str, tag: str) -> None:
    root = parse((rtl_figures.out[theme] / f"{tag}.html").read_text("utf-8"))
    html = next(e for e in root.iter() if local_name(e) == "html")
    assert html.get("dir") == "rtl"
    figures = [e for e in root.iter() if local_name(e) == "bdi" and "metric-value" in (e.get("class") or "")]
    texts = {" ".join("".join(e.itertext()).split()): e.get("dir") for e in figures}
    assert texts == {"45 → 15": "ltr", "670K+": "ltr"}, (theme, tag, texts)
    for figure in figures:  # the unit stays outside, read right to left after the figure
        assert WORDS[tag][2] not in "".join(figure.itertext())


@pytest.mark.parametrize("tag", WORDS)
def test_the_docx_embeds_the_change_left_to_right(rtl_figures: Built, tag: str) -> None:
    """The DOCX does not depend on the theme's templates: classic's stands for all."""
    with zipfile.ZipFile(rtl_figures.out["classic"] / f"{tag}.docx") as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    runs = [(run, "".join(t.text or "" for t in run.iter(f"{W}t"))) for run in root.iter(f"{W}r")]
    changes = [(run, text) for run, text in runs if "→" in text]
    assert len(changes) >= 2, "the metric and the bullet"
    for run, text in changes:
        right_to_left = run.find(f"{W}rPr/{W}rtl") is not None
        if right_to_left:  # "45 → 15 دقيقة": the change embedded left to right inside the run
            assert f"{LTR_EMBEDDING}45 → 15{POP}" in text, (tag, text)
        else:  # the figure alone: a left-to-right run
            assert text.strip(LTR_EMBEDDING + POP + " ") == "45 → 15", (tag, text)
    assert not [w for w in rtl_figures.warnings if "font" in w], rtl_figures.warnings
