"""Fonts paid for once (issue 16): HTML embeds each face cut down to the page's characters, and
still draws every one of them; cmaps, decoded faces and subsets come from a disk cache keyed by
the font's digest, byte for byte what computing them again gives."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import cvforge
from cvforge.renderers import fontcache, fonts, hbsubset
from cvforge.renderers.themes import load_theme
from tests.conftest import Built

FONT_URI = re.compile(r'src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)')
FONTS = load_theme("classic").static_dirs[-1] / "fonts"
HTML_BUDGET = 120 * 1024  # the goal for one seed profile's self-contained HTML


def embedded_fonts(html: str) -> list[TTFont]:
    return [TTFont(io.BytesIO(base64.b64decode(data))) for data in FONT_URI.findall(html)]


def full_name(font: TTFont) -> str:
    return str(font["name"].getDebugName(4))


def page_characters(html: str) -> set[int]:
    """Every character of the page outside its stylesheets and data URIs (a superset of its text)."""
    text = re.sub(r"<style.*?</style>", "", html, flags=re.DOTALL)
    return {ord(c) for c in re.sub(r"data:[^\"')]+", "", text) if not c.isspace()}


def shipped_by_name() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(FONTS.glob("*.woff2")):
        with TTFont(path, lazy=True) as font:
            found[full_name(font)] = path
    return found


def test_each_embedded_face_still_has_every_character_of_the_page_it_had_whole(built_seeds: dict[str, Built]) -> None:
    shipped = shipped_by_name()
    for seed in built_seeds.values():
        html = seed.files["html"].read_text("utf-8")
        wanted = page_characters(html)
        embedded = embedded_fonts(html)
        assert embedded, "no font embedded"
        for font in embedded:
            whole = fonts.font_cmap(shipped[full_name(font)])
            subset = set(font.getBestCmap())
            missing = sorted(chr(c) for c in (wanted & whole) - subset)
            assert not missing, f"{seed.files['html'].name}: {full_name(font)} lost {missing}"
            assert len(subset) < len(whole) / 3, f"{full_name(font)} was embedded (nearly) whole"


def test_a_seed_profiles_html_stays_light(built_seeds: dict[str, Built]) -> None:
    for seed in built_seeds.values():
        size = seed.files["html"].stat().st_size
        assert size <= HTML_BUDGET, f"{seed.files['html'].name}: {size / 1024:.0f} KB"


def test_html_keeps_the_opentype_features_its_css_asks_for(built_seeds: dict[str, Built]) -> None:
    """The theme's dates use tabular figures and its text stylistic sets: the subsets keep those."""
    html = next(iter(built_seeds.values())).files["html"].read_text("utf-8")
    inter = next(font for font in embedded_fonts(html) if full_name(font) == "Inter Regular")
    features = {record.FeatureTag for record in inter["GSUB"].table.FeatureList.FeatureRecord}
    assert {"tnum", "ss01", "cv11"} <= features


def test_a_cache_hit_gives_the_bytes_computing_gives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path))
    fontcache.clear_memory()
    font = FONTS / "Inter-Bold.woff2"
    characters = frozenset(map(ord, "Łukasz Żółkiewski — 2024 · Zürich"))
    computed = fontcache.subset_woff2(font, characters)
    assert len(list((tmp_path / "fonts").glob("*.woff2"))) == 1
    fontcache.clear_memory()
    assert fontcache.subset_woff2(font, characters) == computed  # now read from the disk cache
    assert fontcache._make_subset(font, tuple(sorted(characters)), fontcache.Features()) == computed
    assert {chr(c) for c in TTFont(io.BytesIO(computed)).getBestCmap()} >= set("Łukasz Żółkiewski—2024·Zürich")


def test_cmaps_come_back_from_the_cache_as_the_font_has_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path))
    fontcache.clear_memory()
    font = FONTS / "NotoSansCJKkr-Regular.subset.woff2"
    with TTFont(font) as whole:
        expected = frozenset(whole.getBestCmap())
    assert fontcache.font_cmap(font) == expected
    fontcache.clear_memory()
    assert fontcache.font_cmap(font) == expected  # from the cache file this time
    assert len(list((tmp_path / "fonts").glob("*.cmap*"))) == 1


def test_pdf_fonts_are_handed_to_weasyprint_decoded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path))
    fontcache.clear_memory()
    decoded = fontcache.decoded_font(FONTS / "Inter-Regular.woff2")
    assert decoded.parent == tmp_path / "fonts" and decoded.read_bytes()[:4] in (b"OTTO", b"\x00\x01\x00\x00")
    pdf = cvforge.render({"person": {"name": "Zoë Müller"}}, "pdf")
    assert pdf.startswith(b"%PDF-")


@pytest.mark.skipif(not hbsubset.available(), reason="libharfbuzz-subset is not installed")
def test_fonttools_and_harfbuzz_subsets_draw_the_same_characters() -> None:
    """Where HarfBuzz is missing (macOS without it), fontTools makes the subset: same characters."""
    font = FONTS / "JetBrainsMono-Regular.woff2"
    wanted = tuple(sorted(map(ord, "customerId + requestId {S: 1}")))
    features = fontcache.Features((), ("calt",))
    harfbuzz = TTFont(io.BytesIO(fontcache._make_subset(font, wanted, features)))
    fonttools = TTFont(io.BytesIO(fontcache._fonttools_subset(font, wanted, features)))
    assert set(harfbuzz.getBestCmap()) == set(fonttools.getBestCmap()) == set(wanted)


def test_contextual_alternates_stay_for_scripts_that_join() -> None:
    arabic = FONTS / "NotoSansArabic-Regular.subset.woff2"
    data = fonts.font_bytes(arabic, frozenset(map(ord, "محمد")), ())
    with TTFont(arabic) as whole:
        kept = {r.FeatureTag for r in whole["GSUB"].table.FeatureList.FeatureRecord}
    subset = TTFont(io.BytesIO(data))
    features = {r.FeatureTag for r in subset["GSUB"].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina"} <= features
    assert ("calt" in kept) == ("calt" in features)
