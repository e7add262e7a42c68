"""Markdown outputs hold no element or image the profile did not ask for as text (issue 12.6).

Each output is rendered the way a portal or a CI summary would show it: CommonMark with raw HTML
allowed. Only the elements plain resume text maps to may come out, and links only where asked.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from markdown_it import MarkdownIt

import cvforge
from cvforge.targets.report import FitRow, ItemRow, MatchReport, TermRow

HOSTILE_URL = 'https://a.example/"><script>alert(11)</script>'
TEXT_TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "em", "strong", "a", "code", "pre", "br"}
TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src")]


def shown(markdown: str) -> Elements:
    parser = Elements()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    return parser


def hostile_profile() -> dict[str, Any]:
    return {
        "person": {
            "name": "Jane <script>alert(1)</script> Doe",
            "email": "jane@example.com",
            "website": HOSTILE_URL,
            "links": [{"label": "x)![e](https://host/e.png)<svg onload=alert(2)>", "url": "https://b.example/a)b"}],
            "summary": [
                "Look ![x](https://host/track.png) here!",
                "Wow![y](https://host/t2.png) and <img src=x onerror=alert(3)> &lt;b&gt;",
                "[ok](https://c.example/<svg>)",
            ],
        },
        "experience": [
            {"title": "<iframe>", "organisation": "Org ![z](https://host/z.png)", "start": "2020-01",
             "url": "https://d.example/\"onmouseover=\"alert(4)", "bullets": ["`code` <b>bold</b>"]},
        ],
    }  # fmt: skip


def test_a_hostile_profile_makes_markdown_with_text_only() -> None:
    markdown = cvforge.render(hostile_profile(), "md").decode("utf-8")
    elements = shown(markdown)
    assert set(elements.tags) <= TEXT_TAGS, sorted(set(elements.tags) - TEXT_TAGS)
    assert "img" not in elements.tags
    for href in elements.hrefs:  # links only where the profile wrote one ("[x](…)" is a link, never an image)
        assert href.startswith(("https://", "mailto:jane@")), href
        assert not any(c in href for c in '<>"'), href
    assert "onerror" not in "".join(elements.hrefs)


def test_an_email_that_breaks_out_of_its_link_is_refused_or_escaped() -> None:
    profile = hostile_profile()
    profile["person"]["email"] = "j)![e](https://host/e.png)<svg>@example.com"
    try:
        markdown = cvforge.render(profile, "md").decode("utf-8")
    except cvforge.ProfileError:
        return  # refused at validation: fine
    elements = shown(markdown)
    assert set(elements.tags) <= TEXT_TAGS and "img" not in elements.tags


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "![t](https://h/t.png)"])
def test_match_reports_escape_every_name(name: str) -> None:
    report = MatchReport(
        target=name,
        profile=f"profiles/{name}.yaml",
        job=f"jobs/`{name}`.md",
        terms=(
            TermRow(name, 2, 1, name, False, False, True),
            TermRow("kafka" + name, 2, 1, name, False, True, True),
        ),
        items=(ItemRow(name, name, 3, (name, "go"), name),),
        outputs=(f"out/{name}.pdf",),
        fit_dropped=(FitRow(name, name, name, 1),),
    )
    elements = shown(report.to_markdown())
    assert set(elements.tags) <= TEXT_TAGS | TABLE_TAGS, sorted(set(elements.tags) - TEXT_TAGS - TABLE_TAGS)
    assert elements.hrefs == []
