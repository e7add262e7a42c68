"""`cvforge theme new` starts a child theme that builds at once; `cvforge themes` shows options."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cvforge.builder.theme_kit import EXAMPLE_ACCENT
from cvforge.cli import main
from cvforge.renderers.contrast import worst_pairing
from cvforge.renderers.themes import available_themes, load_theme
from tests.helpers.project import ROOT

SEED = ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.slow
def test_new_theme_from_modern_extends_it_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("theme", "new", "acme", "--from", "modern")
    assert code == 0, output
    folder = tmp_path / "themes" / "acme"
    assert "wrote themes/acme/theme.toml" in output
    manifest = tomllib.loads((folder / "theme.toml").read_text(encoding="utf-8"))
    assert manifest["extends"] == "modern" and manifest["name"] == "acme"
    assert manifest["options"] == {"accent": EXAMPLE_ACCENT, "stylesheets": "fonts.css,style.css,modern.css,acme.css"}
    # only the overrides: no copy of the parent's templates or stylesheets
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "static/acme.css",
        "templates/README.md",
        "templates/resume.html.j2",
        "theme.toml",
    ]
    # the page is the parent's, extended: a block to override, not a file to copy
    child_page = (folder / "templates" / "resume.html.j2").read_text(encoding="utf-8")
    assert child_page.startswith('{% extends "modern/resume.html.j2" %}\n')
    readme = (folder / "templates" / "README.md").read_text(encoding="utf-8")
    assert "- `sections/timeline.html.j2`: `role_line`" in readme
    assert "- `header.html.j2`: `header_class`, `identity`, `tagline`, `pitch`, `contacts`, `availability`" in readme
    assert "# page_size = " in (folder / "theme.toml").read_text(encoding="utf-8")  # the rest, commented
    theme = load_theme("acme")
    assert theme.folders[1:] == load_theme("modern").folders
    assert theme.docx["name_band"] == EXAMPLE_ACCENT.lstrip("#")  # Word's band follows the accent

    code, output = run("build", str(SEED), "--theme", "acme", "-o", "out")
    assert code == 0, output
    page = (tmp_path / "out" / f"{SEED.stem}.html").read_text(encoding="utf-8")
    assert f"--accent: {EXAMPLE_ACCENT}" in page and "border-bottom: 2px solid var(--accent)" in page
    assert "band" in page  # modern's header band came through `extends`
    assert "Sai Sushanth Thakkalapally" in PdfReader(tmp_path / "out" / f"{SEED.stem}.pdf").pages[0].extract_text()
    with zipfile.ZipFile(tmp_path / "out" / f"{SEED.stem}.docx") as docx:
        assert EXAMPLE_ACCENT.lstrip("#").upper() in docx.read("word/document.xml").decode().upper()

    # the folder named as a relative --theme-dir, as the docs show it (WeasyPrint needs it absolute)
    code, output = run("build", str(SEED), "--theme", "acme", "--theme-dir", "themes", "--format", "pdf", "-o", "o2")
    assert code == 0, output
    assert "Sai Sushanth Thakkalapally" in PdfReader(tmp_path / "o2" / f"{SEED.stem}.pdf").pages[0].extract_text()


def test_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("theme", "new", "acme")[0] == 0
    before = (tmp_path / "themes" / "acme" / "theme.toml").read_bytes()
    code, output = run("theme", "new", "acme", "--from", "sidebar")
    assert code == 2 and "a theme named 'acme' already exists" in output
    (tmp_path / "taken").mkdir()
    code, output = run("theme", "new", "other", "--dir", "taken")
    assert code == 1 and "taken already exists; refusing to overwrite it" in output
    assert (tmp_path / "themes" / "acme" / "theme.toml").read_bytes() == before
    assert not any((tmp_path / "taken").iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Name"], "use lower-case letters"),
        (["acme", "--from", "nope"], "unknown theme 'nope' (available: classic, compact, modern, portfolio, sidebar)"),
        (["classic"], "a theme named 'classic' already exists"),
    ],
)
def test_bad_requests_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("theme", "new", *args)
    assert code == 2 and message in output
    assert not (tmp_path / "themes").exists()


def test_example_accent_reads_as_text() -> None:
    ratio, _ = worst_pairing(EXAMPLE_ACCENT)
    assert ratio >= 4.5


def test_themes_lists_every_option_with_kind_and_default() -> None:
    code, output = run("themes")
    assert code == 0
    for name in available_themes():
        assert f"\n{name}  " in f"\n{output}"
        for key, default in load_theme(name).options.items():
            assert any(
                line.split()[0] == key and f'default "{default}"' in line
                for line in output.splitlines()
                if line.startswith("    ")
            ), (name, key)
    assert 'density             compact | normal | airy; default "normal"' in output
    assert 'sidebar             section names, comma-separated; default "metrics,skills' in output
