"""Every locale `cvforge locales` lists works: a full resume in each, built once per session in every
theme to PDF, DOCX and HTML, draws every glyph (no font warning), and its section headings and role
titles come back from the PDF exactly as written through pdf.js, pdftotext and pdfminer; the DOCX
carries the language and a font for each script, the HTML the language.

The resume's summary spells the locale's month and day names (Babel's CLDR data): the character set
a resume in the language uses, which must come back letter for letter too.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tomllib
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from babel import Locale

from cvforge.builder.run import build
from cvforge.document.locale import locale_names, make_locale
from cvforge.logs import collect_warnings
from tests.helpers.inert import body_text, local_name, parse
from tests.helpers.project import THEMES
from tests.helpers.textlayer import pdfjs_missing, pdfjs_texts, pdfminer_text, pdftotext_text

WORDS = tomllib.loads((Path(__file__).parent / "fixtures" / "every-locale" / "words.toml").read_text("utf-8"))
LOCALES = [tag for tag, *_ in locale_names()]
HEADINGS = ("summary", "experience", "skills", "education", "languages")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Glyph warnings: cvforge's (a character no font of the theme has) and WeasyPrint's (.notdef drawn).
GLYPH_WARNINGS = ("no font of theme", ".notdef", "unsupported by fonts")


def alphabet(tag: str) -> str:
    """The locale's wide month and day names, as CLDR writes them."""
    parsed = Locale.parse(tag.replace("-", "_"))
    months = parsed.months["format"]["wide"]
    days = parsed.days["format"]["wide"]
    return " ".join([*(months[m] for m in sorted(months)), *(days[d] for d in sorted(days))])


def profile(tag: str) -> dict[str, object]:
    words = WORDS[tag]
    first, second = words["roles"]
    return {
        "person": {
            "name": words["name"],
            "headline": first,
            "email": "someone@example.com",
            "phone": "+44 20 7946 0000",
            "summary": [alphabet(tag)],
        },
        "locale": tag,
        "experience": [
            {"title": first, "organisation": "Example Ltd", "start": "2021-09", "end": "present",
             "bullets": [alphabet(tag)]},
            {"title": second, "organisation": "Example Ltd", "start": "2018-01", "end": "2021-08",
             "bullets": [words["name"]]},
        ],
        "skills": {"table": [{"category": second, "items": ["Go", "Python", "SQL"]}]},
        "education": [{"degree": "MSc", "area": first, "institution": "Example University", "start": "2012",
                       "end": "2017"}],
        "languages": [{"language": words["name"], "fluency": "C2"}],
    }  # fmt: skip


@dataclass(frozen=True)
class Built:
    out: dict[str, Path]  # theme → folder
    warnings: tuple[str, ...]
    pdfjs: dict[Path, str]


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="session")
def every_locale(tmp_path_factory: pytest.TempPathFactory) -> Built:
    sources = tmp_path_factory.mktemp("every-locale-profiles")
    paths = []
    for tag in LOCALES:
        path = sources / f"{tag}.yaml"
        path.write_text(yaml.safe_dump(profile(tag), allow_unicode=True), encoding="utf-8")
        paths.append(path)
    out: dict[str, Path] = {}
    weasyprint = _Everything()
    logging.getLogger("weasyprint").addHandler(weasyprint)
    try:
        with collect_warnings() as logged:
            for theme in THEMES:
                out[theme] = tmp_path_factory.mktemp(f"every-locale-{theme}")
                result = build(paths, theme_name=theme, formats=("pdf", "docx", "html"), out_dir=out[theme])
                assert not result.failures, result.failures
    finally:
        logging.getLogger("weasyprint").removeHandler(weasyprint)
    warnings = (*(record.getMessage() for record in logged), *weasyprint.messages)
    pdfs = [out[theme] / f"{tag}.pdf" for theme in THEMES for tag in LOCALES]
    return Built(out, warnings, {} if pdfjs_missing() else pdfjs_texts(pdfs))


def test_every_locale_is_listed_with_its_words() -> None:
    assert sorted(WORDS) == sorted(LOCALES), "a name and two role titles for each listed locale"


def test_no_glyph_is_missing_in_any_locale_or_theme(every_locale: Built) -> None:
    assert not [w for w in every_locale.warnings if any(marker in w for marker in GLYPH_WARNINGS)]


# The families the themes ship: a face from anywhere else is the system's fallback, which a clean
# machine may not have (and which drew Hebrew when a malformed @font-face hid Noto Sans Hebrew).
SHIPPED_FACES = ("Inter", "Noto", "JetBrains")


def test_every_script_is_drawn_with_a_face_the_themes_ship(every_locale: Built) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    foreign = {}
    for theme, folder in every_locale.out.items():
        for tag in LOCALES:
            listing = subprocess.run(
                ["pdffonts", str(folder / f"{tag}.pdf")], capture_output=True, text=True, check=True
            ).stdout.splitlines()[2:]
            names = {line.split()[0].split("+")[-1] for line in listing if line.strip()}
            if others := {name for name in names if not name.startswith(SHIPPED_FACES)}:
                foreign[f"{theme}/{tag}"] = sorted(others)
    assert not foreign, foreign


def test_weasyprint_ignores_no_rule_of_the_themes(every_locale: Built) -> None:
    assert not [w for w in every_locale.warnings if w.startswith("Ignored")]


def _flat(text: str) -> str:
    """One line, NFC, case folded: themes may set headings in capitals (text-transform)."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _capitals(text: str) -> str:
    """As `_flat`, without the accents capitals drop or gain: Greek capitals lose their tonos
    (ΠΡΟΦΙΛ for Προφίλ), Turkish İ folds to i and a dot. Only the Latin, Greek and Cyrillic
    diacritics block (U+0300–036F) goes: other scripts' marks stay compared."""
    decomposed = unicodedata.normalize("NFD", _flat(text))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f"))


def _expected(tag: str) -> list[str]:
    locale = make_locale(tag)
    return [*(locale.label(key) for key in HEADINGS), *WORDS[tag]["roles"]]


def _found(expected: str, text: str, *, visual: bool) -> bool:
    """`expected` in `text`; an extractor without bidi (pdfminer) gives right-to-left words in the
    order they are drawn, so there the drawn order is what must read as written."""
    for fold in (_flat, _capitals):
        flat, want = fold(text), fold(expected)
        if want in flat or (visual and want[::-1] in flat):
            return True
    return False


@pytest.fixture(params=[(theme, tag) for theme in THEMES for tag in LOCALES], ids=lambda p: f"{p[0]}-{p[1]}")
def case(request: pytest.FixtureRequest, every_locale: Built) -> Iterator[tuple[Built, str, str]]:
    theme, tag = request.param
    yield every_locale, theme, tag


def test_headings_role_titles_and_alphabet_read_back_from_the_pdf(case: tuple[Built, str, str]) -> None:
    built, theme, tag = case
    pdf = built.out[theme] / f"{tag}.pdf"
    rtl = make_locale(tag).rtl
    extractors = {"pdftotext": pdftotext_text(pdf), "pdfminer": pdfminer_text(pdf)}
    if built.pdfjs:
        extractors["pdf.js"] = built.pdfjs[pdf]
    words = [word for word in alphabet(tag).split() if not rtl]  # RTL alphabets: checked as headings
    problems = []
    for name, text in extractors.items():
        visual = rtl and name == "pdfminer"
        problems += [f"{name}: {want!r}" for want in _expected(tag) if not _found(want, text, visual=visual)]
        flat = _flat(text).split()
        problems += [f"{name}: {w!r} (alphabet)" for w in words if _flat(w) not in flat]
    assert not problems, f"{theme}/{tag}.pdf reads wrong:\n" + "\n".join(problems)


def test_docx_carries_the_language_and_a_font_for_each_script(case: tuple[Built, str, str]) -> None:
    built, theme, tag = case
    with zipfile.ZipFile(built.out[theme] / f"{tag}.docx") as docx:
        styles = ElementTree.fromstring(docx.read("word/styles.xml"))
        body = ElementTree.fromstring(docx.read("word/document.xml"))
    text = _flat("".join(t.text or "" for t in body.iter(f"{W}t")))
    missing = [want for want in _expected(tag) if _flat(want) not in text]
    assert not missing, f"{theme}/{tag}.docx lacks {missing}"
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None
    assert lang.get(f"{W}val", "").split("-")[0] == tag.split("-")[0]
    runs = [r for r in body.iter(f"{W}r") if any(WORDS[tag]["roles"][0] in (t.text or "") for t in r.iter(f"{W}t"))]
    assert runs, f"no run holds the role title in {theme}/{tag}.docx"
    fonts = runs[0].find(f"{W}rPr/{W}rFonts")
    run_lang = runs[0].find(f"{W}rPr/{W}lang")
    script = _script(WORDS[tag]["roles"][0])
    if script == "complex":
        assert fonts is not None and fonts.get(f"{W}cs"), f"{theme}/{tag}: no complex-script font"
        assert run_lang is not None and run_lang.get(f"{W}bidi", "").startswith(tag.split("-")[0] + "-")
    elif script == "east-asian":
        assert fonts is not None and fonts.get(f"{W}eastAsia"), f"{theme}/{tag}: no East Asian font"
        assert run_lang is not None and run_lang.get(f"{W}eastAsia", "").startswith(tag.split("-")[0])


def _script(text: str) -> str:
    names = [unicodedata.name(c, "") for c in text if c.isalpha()]
    if any(n.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for n in names):
        return "east-asian"
    if any(n.startswith(("ARABIC", "HEBREW", "DEVANAGARI", "THAI")) for n in names):
        return "complex"
    return "simple"


def test_html_says_the_language_and_holds_the_words(case: tuple[Built, str, str]) -> None:
    built, theme, tag = case
    root = parse((built.out[theme] / f"{tag}.html").read_text("utf-8"))
    html = next(e for e in root.iter() if local_name(e) == "html")
    assert html.get("lang") == tag
    text = _flat(body_text(root))
    missing = [want for want in _expected(tag) if _flat(want) not in text]
    # portfolio's page opens with the summary as its introduction, under no heading
    assert missing == ([make_locale(tag).label("summary")] if theme == "portfolio" else [])
