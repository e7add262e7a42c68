"""A job's PDF never depends on which worker built it or what that worker built before (issue 24.1).

Resumes in Japanese, Korean, Chinese, Hebrew and Arabic, a JSON Resume mixing Japanese and Arabic
and a Latin one are built three ways: together with two workers (forked from this process, which
has laid out other PDFs already), together in one process, and each alone in a process of its own.
Every file must be byte-identical across the three, and each must embed its own script's face:
WeasyPrint decided whether a face was loaded by a file in a folder that forked workers shared, so
a face one worker loaded was never loaded in the other (Chinese drawn in the Korean face, or bars).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cvforge.builder.run import build
from tests.helpers.project import ROOT
from tests.helpers.textlayer import embedded_fonts

CLI = Path(sys.executable).with_name("cvforge")
FIXTURES = ROOT / "tests" / "fixtures" / "international"
SOURCES = {
    "ja.yaml": FIXTURES / "ja.yaml",
    "ko.yaml": FIXTURES / "ko.yaml",
    "zh-Hans.yaml": FIXTURES / "zh-Hans.yaml",
    "he.yaml": FIXTURES / "he.yaml",
    "ar.yaml": FIXTURES / "ar.yaml",
    "de.yaml": FIXTURES / "de.yaml",
    "mixed.json": ROOT / "tests" / "scenarios" / "jsonresume-unicode-dates" / "resume.json",
}
# The face each PDF must embed: its script's own (a PDF's BaseFont names the family, spaces as hyphens).
OWN_FACE = {
    "ja": "Noto-Sans-JP",
    "ko": "Noto-Sans-KR",
    "zh-Hans": "Noto-Sans-SC",
    "he": "Noto-Sans-Hebrew",
    "ar": "Noto-Sans-Arabic",
    "mixed": "Noto-Sans-JP",
}


@pytest.fixture(scope="module")
def three_ways(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """PDF bytes by way of building ("parallel", "serial", "alone") and by profile stem."""
    folder = tmp_path_factory.mktemp("isolation")
    inputs = folder / "profiles"
    inputs.mkdir()
    for name, source in SOURCES.items():
        shutil.copy(source, inputs / name)
    paths = sorted(inputs.iterdir())
    # a warm, busy parent: it has laid out a Latin page first, as a build's pool does before forking
    build([inputs / "de.yaml"], formats=("pdf",), out_dir=folder / "warm", force=True)
    made: dict[str, dict[str, bytes]] = {}
    for way, workers in (("parallel", 2), ("serial", 1)):
        result = build(paths, formats=("pdf",), out_dir=folder / way, force=True, workers=workers)
        assert result.ok, result.failures
        made[way] = {p.stem: p.read_bytes() for p in (folder / way).glob("*.pdf")}
    environment = {**os.environ, "CVFORGE_CACHE_DIR": os.environ.get("CVFORGE_CACHE_DIR", str(folder / "cache"))}
    for path in paths:
        subprocess.run(
            [str(CLI), "build", str(path), "--format", "pdf", "--out", str(folder / "alone"), "--quiet"],
            check=True,
            env=environment,
            capture_output=True,
        )
    made["alone"] = {p.stem: p.read_bytes() for p in (folder / "alone").glob("*.pdf")}
    return made


@pytest.mark.parametrize("stem", sorted(Path(name).stem for name in SOURCES))
def test_a_pdf_built_in_parallel_is_the_pdf_built_alone(three_ways: dict[str, dict[str, bytes]], stem: str) -> None:
    alone = three_ways["alone"][stem]
    assert three_ways["parallel"][stem] == alone, f"{stem}.pdf differs when built by two workers"
    assert three_ways["serial"][stem] == alone, f"{stem}.pdf differs when built after others in one process"


@pytest.mark.parametrize("stem", sorted(OWN_FACE))
def test_every_pdf_built_in_parallel_embeds_its_own_script(three_ways: dict[str, dict[str, bytes]], stem: str) -> None:
    faces = embedded_fonts(three_ways["parallel"][stem])
    assert any(face.startswith(OWN_FACE[stem]) for face in faces), f"{stem}.pdf embeds only {sorted(faces)}"


def test_a_latin_resume_embeds_no_script_face(three_ways: dict[str, dict[str, bytes]]) -> None:
    """Faces registered for earlier jobs in the same worker never reach a later one's PDF."""
    faces = embedded_fonts(three_ways["parallel"]["de"])
    assert faces and not [face for face in faces if face.startswith("Noto-Sans")], sorted(faces)
