"""`cvforge locales`, `--locale` over a target's `locale` over the profile's, and an item written
right to left isolated in a left-to-right resume (HTML `dir`, Word `w:bidi`, the Arabic comma)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import cvforge
from cvforge.cli import main

ENGLISH_WITH_ARABIC = """\
person:
  name: Sam Rivera
  email: sam@example.com
experience:
  - title: مهندس برمجيات
    organisation: شركة المثال
    start: 2021-05
    end: present
    bullets:
      - بنيت خدمة الدفع من الصفر.
  - title: Backend Engineer
    organisation: Acme
    start: 2018
    end: 2021-04
    bullets:
      - Built the billing API.
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_locales_lists_thirty_or_more_languages_with_their_direction(runner: CliRunner) -> None:
    result = runner.invoke(main, ["locales"])
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if re.match(r"^[a-z]{2,3}(-\w+)?\s", line)]
    assert len(rows) >= 30
    tags = {row.split()[0] for row in rows}
    assert {"en", "de", "pt-BR", "ja", "zh-Hans", "ko", "ar", "he", "fa", "ur"} <= tags
    assert any(row.startswith("ar ") and "right-to-left" in row for row in rows)


def test_cli_locale_wins_over_the_targets_which_wins_over_the_profiles(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "sam.yaml").write_text(
        ENGLISH_WITH_ARABIC.replace("person:", "locale: de\nperson:", 1), encoding="utf-8"
    )
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "sam-ja.yaml").write_text("profile: ../profiles/sam.yaml\nlocale: ja\n", encoding="utf-8")
    here = tmp_path
    if True:
        profile, target = Path(tmp_path / "profiles" / "sam.yaml"), Path(tmp_path / "targets" / "sam-ja.yaml")
        for args, out, word in (
            ([str(profile)], "p", "Berufserfahrung"),
            ([str(target)], "t", "職歴"),
            ([str(target), "--locale", "ko"], "c", "경력"),
            ([str(profile), "--locale", "pt-BR"], "cp", "Experiência profissional"),
        ):
            result = runner.invoke(main, ["build", *args, "--format", "md", "-o", f"{here}/{out}"])
            assert result.exit_code == 0, result.output
            written = next(Path(here, out).rglob("*.md")).read_text(encoding="utf-8")
            assert f"## {word}" in written, (args, written)


def test_a_bad_cli_locale_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "sam.yaml"
    profile.write_text(ENGLISH_WITH_ARABIC, encoding="utf-8")
    result = runner.invoke(main, ["build", str(profile), "--locale", "xx-nope", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "option locale: 'xx-nope' is not a locale cvforge knows" in result.output
    assert not (tmp_path / "out").exists()


def test_an_arabic_role_in_an_english_resume_reads_right_to_left() -> None:
    profile = cvforge.load(ENGLISH_WITH_ARABIC)
    html = cvforge.render(profile, "html")
    assert isinstance(html, bytes)
    page = html.decode("utf-8")
    assert '<html lang="en" dir="ltr">' in page
    # The text reads right to left inside boxes that keep the page's geometry (issue 27, point 9).
    role = re.search(r'<h3 class="role-title"><bdi dir="rtl">(.*?)</bdi></h3>', page, re.DOTALL)
    assert role is not None and re.sub(r"<[^>]+>", "", role.group(1)) == "مهندس برمجيات، شركة المثال"
    assert '<li><bdi dir="rtl">بنيت خدمة الدفع من الصفر.</bdi></li>' in page
    assert '<h3 class="role-title">Backend Engineer' in page  # the English role keeps the page's direction
    data = cvforge.render(profile, "docx")
    assert isinstance(data, bytes)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL)
    arabic = [p for p in paragraphs if "بنيت" in p]
    english = [p for p in paragraphs if "Built the billing API" in p]
    assert arabic and "<w:bidi/>" not in arabic[0] and "<w:rtl/>" in arabic[0]  # its bullet stays left
    assert english and "<w:bidi/>" not in english[0]
    assert "، " in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", "".join(p for p in paragraphs if "مهندس" in p)))
