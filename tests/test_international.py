"""Resumes in German, Brazilian Portuguese, Japanese, Simplified Chinese, Korean, Arabic and Hebrew,
built once per session in every theme and format: labels, dates, direction, scripts and reading
order in what a reader, a parser and Word get, and the inert and completeness checks on them."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from cvforge.builder.run import build
from cvforge.logs import collect_warnings
from cvforge.readback.extract import extract_pdf_text
from cvforge.readback.normalise import normalise
from cvforge.reader.read import load_profile
from cvforge.schema import Profile
from tests.helpers.inert import body_text, inert_problems, local_name, parse
from tests.helpers.outputs import assert_in_order
from tests.helpers.project import THEMES


def _text(element: object) -> str:
    return "".join(element.itertext())  # type: ignore[attr-defined]


FOLDER = Path(__file__).resolve().parent / "fixtures" / "international"
FORMATS = ("pdf", "docx", "html", "md", "txt")
# What a resume in each language says, written out here rather than taken from cvforge's tables:
# the experience and skills headings, the first role's dates, the comma between role and company.
EXPECTED = {
    "de": ("Berufserfahrung", "Kenntnisse", "März 2022 – heute", ", "),
    "pt-BR": ("Experiência profissional", "Habilidades", "03/2022 – atual", ", "),
    "ja": ("職歴", "スキル", "2022年3月 – 現在", "、"),
    "zh-Hans": ("工作经历", "专业技能", "2022年3月 – 至今", "，"),
    "ko": ("경력", "보유 기술", "2022년 3월 – 현재", ", "),
    "ar": ("الخبرة العملية", "المهارات", "مارس 2022 – حتى الآن", "، "),
    "he": ("ניסיון תעסוקתי", "כישורים", "מרץ 2022 – היום", ", "),
}
RTL = {"ar", "he"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class International:
    profiles: dict[str, Profile]
    out: dict[str, Path]  # theme → folder
    warnings: tuple[str, ...]
    checks: dict[str, bool]  # "theme/tag.fmt" → every completeness check passed


@pytest.fixture(scope="session")
def international(tmp_path_factory: pytest.TempPathFactory) -> International:
    paths = sorted(FOLDER.glob("*.yaml"))
    out: dict[str, Path] = {}
    checks: dict[str, bool] = {}
    with collect_warnings() as logged:
        for theme in THEMES:
            out[theme] = tmp_path_factory.mktemp(f"international-{theme}")
            result = build(paths, theme_name=theme, formats=FORMATS, out_dir=out[theme], check=True)
            assert not result.failures, result.failures
            for output in result.outputs:
                if output.check is not None:
                    checks[f"{theme}/{Path(output.path).name}"] = output.check.ok
    return International(
        {path.stem: load_profile(path) for path in paths}, out, tuple(r.getMessage() for r in logged), checks
    )


@pytest.fixture(params=[(theme, tag) for theme in THEMES for tag in EXPECTED], ids=lambda p: f"{p[0]}-{p[1]}")
def case(request: pytest.FixtureRequest, international: International) -> tuple[International, str, str]:
    theme, tag = request.param
    return international, theme, tag


def _reading_order(profile: Profile, tag: str, *, org_heads: bool, paper: bool = False) -> list[str]:
    experience, _, dates, comma = EXPECTED[tag]
    first, second, third = profile.experience
    roles = [first.title or "", second.title or "", third.title or ""]
    if paper:  # "organisation · dates", then the title (pdf.js would join title and organisation)
        roles = [first.organisation or "", dates, first.title or "", *roles[1:]]
    elif not org_heads:  # one line per role: "title, organisation", then its dates
        roles = [f"{first.title}{comma}{first.organisation}", dates, *roles[1:]]
    return [profile.person.name, experience, *roles]  # projects come before or after, by theme


def test_every_pdf_and_docx_passes_the_completeness_check(case: tuple[International, str, str]) -> None:
    built, theme, tag = case
    assert built.checks[f"{theme}/{tag}.pdf"] and built.checks[f"{theme}/{tag}.docx"]


def test_pdf_labels_dates_and_reading_order(case: tuple[International, str, str]) -> None:
    built, theme, tag = case
    profile = built.profiles[tag]
    text = normalise(extract_pdf_text((built.out[theme] / f"{tag}.pdf").read_bytes()))
    order = _reading_order(profile, tag, org_heads=False, paper=True)
    if tag in RTL:
        # Drawing order (pdfminer) first, then the bidi reading order (PDFium): read the latter. It
        # takes a line holding a web address (the project's) as left to right, so its words come
        # reversed there; the completeness check finds the name in the drawing order instead.
        text = text[text.index(normalise(profile.person.name), 1) :]
    else:
        assert normalise(profile.projects[0].name) in text
    assert "Experience" not in text and "Present" not in text
    text = text.casefold()  # compact prints its headings in capitals
    assert_in_order(text, [normalise(item).casefold() for item in order])
    assert normalise(EXPECTED[tag][1]).casefold() in text


def test_docx_labels_direction_fonts_and_languages(case: tuple[International, str, str]) -> None:
    built, theme, tag = case
    profile = built.profiles[tag]
    path = built.out[theme] / f"{tag}.docx"
    word = docx.Document(str(path))
    text = "\n".join(p.text.replace("\u202a", "").replace("\u202c", "") for p in word.paragraphs)
    assert_in_order(text, _reading_order(profile, tag, org_heads=True))
    assert profile.projects[0].name in text
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert EXPECTED[tag][0] in headings and EXPECTED[tag][1] in headings
    assert any(EXPECTED[tag][2].replace(" ", "\u00a0") in p.text for p in word.paragraphs)  # dates keep together
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert re.search(rf'<w:rPrDefault>.*<w:lang w:val="{tag}"', styles, re.DOTALL)
    bidi_paragraphs = xml.count("<w:bidi/>")
    if tag in RTL:
        assert bidi_paragraphs >= len(word.paragraphs) - 1  # every paragraph (the last may be the section's)
        assert "<w:rtl/>" in xml and 'w:cs="Arial"' in xml and 'w:bidi="' + {"ar": "ar-SA", "he": "he-IL"}[tag] in xml
        assert "\u202a" + profile.person.phone in xml  # the phone's digit groups keep their order
    else:
        assert bidi_paragraphs == 0 and "<w:rtl/>" not in xml
    east = {"ja": ("Yu Gothic", "ja-JP"), "zh-Hans": ("Microsoft YaHei", "zh-CN"), "ko": ("Malgun Gothic", "ko-KR")}
    if tag in east:
        font, language = east[tag]
        assert f'w:eastAsia="{font}"' in xml and f'w:eastAsia="{language}"' in xml
        assert 'w:eastAsia="Arial"' not in xml.split("<w:body>")[1].split(font)[0][-400:]
    # Word draws the name's run with the script's font, not the Latin one the theme names
    name_runs = [r for p in word.paragraphs if profile.person.name in p.text for r in p.runs]
    fonts = name_runs[0]._r.find(f"{W}rPr/{W}rFonts") if name_runs else None
    if tag in east:
        assert fonts is not None and fonts.get(f"{W}eastAsia") == east[tag][0]
    if tag in RTL:
        assert fonts is not None and fonts.get(f"{W}cs") == "Arial"


def test_html_lang_direction_labels_and_isolation(case: tuple[International, str, str]) -> None:
    built, theme, tag = case
    profile = built.profiles[tag]
    html = (built.out[theme] / f"{tag}.html").read_text(encoding="utf-8")
    assert not inert_problems(html)
    root = parse(html)
    assert root.get("lang") == tag and root.get("dir") == ("rtl" if tag in RTL else "ltr")
    headings = [_text(e).strip() for e in root.iter() if local_name(e) == "h2"]
    assert EXPECTED[tag][0] in headings and EXPECTED[tag][1] in headings
    role_lines = [normalise(_text(e)) for e in root.iter() if "role-title" in (e.get("class") or "")]
    third = profile.experience[-1]
    role = normalise(f"{third.title}{EXPECTED[tag][3]}{third.organisation}")
    assert any(line == role or line.startswith(f"{role} · ") for line in role_lines)  # compact: dates follow
    assert normalise(EXPECTED[tag][2]) in normalise(body_text(root))
    if tag in RTL:  # a phone number and a web address isolated left to right inside the RTL page
        isolated = [_text(e) for e in root.iter() if local_name(e) == "bdi" and e.get("dir") == "ltr"]
        assert profile.person.phone in isolated and "github.com/example/ratelimit" in "".join(isolated)
    assert "Experience" not in headings and "Present" not in body_text(root)


def test_markdown_and_text_say_it_in_the_language(case: tuple[International, str, str]) -> None:
    built, theme, tag = case
    experience, skills, dates, comma = EXPECTED[tag]
    third = built.profiles[tag].experience[2]
    for fmt in ("md", "txt"):
        text = (built.out[theme] / f"{tag}.{fmt}").read_text(encoding="utf-8")
        headings = text if fmt == "md" else text.upper()  # plain text sets headings in capitals
        assert experience.upper() in headings.upper() and skills.upper() in headings.upper(), fmt
        assert (experience if fmt == "md" else experience.upper()) in text and dates in text, fmt
        assert f"{third.title}{comma}{third.organisation}" in text, fmt


def test_an_emoji_is_drawn_and_a_character_no_font_has_is_left_out_of_the_pdf_with_a_warning(
    international: International,
) -> None:
    summary = international.profiles["pt-BR"].person.summary[0]
    assert "🚀" in summary and "𓀀" in summary
    for theme in THEMES:  # browsers, Word and editors draw with the reader's fonts: both kept there
        for fmt in ("html", "docx", "md", "txt"):
            path = international.out[theme] / f"pt-BR.{fmt}"
            kept = docx.Document(str(path)).paragraphs if fmt == "docx" else None
            text = "\n".join(p.text for p in kept) if kept else path.read_text(encoding="utf-8")
            assert "🚀" in text and "𓀀" in text, fmt
        pdf = normalise(extract_pdf_text((international.out[theme] / "pt-BR.pdf").read_bytes()))
        assert "𓀀" not in pdf and normalise(summary.replace(" 𓀀", "")) in pdf  # the emoji face draws 🚀
    warned = [w for w in international.warnings if "U+13000" in w and "left out of the PDF" in w]
    assert warned and all("egyptian hieroglyph a001" in w and "sections.summary" in w for w in warned)
    # every other character of the seven resumes has a shipped font, the emoji too: nothing else dropped
    assert not [w for w in international.warnings if "no font of theme" in w and "U+13000" not in w]
