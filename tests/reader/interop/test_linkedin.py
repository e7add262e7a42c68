"""LinkedIn's data export in: a ZIP of CSV files with LinkedIn's quirks (BOM, multi-line quoted
descriptions, notes above the header, "Mar 2021", an empty "Finished On" for the current role) reads
as a clean profile; the ZIP gets every ZIP's limits; it builds in every theme and `check` finds every
role, school and skill. The archive is a fictional person's (tests/fixtures/linkedin/archive/)."""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.builder.run import build
from cvforge.cli import main
from cvforge.errors import ProfileError
from cvforge.reader.archive import MAX_ENTRIES
from cvforge.reader.interop.linkedin import COLUMNS, parse_csv, parse_date, split_description
from cvforge.reader.read import load_profile
from tests.helpers.outputs import docx_text, normalise, pdf_text
from tests.helpers.project import FIXTURES, THEMES

ARCHIVE = FIXTURES / "linkedin" / "archive"


def zip_archive(target: Path, files: dict[str, bytes] | None = None) -> Path:
    """The fixture's CSV files as LinkedIn ships them: one ZIP, the files at its top level."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for path in sorted(ARCHIVE.glob("*.csv")):
            package.writestr(path.name, path.read_bytes())
        for name, data in (files or {}).items():
            package.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def linkedin_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_archive(tmp_path_factory.mktemp("linkedin") / "linkedin.zip")


def _rows(name: str) -> list[dict[str, str]]:
    return parse_csv((ARCHIVE / name).read_bytes(), name, name)


def test_the_fixture_has_every_listed_file_and_the_quirks() -> None:
    for name in COLUMNS:
        raw = (ARCHIVE / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}: LinkedIn writes a BOM"
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert tuple(header) == COLUMNS[name], name
    assert b'"Leads the streaming platform team.\r\n- Moved' in (ARCHIVE / "Positions.csv").read_bytes() or (
        b'"Leads the streaming platform team.\n- Moved' in (ARCHIVE / "Positions.csv").read_bytes()
    )
    assert (ARCHIVE / "Connections.csv").read_bytes().startswith(b"\xef\xbb\xbfNotes:")


def test_csv_quirks() -> None:
    rows = _rows("Positions.csv")
    assert rows[0]["Company Name"] == "Tidewater Freight"  # no BOM glued to the first column
    assert "\n- Designed the event schema registry" in rows[0]["Description"]  # one cell, many lines
    assert rows[0]["Finished On"] == ""
    noted = b'\xef\xbb\xbfNotes:\r\n"A note, with a comma"\r\n\r\nName\r\nKafka\r\n'
    assert parse_csv(noted, "Skills.csv", "x") == [{"Name": "Kafka"}]  # notes above the header are skipped
    assert (parse_date("Mar 2021"), parse_date("2013"), parse_date("15 Mar 2021"), parse_date("soon")) == (
        "2021-03",
        "2013",
        "2021-03-15",
        None,
    )
    assert parse_date("Oct 10, 2023") == "2023-10-10"


def test_description_lines_become_bullets_only_when_bulleted() -> None:
    assert split_description("Leads the team.\n- Moved jobs\n- Designed the registry") == (
        "Leads the team.",
        ["Moved jobs", "Designed the registry"],
    )
    assert split_description("• Built the platform\n  that runs 600 DAGs\n• Cut spend") == (
        None,
        ["Built the platform that runs 600 DAGs", "Cut spend"],
    )
    prose = "Built the claims pipeline, processing 2 million claims a day."
    assert split_description(prose) == (prose, [])


def test_the_archive_reads_as_a_clean_profile(linkedin_zip: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        profile = load_profile(linkedin_zip)
    person = profile.person
    assert (person.name, person.location, person.email, person.phone) == (
        "Marisol Ketterby",
        "Porto, Portugal",
        "marisol@ketterby.example.dev",  # the primary address
        "+351 912 345 678",
    )
    assert [link.url for link in person.links][:3] == [
        "https://marisol-ketterby.example.dev",
        "https://blog.marisol-ketterby.example.dev",
        "https://x.com/mketterby",
    ]
    assert [link.network for link in person.links][:3] == ["Portfolio", "Blog", "X"]
    assert len(person.summary) == 2
    roles = profile.experience
    assert [(r.organisation, r.title) for r in roles] == [
        ("Tidewater Freight", "Staff Data Engineer"),
        ("Tidewater Freight", "Senior Data Engineer"),
        ("Hollins Health", "Data Engineer"),
    ]
    assert roles[0].end == "present" and roles[0].start is not None and roles[0].start.iso() == "2021-03"
    assert roles[0].summary == "Leads the streaming platform team." and len(roles[0].bullets) == 3
    assert roles[2].bullets == [] and roles[2].summary is not None  # prose stays prose
    assert profile.skills.groups[0].items[:2] == ["Apache Kafka", "Apache Spark"]
    assert [e.institution for e in profile.education] == ["Universidade do Porto", "Instituto Superior Técnico"]
    assert profile.publications[0].venue == "Data Engineering Weekly"
    assert profile.certifications[0].issuer == "Confluent"
    assert profile.awards[0].title == "Engineering Excellence Award"
    assert [lang.language for lang in profile.languages] == ["Portuguese", "English", "Spanish"]
    assert profile.projects[0].links[0].url == "https://github.com/mketterby/streamcheck"
    assert {section.title: section.kind for section in profile.custom} == {
        "Courses": "bullets",
        "Volunteering": "entries",
    }
    notes = [r.getMessage() for r in caplog.records if "not imported" in r.getMessage()]
    assert len(notes) == 1, notes  # one notice for every column with no home
    for column in ("Birth Date", "Industry", "License Number"):
        assert column in notes[0]


def test_import_writes_a_profile_that_loads_the_same(linkedin_zip: Path, tmp_path: Path) -> None:
    out = tmp_path / "me.yaml"
    result = CliRunner().invoke(main, ["import", str(linkedin_zip), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_profile(out) == load_profile(linkedin_zip)


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"../evil.csv": b"x"}, "points outside the archive"),
        ({"/abs.csv": b"x"}, "points outside the archive"),
        ({f"f{i}.txt": b"" for i in range(MAX_ENTRIES)}, "entries (the limit is"),
        ({"big.bin": bytes(65 * 1024 * 1024)}, "once unpacked"),
    ],
    ids=["dotdot", "absolute", "entries", "bomb"],
)
def test_the_zip_gets_every_zips_limits(tmp_path: Path, extra: dict[str, bytes], why: str) -> None:
    bad = zip_archive(tmp_path / "bad.zip", extra)
    with pytest.raises(ProfileError) as caught:
        load_profile(bad)
    assert why in str(caught.value)


def test_an_encrypted_entry_is_refused(tmp_path: Path) -> None:
    bad = zip_archive(tmp_path / "enc.zip")
    raw = bytearray(bad.read_bytes())
    # Set the "encrypted" flag of the first entry, in its local and central headers.
    raw[6] |= 1
    central = raw.find(b"PK\x01\x02")
    raw[central + 8] |= 1
    bad.write_bytes(bytes(raw))
    with pytest.raises(ProfileError) as caught:
        load_profile(bad)
    assert "encrypted" in str(caught.value)


def test_a_file_that_is_not_an_archive_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "linkedin.zip"
    bad.write_text("not a zip")
    result = CliRunner().invoke(main, ["import", str(bad), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "not a LinkedIn data export" in result.output
    assert "Traceback" not in result.output


# --- built in every theme, and read back ---------------------------------------------------------


@pytest.fixture(scope="session")
def built_linkedin(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    source = zip_archive(tmp_path_factory.mktemp("linkedin-src") / "linkedin.zip")
    outs = {}
    for theme in THEMES:
        out = tmp_path_factory.mktemp(f"linkedin-{theme}")
        result = build([source], out_dir=out, formats=("pdf", "docx"), theme_name=theme, check=True)
        assert result.ok, result.failures
        outs[theme] = out
    return outs


EXPECTED = [
    "Staff Data Engineer",
    "Senior Data Engineer",
    "Data Engineer",
    "Tidewater Freight",
    "Hollins Health",
    "Universidade do Porto",
    "Instituto Superior Técnico",
    *(row["Name"] for row in _rows("Skills.csv")),
    "Exactly-once delivery in practice",
]


@pytest.mark.parametrize("theme", THEMES)
def test_the_archive_builds_in_every_theme_and_check_finds_it_all(built_linkedin: dict[str, Path], theme: str) -> None:
    out = built_linkedin[theme]
    pdf = normalise(pdf_text(out / "linkedin.pdf"))
    docx = normalise(docx_text(out / "linkedin.docx"))
    for text in EXPECTED:
        assert normalise(text) in pdf, (theme, text)
        assert normalise(text) in docx, (theme, text)
