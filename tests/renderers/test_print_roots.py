"""Every print page, resume or letter, loads its fonts from where they are decoded, and its warnings
are its own (issue 24.2 and the class behind 24.1: no state of one job reaches the next)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvforge.builder.run import build
from cvforge.renderers import fontcache
from tests.helpers.letters import write_target
from tests.helpers.project import ROOT
from tests.helpers.textlayer import embedded_fonts


@pytest.mark.slow
def test_a_letter_builds_strictly_in_its_own_fonts_with_a_fresh_font_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letter's page was laid out without the font cache's folder among its roots: its decoded
    faces were refused ("PDF: refused to load …/fonts/<digest>.sfnt"), which --strict, as in CI, fails."""
    monkeypatch.setenv(fontcache.CACHE_ENV, str(tmp_path / "fresh-cache"))
    fontcache.clear_memory()
    path = write_target(tmp_path, 'letter:\n  body: ["Hello {company}."]\n', "company: Ledgerline\n")
    result = build([path], formats=["letter"], out_dir=tmp_path / "out", strict=True, force=True)
    assert result.ok, result.failures
    [letter] = [o.path for o in result.outputs if o.path.suffix == ".pdf"]
    faces = embedded_fonts(letter.read_bytes())
    assert faces and all(face.startswith("Inter") for face in faces), sorted(faces)
    assert any(fontcache.fonts_dir().glob("*.sfnt")), "the letter's faces were not decoded into the cache"


def test_every_job_warns_about_its_own_missing_glyphs(tmp_path: Path) -> None:
    """The warning about characters no font has was said once per process: the second resume with the
    same hieroglyph went unwarned, so --strict refused the first and wrote the second."""
    source = (ROOT / "tests" / "fixtures" / "international" / "de.yaml").read_text(encoding="utf-8")
    paths = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(source.replace("Erfahrung im", "Erfahrung 𓀀 im"), encoding="utf-8")
        paths.append(path)
    result = build(paths, formats=["html"], out_dir=tmp_path / "out", strict=True, force=True)
    assert len(result.failures) == 2, result.failures
    for failure in result.failures:
        assert "U+13000" in failure.message
        assert failure.message.count("no font of theme 'classic' has 𓀀") == 1
    assert not (tmp_path / "out" / "second.html").exists()


def test_jobs_on_a_threaded_executor_keep_their_warnings_apart(tmp_path: Path) -> None:
    """A threaded executor (Dask's threads, say) ran jobs side by side, and each job's collector
    took every thread's warnings: a clean resume failed --strict with another's missing glyph."""
    from concurrent.futures import ThreadPoolExecutor

    source = (ROOT / "tests" / "fixtures" / "international" / "de.yaml").read_text(encoding="utf-8")
    paths = []
    for index in range(8):
        path = tmp_path / f"{'emoji' if index % 2 else 'clean'}-{index}.yaml"
        text = source.replace("Erfahrung im", "Erfahrung 𓀀 im") if index % 2 else source
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    with ThreadPoolExecutor(4) as executor:
        result = build(paths, formats=["html", "md"], out_dir=tmp_path / "out", strict=True, executor=executor)
    assert sorted(Path(f.source).stem for f in result.failures) == sorted(p.stem for p in paths if "emoji" in p.stem)
