"""A long resume is told it is long, `--page-limit N` fits it the way a target's page_limit does,
and a profile nobody can contact still warns (and fails `--strict`). Read from the real outputs:
PDF pages, DOCX paragraphs, the HTML's text, and what `build` prints."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader
from ruamel.yaml import YAML

from cvforge.builder.page_budget import LONG_PAGES, long_resume_note, pdf_pages
from cvforge.cli import main
from cvforge.reader.read import load_profile
from tests.helpers.project import PROFILES

RAJKUMAR = next(path for path in PROFILES if path.stem == "rajkumar")
SAI = next(path for path in PROFILES if path.stem.startswith("sai"))
NOTE = re.compile(r"^note: (?P<source>\S+): (?P<message>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Run:
    result: Result
    out: Path

    @property
    def notes(self) -> list[tuple[str, str]]:
        return [(m["source"], m["message"]) for m in NOTE.finditer(self.result.stderr)]


def build(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", *args])


def long_profile(folder: Path) -> Path:
    """Sai's profile (nothing missing, so nothing warns) with every role and project three times:
    a resume well past two pages that `--strict` has no warning to fail on."""
    yaml = YAML()
    data = yaml.load(SAI.read_text(encoding="utf-8"))
    for key in ("experience", "projects"):
        items = list(data[key])
        for copy in (2, 3):
            for item in items:
                clone = json.loads(json.dumps(item, default=str))
                if key == "projects":
                    clone["name"] = f"{clone['name']} ({copy})"
                else:
                    clone["organisation"] = f"{clone.get('organisation', 'Org')} {copy}"
                data[key].append(clone)
    path = folder / "long-sai.yaml"
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    return path


@pytest.fixture(scope="module")
def long_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """One long profile built three ways: plainly (then again, unchanged), strictly, and with --page-limit 2."""
    folder = tmp_path_factory.mktemp("long")
    profile = str(long_profile(folder))
    runs: dict[str, Run] = {}
    for name, args in {
        "plain": ["--format", "pdf,html"],
        "again": ["--format", "pdf,html"],
        "strict": ["--format", "pdf", "--strict", "--force"],
        "limited": ["--format", "pdf,docx,html,md", "--page-limit", str(LONG_PAGES), "--check"],
        "limited-again": ["--format", "pdf,docx,html,md", "--page-limit", str(LONG_PAGES), "--json"],
    }.items():
        out = folder / ("limited" if name.startswith("limited") else "plain")
        runs[name] = Run(build(profile, "-o", str(out), *args), out)
    return runs


def test_the_note_names_the_pages_and_both_ways_to_two() -> None:
    assert long_resume_note(LONG_PAGES, target=False) is None
    note = long_resume_note(5, target=False)
    assert note is not None and "5 pages" in note
    assert f"page_limit: {LONG_PAGES}" in note and f"--page-limit {LONG_PAGES}" in note
    assert "this target" in (long_resume_note(3, target=True) or "")


def test_a_long_resume_gets_one_line_and_stays_complete(long_builds: dict[str, Run]) -> None:
    run = long_builds["plain"]
    assert run.result.exit_code == 0, run.result.output
    pdf = run.out / "long-sai.pdf"
    pages = len(PdfReader(pdf).pages)
    assert pages > LONG_PAGES and pdf_pages(pdf.read_bytes()) == pages
    assert len(run.notes) == 1, run.result.stderr
    source, message = run.notes[0]
    assert source.endswith("long-sai.yaml") and f"{pages} pages" in message and "--page-limit 2" in message
    assert "\n" not in message
    html = (run.out / "long-sai.html").read_text(encoding="utf-8")
    assert "(3)" in html and "warning" not in run.result.stderr  # the default build leaves nothing out
    again = long_builds["again"]  # nothing changed: nothing built, the same line said again
    assert "0 file(s) written" in again.result.output and again.notes == run.notes


def test_the_note_is_not_a_warning_strict_builds_it(long_builds: dict[str, Run]) -> None:
    run = long_builds["strict"]
    assert run.result.exit_code == 0, run.result.output
    assert len(run.notes) == 1 and "wrote" in run.result.output


def test_page_limit_fits_the_paged_formats_by_the_profile_s_order(long_builds: dict[str, Run]) -> None:
    run = long_builds["limited"]
    assert run.result.exit_code == 0, run.result.output
    assert "parser check: 2 of 2 PDF/DOCX file(s) complete" in run.result.output  # against the fitted profile
    assert len(PdfReader(run.out / "long-sai.pdf").pages) <= LONG_PAGES
    [(_, message)] = run.notes
    assert message.startswith(f"--page-limit {LONG_PAGES}: the PDF is ") and "left out" in message
    assert "projects “" in message and "(3)" in message  # names what went, the last copies first
    word = "\n".join(p.text for p in docx.Document(str(run.out / "long-sai.docx")).paragraphs)
    html = (run.out / "long-sai.html").read_text(encoding="utf-8")
    markdown = (run.out / "long-sai.md").read_text(encoding="utf-8")
    # the profile's own order: what it puts last goes first, so the last copies' projects leave the page
    assert "(3)" not in word and "(3)" in html and "(3)" in markdown
    sai = load_profile(SAI)
    assert sai.person.name in word and all(role.title in word for role in sai.experience if role.title)


def test_an_unchanged_limited_build_says_what_it_left_out_again(long_builds: dict[str, Run]) -> None:
    first, again = long_builds["limited"], long_builds["limited-again"]
    summary = json.loads(again.result.stdout)
    assert summary["ok"] and summary["jobs"]["unchanged"] == 1
    assert [(n["source"], n["message"]) for n in summary["notes"]] == first.notes


def test_a_profile_nobody_can_contact_warns_and_fails_strict(tmp_path: Path) -> None:
    warned = build(str(RAJKUMAR), "--format", "md", "-o", str(tmp_path / "a"))
    assert warned.exit_code == 0
    assert "warning:" in warned.stderr and "nobody reading this resume can contact" in warned.stderr
    strict = build(str(RAJKUMAR), "--format", "md", "--strict", "-o", str(tmp_path / "b"))
    assert strict.exit_code == 1
    assert "nobody reading this resume can contact" in strict.stderr
    assert "warnings are errors with --strict" in strict.stderr
    assert not (tmp_path / "b" / "rajkumar.md").exists()
