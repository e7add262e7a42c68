"""The cvforge process's own costs: WeasyPrint imported without ctypes' library search and without
parsing its C declarations, and the process ended at once after a command, with its exit code, its
output and no temporary folder left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.project import ROOT

SEED = ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"

NO_SEARCH = """
import ctypes.util, sys
def searched(name):
    raise SystemExit(f"find_library({name!r}) was called")
ctypes.util.find_library = searched
from cvforge.renderers.weasyload import import_weasyprint
import_weasyprint()
import weasyprint.text.ffi as ffi
assert ffi.pango is not None and ffi.harfbuzz is not None
assert ctypes.util.find_library is searched, "the library search was not given back"
print("loaded")
"""


# What WeasyPrint's libraries answer through the declarations, and which way they were read.
DECLARED = """
import importlib.metadata, logging, sys
from cvforge.renderers import weasyprint_ffi
{tamper}
from cvforge.renderers.weasyload import import_weasyprint
import_weasyprint()
import weasyprint
from weasyprint.text.ffi import ffi, pango, harfbuzz
from cvforge.readback.extract import extract_pdf_text as page_text
pdf = weasyprint.HTML(string="<p style='font-family: DejaVu Sans'>Grüße, déclarées</p>").write_pdf()
tag = harfbuzz.hb_tag_from_string(b"GSUB", 4)
once = len(logging.getLogger("weasyprint").handlers) == 1  # WeasyPrint's modules were each run once
print(type(ffi).__name__, "pycparser" in sys.modules, pango.pango_version() > 14400,
      hex(tag) == "0x47535542" and pango.pango_units_from_double(1.5) == 1536,
      "Grüße, déclarées" in page_text(pdf) and once,
      importlib.metadata.version("weasyprint") == weasyprint_ffi.WEASYPRINT_VERSION)
"""
TAMPERED = "weasyprint_ffi.CDEF_SHA256 = '0' * 64"


def declared(tamper: str = "") -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", DECLARED.format(tamper=tamper)], capture_output=True, text=True, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout.split()


def run_cvforge(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cvforge", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **env}
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sonames are how Linux names libraries")
def test_weasyprint_loads_without_searching_for_its_libraries() -> None:
    done = subprocess.run([sys.executable, "-c", NO_SEARCH], capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the prebuilt path is taken with the sonames")
def test_weasyprint_s_c_declarations_are_read_parsed_ahead_when_they_are_the_ones_it_declares() -> None:
    """The installed WeasyPrint is the one the declarations were made from (else they are parsed)."""
    kind, parsed, *answers, same_weasyprint = declared()
    assert answers == ["True"] * 3, "WeasyPrint's libraries answered otherwise through the declarations"
    if same_weasyprint == "True":  # the declarations ship for this version: they must be used
        assert (kind, parsed) == ("DeclaredAhead", "False"), "pycparser parsed WeasyPrint's declarations"
        checked = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "prebuild_weasyprint_ffi.py"), "--check"],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
    else:  # another WeasyPrint: its own source is parsed, as without cvforge
        assert (kind, parsed) == ("FFI", "True")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the prebuilt path is taken with the sonames")
def test_other_declarations_are_parsed_as_usual() -> None:
    """Declarations that are not the prebuilt ones' source (a WeasyPrint upgrade) take cffi's parser."""
    kind, parsed, *answers, _ = declared(TAMPERED)
    assert (kind, parsed) == ("FFI", "True")
    assert answers == ["True"] * 3


FROZEN = """
import gc, sys
from cvforge.renderers import weasyload
weasyload.freeze_after_import = sys.argv[1] == "one-shot"
gc.disable() if sys.argv[2] == "off" else None
weasyload.import_weasyprint()
print(gc.get_freeze_count(), gc.isenabled(), "weasyprint.document" in sys.modules)
"""
FLAGGED = """
import sys
from cvforge.cli.quick_exit import run_then_exit
from cvforge.renderers import weasyload
run_then_exit(lambda: print(weasyload.freeze_after_import), ["cvforge", sys.argv[1], "x"])
"""


def test_a_one_shot_command_keeps_the_collector_off_what_weasyprint_s_import_made() -> None:
    """Frozen after the import in a one-shot command only; a library user's process is left alone."""

    def run(script: str, *args: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=os.environ)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    frozen, enabled, imported = run(FROZEN, "one-shot", "on")
    assert int(frozen) > 50_000 and (enabled, imported) == ("True", "True")
    assert run(FROZEN, "one-shot", "off")[1] == "False"  # the collector's state is given back as it was
    assert run(FROZEN, "library", "on") == ["0", "True", "True"]
    assert run(FLAGGED, "build") == ["True"]
    assert run(FLAGGED, "watch") == ["False"]  # a long-lived process's heap is collected as it grows


def test_exit_codes_and_messages_survive_the_quick_exit(tmp_path: Path) -> None:
    assert run_cvforge(["--version"], tmp_path).stdout.startswith("cvforge, version")
    missing = run_cvforge(["build", "nowhere.yaml"], tmp_path)
    assert missing.returncode == 2 and "no such file or folder: nowhere.yaml" in missing.stderr
    unknown = run_cvforge(["build", "--bogus"], tmp_path)
    assert unknown.returncode == 2 and "No such option '--bogus'" in unknown.stderr
    (tmp_path / "broken.yaml").write_text("person:\n  name: [unclosed\n", "utf-8")
    invalid = run_cvforge(["validate", "broken.yaml"], tmp_path)
    assert invalid.returncode == 1 and "broken.yaml:3:1: invalid YAML" in invalid.stderr
    assert "Traceback" not in invalid.stderr


@pytest.mark.slow
def test_a_pdf_build_ends_with_its_files_written_and_no_font_folder_left(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    (tmp_path / SEED.name).write_bytes(SEED.read_bytes())
    built = run_cvforge(["build", SEED.name, "--format", "pdf,md", "--jobs", "1"], tmp_path, TMPDIR=str(temp))
    assert built.returncode == 0, built.stderr
    assert "sai-sushanth-thakkalapally.pdf" in built.stdout  # the report reached the pipe before the exit
    pdf = (tmp_path / "out" / "sai-sushanth-thakkalapally.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert "Thakkalapally" in (tmp_path / "out" / "sai-sushanth-thakkalapally.md").read_text("utf-8")
    assert not list(temp.glob("weasyprint-*")), "WeasyPrint's font folder was left behind"


def test_only_weasyprint_s_ffi_module_is_given_the_prebuilt_declarations() -> None:
    """While WeasyPrint imports, another caller of cffi.FFI (another thread, another library) gets cffi's own."""
    import threading

    import cffi

    from cvforge.renderers import weasyload

    made: list[object] = []
    with weasyload._declarations_parsed_ahead():
        made.append(cffi.FFI())
        worker = threading.Thread(target=lambda: made.append(cffi.FFI()))
        worker.start()
        worker.join()
        module = {"__name__": "weasyprint.text.ffi", "cffi": cffi}
        exec("ffi = cffi.FFI()", module)
    assert [type(ffi).__module__ for ffi in made] == ["cffi.api", "cffi.api"]
    assert type(module["ffi"]).__name__ == "DeclaredAhead"
    assert cffi.FFI is not None and type(cffi.FFI()).__module__ == "cffi.api"  # given back after the block


# A variable font (one weight axis), so WeasyPrint's PDF writer instantiates it with fontTools.
VARIABLE_FONT = """
import sys
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

def box():
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)); pen.lineTo((100, 700)); pen.lineTo((500, 700)); pen.lineTo((500, 0)); pen.closePath()
    return pen.glyph()

names = [".notdef", "space", "V", "a", "r"]
font = FontBuilder(1000, isTTF=True)
font.setupGlyphOrder(names)
font.setupCharacterMap({32: "space", ord("V"): "V", ord("a"): "a", ord("r"): "r"})
font.setupGlyf({name: box() for name in names})
font.setupHorizontalMetrics({name: (600, 100) for name in names})
font.setupHorizontalHeader(ascent=800, descent=-200)
font.setupNameTable({"familyName": "Varied", "styleName": "Regular"})
font.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
font.setupPost()
font.setupFvar([("wght", 100, 400, 900, "Weight")], [])
font.save(sys.argv[1])
"""

# What WeasyPrint's import left of fontTools, then what a variable font and a fontTools subset make of it.
DEFERRED = """
import io, json, logging, sys, types
from pathlib import Path
from cvforge.renderers.weasyload import import_weasyprint
HEAVY = ("fontTools.subset", "fontTools.varLib", "fontTools.varLib.instancer")
import_weasyprint()
after_import = [name for name in HEAVY if name in sys.modules]
import weasyprint
import weasyprint.pdf.fonts as pdf_fonts
said = []
logging.getLogger("weasyprint").addHandler(logging.Handler())
logging.getLogger("weasyprint").handlers[-1].emit = lambda record: said.append(record.getMessage())
font = Path(sys.argv[1]).as_uri()
style = f"@font-face {{ font-family: V; src: url({font}) }} p {{ font-family: V; font-weight: 700 }}"
page = f"<style>{style}</style><p>Var var"
pdf = weasyprint.HTML(string=page).write_pdf()
from pypdf import PdfReader
from fontTools.ttLib import TTFont
programs = [
    TTFont(io.BytesIO(descriptor["/FontFile2"].get_data()))
    for page in PdfReader(io.BytesIO(pdf)).pages
    for font in page["/Resources"]["/Font"].values()
    for descriptor in [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()]
]
import fontTools.subset
print(json.dumps({
    "after_import": after_import,
    "warnings": said,
    "embedded": [
        ("fvar" in program, program["OS/2"].usWeightClass)
        for program in programs if program["name"].getBestFamilyName() == "Varied"
    ],
    "instancer": type(sys.modules["fontTools.varLib.instancer"]) is types.ModuleType,
    "subset": pdf_fonts.subset.Subsetter is fontTools.subset.Subsetter
              and type(sys.modules["fontTools.subset"]) is types.ModuleType,
}))
"""


@pytest.mark.slow
def test_weasyprint_s_import_leaves_font_variation_and_subsetting_to_first_use(tmp_path: Path) -> None:
    """fontTools' instancer and subsetter (15 MiB) are imported when a variable font is written, not before."""
    import json

    font = tmp_path / "varied.ttf"
    subprocess.run([sys.executable, "-c", VARIABLE_FONT, str(font)], check=True)
    done = subprocess.run(
        [sys.executable, "-c", DEFERRED, str(font)], capture_output=True, text=True, env=os.environ, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["after_import"] == []
    assert not [said for said in seen["warnings"] if "variable font" in said], seen["warnings"]
    assert seen["embedded"] == [[False, 700]], "the variable font was not instantiated at the page's weight"
    assert seen["instancer"] and seen["subset"]


def test_a_stand_in_read_during_the_import_is_the_module_itself() -> None:
    """Whoever reads a deferred module while WeasyPrint imports gets the module, which then stays imported."""
    script = """
import sys, types
from cvforge.renderers import weasyload
with weasyload._font_variation_and_subsetting_on_first_use():
    import fontTools.subset as held
    stand_in = type(held) is not types.ModuleType
    options = held.Options
module = sys.modules["fontTools.subset"]
print(stand_in, options is module.Options, type(module) is types.ModuleType)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]


class _Cycle:
    """An object that refers to itself: freed only by the cyclic collector, as laid-out boxes are."""

    def __init__(self) -> None:
        self.itself = self


@pytest.mark.parametrize("one_shot", [True, False])
def test_a_one_shot_command_collects_the_pages_it_wrote(monkeypatch: pytest.MonkeyPatch, one_shot: bool) -> None:
    """What a written PDF's layout left in cycles is freed before the next format, in one-shot commands only."""
    import gc
    import weakref

    from cvforge.renderers import pdf, weasyload

    monkeypatch.setattr(weasyload, "freeze_after_import", one_shot)
    collecting = gc.isenabled()
    gc.disable()
    try:
        cycle = _Cycle()
        left = weakref.ref(cycle)
        del cycle
        pdf.let_go_of_pages()
        assert (left() is None) is one_shot
    finally:
        if collecting:
            gc.enable()


def test_the_pages_are_let_go_of_only_when_a_format_follows_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from cvforge.builder import prepare
    from cvforge.renderers import pdf

    made: list[str] = []
    monkeypatch.setattr(prepare, "render_files", lambda _doc, _theme, fmt, _dir: made.append(fmt) or {f".{fmt}": b""})
    monkeypatch.setattr(pdf, "let_go_of_pages", lambda: made.append("collected"))
    stem = Path("out") / "x"
    files = prepare.rendered_files(None, None, ["pdf", "docx", "html"], stem, Path())  # type: ignore[arg-type]
    assert made == ["pdf", "collected", "docx", "html"]
    assert sorted(path.name for path in files) == ["x.docx", "x.html", "x.pdf"]
    made.clear()
    prepare.rendered_files(None, None, ["html", "pdf", "letter"], stem, Path())  # type: ignore[arg-type]
    assert made == ["html", "pdf", "collected"]
    made.clear()
    prepare.rendered_files(None, None, ["docx", "pdf"], stem, Path())  # type: ignore[arg-type]
    assert made == ["docx", "pdf"]
