"""Fonts: Japanese, Chinese, Korean, Arabic and accented names get real glyphs from shipped fonts;
the HTML carries only the fonts a document uses; characters no font has are reported."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from cvforge.builder.run import build
from cvforge.document.view import view_document
from cvforge.reader.read import load_profile
from cvforge.renderers import fonts
from cvforge.renderers.themes import load_theme
from tests.helpers.outputs import normalise, pdf_font_names, pdf_text
from tests.helpers.project import SCENARIOS

INTERNATIONAL = SCENARIOS / "international-names" / "profile.yaml"
FACE = re.compile(r"@font-face\s*\{([^}]*)\}")


@pytest.fixture(scope="module")
def international(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("intl")
    result = build([INTERNATIONAL], formats=["pdf", "html"], out_dir=out)
    assert result.ok, result.failures
    return {fmt: out / f"profile.{fmt}" for fmt in ("pdf", "html")}


def test_every_script_is_drawn_by_a_shipped_font(international: dict[str, Path]) -> None:
    used = pdf_font_names(international["pdf"])
    for family in ("JP", "SC", "TC", "KR", "Arabic"):
        assert f"Noto-Sans-{family}-Subset" in used
    assert {"Inter", "Inter-Bold"} <= used
    assert not any("DejaVu" in name for name in used), used  # nothing fell back to a system font


def test_the_text_layer_keeps_every_name(international: dict[str, Path]) -> None:
    text = normalise(pdf_text(international["pdf"]))
    for name in ("山田太郎", "Łukasz Żółkiewski", "王小明", "陳大文", "김민준", "化載テスト"):
        assert name in text


def test_html_embeds_only_the_glyphs_the_document_uses(international: dict[str, Path]) -> None:
    source = international["html"].read_text(encoding="utf-8")
    faces = {re.search(r'font-family: "([^"]+)"', face).group(1): face for face in FACE.findall(source)}  # type: ignore[union-attr]
    assert {"Noto Sans JP Subset", "Noto Sans KR Subset", "Noto Sans Arabic Subset"} <= set(faces)
    assert "Noto Serif" not in faces  # shipped, but not the chosen text face
    for family in ("Noto Sans JP Subset", "Noto Sans SC Subset", "Noto Sans TC Subset", "Noto Sans KR Subset"):
        assert len(faces[family]) < 100_000, f"{family} was embedded whole"
    assert len(source) < 1_300_000


def test_each_font_file_has_its_own_family_weight_and_style() -> None:
    """Two files sharing all three are merged in the PDF and draw wrong glyphs (docs/write-a-theme.md)."""
    theme = load_theme("classic")
    css = "".join(
        (theme.find_static(name) or Path()).read_text("utf-8") for name in theme.stylesheet_names(screen=False)
    )
    keys = []
    for face in FACE.findall(css):
        family = re.search(r'font-family: "([^"]+)"', face).group(1)  # type: ignore[union-attr]
        weight = re.search(r"font-weight: (\d+)", face).group(1)  # type: ignore[union-attr]
        style = re.search(r"font-style: (\w+)", face).group(1)  # type: ignore[union-attr]
        keys.append((family, weight, style))
    assert len(keys) == len(set(keys)) > 10


@pytest.mark.slow
def test_lang_option_puts_that_regions_han_font_first(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("person:\n  name: 直骨\noptions:\n  lang: {lang}\n".replace("{lang}", "zh"), encoding="utf-8")
    build([profile], formats=["pdf"], out_dir=tmp_path)
    assert "Noto-Sans-SC-Subset-Bold" in pdf_font_names(tmp_path / "p.pdf")
    profile.write_text("person:\n  name: 直骨\noptions:\n  lang: ja\n", encoding="utf-8")
    build([profile], formats=["pdf"], out_dir=tmp_path)
    used = pdf_font_names(tmp_path / "p.pdf")
    assert "Noto-Sans-JP-Subset-Bold" in used and "Noto-Sans-SC-Subset-Bold" not in used


def test_characters_no_font_has_are_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("person:\n  name: Jane 𓀀 𠮷\n", encoding="utf-8")  # hieroglyph, CJK extension B
    with caplog.at_level(logging.WARNING, logger="cvforge.renderers.fonts"):
        result = build([profile], formats=["html"], out_dir=tmp_path)
    assert result.ok
    assert "no font of theme 'classic' has 𓀀 (U+13000) 𠮷 (U+20BB7)" in caplog.text


def test_document_codepoints_walk_the_whole_view() -> None:
    document = view_document(load_profile(INTERNATIONAL))
    codepoints = fonts.document_codepoints(document)
    for char in "山김مŁ化載":
        assert ord(char) in codepoints
    assert set(range(0x20, 0x7F)) <= codepoints


def test_a_latin_page_never_reads_a_cjk_face(monkeypatch: pytest.MonkeyPatch) -> None:
    """The word joiners between a date's parts and the page's slot markers have no glyph: they made a
    Latin page read every CJK face's cmap (18 ms of a cold build) for characters no face draws."""
    from cvforge.renderers import fontcache
    from cvforge.renderers.html import render_html
    from tests.helpers.project import ROOT

    read: list[str] = []
    cmap = fontcache.font_cmap
    monkeypatch.setattr(fontcache, "font_cmap", lambda path: read.append(path.name) or cmap(path))
    document = view_document(load_profile(ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"))
    page = render_html(document, load_theme("classic"), mode="file")
    assert "\u2060" in page  # the dates' word joiners are on the page
    assert read and not [name for name in read if "CJK" in name or "Emoji" in name], read
    assert not fonts._visible(map(ord, " \u00a0\u2060\u200f\ufdd2\ufdd3"))
    assert fonts._visible(map(ord, "\u2060a")) and fonts._visible([0x4E2D])
