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
