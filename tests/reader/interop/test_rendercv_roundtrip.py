"""RenderCV → cvforge → RenderCV without loss: RenderCV's nine example CVs and its ATS corpus come
back with the same sections, titles, order, entry types and field values, and RenderCV 2.8's own
validator accepts every export (when RenderCV is installed; see tests/helpers/rendercv.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cvforge.reader.interop import export_profile
from cvforge.reader.interop.base import network_url
from cvforge.reader.interop.rendercv import section_title
from cvforge.reader.interop.rendercv_export import NETWORKS, export_cv_with_warnings
from cvforge.reader.interop.rendercv_model import entry_type
from cvforge.reader.read import load_profile
from cvforge.schema import Profile
from cvforge.schema.markup import split_sub_points
from tests.helpers.project import JSON_RESUMES, PROFILES, RENDERCV_FILES, RENDERCV_OWN_FILES, SCENARIOS
from tests.helpers.rendercv import WHY_MISSING, rendercv_errors, rendercv_python

ROUND_TRIP_FILES = [*RENDERCV_FILES, *RENDERCV_OWN_FILES]
HEADER_FIELDS = ("name", "headline", "location", "email", "phone", "website", "social_networks")


def _yaml(text: str) -> Any:
    return YAML(typ="safe").load(text)


def _normal(value: Any) -> Any:
    """An entry as RenderCV means it: empty fields left out (nested highlights compared as written)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return str(value) if not isinstance(value, str | bool) else value


@pytest.fixture(scope="module")
def round_trips() -> dict[str, tuple[Any, Any]]:
    """Each file: (the original, its export after import), built once."""
    trips = {}
    for path in ROUND_TRIP_FILES:
        exported = _yaml(export_profile(load_profile(path), "rendercv"))
        trips[path.name] = (_yaml(path.read_text("utf-8")), exported)
    return trips


def test_the_corpus_is_all_there() -> None:
    assert len(RENDERCV_FILES) == 13  # nine examples, four ATS corpus files
    assert RENDERCV_OWN_FILES


def test_nested_highlights_are_sub_points_and_a_second_education_stays_education() -> None:
    """What the round trip compares as text is structure in between: sub-points under their bullet
    (not glued into it) and a second list of schools with every field of a school."""
    profile = load_profile(RENDERCV_OWN_FILES[0])
    led = profile.experience[0].bullets[0]
    assert split_sub_points(led) == (
        "Led the depth-estimation rewrite",
        ("40% lower latency on the Jetson fleet", "2 papers at ICRA"),
    )
    assert split_sub_points(profile.experience[1].bullets[0]) == ("Shipped three products:", ())
    training = profile.custom[0]
    assert (training.title, training.kind) == ("Training", "education")
    school = training.education[0]
    assert (school.institution, school.degree, school.area, school.location) == (
        "Deep Learning Indaba",
        "Summer School",
        "Machine Learning",
        "Nairobi, Kenya",
    )
    assert profile.custom[1].kind == "entries"  # a second Experience section is entries, exported as such


@pytest.mark.parametrize("path", ROUND_TRIP_FILES, ids=lambda p: p.stem)
def test_sections_titles_order_and_entry_types_come_back(path: Path, round_trips: dict[str, Any]) -> None:
    original, exported = round_trips[path.name]
    before = {section_title(k): v for k, v in original["cv"]["sections"].items() if v}
    after = {section_title(k): v for k, v in exported["cv"]["sections"].items()}
    assert list(after) == list(before)  # same titles, same order
    for title, entries in before.items():
        assert [entry_type(e) for e in after[title]] == [entry_type(e) for e in entries], title


@pytest.mark.parametrize("path", ROUND_TRIP_FILES, ids=lambda p: p.stem)
def test_every_field_value_comes_back(path: Path, round_trips: dict[str, Any]) -> None:
    original, exported = round_trips[path.name]
    for field in HEADER_FIELDS:
        assert _normal(exported["cv"].get(field)) == _normal(original["cv"].get(field)), field
    before = {section_title(k): v for k, v in original["cv"]["sections"].items() if v}
    after = {section_title(k): v for k, v in exported["cv"]["sections"].items()}
    for title, entries in before.items():
        assert _normal(after[title]) == _normal(entries), title


@pytest.mark.skipif(rendercv_python() is None, reason=WHY_MISSING)
def test_rendercv_accepts_every_export(round_trips: dict[str, Any]) -> None:
    texts = [export_profile(load_profile(path), "rendercv") for path in ROUND_TRIP_FILES]
    sources = [*PROFILES, *JSON_RESUMES, SCENARIOS / "round-trip" / "profile.yaml"]
    texts += [export_profile(load_profile(path), "rendercv") for path in sources]
    names = [p.name for p in [*ROUND_TRIP_FILES, *sources]]
    verdicts = rendercv_errors(texts)
    assert {name: error for name, error in zip(names, verdicts, strict=True) if error} == {}


@pytest.mark.skipif(rendercv_python() is None, reason=WHY_MISSING)
def test_the_validator_refuses_what_rendercv_refuses() -> None:
    """The check can fail: a phone as people write it and a bare Mastodon name are refused."""
    bad = [
        "cv:\n  name: A\n  phone: '(912) 555-4321'\n",
        "cv:\n  name: A\n  social_networks:\n    - {network: Mastodon, username: lena}\n",
    ]
    assert all(rendercv_errors(bad))


def test_education_keeps_its_location_and_publications_their_fields(round_trips: dict[str, Any]) -> None:
    _, exported = round_trips["John_Doe_ClassicTheme_CV.yaml"]
    school = exported["cv"]["sections"]["education"][0]
    assert (school["institution"], school["location"]) == ("Princeton University", "Princeton, NJ")
    paper = exported["cv"]["sections"]["publications"][0]
    assert paper["authors"][0] == "*John Doe*" and paper["doi"] == "10.1234/neurips.2023.1234"
    assert paper["journal"] == "NeurIPS 2023" and paper["date"] == "2023-07"


# --- what RenderCV cannot take directly ----------------------------------------------------------


def _profile(**person: Any) -> Profile:
    return Profile.model_validate({"person": {"name": "Lena Berg", **person}})


def test_unknown_networks_become_custom_connections_and_mastodon_its_handle() -> None:
    profile = _profile(
        links=[
            {"network": "Mastodon", "url": "https://hachyderm.io/@lena"},
            {"network": "SoundCloud", "url": "https://soundcloud.com/lena"},
            {"network": "Blog", "url": "https://lena.example/blog"},
            {"network": "GitHub", "url": "https://github.com/lena"},
        ]
    )
    document, warnings = export_cv_with_warnings(profile)
    cv = document["cv"]
    assert cv["social_networks"] == [
        {"network": "Mastodon", "username": "@lena@hachyderm.io"},
        {"network": "GitHub", "username": "lena"},
    ]
    assert [c["url"] for c in cv["custom_connections"]] == ["https://soundcloud.com/lena", "https://lena.example/blog"]
    assert warnings == []


def test_phones_are_written_internationally_when_the_country_is_known_and_warned_about_otherwise() -> None:
    known = _profile(phone="(912) 555-4321", address={"country_code": "US"})
    document, warnings = export_cv_with_warnings(known)
    assert document["cv"]["phone"] == "+19125554321" and warnings == []
    by_locale = Profile.model_validate({"locale": "pt-BR", "person": {"name": "Ana", "phone": "(11) 91234-5678"}})
    assert export_cv_with_warnings(by_locale)[0]["cv"]["phone"] == "+5511912345678"
    unknown = _profile(phone="(912) 555-4321")
    document, warnings = export_cv_with_warnings(unknown)
    assert "phone" not in document["cv"]
    assert [w for w in warnings if w.startswith("person.phone:")], warnings


def test_locale_and_design_settings_go_both_ways(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text(
        "cv:\n  name: Jana Beispiel\n  sections:\n    erfahrung:\n      - company: ACME\n        position: Leiterin\n"
        "        start_date: 2020-01\n        end_date: present\n"
        "design:\n  theme: classic\n  page:\n    size: us-letter\n    top_margin: 1cm\n"
        "  colors:\n    section_titles: rgb(0, 79, 144)\n"
        "locale:\n  language: german\n  present: heute\n  month_names: [a, b, c, d, e, f, g, h, i, j, k, l]\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        profile = load_profile(path)
    assert (profile.locale, profile.labels["present"]) == ("de", "heute")
    assert (profile.options["page_size"], profile.options["accent"]) == ("Letter", "#004f90")
    notes = " ".join(r.getMessage() for r in caplog.records)
    assert "page.top_margin" in notes and "month_names" in notes  # one notice each for the rest
    assert "page.size" not in notes and "colors.section_titles" not in notes  # these were honoured
    document, _ = export_cv_with_warnings(profile)
    assert document["locale"] == {"language": "german", "present": "heute"}
    assert document["design"]["page"]["size"] == "us-letter"
    assert document["design"]["colors"]["section_titles"] == "rgb(0, 79, 144)"


# --- every export carries every field, or warns naming it -----------------------------------------


def _leaves(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}[{i}]")]
    return [(path, str(value))]


_CARRIED_ELSEWHERE = ("tags", "headings", "options.sections", "labels", "date_format", "locale")


@pytest.mark.parametrize(
    "path",
    [*PROFILES, *JSON_RESUMES, *ROUND_TRIP_FILES, SCENARIOS / "round-trip" / "profile.yaml"],
    ids=lambda p: p.stem,
)
def test_the_rendercv_export_carries_every_field_or_names_it(path: Path) -> None:
    """Field by field: each value of the profile is in the exported file, or a warning names the field
    (or a field of which it is part). Dates are compared as written in the export (2024-03)."""
    profile = load_profile(path)
    _, warnings = export_cv_with_warnings(profile)
    text = YAML(typ="safe").load(export_profile(profile, "rendercv"))
    # What the file says, as RenderCV reads it: section keys are titles, a network and username a URL.
    cv = text["cv"]
    titles = [section_title(key) for key in cv.get("sections", {})]
    urls = [network_url(n["network"], n["username"]) for n in cv.get("social_networks", [])]
    flat = "\n".join([*(value for _, value in _leaves(text)), *titles, *(u for u in urls if u)])
    warned = [w.split(":", 1)[0] for w in warnings]
    data = profile.model_dump(mode="json", exclude_defaults=True)
    missing = []
    for field, value in _leaves(data):
        if (
            field.startswith(_CARRIED_ELSEWHERE)
            or ".tags[" in field
            or field.endswith(".kind")
            or value in ("", "None")
        ):
            continue
        shown = value.replace("mailto:", "").replace("tel:", "")
        renamed = NETWORKS.get(shown.lower().replace(" ", ""), shown)  # Twitter is RenderCV's X
        if field.endswith(".network") and (shown.lower() in flat.lower() or renamed in flat):
            continue  # a network RenderCV does not know is named by its connection's icon
        if (
            shown in flat
            or shown.replace("www.", "") in flat
            or shown.rstrip("/") in flat
            or _date_shown(value, flat)
            or _number_shown(value, flat)
            or (".bullets[" in field and _points_shown(value, flat))
        ):
            continue
        if any(field.startswith(w.split(" ")[0]) for w in warned):
            continue
        missing.append((field, value))
    assert missing == [], missing


def _points_shown(bullet: str, flat: str) -> bool:
    """A bullet with sub-points is one highlight in RenderCV's nested form, "Head - a - b"."""
    head, subs = split_sub_points(bullet)
    return bool(subs) and " - ".join([head, *subs]) in flat


def _date_shown(value: str, flat: str) -> bool:
    return value[:7] in flat if len(value) >= 7 and value[4:5] == "-" else False


def _number_shown(value: str, flat: str) -> bool:
    digits = "".join(c for c in value if c.isdigit())
    return len(digits) >= 7 and digits[-7:] in "".join(c for c in flat if c.isdigit())


def test_the_export_command_names_what_it_cannot_carry(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cvforge.cli import main

    source = tmp_path / "me.yaml"
    source.write_text("person:\n  name: Lena Berg\n  phone: (912) 555-4321\n  tagline: Hi\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(source), "--to", "rendercv", "-o", str(tmp_path / "cv.yaml")])
    assert result.exit_code == 0, result.output
    assert "warning: person.phone: not exported to RenderCV" in result.output
    assert "warning: person.tagline:" in result.output


TWO_LISTS_OF_PAPERS = """\
cv:
  name: Zhen Wei
  sections:
    journal_papers:
      - title: Equivariant Graph Networks
        authors: ['*Zhen Wei*', Anna Mueller]
        journal: Nature Machine Intelligence
        date: 2024-01
        doi: 10.1038/s42256-024-0001
    conference_papers:
      - title: Scalable Message Passing
        authors: ['*Zhen Wei*', Li Zhang]
        journal: ICML 2023
        date: 2023-07
        url: https://proceedings.example/icml23
"""


def test_a_second_list_of_papers_stays_a_list_of_papers(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text(TWO_LISTS_OF_PAPERS, encoding="utf-8")
    profile = load_profile(path)
    assert profile.publications[0].venue == "Nature Machine Intelligence"
    second = profile.custom[0]
    assert (second.title, second.kind, second.publications[0].url) == (
        "Conference Papers",
        "publications",
        "https://proceedings.example/icml23",
    )
    exported = _yaml(export_profile(profile, "rendercv"))["cv"]["sections"]
    original = _yaml(TWO_LISTS_OF_PAPERS)["cv"]["sections"]
    assert list(exported) == list(original)
    assert _normal(exported) == _normal(original)
