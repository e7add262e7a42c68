"""Inline Markdown: a safe subset, and everything else stays literal text."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from cvforge.schema.markup import _MARKUP_CHARACTERS, Span, parse_inline, parsed_inline, plain_text

# Prose as people write it, and what trips parsers up: entities, angle brackets, colons, @, spaces at
# either end, tabs, other scripts, marks that join or reorder, emoji.
FRAGMENTS = ["&", "<", ">", ":", "@", "#", ".", "-", "—", "→", "·", " ", " ", "\t", "%", "(", ")", '"', "'"]
FRAGMENTS += ["&amp;", "&#42;", "http://x.y", "<b>", "\u200f", "\u2060", "e\u0301", "한", "👩‍💻"]
PLAIN = st.lists(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="*_`[]!\\\n\r\0") | st.sampled_from(FRAGMENTS),
    max_size=40,
).map("".join)


def test_emphasis_code_and_links() -> None:
    spans = parse_inline("Built **GoKV** in *Go* with `fsync` — [repo](https://example.com/gokv)")
    assert Span("GoKV", bold=True) in spans
    assert Span("Go", italic=True) in spans
    assert Span("fsync", code=True) in spans
    assert Span("repo", href="https://example.com/gokv") in spans
    assert plain_text(spans) == "Built GoKV in Go with fsync — repo"


def test_raw_html_entities_and_template_syntax_stay_literal() -> None:
    text = "<b>bold</b> &amp; {{ 7*7 }} <script>x</script>"
    assert parse_inline(text) == (Span(text),)


def test_unsafe_link_targets_are_not_links() -> None:
    spans = parse_inline("[click](javascript:alert(1))")
    assert all(span.href is None for span in spans)


@settings(max_examples=400, deadline=None)
@given(PLAIN)
def test_prose_without_markup_characters_is_the_span_markdown_it_makes(text: str) -> None:
    assert not _MARKUP_CHARACTERS.search(text)
    assert parse_inline(text) == parsed_inline(text)


def test_markup_still_reaches_the_parser_and_plain_prose_never_imports_it() -> None:
    assert parse_inline("a *b*") == (Span("a "), Span("b", italic=True))
    assert parse_inline("line\nbreak") == parsed_inline("line\nbreak")
    assert parse_inline("") == ()
    script = (
        "import sys; from cvforge.schema.markup import parse_inline; "
        "parse_inline('Cut MTTR 45 → 15 min & <b>kept</b> it: 670K+ identities'); "
        "print('markdown_it' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["False"], done.stderr
