"""The public Python API (`import cvforge`): what a backend, a notebook or a test calls."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

import cvforge
from tests.helpers.project import PROFILES, ROOT, SCENARIOS

SEED = ROOT / "profiles" / "rajkumar.yaml"
JSON_RESUME = ROOT / "tests" / "fixtures" / "jsonresume"


def test_all_names_exist_and_import_is_light() -> None:
    for name in cvforge.__all__:
        assert getattr(cvforge, name) is not None
    # `import cvforge` must not pull in the rendering stack (the CLI's --version imports it too).
    code = "import sys, cvforge; print(sorted(m for m in ('weasyprint', 'docx', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_errors_do_not_depend_on_click() -> None:
    import click

    assert not issubclass(cvforge.CvforgeError, click.ClickException)
    assert issubclass(cvforge.ProfileError, cvforge.CvforgeError)
    assert issubclass(cvforge.TargetError, cvforge.ProfileError)
    assert issubclass(cvforge.UsageError, cvforge.CvforgeError)


def test_py_typed_ships() -> None:
    assert (Path(cvforge.__file__).parent / "py.typed").is_file()


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_load_from_path_string_text_and_dict_agree(path: Path) -> None:
    from_path = cvforge.load(path)
    assert cvforge.load(str(path)) == from_path
    assert cvforge.load(path.read_text(encoding="utf-8")) == from_path
    assert cvforge.load(from_path.model_dump(mode="json", exclude_none=True)) == from_path
    assert cvforge.load(from_path) is from_path


def test_load_json_text_and_foreign_formats() -> None:
    resume = next(JSON_RESUME.glob("*.json"))
    from_file = cvforge.load(resume)
    assert cvforge.load(resume.read_text(encoding="utf-8")) == from_file
    assert cvforge.load(json.loads(resume.read_text(encoding="utf-8"))) == from_file
    rendercv = cvforge.load(ROOT / "tests" / "fixtures" / "rendercv" / "starter.yaml")
    assert rendercv.person.name


def test_broken_profile_problems_match_the_cli() -> None:
    scenario = SCENARIOS / "broken-profile"
    with pytest.raises(cvforge.ProfileError) as caught:
        cvforge.load(scenario / "profile.yaml")
    problems = caught.value.problems
    assert len(problems) == 14
    assert all(p.line >= 1 and p.column >= 1 and p.message for p in problems)
    expected = (scenario / "expected-errors.txt").read_text(encoding="utf-8")
    shown = [str(p).split(": ", 1)[1] for p in problems]  # the file name differs (relative vs as given)
    for line in shown:
        assert line in expected


def test_text_and_dict_problems_are_located() -> None:
    with pytest.raises(cvforge.ProfileError) as caught:
        cvforge.load("person:\n  name: Jane\nexperience:\n  - title: Dev\n    start: 2024-13\n")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == ("<string>", 5, "experience[0].start")
    with pytest.raises(cvforge.ProfileError) as caught:
        cvforge.load({"person": {"name": "Jane"}, "experiense": []})
    (problem,) = caught.value.problems
    assert problem.file == "<dict>" and problem.line == 0
    assert "experience" in problem.message  # did you mean
    assert str(problem).startswith("<dict>: ")
    with pytest.raises(cvforge.ProfileError, match="file not found"):
        cvforge.load("no-such-profile.yaml")
    with pytest.raises(cvforge.UsageError):
        cvforge.load(42)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seed() -> cvforge.Profile:
    return cvforge.load(SEED)


@pytest.mark.slow
def test_render_every_format_to_bytes(seed: cvforge.Profile) -> None:
    pdf = cvforge.render(seed, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert seed.person.name in reader.pages[0].extract_text()
    docx = cvforge.render(seed, "docx", theme="modern")
    assert seed.person.name in "\n".join(p.text for p in WordDocument(io.BytesIO(docx)).paragraphs)
    assert zipfile.is_zipfile(io.BytesIO(docx))
    html = cvforge.render(seed, "html", options={"accent": "#0a7d5a"}).decode()
    assert "<html" in html and seed.person.name in html and "#0a7d5a" in html.lower()
    assert seed.person.name in cvforge.render(seed, "md").decode()
    assert seed.person.name in cvforge.render(SEED, "txt").decode()
    pages = cvforge.render(seed, "png")
    assert isinstance(pages, list) and len(pages) == len(reader.pages)
    assert all(page.startswith(b"\x89PNG") for page in pages)
    with pytest.raises(cvforge.UsageError, match="unknown format"):
        cvforge.render(seed, "odt")  # type: ignore[call-overload]
    with pytest.raises(cvforge.ThemeError):
        cvforge.render(seed, "html", theme="no-such-theme")


@pytest.mark.slow
def test_check_reads_bytes_and_files(seed: cvforge.Profile, tmp_path: Path) -> None:
    pdf = cvforge.render(seed, "pdf")
    report = cvforge.check(pdf, seed)
    assert report.ok, report.summary()
    docx = tmp_path / "cv.docx"
    docx.write_bytes(cvforge.render(seed, "docx"))
    assert cvforge.check(docx, SEED).ok
    other = cvforge.load({"person": {"name": "Somebody Else"}})
    assert not cvforge.check(pdf, other).ok
    with pytest.raises(cvforge.CheckError):
        cvforge.check(b"not a document", seed)


def test_tailor_and_load_target() -> None:
    target_path = next((ROOT / "targets").glob("rajkumar-*.yaml"))
    target = cvforge.load_target(target_path)
    profile = cvforge.load(target.profile_path)
    tailored = cvforge.tailor(profile, target)
    assert tailored.person.name == profile.person.name
    assert tailored != profile  # the target selects, orders or trims something
    assert cvforge.tailor(target.profile_path, target_path) == tailored
    with pytest.raises(cvforge.TargetError):
        cvforge.load_target(SCENARIOS / "broken-target" / "target.yaml")


def test_build_is_the_cli_build(tmp_path: Path) -> None:
    result = cvforge.build([SEED], out_dir=tmp_path, formats=["html", "md"])
    assert result.ok
    assert sorted(o.path.name for o in result.outputs) == ["rajkumar.html", "rajkumar.md"]
    again = cvforge.build([str(SEED)], out_dir=tmp_path, formats=["html", "md"])
    assert all(o.unchanged for o in again.outputs)
    with pytest.raises(cvforge.UsageError):
        cvforge.build([SEED], out_dir=tmp_path, formats=["odt"])
    # `letter` and `packet` are documents a target's letter makes; a profile makes none of them.
    lettered = cvforge.build([SEED], out_dir=tmp_path / "l", formats=["md", "letter", "packet"], redact=["phone"])
    assert lettered.ok and [o.path.name for o in lettered.outputs] == ["rajkumar.md"]
    with pytest.raises(cvforge.UsageError, match="unknown field 'fax'"):
        cvforge.build([SEED], out_dir=tmp_path, formats=["md"], redact=["fax"])
    broken = cvforge.build([SCENARIOS / "broken-profile" / "profile.yaml"], out_dir=tmp_path, formats=["md"])
    assert not broken.ok and "14 problems found" in broken.failures[0].message


@pytest.mark.slow
def test_build_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from cvforge.builder import dask_warm

    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = cvforge.build(
            PROFILES, out_dir=tmp_path / "dask", formats=["pdf", "docx"], executor=client.get_executor()
        )
        again = cvforge.build(PROFILES, out_dir=tmp_path / "again", formats=["pdf"], executor=client.get_executor())
        # every worker warmed itself once as the first build began (imports, WeasyPrint, the theme's
        # fonts), not once per job nor per build
        warmed = client.run(lambda: (list(dask_warm.WARM_UPS), "weasyprint" in sys.modules))
    assert result.ok and again.ok, (result.failures, again.failures)
    assert len(warmed) == 2 and all(state == ([""], True) for state in warmed.values()), warmed
    local = cvforge.build(PROFILES, out_dir=tmp_path / "local", formats=["pdf", "docx"])
    assert [o.path.name for o in result.outputs] == [o.path.name for o in local.outputs]
    for remote, here in zip(result.outputs, local.outputs, strict=True):
        assert remote.path.read_bytes() == here.path.read_bytes(), remote.path.name


@pytest.mark.slow
def test_python_dash_m(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "cvforge", "--version"], capture_output=True, text=True, check=True)
    assert cvforge.__version__ in run.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "cvforge", "validate", str(SCENARIOS / "broken-profile" / "profile.yaml")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "14 problems found" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_the_api_prints_nothing(tmp_path: Path) -> None:
    """Warnings are log records: without logging configured, Python's last resort must not print them."""
    code = f"""
import cvforge
profile = cvforge.load({{"person": {{"name": "Jane Doe", "photo": "https://example.com/jane.jpg"}}}})
cvforge.render(profile, "txt")
cvforge.build([{str(SEED)!r}], out_dir={str(tmp_path)!r}, formats=["md"])
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (run.stdout, run.stderr) == ("", "")
    shown = "import logging, cvforge; logging.basicConfig(); cvforge.load({'person': {'name': 'J', 'photo': 'https://a.b/c.jpg'}})"
    run = subprocess.run([sys.executable, "-c", shown], capture_output=True, text=True, check=True)
    assert "remote image" in run.stderr  # a program that configures logging does see them
