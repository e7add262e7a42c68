"""The PDF text layer (renderers/textlayer.py): its codes change no pixel of the page, and each
letter's characters are shared out over its glyphs so that extractors read the letter back whole.

What the text reads as, through pdf.js, pdftotext and pdfminer in every locale and theme, is
tests/test_every_locale.py's; here, the pages drawn with and without the text layer are compared
pixel for pixel (a glyph the font subset lost, a mark drawn off its place, would show), and the
sharing rules are checked on their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import cvforge
from cvforge.renderers.png import rasterise_pdf
from cvforge.renderers.textlayer import _graphemes, _share, _tokens
from tests.helpers.project import ROOT
from tests.helpers.textlayer import pdfminer_text, pdftotext_text, squash

SCRIPTS = ROOT / "tests" / "fixtures" / "scripts"
INTERNATIONAL = ROOT / "tests" / "fixtures" / "international"
PROFILES = (*(SCRIPTS / f"{name}.yaml" for name in ("hi", "th", "ru", "emoji")), INTERNATIONAL / "ar.yaml")
WITHOUT_LAYER = """
import sys
from pathlib import Path
from cvforge.renderers import textlayer
textlayer._INSTALLED[0] = True  # WeasyPrint as it is: its own codes and ToUnicode
import cvforge
for source, target in zip(sys.argv[1::2], sys.argv[2::2]):
    Path(target).write_bytes(cvforge.render(source, "pdf"))
"""


@pytest.fixture(scope="module")
def text_layer_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    """Each profile's PDF with the text layer (this process) and without it (a fresh one)."""
    folder = tmp_path_factory.mktemp("textlayer")
    pairs = [(str(p), str(folder / f"{p.stem}-plain.pdf")) for p in PROFILES]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    arguments = [item for pair in pairs for item in pair]
    subprocess.run([sys.executable, "-c", WITHOUT_LAYER, *arguments], check=True, env=environment, timeout=600)
    plain = {Path(source).stem: Path(target).read_bytes() for source, target in pairs}
    return {p.stem: (cvforge.render(p, "pdf"), plain[p.stem]) for p in PROFILES}


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_the_text_layer_changes_no_pixel(text_layer_pdfs: dict[str, tuple[bytes, bytes]], name: str) -> None:
    exact, plain = text_layer_pdfs[name]
    assert exact != plain, "the text layer changed nothing: the test compares nothing"
    assert rasterise_pdf(exact, dpi=100) == rasterise_pdf(plain, dpi=100)


@pytest.mark.slow
def test_emoji_are_drawn_and_read_back(text_layer_pdfs: dict[str, tuple[bytes, bytes]], tmp_path: Path) -> None:
    pdf = tmp_path / "emoji.pdf"
    pdf.write_bytes(text_layer_pdfs["emoji"][0])
    for text in (pdftotext_text(pdf), pdfminer_text(pdf)):
        flat = squash(text)
        assert "Platform engineer 🚀 building payments 💳 in 🇬🇧 and 🇩🇪" in flat
        assert "engineers 👩‍💻👨🏽‍💻." in flat
        assert "Senior engineer 🚀" in flat


def test_a_letter_reads_in_order_whatever_order_its_glyphs_are_drawn_in() -> None:
    # कि: the i-matra is drawn before the consonant; both advance the pen
    assert _share("कि", [300, 500], [False, False], keep_widths=False) == [("क", 300), ("ि", 500)]


def test_a_mark_in_line_reads_as_itself_a_raised_one_as_nothing() -> None:
    # วิ: the vowel sits on the line (its own text); ที่: the tone mark is raised, so its character
    # goes to the glyph before it, and the raised glyph gives no width, reads nothing
    assert _share("วิ", [600, 0], [False, False], keep_widths=False) == [("ว", 600), ("ิ", 0)]
    assert _share("ที่", [600, 0, 0], [False, False, True], keep_widths=False) == [("ท", 600), ("ี่", 0), ("", 0)]


def test_a_glyph_left_without_text_gives_its_width_to_the_glyph_before() -> None:
    # ทำ: sara am is drawn as nikhahit and sara aa; two characters, three glyphs, all in line
    assert _share("ทำ", [600, 0, 400], [False, True, False], keep_widths=False) == [("ท", 600), ("", 0), ("ำ", 400)]
    assert _share("ab", [500, 500, 500], [False, False, False], keep_widths=False) == [("a", 500), ("b", 1000), ("", 0)]


def test_a_cff_face_keeps_its_widths() -> None:
    assert _share("ab", [500, 500, 500], [False, False, False], keep_widths=True) == [("a", 500), ("b", 500), ("", 500)]


def test_marks_join_the_letter_before_and_a_joiner_the_letter_it_leads() -> None:
    thai = "วิ".encode()
    assert _graphemes(thai, [0, 3], set(), rtl=False) == {0: (0, 6), 3: (0, 6)}
    persian = "م\u200cا".encode()  # a zero-width non-joiner, drawn with no glyph
    assert _graphemes(persian, [0, 2, 5], {2}, rtl=True) == {0: (0, 5), 2: (0, 5), 5: (5, 7)}
    assert _graphemes(persian, [0, 2, 5], {2}, rtl=False) == {0: (0, 2), 2: (2, 7), 5: (2, 7)}


def test_a_format_character_stays_with_the_character_after_it() -> None:
    assert _tokens("a\u200cb\u200dc") == ["a", "\u200cb", "\u200dc"]


@pytest.mark.slow
def test_a_word_too_long_for_the_label_column_breaks_at_a_syllable(
    text_layer_pdfs: dict[str, tuple[bytes, bytes]], tmp_path: Path
) -> None:
    # "Языки программирования" in the skills table's 9em label column: the 16-letter word cannot
    # fit whole, so it takes a hyphen at a syllable (програм‐мирования), never a cut mid-letter
    pdf = tmp_path / "ru.pdf"
    pdf.write_bytes(text_layer_pdfs["ru"][0])
    lines = [line.strip() for line in pdftotext_text(pdf).splitlines()]
    assert "Языки програм\u2010" in lines, [line for line in lines if "Язык" in line]
    assert "мирования" in lines
