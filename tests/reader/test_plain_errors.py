"""The mistakes new users make most, said in plain words with their fix."""

from __future__ import annotations

import pytest

from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile_text
from cvforge.reader.source import parse_text


def yaml_error(text: str) -> str:
    with pytest.raises(ProfileError) as caught:
        parse_text(text, "p.yaml")
    return caught.value.message


def profile_errors(text: str) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, __import__("pathlib").Path("."), "p.yaml")
    return caught.value.message


def test_a_tab_says_use_spaces() -> None:
    assert yaml_error("person:\n\tname: Jane\n") == (
        "p.yaml:2:1: invalid YAML: YAML does not allow tabs for indentation; use spaces"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("person:\n  name: Jane\n    headline: x\n", "p.yaml:3:13:"),
        ("person:\n  name: Jane\n summary: x\n", "p.yaml:3:2:"),
        ("skills:\n  - a\n  b: c\n", "p.yaml:3:3:"),
    ],
)
def test_bad_indentation_is_named_as_such(text: str, where: str) -> None:
    message = yaml_error(text)
    assert message.startswith(where) and ("line it up" in message or "line up" in message)


def test_an_unquoted_colon_in_a_value_says_quote_it() -> None:
    message = yaml_error("person:\n  name: Jane\n  headline: Lead: Payments\n")
    assert message == (
        "p.yaml:3:17: invalid YAML: a colon followed by a space starts a new key; "
        "to write it as text, quote the text: 'Lead: Payments'"
    )


BASE = "person:\n  name: Jane\n"


def test_an_unquoted_colon_in_a_bullet_says_quote_it() -> None:
    text = BASE + "experience:\n  - title: SDE\n    start: 2020\n    bullets:\n      - Led team: shipped it\n"
    assert (
        "experience[0].bullets[0]: expected text, got a mapping (a colon followed by a space made this a key; "
        "quote the text: 'Led team: shipped it')" in profile_errors(text)
    )


@pytest.mark.parametrize("word", ["current", "now", "today", "ongoing", "Current"])
def test_words_for_ongoing_suggest_present(word: str) -> None:
    text = BASE + f"experience:\n  - title: SDE\n    start: 2020\n    end: {word}\n"
    assert f"p.yaml:6:10: experience[0].end: '{word}' is not a date; write 'present'" in profile_errors(text)


def test_a_website_without_scheme_suggests_https() -> None:
    message = profile_errors(BASE + "  website: github.com/jane\n")
    assert (
        "p.yaml:3:12: person.website: 'github.com/jane' has no scheme; did you mean 'https://github.com/jane'?"
        in message
    )


def test_a_bare_link_names_the_network_and_url_keys() -> None:
    message = profile_errors(BASE + "  links: [github.com/jane]\n")
    assert "person.links[0]: expected a mapping" in message
    assert "{network: GitHub, url: https://github.com/jane}" in message
