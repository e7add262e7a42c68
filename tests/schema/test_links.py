"""Links are http(s), mailto and tel only, in URL fields and Markdown alike; anything else is a located error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.cli import main
from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile
from cvforge.schema.links import link_problem
from cvforge.schema.markup import parse_inline

UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "ftp://example.com/cv.pdf",
    "//evil.example/x",
    "/relative/path",
    "#fragment",
    "java\tscript:alert(1)",
    "ｈttps://fullwidth.example",
]
MALFORMED = ["https://", "https:///path-without-host", "mailto:", "tel:", "https://exa mple.com", "https://[::1"]
SAFE = ["https://example.com", "HTTP://EXAMPLE.COM/a?b=c#d", "mailto:jane@example.com", "tel:+15550100"]


@pytest.mark.parametrize("url", UNSAFE + MALFORMED)
def test_unsafe_and_malformed_links_are_refused(url: str) -> None:
    assert link_problem(url) is not None


@pytest.mark.parametrize("url", SAFE)
def test_safe_links_pass(url: str) -> None:
    assert link_problem(url) is None


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_link_is_reported_with_field_path_value_and_location(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "person:\n"
        "  name: Jane\n"
        "  website: data:text/html,hi\n"
        "  links:\n"
        "    - url: file:///etc/passwd\n"
        "  summary:\n"
        "    - 'See [my site](javascript:alert(1)) and [this](https://ok.example)'\n"
        "notes:\n"
        "  - title: N\n"
        "    url: https://\n"
        "    summary: '[x](<vbscript:msgbox(1)>)'\n",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    lines = [str(problem).removeprefix(f"{path}:") for problem in info.value.problems]
    hint = "is not an allowed link (use http(s)://, mailto: or tel:)"
    assert lines == [
        f"3:12: person.website: 'data:text/html,hi' {hint}",
        f"5:12: person.links[0].url: 'file:///etc/passwd' {hint}",
        f"7:7: person.summary[0]: Markdown link: 'javascript:alert(1)' {hint}",
        "10:10: notes[0].url: 'https://' is not a valid link (no host name after the scheme)",
        f"11:14: notes[0].summary: Markdown link: 'vbscript:msgbox(1)' {hint}",
    ]


def test_cli_exits_1_naming_the_field_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, "person:\n  name: Jane\n  summary: ['[x](JAVASCRIPT:alert(document.cookie))']\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        "person.summary[0]: Markdown link: 'JAVASCRIPT:alert(document.cookie)' is not an allowed link" in result.output
    )
    assert "Traceback" not in result.output


def test_entity_and_escape_spellings_of_javascript_are_caught(tmp_path: Path) -> None:
    for spelling in ("java&#115;cript:x", "&#106;avascript:x", "<javascript:x>"):
        path = write(tmp_path, f"person:\n  name: Jane\n  summary: ['[x]({spelling})']\n")
        with pytest.raises(ProfileError, match="Markdown link: 'javascript:x' is not an allowed link"):
            load_profile(path)


def test_raw_html_anchors_and_autolinks_stay_text() -> None:
    for text in ("<a href='javascript:alert(1)'>x</a>", "<https://example.com>", "<javascript:alert(1)>"):
        assert [(span.text, span.href) for span in parse_inline(text)] == [(text, None)]


def test_images_are_not_markdown_so_nothing_is_embedded() -> None:
    # ![alt](url) is its alt text as an ordinary (checked) link to the image: nothing is loaded.
    spans = parse_inline("![pixel](https://evil.example/x.png)")
    assert [(span.text, span.href) for span in spans] == [("pixel", "https://evil.example/x.png")]
    assert [s.href for s in parse_inline("![x](javascript:alert(1))")] == [None]  # refused: literal text
