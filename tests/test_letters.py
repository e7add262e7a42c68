"""Cover letters and packets: validation, rendering in every theme, one page, packets, redaction,
read-back and the match report. The example targets' letters come from the session's project build."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cvforge.builder.run import build
from cvforge.cli import main
from cvforge.errors import TargetError
from cvforge.readback.extract import extract_docx_text, extract_pdf_text
from cvforge.reader.read import load_profile
from cvforge.schema.markup import parse_inline, plain_text
from cvforge.targets.target import load_target
from tests.helpers.hostile_files import fifo_unblocked_after
from tests.helpers.letters import write_target
from tests.helpers.outputs import ProjectBuild
from tests.helpers.project import SCENARIOS, TARGETS

WITH_LETTERS = [t for t in TARGETS if load_target(t).target.letter is not None]


def stem_of(root: Path, target: Path) -> Path:
    return root / load_target(target).profile_path.stem / target.stem


def pdf_text(path: Path) -> str:
    return " ".join(extract_pdf_text(path.read_bytes()).split())


# The examples ------------------------------------------------------------------------------------


def test_two_example_targets_have_letters() -> None:
    assert len(WITH_LETTERS) >= 2


@pytest.mark.parametrize("target", WITH_LETTERS, ids=lambda p: p.stem)
def test_the_build_writes_a_one_page_letter_and_a_packet_of_letter_then_resume(
    project_build: ProjectBuild, target: Path
) -> None:
    stem = stem_of(project_build.out, target)
    loaded = load_target(target).target
    letter_pdf = stem.with_name(stem.name + ".letter.pdf")
    resume_pdf = stem.with_name(stem.name + ".pdf")
    assert len(PdfReader(letter_pdf).pages) == 1
    for suffix in (".letter.docx", ".letter.html"):
        assert stem.with_name(stem.name + suffix).is_file()
    packet = PdfReader(stem.with_name(stem.name + ".packet.pdf"))
    resume_pages = len(PdfReader(resume_pdf).pages)
    assert len(packet.pages) == 1 + resume_pages
    top = [item for item in packet.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Cover letter", "Resume"]
    assert [packet.get_destination_page_number(item) for item in top] == [0, 1]
    assert packet.metadata is not None
    assert packet.metadata.subject == f"{loaded.role} at {loaded.company}"
    assert packet.metadata.author == load_profile(load_target(target).profile_path).person.name
    first_paragraph = plain_text(parse_inline(loaded.letter.body[0].format(company=loaded.company, role=loaded.role)))  # type: ignore[union-attr]
    packet_first = " ".join((packet.pages[0].extract_text() or "").split())
    assert " ".join(first_paragraph.split())[:60] in packet_first
    assert (packet.pages[1].extract_text() or "").split()[:2] == (
        PdfReader(resume_pdf).pages[0].extract_text() or ""
    ).split()[:2]


@pytest.mark.parametrize("target", WITH_LETTERS, ids=lambda p: p.stem)
def test_the_letter_reads_back_whole_from_pdf_and_docx(project_build: ProjectBuild, target: Path) -> None:
    stem = stem_of(project_build.out, target)
    files = [str(stem.with_name(stem.name + s)) for s in (".letter.pdf", ".letter.docx")]
    result = CliRunner().invoke(main, ["check", *files, "--letter", str(target)])
    assert result.exit_code == 0, result.output
    assert "body[4]" in result.output and "body order" in result.output and "recipient[0]" in result.output


def test_check_names_a_paragraph_the_letter_lost(project_build: ProjectBuild, tmp_path: Path) -> None:
    target = WITH_LETTERS[0]
    stem = stem_of(project_build.out, target)
    doctored = tmp_path / "doctored.letter.docx"
    from docx import Document

    word = Document(str(stem.with_name(stem.name + ".letter.docx")))
    spec = load_target(target).target.letter
    assert spec is not None
    opening = spec.body[2][:25]
    victim = next(p for p in word.paragraphs if p.text.startswith(opening))
    victim._p.getparent().remove(victim._p)
    word.save(str(doctored))
    result = CliRunner().invoke(main, ["check", str(doctored), "--letter", str(target)])
    assert result.exit_code == 1
    assert f"body[2]: '{opening}" in result.output


def test_check_letter_refuses_a_file_that_is_not_a_regular_file(tmp_path: Path) -> None:
    """Issue 24.10: `check --letter` reads its files as `check` does: a FIFO is refused, not waited on."""
    fifo = tmp_path / "x.letter.pdf"
    with fifo_unblocked_after(fifo, 5):
        result = CliRunner().invoke(main, ["check", str(fifo), "--letter", str(WITH_LETTERS[0])])
    assert result.exit_code == 1 and "x.letter.pdf: is a FIFO, not a regular file" in result.output, result.output


@pytest.mark.parametrize("target", WITH_LETTERS, ids=lambda p: p.stem)
def test_the_match_report_counts_terms_the_letter_covers(project_build: ProjectBuild, target: Path) -> None:
    stem = stem_of(project_build.out, target)
    report = json.loads(stem.with_name(stem.name + ".match.json").read_text(encoding="utf-8"))
    letter_text = extract_docx_text(stem.with_name(stem.name + ".letter.docx").read_bytes()).casefold()
    assert report["letter"]["covered"], "the letter should cover some of the job's terms"
    for term in report["letter"]["covered"]:
        row = next(r for r in report["terms"] if r["term"] == term)
        assert row["in_letter"] is True
    assert report["letter"]["coverage"] == round(100 * len(report["letter"]["covered"]) / len(report["terms"]), 1)
    assert "java" in letter_text or "websocket" in letter_text
    markdown = stem.with_name(stem.name + ".match.md").read_text(encoding="utf-8")
    assert f"- Cover letter: **{report['letter']['coverage']:.1f}%**" in markdown
    assert "| In the letter |" in markdown


_FACT = re.compile(r"[\w+./×~-]*\d[\w+./×~-]*|(?<![.!?—]\s)(?<!^)\b[A-Z][\w+/-]*[A-Z0-9][\w+/-]*|\b[A-Z][a-z]+\b")


@pytest.mark.parametrize("target", WITH_LETTERS, ids=lambda p: p.stem)
def test_a_letter_states_no_fact_the_profile_or_job_does_not(target: Path) -> None:
    """Every figure and every name (capitalised words, acronyms) of a letter is in the profile, the
    target's company and role, or the job description: the letter may phrase, never invent."""
    loaded = load_target(target)
    spec = loaded.target.letter
    assert spec is not None
    sources = (
        loaded.profile_path.read_text(encoding="utf-8")
        + (loaded.job_path.read_text(encoding="utf-8") if loaded.job_path else "")
        + f" {loaded.target.company} {loaded.target.role}"
    ).casefold()
    invented = set()
    for paragraph in spec.body:
        text = plain_text(parse_inline(paragraph.format(company=loaded.target.company, role=loaded.target.role)))
        for sentence in re.split(r"(?<=[.!?—:])\s+", text):
            words = sentence.split(" ", 1)
            rest = words[1] if len(words) > 1 else ""
            for fact in _FACT.findall(rest):
                token = fact.strip(".,;:~").casefold()
                if token and token not in {"i", "i'm"} and token not in sources:
                    invented.add(fact)
    assert invented == set()


def test_the_fact_check_catches_an_invented_figure_and_name() -> None:
    sources = "four years at amazon"
    invented = {f for f in _FACT.findall("I led 12 engineers at Google.") if f.casefold() not in sources}
    assert invented == {"12", "Google"}


# Themes ------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["modern", "portfolio"])
def test_every_theme_draws_a_one_page_letter_with_its_own_header(theme: str, tmp_path: Path) -> None:
    target = WITH_LETTERS[0]
    result = build([target], theme_name=theme, formats=["letter", "packet"], out_dir=tmp_path)
    assert result.ok, result.failures
    assert not result.warnings
    stem = stem_of(tmp_path, target)
    letter = stem.with_name(stem.name + ".letter.pdf")
    assert len(PdfReader(letter).pages) == 1
    html = stem.with_name(stem.name + ".letter.html").read_text(encoding="utf-8")
    assert 'class="masthead band"' in html if theme == "modern" else 'class="masthead hero"' in html
    assert not stem.with_name(stem.name + ".pdf").exists()  # only the letter and packet were asked for
    assert len(PdfReader(stem.with_name(stem.name + ".packet.pdf")).pages) >= 2


# Validation --------------------------------------------------------------------------------------


def test_an_unknown_placeholder_and_a_missing_value_are_located_errors(tmp_path: Path) -> None:
    path = write_target(
        tmp_path,
        "letter:\n  subject: For {role}\n  body:\n    - Hello {compny}.\n    - At {company}.\n  signature: sig.png\n",
    )
    with pytest.raises(TargetError) as info:
        load_target(path)
    problems = [str(p).split("targets/", 1)[1] for p in info.value.problems]
    assert problems == [
        "letter.yaml:6:7: letter.body[0]: unknown placeholder '{compny}' (use {company}, {role}, {name})"
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("{compny}", "{name}"), encoding="utf-8")
    with pytest.raises(TargetError) as info:
        load_target(path)
    problems = [str(p).split("targets/", 1)[1] for p in info.value.problems]
    assert problems[:2] == [
        "letter.yaml:4:12: letter.subject: {role} has no value: set `role:`",
        "letter.yaml:7:7: letter.body[1]: {company} has no value: set `company:` (or `letter.recipient.company`)",
    ]
    assert problems[2].startswith("letter.yaml:8:14: letter.signature: no such file:") and problems[2].endswith(
        "sig.png"
    )
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("body", "Hello {company:d}", "'{company:d}' has a format spec"),
        ("body", "{company:{role}}", "'{company:{role}}' has a placeholder inside a placeholder"),
        ("body", "{company:x>1500000000}", "'{company:x>1500000000}' has a format spec"),
        ("body", "{company!r}", "'{company!r}' has a conversion"),
        ("body", "{company.__class__.__mro__}", "'{company.__class__.__mro__}' reaches into an attribute"),
        ("body", "{role[0]}", "'{role[0]}' reaches into an index"),
        ("body", "{0} and {}", "'{0}' is not a plain name"),
        ("body", "Hello {", "unbalanced '{' at character 7"),
        ("subject", "For {role:>40}", "'{role:>40}' has a format spec"),
        ("salutation", "Dear {name:{x}}", "'{name:{x}}' has a placeholder inside a placeholder"),
    ],
)
def test_a_placeholder_is_a_plain_name_and_nothing_else(tmp_path: Path, field: str, text: str, problem: str) -> None:
    """Issue 24.7: a spec, a conversion, an attribute or index, a nested or unbalanced brace is a
    located validation error; `validate` and `build` both stop there with exit code 1."""
    value = f"\n    - '{text}'" if field == "body" else f" '{text}'\n  body: [Hello.]"
    path = write_target(tmp_path, f"letter:\n  {field}:{value}\n", extra="company: Acme\nrole: Engineer\n")
    with pytest.raises(TargetError) as info:
        load_target(path)
    [found] = info.value.problems
    assert found.path == ("letter.body[0]" if field == "body" else f"letter.{field}"), found
    assert found.line == (7 if field == "body" else 6) and problem in found.message, found
    expected = f"letter.yaml:{found.line}:{found.column}: {found.path}: "
    for command in (["validate", str(path)], ["build", str(path), "--format", "txt,letter", "--out", str(tmp_path)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert expected in result.output and problem in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_literal_braces_and_plain_placeholders_still_fill(tmp_path: Path) -> None:
    letter = "letter:\n  subject: '{role} {{{{sic}}}}'\n  body: ['At {company}, {{{{braces}}}} stay.']\n"
    path = write_target(tmp_path, letter, extra="company: Acme\nrole: Engineer\n")
    result = build([path], formats=["letter", "txt"], out_dir=tmp_path / "out")
    assert result.ok, result.failures
    stem = stem_of(tmp_path / "out", path)
    text = stem.with_name(f"{stem.name}.letter.txt").read_text(encoding="utf-8")
    assert "Engineer {{sic}}" in text and "At Acme, {{braces}} stay." in text


@pytest.mark.slow
def test_a_letter_that_cannot_fit_one_page_warns_naming_what_is_past_it(tmp_path: Path) -> None:
    long = "\n".join(
        f"    - Paragraph {n} — " + "I build reliable distributed services in Java. " * 12 for n in range(1, 15)
    )
    path = write_target(tmp_path, f"letter:\n  body:\n{long}\n")
    result = build([path], formats=["letter"], out_dir=tmp_path / "out")
    assert result.ok
    [notice] = result.warnings
    assert "letter does not fit one page" in notice.message and "past page one: paragraph" in notice.message
    assert "the closing and signature" in notice.message


@pytest.mark.slow
def test_a_standalone_letter_file_builds_beside_its_profile_and_says_who_it_is_for(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS / "letter-file", root / "letter-file")
    shutil.copytree(SCENARIOS / "round-trip", root / "round-trip")
    letter_file = root / "letter-file" / "letters" / "open-application.yaml"
    result = build([letter_file], formats=["pdf", "docx", "md", "txt"], out_dir=tmp_path / "out")
    assert result.ok, result.failures
    stem = tmp_path / "out" / "profile" / "open-application"
    assert sorted(p.name for p in stem.parent.iterdir()) == [
        f"open-application.letter.{fmt}" for fmt in ("docx", "md", "pdf", "txt")
    ]
    text = stem.with_name("open-application.letter.txt").read_text(encoding="utf-8")
    assert "1 December 2026" in text and "Dear Dana Rivera," in text
    assert "Dana Rivera\nEngineering Manager\nNorthwind\n200 Market St\nSan Francisco\nCA" in text
    assert "I am writing to Northwind about the Staff Engineer opening." in text
    assert "Enclosure" not in text  # no resume goes with it
    markdown = stem.with_name("open-application.letter.md").read_text(encoding="utf-8")
    assert "Dana Rivera  \nEngineering Manager  \nNorthwind" in markdown
    assert "Kind regards," in pdf_text(stem.with_name("open-application.letter.pdf"))


# Privacy -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_redact_leaves_contact_fields_out_of_resume_and_letter_alike(tmp_path: Path) -> None:
    path = write_target(tmp_path, "letter:\n  body: [Hello.]\n", extra="redact: [email]\ntags: {exclude: [contact]}\n")
    out = tmp_path / "out"
    result = build([path], formats=["pdf", "docx", "html", "txt", "letter", "packet"], out_dir=out, check=True)
    assert result.ok, [o.check.summary() for o in result.outputs if o.check and not o.check.ok]
    email = "saisushantht@gmail.com"
    written = [o.path for o in result.outputs]
    assert len(written) >= 9
    for output in written:
        data = output.read_bytes()
        text = (
            extract_pdf_text(data)
            if output.suffix == ".pdf"
            else (extract_docx_text(data) if output.suffix == ".docx" else data.decode("utf-8"))
        )
        assert email not in text, output.name
    runner = CliRunner()
    result_cli = runner.invoke(
        main, ["build", str(path), "--out", str(tmp_path / "o2"), "--format", "txt,letter", "--redact", "location"]
    )
    assert result_cli.exit_code == 0, result_cli.output
    for txt in (tmp_path / "o2").rglob("*.txt"):
        assert "Hyderabad, India" not in txt.read_text(encoding="utf-8")
    bad = runner.invoke(main, ["build", str(path), "--redact", "shoe-size"])
    assert bad.exit_code == 2 and "unknown field 'shoe-size'" in bad.output


def test_format_rejects_an_unknown_document(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--format", "pdf,leter"])
    assert result.exit_code == 2 and "unknown format 'leter'" in result.output


# Languages ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_german_target_writes_its_letter_in_german_words_and_dates(tmp_path: Path) -> None:
    path = write_target(tmp_path, "letter:\n  date: 2026-03-01\n  body: [Ich bewerbe mich.]\n", extra="locale: de\n")
    out = tmp_path / "out"
    result = build([path], formats=["txt", "pdf", "letter", "packet"], out_dir=out)
    assert result.ok, result.failures
    stem = stem_of(out, path)
    text = stem.with_name(f"{stem.name}.letter.txt").read_text(encoding="utf-8")
    assert "1. März 2026" in text and "Sehr geehrte Damen und Herren," in text and "Mit freundlichen Grüßen" in text
    assert "Anlage: Lebenslauf" in text
    assert not re.search(r"Dear|Kind regards|Enclosure|Resume\b|March", text)
    assert "Anlage: Lebenslauf" in pdf_text(stem.with_name(f"{stem.name}.letter.pdf"))
    packet = PdfReader(stem.with_name(f"{stem.name}.packet.pdf"))
    assert [item.title for item in packet.outline if not isinstance(item, list)] == ["Anschreiben", "Lebenslauf"]


@pytest.mark.slow
def test_a_short_letter_is_lifted_by_two_fifths_of_its_free_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lift was counted in points against a height in CSS px: a third too many steps, so a short
    letter sat below the middle of its page (eight paragraphs: 121 px above, of 249 px free)."""
    from cvforge.renderers import letter, pdf

    measured: list[tuple[float, int]] = []  # the page's free height, and the steps chosen for it
    laid_out: list[float] = []  # the free height of each one-page layout
    choose, lay_out = letter._lift_steps, pdf.lay_out

    def spy_steps(page: object) -> int:
        steps = choose(page)
        measured.append((pdf.free_height(page), steps))
        return steps

    def spy_layout(html: str, theme: object) -> object:
        made = lay_out(html, theme)  # type: ignore[arg-type]
        laid_out.extend(pdf.free_height(page) for page in made.pages[:1] if len(made.pages) == 1)
        return made

    monkeypatch.setattr(letter, "_lift_steps", spy_steps)
    monkeypatch.setattr(pdf, "lay_out", spy_layout)
    paragraph = (
        "'I moved the payment services to an event-driven design, "
        "cut latency by 40 percent and mentored four engineers.'"
    )
    path = write_target(tmp_path, f"letter:\n  body: [{', '.join([paragraph] * 8)}]\n")
    result = build([path], formats=["letter"], out_dir=tmp_path / "out")
    assert result.ok, result.failures
    [(free, steps)] = measured
    step = letter.LIFT_STEP_MM * 96 / 25.4
    assert 0 < steps < letter.LIFT_STEPS  # a short letter, not one lifted to the cap
    assert steps * step <= 0.4 * free < (steps + 1) * step  # two fifths of the free space above it
    assert laid_out[-1] == pytest.approx(free - steps * step, abs=0.5)  # and the page moved by that much
    stem = stem_of(tmp_path / "out", path)
    assert "event-driven design" in pdf_text(stem.with_name(f"{stem.name}.letter.pdf"))


def test_a_hebrew_letter_in_word_runs_right_to_left(tmp_path: Path) -> None:
    path = write_target(tmp_path, "letter:\n  body: [אני מגישה מועמדות.]\n", extra="locale: he\n")
    result = build([path], formats=["docx", "letter"], out_dir=tmp_path / "out")
    assert result.ok, result.failures
    stem = stem_of(tmp_path / "out", path)
    with zipfile.ZipFile(stem.with_name(f"{stem.name}.letter.docx")) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    body = xml[xml.index("אני מגישה") - 600 : xml.index("אני מגישה")]
    assert "<w:bidi/>" in body and "<w:rtl/>" in body and 'w:bidi="he' in xml


@pytest.mark.parametrize("target", WITH_LETTERS, ids=lambda p: p.stem)
def test_the_word_letter_is_set_as_its_pdf(project_build: ProjectBuild, target: Path) -> None:
    """Prose at the PDF's letter size (10.5–11 pt, not the resume's 9.5), and a short letter lowered
    on its page by the PDF's lift, so Word does not leave its bottom third blank (issue 26)."""
    from docx import Document

    from cvforge.renderers.docx.letter import LETTER_TYPE
    from cvforge.renderers.letter import LIFT_STEP_MM

    stem = stem_of(project_build.out, target)
    word = Document(str(stem.with_name(stem.name + ".letter.docx")))
    spec = load_target(target).target.letter
    assert spec is not None
    # the letter opens with its date, set below the masthead (10 pt) and the lift the PDF used
    starts = [i for i, p in enumerate(word.paragraphs) if (b := p.paragraph_format.space_before) and b.pt >= 10]
    assert starts, "no date paragraph below the masthead"
    dated = word.paragraphs[starts[0]]
    assert any(ch.isdigit() for ch in dated.text), dated.text
    assert dated.paragraph_format.space_before.pt >= 10 + LIFT_STEP_MM * 72 / 25.4  # lifted, as the PDF is
    letter = [p for p in word.paragraphs[starts[0] :] if p.text.strip()]
    assert len(letter) >= len(spec.body) + 3  # date, recipient, salutation, body, closing, name
    sizes = {run.font.size.pt if run.font.size else None for p in letter for run in p.runs}
    assert sizes <= {size for size, _, _ in LETTER_TYPE.values()}, sizes
