"""The DOCX for job portals: ATS structure, reference documents, exact text, LibreOffice."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from cvforge.builder.run import build
from cvforge.document.headings import heading_key, parser_heading
from cvforge.document.view import view_document
from cvforge.readback.verify import check_bytes, check_file
from cvforge.reader.read import load_profile
from cvforge.renderers.docx import render_docx
from cvforge.renderers.docx.styles import Look
from cvforge.renderers.themes import available_themes, load_theme
from cvforge.schema import Profile
from cvforge.schema.markup import parse_inline, plain_text
from tests.helpers.outputs import Built
from tests.helpers.project import PROFILES, SCENARIOS

SEEDS = [path.stem for path in PROFILES]
THEMES = list(available_themes())
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = qn("r:id")


def open_docx(path: Path) -> WordDocument:
    return docx.Document(str(path))


def paragraphs(word: WordDocument) -> list[tuple[str, str]]:
    return [(p.style.name if p.style is not None else "", p.text) for p in word.paragraphs]


def run_styles(word: WordDocument) -> set[str]:
    ids = {s.style_id: s.name for s in word.styles}
    return {ids[value] for value in word.element.body.xpath(".//w:rStyle/@w:val")}


# --- ATS structure of every seed in every theme ---------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_docx_structure_is_what_parsers_read(
    built_by_theme: dict[tuple[str, str], Built], theme: str, seed: str
) -> None:
    built = built_by_theme[(theme, seed)]
    word = open_docx(built.files["docx"])  # python-docx reopens it
    profile = built.profile
    styles = {style for style, _ in paragraphs(word)}
    assert {"Title", "Heading 1", "Heading 2", "Entry Meta"} <= styles
    if any(role.bullets for role in profile.experience) or any(p.bullets for p in profile.projects):
        assert "List Bullet" in styles
    if profile.principles:
        assert "List Number" in styles
    used = run_styles(word)
    if profile.metrics:
        assert "Metric Figure" in used
    if any(p.tech for p in profile.projects):
        assert {"Tag", "Label"} <= used
    assert paragraphs(word)[0] == ("Title", profile.person.name)

    body = word.element.body
    for tag in ("txbxContent", "drawing", "pict", "object"):
        assert not body.findall(f".//{W}{tag}"), f"{tag} in the body"
    assert not list(body.iter("{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"))
    for table in body.iter(f"{W}tbl"):  # tables only as one row that reads in order, never nested
        assert len(table.findall(f"{W}tr")) == 1 and not table.findall(f".//{W}tc//{W}tbl")
    section = body.find(f"{W}sectPr")
    assert section is not None
    assert not section.findall(f"{W}headerReference") and not section.findall(f"{W}footerReference")
    assert all(int(cols.get(f"{W}num", "1")) <= 1 for cols in section.findall(f"{W}cols"))
    related = {rel.reltype.rsplit("/", 1)[-1] for rel in word.part.rels.values()}
    assert not related & {"header", "footer", "image", "comments"}

    links = body.findall(f".//{W}hyperlink")
    targets = {word.part.rels[link.get(R_ID)].target_ref for link in links}
    assert all(word.part.rels[link.get(R_ID)].is_external for link in links)
    for link in links:
        assert {r.get(f"{W}val") for r in link.iter(f"{W}rStyle")} == {"Hyperlink"}
    person = profile.person
    if person.email:
        assert f"mailto:{person.email}" in targets
    assert {link.url for link in person.links} <= targets
    assert {link.url for project in profile.projects for link in project.links} <= targets

    props = word.core_properties
    assert props.author == person.name
    assert props.title.startswith(person.name)
    assert props.subject == (person.headline or "")
    assert props.created == props.modified == datetime(2000, 1, 1, tzinfo=UTC)
    if profile.skills.table or profile.skills.working_with:
        assert props.keywords


@pytest.mark.parametrize("seed", SEEDS)
def test_sections_parsers_look_for_have_headings_they_recognise(built_seeds: dict[str, Built], seed: str) -> None:
    built = built_seeds[seed]
    headings = [text for style, text in paragraphs(open_docx(built.files["docx"])) if style == "Heading 1"]
    profile = built.profile
    has = {"experience": profile.experience, "projects": profile.projects, "skills": profile.skills.table}
    has["skills"] = has["skills"] or profile.skills.working_with or profile.skills.groups
    keys = [heading_key(heading) for heading in headings]
    for key, present in has.items():
        if present:
            assert keys.count(key) == 1, f"{seed}: {key} has {keys.count(key)} recognised headings in {headings}"


def test_a_person_s_own_section_title_goes_under_the_standard_heading(built_seeds: dict[str, Built]) -> None:
    """One heading a parser knows, the person's wording on a muted line under it: never the doubled
    "Projects — Selected Work", and the subtitle is no heading of its own to parsers."""
    lines = paragraphs(open_docx(built_seeds["sai-sushanth-thakkalapally"].files["docx"]))
    projects = lines.index(("Heading 1", "Projects"))
    assert lines[projects + 1] == ("Section Subtitle", "Selected Work")
    assert lines[projects + 2][0] == "Heading 2"  # then straight into the first project
    skills = lines.index(("Heading 1", "Skills"))
    assert lines[skills + 1] == ("Section Subtitle", "Working with")
    assert not any(" — " in text for style, text in lines if style.startswith("Heading"))
    assert all(heading_key(text) is None for style, text in lines if style == "Section Subtitle")
    lines = paragraphs(open_docx(built_seeds["rajkumar"].files["docx"]))
    experience = lines.index(("Heading 1", "Experience"))
    assert lines[experience + 1][0] == "Section Intro"  # "Experience" is already standard: as written
    assert ("Heading 1", "System design thinking") in lines  # not a section parsers split out: kept


@pytest.mark.parametrize(
    ("key", "title", "expected"),
    [
        ("projects", "Selected Work", "Projects — Selected Work"),
        ("projects", "Featured engineering work", "Projects — Featured engineering work"),
        ("projects", "Featured Projects", "Featured Projects"),
        ("projects", "Projects", "Projects"),
        ("experience", "Work  Experience", "Work  Experience"),
        ("experience", "Employment History", "Employment History"),
        ("experience", "Where I've worked", "Experience — Where I've worked"),
        ("skills", "Skills & Tools", "Skills & Tools"),
        ("skills", "Technical skills", "Technical skills"),
        ("skills", "Working with", "Skills — Working with"),
        ("summary", "About me", "About me"),
        ("snapshots", "System design thinking", "System design thinking"),
        ("custom-0", "What's next", "What's next"),
    ],
)
def test_parser_heading_is_one_line_parsers_file_under_the_section(key: str, title: str, expected: str) -> None:
    heading = parser_heading(key, title)
    assert heading == expected
    assert heading_key(heading) == (key if key in ("projects", "experience", "skills", "summary") else None)


def render_seed(stem: str, theme_name: str = "classic") -> bytes:
    path = next(p for p in PROFILES if p.stem == stem)
    return render_docx(view_document(load_profile(path)), load_theme(theme_name), path.parent)


def test_docx_bytes_are_reproducible_and_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = render_seed("rajkumar"), render_seed("rajkumar")
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    dated = docx.Document(io.BytesIO(render_seed("rajkumar")))
    assert dated.core_properties.created == datetime(2026, 1, 1, tzinfo=UTC)
    assert dated.core_properties.modified == datetime(2026, 1, 1, tzinfo=UTC)


# --- a theme's reference document -----------------------------------------------------------------

PURPLE = RGBColor(0x7B, 0x1F, 0xA2)
RED = RGBColor(0xC0, 0x00, 0x00)


def make_reference(path: Path) -> None:
    """A reference restyled as a Word user would, lacking List Bullet, with a localised Heading 2 id,
    and holding text, a header, a two-column layout and an editing lock that must not reach the output."""
    word = docx.Document()
    normal = word.styles["Normal"]
    normal.font.name = "Georgia"
    normal.font.size = Pt(11)
    normal.font.color.rgb = PURPLE
    word.styles["Heading 1"].font.color.rgb = RED
    word.styles["Heading 2"].font.color.rgb = RED
    word.styles["Heading 2"].element.styleId = "Uberschrift2"
    bullet = word.styles["List Bullet"].element
    bullet.getparent().remove(bullet)
    word.add_paragraph("REFERENCE BODY TEXT")
    word.sections[0].header.paragraphs[0].text = "REFERENCE HEADER TEXT"
    cols = word.sections[0]._sectPr.find(qn("w:cols"))
    cols.set(qn("w:num"), "2")
    lock = docx.oxml.parse_xml(f'<w:documentProtection xmlns:w="{W[1:-1]}" w:edit="readOnly" w:enforcement="1"/>')
    word.settings.element.find(qn("w:defaultTabStop")).addprevious(lock)
    word.save(str(path))


def make_theme(root: Path, name: str, manifest_extra: str = "") -> Path:
    folder = root / name
    (folder / "static").mkdir(parents=True)
    (folder / "theme.toml").write_text(f'name = "{name}"\nextends = "classic"\n{manifest_extra}', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def restyled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Profile, Path]:
    root = tmp_path_factory.mktemp("themes")
    make_reference(make_theme(root, "restyled") / "static" / "reference.docx")
    out = tmp_path_factory.mktemp("restyled-out")
    path = next(p for p in PROFILES if p.stem == "sai-sushanth-thakkalapally")
    result = build([path], theme_name="restyled", theme_dirs=[root], formats=["docx"], out_dir=out)
    assert result.ok, result.failures
    return load_profile(path), out / f"{path.stem}.docx"


def test_reference_styles_win_over_the_theme_map(restyled: tuple[Profile, Path]) -> None:
    _, path = restyled
    word = open_docx(path)
    normal = word.styles["Normal"]
    assert normal.font.name == "Georgia" and normal.font.color.rgb == PURPLE and normal.font.size == Pt(11)
    assert word.styles["Heading 1"].font.color.rgb == RED
    heading2 = word.styles["Heading 2"]
    assert heading2.style_id == "Heading2" and heading2.font.color.rgb == RED
    assert "Heading 2" in {style for style, _ in paragraphs(word)}
    # Styles the reference lacks are made as without it, from the theme's map.
    assert word.styles["Metric Figure"].font.color.rgb == RGBColor(0x1D, 0x4F, 0x91)
    assert word.styles["Hyperlink"].font.underline


def test_reference_without_list_styles_gets_working_bullets(tmp_path: Path) -> None:
    root = tmp_path / "themes"
    make_reference(make_theme(root, "restyled") / "static" / "reference.docx")
    path = next(p for p in PROFILES if p.stem == "rajkumar")
    result = build([path], theme_name="restyled", theme_dirs=[root], formats=["docx"], out_dir=tmp_path)
    assert result.ok, result.failures
    word = open_docx(tmp_path / "rajkumar.docx")
    bullet = word.styles["List Bullet"]
    num_id = bullet.element.xpath("w:pPr/w:numPr/w:numId/@w:val")[0]
    numbering = word.part.numbering_part.element
    abstract = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    assert numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl/w:numFmt/@w:val') == ["bullet"]
    assert sum(style == "List Bullet" for style, _ in paragraphs(word)) > 10


def test_reference_content_header_and_layout_do_not_reach_the_output(restyled: tuple[Profile, Path]) -> None:
    profile, path = restyled
    word = open_docx(path)
    text = "\n".join(text for _, text in paragraphs(word))
    assert "REFERENCE BODY TEXT" not in text
    assert all(section.header.is_linked_to_previous for section in word.sections)  # no header of its own
    body = word.element.body
    assert not body.xpath("w:sectPr/w:headerReference") and not body.xpath('w:sectPr/w:cols[@w:num="2"]')
    assert not any(rel.reltype.endswith("/header") for rel in word.part.rels.values())
    assert word.settings.element.find(qn("w:documentProtection")) is None  # the reference's lock stays behind
    report = check_file(path, profile)
    assert report.ok, report.summary()


def test_reference_made_from_a_cvforge_docx_restyles_cvforge_s_own_styles(tmp_path: Path) -> None:
    """The workflow the README gives: build, restyle in Word, save into the theme."""
    word = docx.Document(io.BytesIO(render_seed("sai-sushanth-thakkalapally")))
    word.styles["Metric Figure"].font.color.rgb = RED
    word.styles["Entry Meta"].font.italic = True
    root = tmp_path / "themes"
    word.save(str(make_theme(root, "mine", '[docx]\nreference = "word/cv.docx"\n') / "static" / "cv.docx"))
    (root / "mine" / "static" / "word").mkdir()
    (root / "mine" / "static" / "cv.docx").rename(root / "mine" / "static" / "word" / "cv.docx")
    path = next(p for p in PROFILES if p.stem == "sai-sushanth-thakkalapally")
    result = build([path], theme_name="mine", theme_dirs=[root], formats=["docx"], out_dir=tmp_path / "out")
    assert result.ok, result.failures
    rebuilt = open_docx(tmp_path / "out" / f"{path.stem}.docx")
    assert rebuilt.styles["Metric Figure"].font.color.rgb == RED
    assert rebuilt.styles["Entry Meta"].font.italic
    assert paragraphs(rebuilt) == paragraphs(docx.Document(io.BytesIO(render_seed("sai-sushanth-thakkalapally"))))
    assert len([s for s in rebuilt.styles if s.name == "Metric Figure"]) == 1


@pytest.mark.parametrize(
    ("manifest", "file", "message"),
    [
        ('[docx]\nreference = "nope.docx"\n', None, "[docx] reference: no file 'nope.docx'"),
        ("", b"not a zip", "not a Word document"),
    ],
)
def test_a_bad_reference_is_a_theme_error(tmp_path: Path, manifest: str, file: bytes | None, message: str) -> None:
    from click.testing import CliRunner

    from cvforge.cli import main

    folder = make_theme(tmp_path / "themes", "broken", manifest)
    if file is not None:
        (folder / "static" / "reference.docx").write_bytes(file)
    args = ["build", str(PROFILES[0]), "--theme", "broken", "--theme-dir", str(tmp_path / "themes")]
    result = CliRunner().invoke(main, [*args, "--format", "docx", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


# --- exact text -----------------------------------------------------------------------------------


def test_text_round_trips_exactly(tmp_path: Path) -> None:
    """Plain fields come out exactly as written; Markdown fields as the text their markup shows."""
    source = SCENARIOS / "round-trip" / "profile.yaml"
    profile = load_profile(source)
    result = build([source], formats=["docx"], out_dir=tmp_path)
    assert result.ok, result.failures
    data = (tmp_path / "profile.docx").read_bytes()
    lines = paragraphs(docx.Document(io.BytesIO(data)))
    person = profile.person
    role = profile.experience[0]
    project = profile.projects[0]
    metric = profile.metrics[0]
    sep = " · "
    assert lines[:3] == [
        ("Title", person.name),
        ("Headline", person.headline),
        ("Normal", sep.join([person.email or "", person.phone or "", person.location or ""])),
    ]
    summary = [text for _, text in lines[4:6]]
    assert summary[0] == person.summary[0]  # no Markdown in it: exactly the source
    assert summary[1] == plain_text(parse_inline(person.summary[1]))
    assert summary[1] == "Escaped Markdown: *not italic*, `not code` and a bold claim."
    assert ("Metric", f"{metric.value}\t{metric.label}\n{metric.context}") in lines
    assert ("Heading 2", f"{role.title}, {role.organisation}\t2020\u00a0–\u00a0Present") in lines
    assert ("Entry Meta", role.team) in lines
    # An Arabic-first bullet in this English page is embedded right to left (RLE … PDF, then LRM):
    # formatting characters Word and readers do not show, not text.
    bullets = [re.sub("[\u200e\u202a-\u202e]", "", text) for style, text in lines if style == "List Bullet"]
    assert bullets == [*role.bullets, *project.bullets]
    assert ("Heading 2", project.name) in lines or any(
        style == "Heading 2" and text.startswith(project.name + "\t") for style, text in lines
    )
    assert ("Normal", sep.join(project.outcomes)) in lines
    assert ("Normal", "Tech: " + sep.join(project.tech)) in lines
    assert lines[-1] == ("Normal", sep.join(profile.skills.working_with))
    word = docx.Document(io.BytesIO(data))
    assert word.core_properties.author == person.name
    assert word.core_properties.title == f"{person.name} — {person.headline}"
    report = check_bytes(profile, data, "docx", "round-trip.docx")
    assert report.ok, report.summary()


# LibreOffice's layout of every seed × theme (page counts, dates, metrics, fonts): test_docx_layout.py.


@pytest.mark.parametrize("theme", THEMES)
def test_bullets_are_round_in_the_body_font_with_a_normal_indent(
    built_by_theme: dict[tuple[str, str], Built], theme: str
) -> None:
    """Not Symbol's private-use glyph (a box in any other font) flush at the margin: a round bullet
    a little in, the text past it, as the PDF's list draws it."""
    word = open_docx(built_by_theme[(theme, "aayushi-gupta")].files["docx"])
    numbering = word.part.numbering_part.element
    num_id = word.styles["List Bullet"].element.xpath("w:pPr/w:numPr/w:numId/@w:val")[0]
    abstract = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    level = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="0"]')[0]
    assert level.find(f"{W}lvlText").get(f"{W}val") == "\u2022"
    fonts = level.find(f"{W}rPr").find(f"{W}rFonts")
    assert fonts.get(f"{W}ascii") == word.styles["Normal"].font.name != "Symbol"
    indent = level.find(f"{W}pPr").find(f"{W}ind")
    left, hanging = int(indent.get(f"{W}left")), int(indent.get(f"{W}hanging"))
    assert 0 < left - hanging <= 120, "the bullet sits a little in from the margin"  # twips: at most 6 pt
    assert 200 <= left <= 360, "the text starts about 1.15 em in, as in the PDF"
    bullets = [p for p in word.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert bullets and all(not p.text.startswith(("\u2022", "\uf0b7")) for p in bullets)  # the marker is Word's


def test_compact_word_file_is_compact_like_its_pdf() -> None:
    """Compact's PDF is a centred head over tight serif text in narrow margins; its Word file too."""
    classic, compact = (Look.from_theme(load_theme(name)) for name in ("classic", "compact"))
    assert compact.masthead_align == "center" and classic.masthead_align == "left"
    assert compact.gap < classic.gap and compact.margin_cm < classic.margin_cm
    assert compact.body_font == "Times New Roman"  # Liberation Serif's twin: LibreOffice breaks lines alike
    word = docx.Document(io.BytesIO(render_seed("rajkumar", "compact")))
    head = word.paragraphs[:3]
    assert all(p.alignment is not None and p.alignment == 1 for p in head), [p.text for p in head]  # centred
