"""The DOCX as a person sees it: flow, dates, metrics, fonts and each theme's look, read from the
Word XML and from LibreOffice's layout of it, page for page against the PDF built in the same run."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import docx2txt
import pdfplumber
import pytest
from docx.document import Document as WordDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from cvforge.document.view import format_range
from cvforge.readback.verify import check_file, verify
from cvforge.renderers.docx.paragraphs import CHARS_PER_LINE, KEEP_LINES
from cvforge.renderers.docx.styles import USED_STYLES, Look
from cvforge.renderers.themes import available_themes, load_theme
from cvforge.schema import Profile
from tests.helpers.outputs import Built, ProjectBuild, assert_in_order, expected_sequence
from tests.helpers.project import PROFILES

SEEDS = [path.stem for path in PROFILES]
THEMES = list(available_themes())
NBSP = "\u00a0"
SOFFICE = ("soffice", "--headless", "--norestore", "--convert-to", "pdf")
HEADS = ("Title", "Headline", "Heading 1", "Heading 2", "Heading 3", "Entry Meta", "Section Intro")
# Fonts a theme's Word styles may name: on every Windows and macOS, each with the font LibreOffice
# sets it in, which has the same advance widths, so a page breaks at the same word everywhere.
WORD_FONTS = {"Arial": "Liberation Sans", "Courier New": "Liberation Mono", "Times New Roman": "Liberation Serif"}
DATES_ONLY = re.compile(r"[\s\d–-]*(present)?[\s\d–-]*")
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def open_docx(path: Path) -> WordDocument:
    return docx.Document(str(path))


def style_chain(paragraph: Paragraph) -> Iterator[Any]:
    """The paragraph's own format, then its style's, then the styles it is based on."""
    yield paragraph.paragraph_format
    style = paragraph.style
    while style is not None:
        yield style.paragraph_format
        style = style.base_style


def effective(paragraph: Paragraph, attribute: str) -> bool:
    """A keep/widow setting as Word resolves it: the nearest level that says anything."""
    for fmt in style_chain(paragraph):
        value = getattr(fmt, attribute)
        if value is not None:
            return bool(value)
    return False


def name(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


# --- the Word XML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_heads_keep_with_what_follows_and_short_entries_stay_whole(
    built_by_theme: dict[tuple[str, str], Built], theme: str, seed: str
) -> None:
    word = open_docx(built_by_theme[(theme, seed)].files["docx"])
    assert word.styles["Normal"].paragraph_format.widow_control is True
    body = word.paragraphs
    for paragraph, following in itertools.pairwise(body):
        if name(paragraph) in HEADS:
            assert effective(paragraph, "keep_together")
            # an entry that is only its title line ("AWS Certified") ends there: it holds nothing after it
            ends_entry = name(paragraph) in ("Heading 2", "Heading 3") and name(following) in ("Heading 1", "Heading 2")
            if ends_entry:
                assert not effective(paragraph, "keep_with_next"), f"{paragraph.text!r} drags the next entry along"
            else:
                assert effective(paragraph, "keep_with_next"), f"{name(paragraph)} {paragraph.text!r} kept with nothing"
    # An entry that fits on a page is one chain: each of its paragraphs keeps with the next.
    entries = [i for i, p in enumerate(body) if name(p) in ("Heading 2", "Heading 3")]
    chained = 0
    for start in entries:
        end = next((i for i in range(start + 1, len(body)) if name(body[i]).startswith("Heading")), len(body))
        block = body[start:end]
        if sum(1 + len(p.text) // CHARS_PER_LINE for p in block) <= KEEP_LINES:
            assert all(effective(p, "keep_with_next") for p in block[:-1]), block[0].text
            assert all(effective(p, "keep_together") for p in block)
            chained += 1
    assert chained, "no short entry to check"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_dates_sit_on_the_title_line_at_a_right_tab_stop(
    built_by_theme: dict[tuple[str, str], Built], theme: str, seed: str
) -> None:
    built = built_by_theme[(theme, seed)]
    word = open_docx(built.files["docx"])
    look = Look.from_theme(load_theme(theme))
    section = word.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    assert abs(section.left_margin - Cm(look.margin_cm)) <= Twips(1)
    for level in ("Heading 2", "Heading 3"):
        stops = word.styles[level].paragraph_format.tab_stops
        assert [s.alignment for s in stops] == [WD_TAB_ALIGNMENT.RIGHT]
        assert abs(stops[0].position - width) <= Twips(1)  # Word stores twips
    lines = [p.text for p in word.paragraphs if name(p) in ("Heading 2", "Heading 3")]
    for role in built.profile.experience:
        dates = format_range(role)
        if role.title and dates:
            wanted = "\t" + dates.replace(" ", NBSP)
            assert any(line.startswith(role.title) and line.endswith(wanted) for line in lines), (role.title, lines)
    assert not any(" " in line.partition("\t")[2] for line in lines), "a breakable space in a date range"


def test_each_theme_names_fonts_word_has_and_draws_its_own_rules() -> None:
    modern, portfolio, classic = (Look.from_theme(load_theme(name)) for name in ("modern", "portfolio", "classic"))
    for look in (modern, portfolio, classic):
        assert look.body_font in WORD_FONTS and look.mono_font in WORD_FONTS
    assert (classic.heading_rule_side, modern.heading_rule_side, portfolio.heading_rule_side) == (
        "bottom",
        "left",
        "top",
    )
    assert modern.name_band and modern.band_foot and not classic.name_band and not portfolio.name_band


@pytest.mark.parametrize("theme", THEMES)
def test_the_theme_s_look_is_shading_borders_and_styles(
    built_by_theme: dict[tuple[str, str], Built], theme: str
) -> None:
    look = Look.from_theme(load_theme(theme))
    word = open_docx(built_by_theme[(theme, "sai-sushanth-thakkalapally")].files["docx"])
    heading1 = word.styles["Heading 1"]
    assert isinstance(heading1, ParagraphStyle)
    sides = heading1.element.xpath("w:pPr/w:pBdr/*")
    assert [(s.tag.rsplit("}", 1)[1], s.get(s.tag.split("}")[0] + "}color")) for s in sides] == [
        (look.heading_rule_side, look.rule_color)
    ]
    used = [f'w:style[@w:styleId="{style.replace(" ", "")}"]' for style in USED_STYLES]
    fonts = set(word.styles.element.xpath(f"({' | '.join(used)} | w:docDefaults)//w:rFonts/@w:ascii"))
    assert fonts <= set(WORD_FONTS), fonts
    title = word.paragraphs[0]
    fills = title._p.xpath("w:pPr/w:shd/@w:fill")
    assert fills == ([look.name_band] if look.name_band else [])
    if look.name_band:  # the band reaches the paper's edges: border width + its distance = the margin
        left = title._p.xpath("w:pPr/w:pBdr/w:left")[0]
        reach = int(left.get(left.tag.split("}")[0] + "}sz")) / 8 + int(left.get(left.tag.split("}")[0] + "}space"))
        assert abs(reach - Cm(look.margin_cm).pt) < 1.5
        contacts = next(p for p in word.paragraphs if "@" in p.text)
        assert contacts._p.xpath("w:pPr/w:shd/@w:fill") == [look.band_foot]
    metric = next(p for p in word.paragraphs if name(p) == "Metric")
    assert word.styles["Metric"].element.xpath("w:pPr/w:pBdr/w:left/@w:color") == [look.accent]
    assert metric.paragraph_format.first_line_indent == -metric.paragraph_format.left_indent


# --- read back as parsers do ----------------------------------------------------------------------


def themed_sequence(profile: Profile, theme: str) -> list[str]:
    """Name, then metric figures, role titles and project names in the order the theme's `sections` puts them."""
    sequence = expected_sequence(profile)
    metrics, roles = len(profile.metrics), len(profile.experience)
    chunks = {
        "metrics": sequence[1 : 1 + metrics],
        "experience": sequence[1 + metrics : 1 + metrics + roles],
        "projects": sequence[1 + metrics + roles :],
    }
    order = [key for key in str(load_theme(theme).options["sections"]).split(",") if key in chunks]
    return [sequence[0], *(item for key in order for item in chunks[key])]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_python_docx_and_docx2txt_read_every_field_in_order(
    built_by_theme: dict[tuple[str, str], Built], theme: str, seed: str
) -> None:
    built = built_by_theme[(theme, seed)]
    path = built.files["docx"]
    profile = built.profile
    readers = {
        "python-docx": "\n".join(p.text for p in open_docx(path).paragraphs),
        "docx2txt": docx2txt.process(str(path)),
    }
    for reader, text in readers.items():
        report = verify(profile, text, f"{theme}/{seed}.docx via {reader}")
        assert report.ok, report.summary()
        assert_in_order(text, themed_sequence(profile, theme))
        for role in profile.experience:  # each role's title line reads title, then its dates
            dates = format_range(role)
            if role.title and dates:
                assert_in_order(text, [role.title, dates])
    report = check_file(path, profile)
    assert report.ok, report.summary()


# --- LibreOffice's layout -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def laid_out(
    built_by_theme: dict[tuple[str, str], Built], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    """Every seed × theme DOCX as LibreOffice lays it out, converted to PDF in one soffice run."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for (theme, seed), built in built_by_theme.items():
        sources.append(tmp / f"{theme}--{seed}.docx")
        shutil.copyfile(built.files["docx"], sources[-1])
    completed = subprocess.run(
        [
            *SOFFICE,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--outdir",
            str(tmp / "pdf"),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "error" not in completed.stderr.lower(), completed.stderr
    pdfs = {key: tmp / "pdf" / f"{key[0]}--{key[1]}.pdf" for key in built_by_theme}
    assert all(pdf.is_file() for pdf in pdfs.values()), completed.stdout
    return pdfs


@needs_libreoffice
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_the_docx_is_as_long_as_the_pdf(
    built_by_theme: dict[tuple[str, str], Built], laid_out: dict[tuple[str, str], Path], theme: str, seed: str
) -> None:
    """Exactly the PDF's page count, compared with the PDF of this same run, never a number written
    down: the PDF may change. Word paginates itself, so the DOCX follows the density the PDF kept
    (a sparse last page saved) and lets long entries break across pages."""
    built = built_by_theme[(theme, seed)]
    pdf_pages = len(PdfReader(built.files["pdf"]).pages)
    docx_pages = len(PdfReader(laid_out[(theme, seed)]).pages)
    assert docx_pages == pdf_pages, f"PDF {pdf_pages} pages, DOCX {docx_pages}"
    report = check_file(laid_out[(theme, seed)], built.profile)  # LibreOffice's PDF still parses
    assert report.ok, report.summary()


TARGETS = sorted(path.stem for path in (PROFILES[0].parent.parent / "targets").glob("*.yaml"))


@pytest.fixture(scope="session")
def targets_laid_out(
    project_build: ProjectBuild, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, Path]]:
    """Each target's resume from `cvforge build` (its page limit met), PDF and DOCX as LibreOffice lays it out."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    assert project_build.exit_code == 0, project_build.output
    tmp = tmp_path_factory.mktemp("libreoffice-targets")
    built = {name: next(project_build.out.glob(f"*/{name}.docx")) for name in TARGETS}
    completed = subprocess.run(
        [
            *SOFFICE,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--outdir",
            str(tmp),
            *map(str, built.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return {name: (docx.with_suffix(".pdf"), tmp / f"{name}.pdf") for name, docx in built.items()}


@needs_libreoffice
@pytest.mark.parametrize("target", TARGETS)
def test_a_target_s_docx_keeps_its_page_limit(targets_laid_out: dict[str, tuple[Path, Path]], target: str) -> None:
    """A target's page fit may tighten the density; its Word file is set at that density too (it
    was not: a one-page fit gave a two-page DOCX), so a job portal gets as many pages as the PDF."""
    from cvforge.targets.target import load_target

    pdf, word = targets_laid_out[target]
    limit = load_target(PROFILES[0].parent.parent / "targets" / f"{target}.yaml").target.page_limit
    pdf_pages, docx_pages = len(PdfReader(pdf).pages), len(PdfReader(word).pages)
    assert limit is not None and pdf_pages <= limit
    assert docx_pages == pdf_pages, f"PDF {pdf_pages} pages, DOCX {docx_pages}"


def page_lines(path: Path) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text_lines() for page in pdf.pages]


@needs_libreoffice
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_no_page_ends_on_a_heading_and_dates_end_at_the_margin(
    built_by_theme: dict[tuple[str, str], Built], laid_out: dict[tuple[str, str], Path], theme: str, seed: str
) -> None:
    built = built_by_theme[(theme, seed)]
    word = open_docx(built.files["docx"])
    heads = {p.text.partition("\t")[0].casefold() for p in word.paragraphs if name(p).startswith("Heading")}
    pages = page_lines(laid_out[(theme, seed)])
    for number, lines in enumerate(pages[:-1], 1):
        body = [line for line in lines if line["top"] < lines[-1]["top"] + 1] if lines else []
        last = body[-1]["text"].casefold() if body else ""
        assert not any(
            last.startswith(head) and DATES_ONLY.fullmatch(last.removeprefix(head)) for head in heads if head
        ), f"page {number} ends on the heading {last!r}"
    section = word.sections[0]
    right = (section.page_width - section.right_margin) / 12700  # EMU → points
    for role in built.profile.experience:
        dates = format_range(role)
        if not (role.title and dates):
            continue
        found = [
            line
            for lines in pages
            for line in lines
            if line["text"].startswith(role.title) and line["text"].endswith(dates)
        ]
        assert found, f"{role.title!r} and {dates!r} not on one line"
        assert all(abs(line["x1"] - right) < 2 for line in found), (role.title, [line["x1"] for line in found], right)


def _tabbed(line: list[dict[str, Any]], label: str) -> bool:
    """`label` is in `line` with a gap of more than two spaces before it: set at a tab stop."""
    ordered = sorted(line, key=lambda w: w["x0"])
    return any(w["text"] == label and i and w["x0"] - ordered[i - 1]["x1"] > 8 for i, w in enumerate(ordered))


@needs_libreoffice
@pytest.mark.parametrize("theme", THEMES)
def test_metric_labels_start_in_one_column_past_every_figure(
    built_by_theme: dict[tuple[str, str], Built], laid_out: dict[tuple[str, str], Path], theme: str
) -> None:
    profile = built_by_theme[(theme, "sai-sushanth-thakkalapally")].profile
    with pdfplumber.open(laid_out[(theme, "sai-sushanth-thakkalapally")]) as pdf:
        # every page's words: a theme may put the metrics after page one (sidebar), even across a break
        words = [
            {**w, "page": number} for number, page in enumerate(pdf.pages) for w in page.extract_words(x_tolerance=1.5)
        ]
    figures: list[float] = []
    labels: list[float] = []
    for metric in profile.metrics:
        figure = metric.value if metric.value else f"{metric.before} → {metric.after}"
        first, last = figure.split()[0], figure.split()[-1]
        starts = [w for w in words if w["text"] == first]
        lines = (
            [w for w in words if w["page"] == s["page"] and abs(w["bottom"] - s["bottom"]) < 4 and w["x0"] >= s["x0"]]
            for s in starts
        )
        # the metric's own line, not a sentence quoting the figure: the label stands past a tab stop
        line = next(line for line in lines if _tabbed(line, metric.label.split()[0]))
        label = next(w for w in line if w["text"] == metric.label.split()[0])
        figure_end = max(w["x1"] for w in line if w["x1"] <= label["x0"])
        assert last in [w["text"] for w in line if w["x1"] <= label["x0"]] or metric.unit
        figures.append(figure_end)
        labels.append(label["x0"])
    assert max(labels) - min(labels) < 1, labels
    assert max(figures) < min(labels), (figures, labels)


@needs_libreoffice
def test_libreoffice_sets_the_docx_in_metric_compatible_fonts(laid_out: dict[tuple[str, str], Path]) -> None:
    """The fonts LibreOffice embedded are the named ones' twins, so Word's line breaks are these."""
    used: set[str] = set()
    for pdf in laid_out.values():
        for page in PdfReader(pdf).pages:
            fonts = page["/Resources"].get_object().get("/Font", {})
            used |= {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}
    families = {font.split("-")[0].replace("#20", "") for font in used}
    twins = {twin.replace(" ", "") for twin in WORD_FONTS.values()}
    assert families and families <= twins | {"OpenSymbol"}, families
