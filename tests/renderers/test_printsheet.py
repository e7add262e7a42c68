"""A print page's stylesheet is parsed once per font configuration (renderers/printsheet.py): the
same PDF as the page with its sheet inline, for less of each layout."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import cvforge
from cvforge.renderers import pdf, printsheet
from tests.helpers.project import ROOT
from tests.helpers.textlayer import embedded_fonts

SAI = ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"
PAGE = (
    "<!doctype html><html><head><title>t</title><link rel=icon href=data:,><style>p { color: red }</style></head>"
    "<body><p>x</p></body></html>"
)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every stylesheet printsheet parses, in order; the test starts as a fresh process would."""
    made: list[str] = []
    original = printsheet._parse

    def counted(css: str, *args: object) -> object:
        made.append(css)
        return original(css, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(printsheet, "_parse", counted)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764892800")
    pdf.remove_font_folders()
    return made


@pytest.mark.slow
def test_the_sheet_is_parsed_once_and_the_pdf_is_the_one_its_inline_sheet_makes(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cvforge.render(SAI, "pdf")
    compact = cvforge.render(SAI, "pdf", options={"density": "compact"})  # another layout, the same sheet
    again = cvforge.render(SAI, "pdf")
    assert len(parses) == 1, "the theme's sheet was parsed again for a page of the same theme"
    assert again == first and compact != first
    monkeypatch.setattr(printsheet, "split", lambda html: None)  # the page laid out with its sheet inline
    assert cvforge.render(SAI, "pdf") == first
    assert cvforge.render(SAI, "pdf", options={"density": "compact"}) == compact


@pytest.mark.slow
def test_a_sheet_is_only_used_with_the_font_configuration_its_faces_were_loaded_into(parses: list[str]) -> None:
    """A configuration dropped (more kinds of page than are kept) and made again has none of the
    faces the kept sheet loaded: used with it, the PDF would silently be drawn in fallback fonts."""
    cvforge.render(SAI, "pdf")
    pdf._CONFIGS.clear()  # as when a configuration is pushed out, while its sheet is still kept
    data = cvforge.render(SAI, "pdf")
    assert len(parses) == 2
    faces = embedded_fonts(data)
    assert faces and all(face.startswith("Inter") for face in faces), sorted(faces)


@pytest.mark.slow
def test_a_sheet_that_warns_is_parsed_again_for_every_page(caplog: pytest.LogCaptureFixture) -> None:
    """Its warnings are then said for every page that has it, as before."""
    fetcher, config = pdf.make_fetcher(()), pdf._config_class()()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert printsheet.parsed("p { colour: red }", None, fetcher, config) is None
    assert "colour" in caplog.text
    kept = printsheet.parsed("p { color: red }", None, fetcher, config)
    assert kept is not None and printsheet.parsed("p { color: red }", None, fetcher, config) is kept
    assert printsheet.parsed("p { color: red }", None, fetcher, pdf._config_class()()) is not kept


def test_a_page_is_split_from_its_one_sheet() -> None:
    """A link that is not a stylesheet (the favicon every page has) leaves the page as one sheet's."""
    split = printsheet.split(PAGE)
    assert split is not None
    page, css = split
    assert css == "p { color: red }" and "<style" not in page and "<p>x</p>" in page


@pytest.mark.parametrize(
    "page",
    [
        PAGE.replace("<p>x", '<p style="color: blue !important">x'),
        PAGE.replace("<p>x", "<p\tSTYLE = 'color: blue'>x"),
        PAGE.replace("<title>", '<link rel="stylesheet" href="more.css"><title>'),
        PAGE.replace("</head>", "<style>p { margin: 0 }</style></head>"),
        PAGE.replace("</head>", "<STYLE media=print>p { margin: 0 }</STYLE></head>"),
        PAGE.replace("p { color", "@counter-style thumbs { system: cyclic; symbols: '👍'; } p { color"),
        PAGE.replace("<style>p { color: red }</style>", ""),
        PAGE.replace("<style>", "<!-- <style>").replace("</style>", "</style> -->"),
    ],
    ids=[
        "style attribute",
        "spelled otherwise",
        "linked sheet",
        "two sheets",
        "capitals",
        "counter style",
        "no sheet",
        "in a comment",
    ],
)
def test_a_page_with_other_styles_keeps_its_sheet_inline(page: str) -> None:
    """A user-origin sheet ranks as the author's one did only where nothing else of the author's styles
    the page; the user agent's counter styles are set again at each layout, over a kept sheet's."""
    assert printsheet.split(page) is None


def test_a_forked_child_starts_without_its_parent_s_sheets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(printsheet._SHEETS, ("p {}", ""), object())
    monkeypatch.setattr(pdf, "_CONFIGS_OWNER", [-1])  # as in a child forked from this process
    pdf._configurations()  # what every layout asks first
    assert not printsheet._SHEETS


@pytest.mark.slow
def test_the_sheet_is_read_against_the_page_s_own_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `<base>` element moves the URL a page's `<style>` is read against: the parsed sheet is read
    against it too, so its relative URLs name the same files. Here `face.woff2` is Inter where the
    page's base points, and another font beside the page."""
    from cvforge.renderers.fontcache import fonts_dir

    fonts = ROOT / "themes" / "classic" / "static" / "fonts"
    (tmp_path / "moved").mkdir()
    (tmp_path / "moved" / "face.woff2").write_bytes((fonts / "Inter-Regular.woff2").read_bytes())
    (tmp_path / "face.woff2").write_bytes((fonts / "JetBrainsMono-Regular.woff2").read_bytes())
    html = (
        f'<!doctype html><html lang="en"><head><base href="{(tmp_path / "moved").as_uri()}/"><style>'
        "@font-face { font-family: Moved; src: url(face.woff2) } p { font-family: Moved }"
        "</style></head><body><p>Moved</p></body></html>"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764892800")
    roots = (tmp_path, fonts_dir())
    parsed_once = pdf.write(pdf._laid_out(html, roots))
    assert [key[1] for key in printsheet._SHEETS if "Moved" in key[0]] == [(tmp_path / "moved").as_uri() + "/"]
    monkeypatch.setattr(printsheet, "split", lambda html: None)  # the page laid out with its sheet inline
    assert pdf.write(pdf._laid_out(html, roots)) == parsed_once
