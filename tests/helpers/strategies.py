"""Hypothesis strategies for profiles, built by walking the Pydantic models themselves.

A field added to the schema is fuzzed without touching this file. Values are mostly plausible
(so many profiles validate and reach the renderers) and sometimes hostile or plain wrong (so the
loader's error paths are exercised too).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from cvforge.schema import Profile

# The settings every fuzz test runs under: no deadline (a build takes seconds), big inputs allowed.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Strings that try to become markup, script, template code or a remote load somewhere.
INJECTIONS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "{{ 7*7 }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{{ ''.__class__.__mro__ }}",
    "</style><script>alert(1)</script>",
    "</title><svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[click](javascript:alert(1))",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "url(http://evil.example/x.png)",
    "<style>@import 'https://evil.example/x.css';</style>",
    "\u202eevil.exe\u202c",
    "zero\u200bwidth\u200djoin\ufeff",
    "&lt;b&gt; &amp; &#x3C;",
    "<![CDATA[ x ]]><!-- c -->",
    "A" * 3000,
    "word " * 400,
]
MARKDOWN_BITS = [
    "**", "*", "_", "`", "\\", "[", "]", "(", ")", "\n", "<b>", "&amp;", "[x](https://example.com/a)",
    "!", "![x](https://host.example/track.png)", "|", "#", "> ", "- ", "1. ", "<", ">", "&#60;", "<!--",
]  # fmt: skip
# Strings that try to break out of Markdown syntax (issue 12.6): images, raw HTML, link and table breakers.
MARKDOWN_HOSTILE = [
    "![x](https://host.example/track.png)",
    "Wow![y](https://host.example/t.png)",
    ")![e](https://host.example/e.png)<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "a | b | <script>x</script>",
    "`<b>`` code",
    "[a]: https://host.example/ref\n[a]",
    "<https://host.example/auto>",
    "<details open ontoggle=alert(1)>",
    "\\<b>x\\</b>",
    "*<i>*",
]
URLS = [
    "https://example.com/",
    "http://example.com/a?b=c#d",
    "mailto:jane@example.com",
    "tel:+15550100",
    'https://evil.example/"><script>alert(1)</script>',
    "https://a.example/x)![e](https://host.example/e.png)<svg>",
    "https://a.example/<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "data:text/html,hi",
    "file:///etc/passwd",
    "https://",
    "",
]
OPTION_NAMES = ["accent", "page_size", "density", "sections", "font", "nope"]

plain_words = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.'&→·()-]{0,40}", fullmatch=True)
printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30)
raw_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)  # control characters too
dates = st.one_of(st.integers(1950, 2030), st.builds("{}-{:02d}".format, st.integers(1950, 2030), st.integers(1, 12)))
bad_dates = st.sampled_from(["2024-02-30", "Jan 2024", "2024-13", "", 12.5, True])
emails = st.sampled_from(["jane@example.com", "m<svg/onload=alert(1)>@evil.example", "not-an-email"])
THEME_NAMES = ["classic", "nope"]


class ProfileStrategies:
    """Strategies for one kind of profile: `dirty` ones also carry control characters and bad values."""

    def __init__(self, *, dirty: bool) -> None:
        self.dirty = dirty
        self.text = st.one_of(
            plain_words,
            plain_words,
            plain_words,
            st.sampled_from(INJECTIONS),
            st.sampled_from(MARKDOWN_HOSTILE),
            printable,
        )
        self.markdown = st.one_of(
            self.text,
            st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), plain_words), min_size=1, max_size=8).map("".join),
            st.builds("[{}]({})".format, plain_words, st.sampled_from(URLS[:7])),
        )
        self.urls = st.sampled_from(URLS[:7])
        self.photos = st.sampled_from(["https://example.com/me.jpg"])
        self.dates = dates
        self.tags = st.lists(st.sampled_from(["backend", "ai", "fintech"]), max_size=2)
        if dirty:
            self.text = st.one_of(self.text, raw_text)
            self.markdown = st.one_of(self.markdown, st.builds("[{}]({})".format, plain_words, st.sampled_from(URLS)))
            self.urls = st.one_of(self.urls, st.sampled_from(URLS), self.text)
            self.photos = st.sampled_from(
                ["https://example.com/me.jpg", "missing.jpg", "../x.jpg", "/etc/passwd", "a.gif"]
            )
            self.dates = st.one_of(dates, bad_dates)
            self.tags = st.lists(st.sampled_from(["backend", "ai", ""]), max_size=2)

    def by_validator(self, metadata: list[Any]) -> st.SearchStrategy[Any] | None:
        """A strategy for the field types cvforge gives meaning to through a validator."""
        for item in metadata:
            name = getattr(getattr(item, "func", None), "__name__", "")
            match name:
                case "_check_url":
                    return self.urls
                case "_check_markdown_links":
                    return self.markdown
                case "_check_photo":
                    return self.photos
                case "parse_partial_date":
                    return self.dates
                case "_parse_end_date":
                    return st.one_of(self.dates, st.just("present"))
        return None

    def for_annotation(self, annotation: Any, metadata: list[Any] | None = None) -> st.SearchStrategy[Any]:
        """Follow an annotation to a strategy: models, lists, dicts, unions, literals, scalars."""
        special = self.by_validator(metadata or [])
        if special is not None:
            return special
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            return self.for_annotation(args[0], list(args[1:]))
        if origin in (typing.Union, types.UnionType):
            return st.one_of(*(self.for_annotation(a) for a in args if a is not type(None)))
        if origin is list:
            return st.lists(self.for_annotation(args[0]), max_size=3)
        if origin is dict:
            return self.options()
        if origin is typing.Literal:
            return st.sampled_from(args)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.for_model(annotation)
        if annotation is str:
            return self.text
        if annotation is bool:
            return st.booleans()
        if annotation is int:
            return st.integers(-10, 3000)
        if annotation is float:
            return st.floats(allow_nan=False, allow_infinity=False, width=32)
        return st.nothing()

    def options(self) -> st.SearchStrategy[dict[str, Any]]:
        valid = st.fixed_dictionaries(
            {},
            optional={
                "accent": st.sampled_from(["#0a7a5a", "#123"]),
                "density": st.sampled_from(["compact", "normal", "airy"]),
                "page_size": st.sampled_from(["A4", "Letter"]),
            },
        )
        if not self.dirty:
            return valid
        return st.one_of(valid, st.dictionaries(st.sampled_from(OPTION_NAMES), self.text, max_size=2))

    def special_field(self, name: str) -> st.SearchStrategy[Any] | None:
        """Fields whose plain `str` type hides a format: random text would only ever be refused."""
        if name == "email":
            return emails if self.dirty else emails.filter(lambda e: "@example.com" in e)
        if name == "theme":
            return st.sampled_from(THEME_NAMES if self.dirty else THEME_NAMES[:1])
        if name == "tags":
            return self.tags
        return None

    def for_model(self, model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
        """A dict for `model`: required fields always, optional ones sometimes."""
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for name, field in model.model_fields.items():
            strategy = self.special_field(name)
            if strategy is None:
                strategy = st.deferred(lambda f=field: self.for_annotation(f.annotation, list(f.metadata)))
            (required if field.is_required() else optional)[name] = strategy
        return st.fixed_dictionaries(required, optional=optional)


profiles = ProfileStrategies(dirty=False).for_model(Profile)
dirty_profiles = ProfileStrategies(dirty=True).for_model(Profile)

# YAML-shaped text: enough structure to get past the scanner, and every construct that has hurt parsers.
YAML_BITS = [
    "person:", "  name: Jane", "  name: ", "- ", "  - ", "[", "]", "{", "}", ",", ":", "&a ", "*a", "<<: *a",
    "!!binary aGk=", "!!python/object:os.system", "!!set", "? ", "|", ">", "'", '"', "\\x07", "\\ud800", "#",
    "---", "...", "%YAML 1.1", "\t", "\n", "experience:", "  - title: x", "    start: 2024-13", "options:",
    "  accent: '#000'", "\ufeff", "\x00", "\x85",
]  # fmt: skip
yaml_like = st.lists(st.one_of(st.sampled_from(YAML_BITS), plain_words), max_size=30).map("\n".join)
