"""Inline Markdown: a safe subset, and everything else stays literal text."""

from __future__ import annotations

from cvforge.schema.markup import Span, parse_inline, plain_text


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
