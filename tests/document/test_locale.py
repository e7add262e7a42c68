"""Locales: the translation tables, CLDR dates, direction, commas, label overrides and the fallback
to English with a warning naming the key."""

from __future__ import annotations

import logging
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

import cvforge
from cvforge.document import locale as locale_module
from cvforge.document.headings import heading_key, parser_heading
from cvforge.document.locale import LocaleView, make_locale, shipped_tables, table_for
from cvforge.document.view import format_range, view_document
from cvforge.errors import ProfileError
from cvforge.schema.placeholders import check_label, label_placeholders, placeholders_in
from cvforge.schema.sections import LABEL_KEYS, SECTION_KEYS

PROFILE = {
    "person": {"name": "Jane Doe"},
    "experience": [
        {"title": "Engineer", "organisation": "Acme", "start": "2022-03", "end": "present"},
        {"title": "Intern", "organisation": "Beta", "start": "2019", "end": "2020-11"},
    ],
}

CACHED_TABLES = (locale_module.shipped_tables, locale_module.shipped_table, locale_module.shipped_tags)


def test_at_least_thirty_languages_every_label_translated_with_its_placeholders() -> None:
    tables = shipped_tables()
    assert len(tables) >= 30
    english = tables["en"].labels
    for tag, table in tables.items():
        assert set(table.labels) == set(LABEL_KEYS), tag
        for key, text in table.labels.items():
            assert text.strip(), (tag, key)
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            # a translation may drop {count} where the language spells "one" out, never add a field
            assert fields <= {f for _, f, _, _ in string.Formatter().parse(english[key]) if f}, (tag, key)
        assert set(table.headings) <= {
            "summary",
            "experience",
            "projects",
            "skills",
            "education",
            "certifications",
            "awards",
            "languages",
        }, tag


def test_no_locale_gives_two_sections_the_same_title() -> None:
    """Two sections under one heading read as one (German once titled notes and publications both
    "Publikationen"), and a heading read back could not say which section it was."""
    for tag, table in shipped_tables().items():
        by_title: dict[str, list[str]] = {}
        for key in SECTION_KEYS:
            by_title.setdefault(table.labels[key].casefold(), []).append(key)
        shared = {title: keys for title, keys in by_title.items() if len(keys) > 1}
        assert not shared, (tag, shared)


@pytest.mark.parametrize(
    ("tag", "experience", "dates"),
    [
        ("en", "Experience", "Mar 2022 – Present"),
        ("de", "Berufserfahrung", "März 2022 – heute"),
        ("fr", "Expérience professionnelle", "mars 2022 – aujourd’hui"),
        ("pt-BR", "Experiência profissional", "03/2022 – atual"),  # as Brazilian resumes write it
        ("ja", "職歴", "2022年3月 – 現在"),
        ("zh-Hans", "工作经历", "2022年3月 – 至今"),
        ("zh-TW", "工作經歷", "2022年3月 – 至今"),  # a region picks its script's table
        ("ko", "경력", "2022년 3월 – 현재"),
        ("ar", "الخبرة العملية", "مارس 2022 – حتى الآن"),
        ("he", "ניסיון תעסוקתי", "מרץ 2022 – היום"),
    ],
)
def test_labels_and_month_dates_follow_the_locale(tag: str, experience: str, dates: str) -> None:
    document = view_document(cvforge.load({**PROFILE, "locale": tag}))
    section = document.section("experience")
    assert section is not None and section.title == experience
    assert section.items[0].roles[0].dates == dates  # type: ignore[union-attr]
    assert document.locale.tag == tag


@pytest.mark.parametrize(
    ("tag", "dates"),
    [
        ("ru", "03.2022 – н. в."),  # not CLDR's "март 2022 г."
        ("uk", "03.2022 – дотепер"),
        ("bg", "03.2022 – момента"),  # not "03.2022 г."
        ("it", "03/2022 – oggi"),  # Europass
        ("el", "03/2022 – σήμερα"),
        ("fi", "3/2022 – nykyhetki"),  # not the stem "maalis 2022"
        ("ca", "03/2022 – actualitat"),
        ("vi", "03/2022 – nay"),
        ("de", "März 2022 – heute"),  # CLDR kept where it is how resumes read
        ("hu", "2022. márc. – jelenleg"),
    ],
)
def test_month_dates_follow_how_resumes_in_the_language_write_them(tag: str, dates: str) -> None:
    document = view_document(cvforge.load({**PROFILE, "locale": tag}))
    assert document.section("experience").items[0].roles[0].dates == dates  # type: ignore[union-attr]


def test_every_table_gives_the_reason_for_its_date_pattern() -> None:
    """Each table says why its month dates read as they do: CLDR's form kept, or a resume's pattern."""
    folder = Path(cvforge.__file__).parent / "data" / "locales"
    for table in sorted(folder.glob("*.toml")):
        text = table.read_text("utf-8")
        assert re.search(r"^# (Dates: |.*resumes write a month)", text, re.M), table.name


def test_a_profiles_date_format_still_wins_over_the_tables() -> None:
    russian = view_document(cvforge.load({**PROFILE, "locale": "ru", "date_format": "LLLL y"}))
    assert russian.section("experience").items[0].roles[0].dates == "март 2022 – н. в."  # type: ignore[union-attr]


def test_year_only_dates_and_a_date_format_override() -> None:
    ja = view_document(cvforge.load({**PROFILE, "locale": "ja"}))
    assert ja.section("experience").items[1].roles[0].dates == "2019年 – 2020年11月"  # type: ignore[union-attr]
    custom = view_document(cvforge.load({**PROFILE, "locale": "de", "date_format": "MMMM y"}))
    assert custom.section("experience").items[0].roles[0].dates == "März 2022 – heute"  # type: ignore[union-attr]
    numeric = view_document(cvforge.load({**PROFILE, "locale": "de", "date_format": "MM/y"}))
    assert numeric.section("experience").items[1].roles[0].dates == "2019 – 11/2020"  # type: ignore[union-attr]


def test_direction_and_comma_by_script() -> None:
    assert make_locale("ar").rtl and make_locale("he").rtl and make_locale("fa").rtl and make_locale("ur").rtl
    assert not make_locale("ja").rtl
    english = make_locale("en")
    assert english.comma_for("مهندس برمجيات", "شركة المثال") == "، "  # an Arabic item, in any page
    assert english.comma_for("Engineer", "Acme") == ", "
    assert make_locale("ja").comma_for("エンジニア", "株式会社例") == "、"
    assert make_locale("ja").comma_for("Engineer", "Acme") == ", "  # Latin parts keep the Latin comma
    assert make_locale("he").comma_for("מהנדסת", "תשלומים") == ", "  # Hebrew writes the Latin comma
    assert english.dir_of("مهندس") == "rtl" and make_locale("ar").dir_of("+971 50 123 4567") == "ltr"
    assert english.dir_of("Engineer") is None


def test_profile_labels_override_the_table_and_unknown_labels_are_errors() -> None:
    document = view_document(
        cvforge.load({**PROFILE, "locale": "de", "labels": {"present": "laufend", "experience": "Stationen"}})
    )
    section = document.section("experience")
    assert section is not None and section.title == "Stationen"
    assert section.items[0].roles[0].dates == "März 2022 – laufend"  # type: ignore[union-attr]
    with pytest.raises(ProfileError) as caught:
        cvforge.load("person:\n  name: Jane\nlabels:\n  presnet: heute\n")
    assert re.search(r"<string>:4:\d+.*labels.*'presnet' is not a label", str(caught.value))


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ('salutation_named: "Dear {name.__class__.__mro__}"', "'{name.__class__.__mro__}' reaches into an attribute"),
        ('salutation_named: "Dear {x}"', "unknown placeholder '{x}' (use {name})"),
        ('salutation_named: "Dear {"', "unbalanced '{' at character 6"),
        ('salutation_named: "Dear {name:d}"', "'{name:d}' has a format spec"),
        ('salutation_named: "Dear {name:{name}}"', "'{name:{name}}' has a placeholder inside a placeholder"),
        ('projects_count_one: "{count:d}"', "'{count:d}' has a format spec"),
        ('projects_count_other: "{count:x>1500000000} projects"', "has a format spec"),
        ('photo_of: "{name!r}"', "'{name!r}' has a conversion"),
        ('signature_of: "{name[0]}"', "'{name[0]}' reaches into an index"),
        ('salutation: "Dear {name},"', "unknown placeholder '{name}' (this text takes none"),
        ('present: "now}"', "unbalanced '}' at character 4"),
        ('experience: "{0}"', "'{0}' is not a plain name"),
    ],
)
def test_profile_labels_are_validated_like_placeholders(label: str, problem: str) -> None:
    """Issue 24.8: a label is checked against the names it takes when the profile is loaded."""
    with pytest.raises(ProfileError) as caught:
        cvforge.load(f"person:\n  name: Jane\nlabels:\n  {label}\n")
    [found] = caught.value.problems
    key = label.split(":", 1)[0]
    assert (found.line, found.column, found.path) == (4, len(key) + 5, f"labels.{key}"), found
    assert problem in found.message, found.message
    assert "write {{ and }} for literal braces" in found.message or "unknown placeholder" in found.message


def test_a_label_fills_plain_names_and_literal_braces() -> None:
    overrides = {"salutation_named": "Hi {name} {{team}},", "tech": "Tech {{stack}}"}
    document = view_document(cvforge.load({**PROFILE, "labels": overrides}))
    assert document.locale.label("salutation_named", name="Dana") == "Hi Dana {team},"
    assert document.locale.label("tech") == document.labels["tech"] == "Tech {stack}"


def test_a_label_never_reaches_into_its_values() -> None:
    """Issue 24.6/24.8: even a label that skipped validation fills plain names only."""
    locale = LocaleView(labels={"photo_of": "Photo of {name.__class__}"})
    with pytest.raises(ValueError, match="reaches into an attribute"):
        locale.label("photo_of", name="Jane")
    with pytest.raises(ValueError, match="is not a label cvforge prints"):
        locale.label("{name.__class__}", name="Jane")


def test_every_shipped_label_passes_the_check_profile_labels_get() -> None:
    """The built-in tables are held to the same rule as a profile's `labels:`, with the same function,
    and the English table uses every name a label takes (so the table of names is not stale)."""
    for tag, table in shipped_tables().items():
        for key, text in table.labels.items():
            assert check_label(key, text) == text, (tag, key)
    english = shipped_tables()["en"].labels
    for key in LABEL_KEYS:
        assert placeholders_in(english[key], label_placeholders(key)) == list(label_placeholders(key)), key


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("locale: xx-nope", "'xx-nope' is not a locale cvforge knows"),
        ("date_format: MMMM", "'MMMM' has no year"),
        ("date_format: MMM y h", "'MMM y h' has a field that is not part of a date: 'h'"),
        ("date_format: y zzzz", "not part of a date: 'zzzz'"),
    ],
)
def test_a_bad_locale_or_date_format_is_a_located_error(text: str, problem: str) -> None:
    with pytest.raises(ProfileError) as caught:
        cvforge.load(f"person:\n  name: Jane\n{text}\n")
    assert re.search(rf"<string>:3:\d+.*{re.escape(problem)}", str(caught.value))


def test_a_locale_without_a_table_gets_english_labels_cldr_dates_and_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="cvforge"):
        document = view_document(cvforge.load({**PROFILE, "locale": "sw"}))
    assert document.section("experience").title == "Experience"  # type: ignore[union-attr]
    assert document.section("experience").items[0].roles[0].dates == "Mac 2022 – Present"  # type: ignore[union-attr]
    assert "locale sw: cvforge has no translation table" in caplog.text


def test_a_missing_translation_falls_back_to_english_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    source = Path(str(locale_module._tables_dir()))
    for name in ("en.toml", "de.toml"):
        shutil.copy(source / name, tmp_path / name)
    german = (tmp_path / "de.toml").read_text(encoding="utf-8")
    (tmp_path / "de.toml").write_text(re.sub(r"(?m)^present = .*\n", "", german), encoding="utf-8")
    monkeypatch.setattr(locale_module, "_tables_dir", lambda: tmp_path)
    for cached in (*CACHED_TABLES, locale_module.english_labels, locale_module._resolved):
        cached.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="cvforge"):
            document = view_document(cvforge.load({**PROFILE, "locale": "de"}))
    finally:
        monkeypatch.undo()
        for cached in (*CACHED_TABLES, locale_module.english_labels, locale_module._resolved):
            cached.cache_clear()
    assert document.section("experience").items[0].roles[0].dates == "März 2022 – Present"  # type: ignore[union-attr]
    assert "locale de: no translation for label 'present'; using the English 'Present'" in caplog.text


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Berufserfahrung", "experience"),
        ("Beruflicher Werdegang", "experience"),
        ("職歴", "experience"),
        ("職務経歴", "experience"),
        ("工作经历", "experience"),
        ("الخبرة العملية", "experience"),
        ("ניסיון תעסוקתי", "experience"),
        ("Formação acadêmica", "education"),
        ("보유 기술", "skills"),
        ("Kenntnisse", "skills"),
    ],
)
def test_the_ats_heading_vocabulary_knows_every_language(line: str, key: str) -> None:
    assert heading_key(line) == key


def test_parser_headings_prefix_in_the_documents_language() -> None:
    german = make_locale("de")
    assert parser_heading("experience", "Stationen", german) == "Berufserfahrung — Stationen"
    assert parser_heading("experience", "Beruflicher Werdegang", german) == "Beruflicher Werdegang"
    assert parser_heading("experience", "Selected Work") == "Experience — Selected Work"


def test_check_expects_dates_in_the_profiles_locale() -> None:
    profile = cvforge.load({**PROFILE, "locale": "ja"})
    assert format_range(profile.experience[0], make_locale("ja")) == "2022年3月 – 現在"
    assert table_for("pt-PT") is shipped_tables()["pt"]


def test_an_english_resume_reads_only_the_english_table() -> None:
    """36 tables parsed at import were 12 ms of every build; a German one reads German and English."""
    script = """
import cvforge
from cvforge.document import locale
from cvforge.document.view import view_document
view_document(cvforge.load({"person": {"name": "Jane Doe"}, "experience": [{"title": "Engineer", "start": "2022-03"}]}))
print(locale.shipped_table.cache_info().currsize, locale.shipped_tables.cache_info().currsize)
view_document(cvforge.load({"person": {"name": "Jana"}, "locale": "de-AT"}))
print(locale.shipped_table.cache_info().currsize)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "0", "2"]
