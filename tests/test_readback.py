"""`cvforge check`: text read as a parser reads it, every profile detail looked for, gaps named."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import cvforge
from cvforge.cli import main
from cvforge.document.view import view_document
from cvforge.errors import CheckError
from cvforge.readback.extract import extract_docx_text, extract_pdf_text, extract_text
from cvforge.readback.normalise import normalise
from cvforge.readback.verify import check_bytes, verify
from cvforge.reader import untrusted
from cvforge.renderers.docx import render_docx
from cvforge.renderers.pdf import render_pdf
from cvforge.renderers.themes import available_themes, load_theme
from cvforge.schema import Profile
from tests.helpers.hostile_files import (
    cvforge_capped,
    deflate_bomb,
    fifo_unblocked_after,
    run_capped,
    run_length_bomb,
    self_referencing_contents,
)
from tests.helpers.outputs import CHECKED_FORMATS, Built
from tests.helpers.project import PROFILES, ROOT

SEEDS = [path.stem for path in PROFILES]
SRC_ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
THEMES = list(available_themes())


def make_profile(**data: object) -> Profile:
    base: dict[str, object] = {
        "person": {"name": "Jane Doe", "email": "jane@example.com", "phone": "+351 912 345 678"},
        "experience": [
            {"organisation": "Acme", "title": "Staff Engineer", "start": "2024-03", "end": "present"},
            {"organisation": "Globex", "title": "Senior Engineer", "start": 2020, "end": 2024},
        ],
        "projects": [{"name": "Shipyard"}, {"name": "GoKV"}],
        "skills": {"working_with": ["Go", "C++", "PostgreSQL", "Event-driven design", "Distributed systems"]},
    }
    return Profile.model_validate({**base, **data})


COMPLETE = """Jane Doe
jane@example.com · +351 912 345 678
Experience
Staff Engineer, Acme  Mar 2024 – Present
Senior Engineer, Globex  2020 – 2024
Projects
Shipyard
GoKV
Skills
Go · C++ · PostgreSQL · Event-driven design · Distributed systems
"""


def wait_for_children(pid: int, seconds: float) -> list[int]:
    """The children of process `pid` once it has some (or none, after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        if children:
            time.sleep(0.5)  # let the child settle into the loop
            return [int(child) for child in children]
        time.sleep(0.1)
    return []


def gaps(text: str, profile: Profile | None = None) -> list[str]:
    return [finding.field for finding in verify(profile or make_profile(), text, "test").gaps]


# --- verification on text -----------------------------------------------------------------------


def test_complete_text_passes_every_check() -> None:
    report = verify(make_profile(), COMPLETE, "test")
    assert report.ok, report.summary()
    assert [f.field for f in report.findings] == [
        "name",
        "email",
        "phone",
        "experience[0].title",
        "experience[0].organisation",
        "experience[0].dates",
        "experience[1].title",
        "experience[1].organisation",
        "experience[1].dates",
        "projects[0].name",
        "projects[1].name",
        "skills.working_with[0]",
        "skills.working_with[1]",
        "skills.working_with[2]",
        "skills.working_with[3]",
        "skills.working_with[4]",
        "experience order",
    ]


@pytest.mark.parametrize(
    ("removed", "field"),
    [
        ("Jane Doe", "name"),
        ("jane@example.com", "email"),
        ("+351 912 345 678", "phone"),
        ("Senior Engineer", "experience[1].title"),
        ("Globex", "experience[1].organisation"),
        ("Mar 2024 – Present", "experience[0].dates"),
        ("GoKV", "projects[1].name"),
        ("C++", "skills.working_with[1]"),
    ],
)
def test_each_missing_detail_is_named(removed: str, field: str) -> None:
    assert gaps(COMPLETE.replace(removed, "")) == [field]


def test_report_summary_names_the_field_and_the_text() -> None:
    report = verify(make_profile(), COMPLETE.replace("GoKV", ""), "cv.pdf")
    assert not report.ok
    assert report.summary() == "cv.pdf: 1 of 17 checks failed:\n  projects[1].name: 'GoKV' missing"


def test_roles_out_of_order_fail_and_name_the_role() -> None:
    swapped = COMPLETE.replace("Staff Engineer, Acme", "@@").replace("Senior Engineer, Globex", "Staff Engineer, Acme")
    swapped = swapped.replace("@@", "Senior Engineer, Globex")
    report = verify(make_profile(), swapped, "test")
    order = report.findings[-1]
    assert (order.field, order.ok) == ("experience order", False)
    assert order.result == "experience[1].title 'Senior Engineer' comes before experience[0].title"


def test_a_missing_role_is_reported_once_not_as_an_order_problem_too() -> None:
    assert gaps(COMPLETE.replace("Staff Engineer", "")) == ["experience[0].title"]


def test_a_role_also_named_earlier_does_not_break_the_order() -> None:
    text = "Summary: Senior Engineer turned Staff Engineer.\n" + COMPLETE
    assert gaps(text) == []


@pytest.mark.parametrize(
    "dates", ["Mar 2024-Present", "Mar 2024 — Present", "Mar 2024 -\nPresent", "Mar\n2024 − Present"]
)
def test_date_ranges_accept_any_dash_and_spacing(dates: str) -> None:
    assert gaps(COMPLETE.replace("Mar 2024 – Present", dates)) == []


def test_a_date_range_with_other_years_is_missing() -> None:
    assert gaps(COMPLETE.replace("Mar 2024 – Present", "Mar 2023 – Present")) == ["experience[0].dates"]


def test_line_end_hyphens_are_read_as_hyphens_or_as_breaks() -> None:
    text = COMPLETE.replace("Event-driven design", "Event-\ndriven design").replace(
        "Distributed systems", "Distri-\nbuted systems"
    )
    assert gaps(text) == []


def test_a_hyphen_is_not_invented_where_the_text_has_none() -> None:
    assert gaps(COMPLETE.replace("Event-driven design", "Eventdriven design")) == ["skills.working_with[3]"]


def test_skills_match_without_case_but_whole_words_only() -> None:
    assert gaps(COMPLETE.replace("PostgreSQL", "postgresql")) == []
    assert gaps(COMPLETE.replace("\nGo ·", "\nGoogle ·")) == ["skills.working_with[0]"]
    assert gaps(COMPLETE.replace("C++", "C")) == ["skills.working_with[1]"]


def test_names_match_as_written_or_in_capitals_only() -> None:
    assert gaps(COMPLETE.replace("Jane Doe", "JANE DOE")) == []
    assert gaps(COMPLETE.replace("Jane Doe", "jane doe")) == ["name"]


def test_right_to_left_names_are_found_in_logical_or_visual_order() -> None:
    profile = make_profile(person={"name": "محمد علي"})
    assert gaps(COMPLETE.replace("Jane Doe", "محمد علي"), profile) == []
    assert gaps(COMPLETE.replace("Jane Doe", "يلع دمحم"), profile) == []  # pdfminer's drawing order
    assert gaps(COMPLETE.replace("Jane Doe", "علي محمد"), profile) == ["name"]


def test_normalisation_folds_compatibility_forms_and_invisible_characters() -> None:
    assert normalise("Pro\ufb01ling\u00a0at  scale\u200b") == "Profiling at scale"
    assert normalise("2024 \u2013\n2026") == "2024-2026"
    profile = make_profile(skills={"working_with": ["Profiling"]})
    assert gaps(COMPLETE + "\nPro\ufb01ling", profile) == []


def test_words_in_scripts_without_spaces_are_found_inside_a_line() -> None:
    profile = make_profile(person={"name": "山田太郎"})
    assert gaps(COMPLETE.replace("Jane Doe", "氏名山田太郎です"), profile) == []


def test_an_empty_text_fails_every_detail() -> None:
    report = verify(make_profile(), "", "empty")
    assert not any(finding.ok for finding in report.findings[:-1])


# --- extraction from DOCX -----------------------------------------------------------------------


def docx_bytes(word: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_text_skips_headers_and_text_boxes_and_reads_tables_in_order() -> None:
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Jane Doe"
    word.add_paragraph("before")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "left cell"
    table.cell(0, 1).text = "right cell"
    table.cell(0, 1).add_table(rows=1, cols=1).cell(0, 0).text = "nested cell"
    paragraph = word.add_paragraph("after")
    box = docx.oxml.parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pict><w:txbxContent>'
        "<w:p><w:r><w:t>in a text box</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
    )
    paragraph._p.append(box)
    text = extract_docx_text(docx_bytes(word))
    assert text.split("\n") == ["before", "left cell", "right cell", "nested cell", "", "after"]


def test_docx_text_includes_hyperlinks_content_controls_and_insertions() -> None:
    word = docx.Document()
    paragraph = word.add_paragraph("mail ")
    paragraph._p.append(
        docx.oxml.parse_xml(
            '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:r><w:t>jane@example.com</w:t></w:r></w:hyperlink>"
        )
    )
    paragraph._p.append(
        docx.oxml.parse_xml(
            '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:r><w:t xml:space='preserve'> inserted</w:t></w:r></w:ins>"
        )
    )
    word.element.body.insert(
        0,
        docx.oxml.parse_xml(
            '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtContent>'
            "<w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    assert extract_docx_text(docx_bytes(word)).split("\n") == ["in a control", "mail jane@example.com inserted"]


def test_contact_details_only_in_a_header_are_missing() -> None:
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Jane Doe · jane@example.com · +351 912 345 678"
    word.add_paragraph(COMPLETE.split("\n", 2)[2])
    report = check_bytes(make_profile(), docx_bytes(word), "docx", "header.docx")
    assert [gap.field for gap in report.gaps] == ["name", "email", "phone"]


@pytest.mark.parametrize(
    ("projects", "skills", "failed"),
    [
        ("Selected Work", "Working with", ["heading: projects", "heading: skills"]),
        ("Projects — Selected Work", "Skills — Working with", []),
        ("Featured Projects", "Technical Skills & Tools", []),
    ],
)
def test_a_word_file_needs_a_heading_parsers_know_for_each_section(
    projects: str, skills: str, failed: list[str]
) -> None:
    """The section headings `document.headings` writes are what `check` reads a DOCX's headings by."""
    text = COMPLETE.replace("Projects\n", f"{projects}\n").replace("Skills\n", f"{skills}\n")
    word = docx.Document()
    for line in text.splitlines():
        word.add_paragraph(line)
    report = check_bytes(make_profile(), docx_bytes(word), "docx", "headings.docx")
    assert [gap.field for gap in report.gaps] == failed
    assert "heading: experience" in [finding.field for finding in report.findings]


# --- every seed, every theme, both formats ------------------------------------------------------


@pytest.mark.parametrize("fmt", CHECKED_FORMATS)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_check_passes_on_every_seed_in_every_theme(
    built_by_theme: dict[tuple[str, str], Built], theme: str, seed: str, fmt: str
) -> None:
    built = built_by_theme[(theme, seed)]
    path = built.files[fmt]
    report = check_bytes(built.profile, path.read_bytes(), fmt, str(path))
    assert report.ok, report.summary()
    assert len(report.findings) >= 20


def without_one_of_each(profile: Profile) -> Profile:
    """The profile minus its third project and its last role: what a broken output would hold."""
    return profile.model_copy(
        update={
            "projects": [p for i, p in enumerate(profile.projects) if i != 2],
            "experience": profile.experience[:-1],
        }
    )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", CHECKED_FORMATS)
def test_check_fails_naming_the_entries_an_output_lacks(tmp_path: Path, fmt: str) -> None:
    path = next(p for p in PROFILES if p.stem == "sai-sushanth-thakkalapally")
    from cvforge.reader.read import load_profile

    full = load_profile(path)
    theme = load_theme("classic")
    document = view_document(without_one_of_each(full))
    data = render_pdf(document, theme, path.parent) if fmt == "pdf" else render_docx(document, theme, path.parent)
    output = tmp_path / f"partial.{fmt}"
    output.write_bytes(data)
    result = CliRunner().invoke(main, ["check", str(output), "--profile", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    total = 24 if fmt == "pdf" else 27  # a DOCX is also checked for its three section headings
    assert f"2 of {total} checks failed" in result.output
    assert "projects[2].name: 'RR Farms' missing" in result.output
    assert "experience[2].title: 'Software Development Engineer Intern' missing" in result.output


def test_check_command_prints_a_plain_table_and_exits_0(built_seeds: dict[str, Built]) -> None:
    built = built_seeds["sai-sushanth-thakkalapally"]
    profile_path = next(p for p in PROFILES if p.stem == "sai-sushanth-thakkalapally")
    result = CliRunner().invoke(main, ["check", str(built.files["docx"]), "--profile", str(profile_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["field", "expected", "result"]
    assert lines[2].split() == ["name", "Sai", "Sushanth", "Thakkalapally", "found"]
    assert "projects[0].name" in result.output and "in order" in result.output
    assert "heading: projects" in result.output  # experience, projects, skills: headings parsers know
    assert lines[-1].endswith("all 27 checks passed")
    assert "\x1b[" not in result.output


def test_check_command_usage_and_unreadable_files(tmp_path: Path) -> None:
    runner = CliRunner()
    profile = str(PROFILES[0])
    html = tmp_path / "cv.html"
    html.write_text("<p>hi</p>")
    result = runner.invoke(main, ["check", str(html), "--profile", profile])
    assert result.exit_code == 2 and "cannot check" in result.output
    result = runner.invoke(main, ["check", str(tmp_path / "none.pdf"), "--profile", profile])
    assert result.exit_code == 2
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    result = runner.invoke(main, ["check", str(broken), "--profile", profile])
    assert result.exit_code == 1 and "not a readable PDF" in result.output and "Traceback" not in result.output
    broken_docx = tmp_path / "broken.docx"
    broken_docx.write_bytes(b"PK not a zip")
    result = runner.invoke(main, ["check", str(broken_docx), "--profile", profile])
    assert result.exit_code == 1 and "not a readable DOCX" in result.output


# --- files that are not what they seem (issue 24: 9, 10) ------------------------------------------


@pytest.mark.slow
def test_check_refuses_a_pdf_that_links_to_dev_zero(tmp_path: Path) -> None:
    """/dev/zero says it holds 0 bytes and never ends: refused as a device, not read."""
    link = tmp_path / "x.pdf"
    link.symlink_to("/dev/zero")
    outcome = cvforge_capped("check", str(link), "--profile", str(PROFILES[0]), deadline=60)
    assert outcome.code == 1, outcome.output
    assert "x.pdf: is a character device, not a regular file; cvforge reads only regular files" in outcome.output
    assert "Traceback" not in outcome.output


def test_the_api_refuses_dev_zero() -> None:
    code = (
        "import cvforge\n"
        "try:\n    cvforge.check('/dev/zero', 'profiles/rajkumar.yaml')\n"
        "except cvforge.CheckError as exc:\n    print('refused:', exc)"
    )
    outcome = run_capped(code, deadline=60)
    assert "refused: /dev/zero: is a character device, not a regular file" in outcome.output, outcome.output


def test_check_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "x.pdf"
    started = time.monotonic()
    with fifo_unblocked_after(fifo, 5):
        result = CliRunner().invoke(main, ["check", str(fifo), "--profile", str(PROFILES[0])])
    assert result.exit_code == 1 and "x.pdf: is a FIFO, not a regular file" in result.output, result.output
    assert time.monotonic() - started < 5


def test_check_refuses_a_file_over_20_mib_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.truncate(400 * 1024 * 1024)  # sparse: costs no disk
    result = CliRunner().invoke(main, ["check", str(big), "--profile", str(PROFILES[0])])
    assert result.exit_code == 1 and "big.pdf: 400.0 MiB is not a resume (the limit is 20 MiB)" in result.output


@pytest.mark.slow
def test_check_gives_up_on_a_pdf_whose_contents_refer_to_themselves(tmp_path: Path) -> None:
    """pdfminer follows the reference for ever; the read is abandoned at its time limit, with a clear error."""
    path = tmp_path / "loop.pdf"
    path.write_bytes(self_referencing_contents())
    outcome = cvforge_capped("check", str(path), "--profile", str(PROFILES[0]), read_seconds=2, deadline=60)
    assert outcome.code == 1, outcome.output
    assert "loop.pdf: could not be read within 2 s" in outcome.output, outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.seconds < 30


@pytest.mark.slow
def test_sigterm_stops_check_on_a_pdf_that_loops(tmp_path: Path) -> None:
    """The loop runs in a child that a SIGTERM to `cvforge check` takes down with it, at once."""
    path = tmp_path / "loop.pdf"
    path.write_bytes(self_referencing_contents())
    command = [sys.executable, "-m", "cvforge", "check", str(path), "--profile", str(PROFILES[0])]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=SRC_ENV)
    try:
        readers = wait_for_children(process.pid, seconds=20)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM, output
    assert readers, "the PDF should be read in a child process"
    time.sleep(0.5)
    assert not [pid for pid in readers if Path(f"/proc/{pid}").exists()], "the reader outlived check"


@pytest.mark.slow
def test_a_deflate_bomb_is_refused_by_its_inflated_size() -> None:
    """Issue 24.9: 96 KiB that inflate to 96 MiB of spaces; a stream may inflate to 64 MiB at most."""
    bomb = deflate_bomb(96 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    started = time.monotonic()
    with pytest.raises(CheckError, match=r"<bytes>: a stream inflates to more than 64 MiB"):
        cvforge.check(bomb, make_profile())
    assert time.monotonic() - started < 15


def test_a_pdf_that_needs_more_memory_than_a_resume_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A RunLength stream is decoded as a list of ints: 32 MB of it needs about 300 MB. The reader's
    memory is capped (lowered here to 128 MiB), so it fails alone, with a clear error."""
    monkeypatch.setattr(untrusted, "READ_MEMORY", 128 * 1024 * 1024)
    with pytest.raises(CheckError, match=r"<bytes>: reading it needs more than 128 MiB of memory"):
        cvforge.check(run_length_bomb(32 * 1024 * 1024), make_profile())


def test_a_real_pdf_is_checked_in_a_forked_child(built_seeds: dict[str, Built]) -> None:
    """Isolating the reader costs a fork, not a new interpreter: on Linux the child is forked with
    the parser already imported here (a spawned one would import it again, about a second more).
    Checked by the start method, not by a stopwatch, which a busy machine makes lie."""
    built = built_seeds["rajkumar"]
    data = built.files["pdf"].read_bytes()
    in_process = extract_pdf_text(data)
    report = check_bytes(built.profile, data, "pdf", "rajkumar.pdf")
    assert report.ok, report.summary()
    assert extract_text("pdf", data) == in_process
    if sys.platform.startswith("linux"):
        assert untrusted._context().get_start_method() == "fork"


# --- build --check ------------------------------------------------------------------------------


def test_build_check_reports_each_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(PROFILES[0]), "--out", str(tmp_path), "--format", "docx,html", "--check"]
    )
    assert result.exit_code == 0, result.output
    assert f"{PROFILES[0].stem}.docx: all " in result.output and "checks passed" in result.output
    assert "html: all" not in result.output
    assert "parser check: 1 of 1 PDF/DOCX file(s) complete" in result.output


@pytest.mark.slow
def test_build_check_fails_when_a_theme_drops_content(tmp_path: Path) -> None:
    """A theme whose projects partial draws nothing: the PDF lacks the projects, and the build says so.

    GoKV and ContractLens are also named in the About text, so only the other two go missing.
    """
    theme = tmp_path / "themes" / "lossy"
    (theme / "templates" / "sections").mkdir(parents=True)
    (theme / "theme.toml").write_text('name = "lossy"\nextends = "classic"\n', encoding="utf-8")
    (theme / "templates" / "sections" / "projects.html.j2").write_text("", encoding="utf-8")
    profile = next(p for p in PROFILES if p.stem == "sai-sushanth-thakkalapally")
    args = ["build", str(profile), "--theme", "lossy", "--theme-dir", str(theme.parent), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, [*args, "--format", "pdf,docx", "--check"])
    assert result.exit_code == 1, result.output
    assert "sai-sushanth-thakkalapally.pdf: 2 of 24 checks failed" in result.output
    assert "projects[2].name: 'RR Farms' missing" in result.output
    assert "projects[3].name: 'Dispute Intelligence API' missing" in result.output
    assert "sai-sushanth-thakkalapally.docx: all 27 checks passed" in result.output
    assert "parser check: 1 of 2 PDF/DOCX file(s) complete" in result.output
    assert (tmp_path / "out" / "sai-sushanth-thakkalapally.pdf").is_file()  # kept, to look at
    without = CliRunner().invoke(main, [*args, "--format", "pdf"])
    assert without.exit_code == 0, without.output


def _repacked(docx_bytes: bytes, change: dict[str, bytes]) -> bytes:
    """The same DOCX with some parts replaced or added."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, change.pop(item.filename, source.read(item)))
        for name, data in change.items():
            out.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("hostile", ["zip bomb", "many parts", "doctype", "entity"])
def test_check_refuses_hostile_docx_with_exit_1_naming_the_file(
    built_seeds: dict[str, Built], tmp_path: Path, hostile: str
) -> None:
    """Issue 12.10: a zip bomb or a DTD is refused before python-docx parses it."""
    seed = built_seeds["rajkumar"]
    real = seed.files["docx"].read_bytes()
    import zipfile

    document = zipfile.ZipFile(io.BytesIO(real)).read("word/document.xml")
    declaration, rest = document.split(b"?>", 1)
    changes = {
        "zip bomb": {"word/padding.xml": b" " * (200 * 1024 * 1024)},
        "many parts": {f"word/p{n}.xml": b"<a/>" for n in range(1500)},
        "doctype": {"word/document.xml": declaration + b'?><!DOCTYPE w:document [<!ENTITY x "y">]>' + rest},
        "entity": {"word/document.xml": declaration + b"?><!ENTITY x SYSTEM 'file:///etc/passwd'>" + rest},
    }[hostile]
    path = tmp_path / "hostile.docx"
    path.write_bytes(_repacked(real, changes))
    assert path.stat().st_size < 2 * 1024 * 1024
    result = CliRunner().invoke(
        main, ["check", str(path), "--profile", str(next(p for p in PROFILES if p.stem == "rajkumar"))]
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "hostile.docx" in result.output and "not a resume DOCX" in result.output
