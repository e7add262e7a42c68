"""Fonts paid for once (issue 16): HTML embeds each face cut down to the page's characters, and
still draws every one of them; cmaps, decoded faces and subsets come from a disk cache keyed by
the font's digest, byte for byte what computing them again gives."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import cvforge
from cvforge.renderers import cachekey, fontcache, fonts, hbsubset, pdf
from cvforge.renderers.themes import load_theme
from tests.helpers.outputs import Built

FONT_URI = re.compile(r'src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)')
FONTS = load_theme("classic").static_dirs[-1] / "fonts"
HTML_BUDGET = 120 * 1024  # the issue's goal for one seed profile's self-contained HTML


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
            whole = fontcache.font_cmap(shipped[full_name(font)])
            subset = set(font.getBestCmap())
            missing = sorted(chr(c) for c in whole.among(wanted) - subset)
            assert not missing, f"{seed.files['html'].name}: {full_name(font)} lost {missing}"
            assert len(subset) < len(whole.codepoints()) / 3, f"{full_name(font)} was embedded (nearly) whole"


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
    assert fontcache.font_cmap(font).codepoints() == expected
    fontcache.clear_memory()
    assert fontcache.font_cmap(font).codepoints() == expected  # from the cache file this time
    assert len(list((tmp_path / "fonts").glob("*.cmap*"))) == 1


def test_a_font_s_coverage_answers_as_its_cmap_does(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ranges asked by bisection: every character in and next to each range, as the font's own cmap says."""
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path))
    fontcache.clear_memory()
    for name in ("Inter-Regular.woff2", "NotoSansCJKkr-Regular.subset.woff2"):
        with TTFont(FONTS / name) as whole:
            cmap = frozenset(whole.getBestCmap())
        coverage = fontcache.font_cmap(FONTS / name)
        edges = {
            c + step
            for first, last in zip(coverage.firsts, coverage.lasts, strict=True)
            for c in (first, last)
            for step in (-1, 0, 1)
        }
        probes = edges | set(range(0, 0x3000, 7)) | {-1, 0x10FFFF, 0x110000}
        assert {c for c in probes if c in coverage} == probes & cmap, name
        assert coverage.among(probes) == probes & cmap
        assert fontcache.lacking(probes, [coverage]) == probes - cmap
    inter, hangul = (
        fontcache.font_cmap(FONTS / n) for n in ("Inter-Regular.woff2", "NotoSansCJKkr-Regular.subset.woff2")
    )
    assert fontcache.lacking(map(ord, "Aé한"), [inter, hangul]) == frozenset()
    assert fontcache.lacking(map(ord, "Aé한"), [inter]) == {ord("한")}
    assert "A" not in inter  # a character, not its code point, is never covered


@pytest.mark.slow
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


# Issue 24.4: the font cache is input (shared, or restored by CI). An entry is named by the digest
# of the font it was made from, not of its own bytes, so each carries an HMAC under the user's key:
# a replaced, corrupt or planted entry is said once, discarded and made again, never used.


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder and this test's own key; nothing of either in memory."""
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    cachekey.forget()
    fontcache.clear_memory()
    yield tmp_path / "cache"
    cachekey.forget()
    fontcache.clear_memory()


def pdf_fonts(pdf: Path) -> set[str]:
    """The full names of the font programs a PDF embeds ('Inter Regular'), from their own name
    tables: the /BaseFont WeasyPrint writes comes from the CSS family, whatever file it loaded."""
    found: set[str] = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            found.add(full_name(TTFont(io.BytesIO(program.get_object().get_data()))))
    return found


def build_pdf(folder: Path, out: str) -> subprocess.CompletedProcess[str]:
    """A PDF built by a new process (nothing in memory), as the next build would be."""
    return subprocess.run(
        [sys.executable, "-m", "cvforge", "build", "zoe.yaml", "--format", "pdf", "--out", out, "--jobs", "1"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_a_replaced_decoded_face_is_never_set_and_is_said_once(own_cache: Path, tmp_path: Path) -> None:
    """The issue's example: Inter's decoded .sfnt replaced by another font set the next PDF in it."""
    # a summary, so the page sets Inter's regular face too (page 1 carries no page number to do it)
    (tmp_path / "zoe.yaml").write_text("person:\n  name: Zoë Müller\n  summary:\n    - Zoë writes software.\n", "utf-8")
    clean = build_pdf(tmp_path, "clean")
    assert clean.returncode == 0, clean.stderr
    assert pdf_fonts(tmp_path / "clean" / "zoe.pdf") == {"Inter Regular", "Inter Bold"}
    inter = own_cache / "fonts" / f"{fontcache.font_digest(FONTS / 'Inter-Regular.woff2')}.sfnt"
    assert inter.is_file()
    inter.write_bytes(fontcache.decode((FONTS / "JetBrainsMono-Regular.woff2").read_bytes()))
    tampered = build_pdf(tmp_path, "tampered")
    assert tampered.returncode == 0, tampered.stderr
    assert pdf_fonts(tmp_path / "tampered" / "zoe.pdf") == {"Inter Regular", "Inter Bold"}
    assert (tmp_path / "tampered" / "zoe.pdf").read_bytes() == (tmp_path / "clean" / "zoe.pdf").read_bytes()
    assert tampered.stderr.count(inter.name) == 1, tampered.stderr  # said, once
    again = build_pdf(tmp_path, "again")  # the entry was made again: nothing more to say
    assert again.returncode == 0 and inter.name not in again.stderr, again.stderr


@pytest.mark.parametrize("damage", ["another font's", "truncated", "a link to /dev/zero", "a FIFO"])
def test_a_damaged_subset_cmap_or_face_is_made_again(
    own_cache: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    font = FONTS / "Inter-Bold.woff2"
    characters = frozenset(map(ord, "Łukasz Żółkiewski"))
    subset = fontcache.subset_woff2(font, characters)
    cmap = fontcache.font_cmap(font)
    face = fontcache.decoded_font(font).read_bytes()
    entries = sorted((own_cache / "fonts").glob(f"{fontcache.font_digest(font)}*"))
    assert {entry.suffix for entry in entries} >= {".woff2", ".cmap1", ".sfnt"}
    other = fontcache.subset_woff2(FONTS / "Inter-Italic.woff2", characters)
    for entry in entries:
        entry.unlink()
        if damage == "another font's":
            entry.write_bytes(other if entry.suffix == ".woff2" else b"20-7e")
        elif damage == "truncated":
            entry.write_bytes(b"\0\1\0\0")
        elif damage == "a FIFO":
            os.mkfifo(entry)
        else:
            entry.symlink_to("/dev/zero")
    fontcache.clear_memory()
    assert fontcache.subset_woff2(font, characters) == subset
    assert fontcache.font_cmap(font) == cmap
    assert fontcache.decoded_font(font).read_bytes() == face
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    for entry in entries:
        assert sum(entry.name in message for message in warned) == 1, (entry.name, warned)
        assert entry.is_file() and not entry.is_symlink()  # made again, in place


def test_the_pdf_fetcher_hands_weasyprint_only_verified_bytes(own_cache: Path) -> None:
    """The decoded face's path goes into the print HTML and WeasyPrint reads it later, through the
    fetcher: a file swapped in between is not what it gets."""
    font = FONTS / "Inter-Regular.woff2"
    path = fontcache.decoded_font(font)
    genuine = fontcache.decode(font.read_bytes())
    path.write_bytes(fontcache.decode((FONTS / "JetBrainsMono-Regular.woff2").read_bytes()))
    fetched = pdf.make_fetcher([FONTS, fontcache.fonts_dir()]).fetch(path.as_uri())
    assert fetched.read() == genuine


def test_a_warm_cache_hashes_each_entry_once_per_process(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking costs a hash of each entry's bytes once per process and file version, not per use."""
    font = FONTS / "Inter-Regular.woff2"
    fontcache.decoded_font(font)
    fontcache.clear_memory()
    hashed: list[int] = []
    real = cachekey.tag

    def counting(purpose: str, name: str, data: bytes) -> bytes | None:
        hashed.append(len(data))
        return real(purpose, name, data)

    monkeypatch.setattr(cachekey, "tag", counting)
    path = fontcache.decoded_font(font)
    fetcher = pdf.make_fetcher([FONTS, fontcache.fonts_dir()])
    for _ in range(3):
        fetcher.fetch(path.as_uri())
        fontcache.decoded_font(font)
    assert len(hashed) == 1 and hashed[0] > 100_000, hashed
