"""Fuzzing placeholders (issue 24.6-8): hostile format strings in a profile's `labels:`, in a
target's letter and in a theme's calls to `doc.locale.label()` are refused (at load, or at the
template's call) or filled as plain names; none reaches `str.format`.

Every example checks: no traceback; no secret from the environment and no Python internals
(`<class`, `<built-in function`…) in any output or message; a string that is more than plain names,
`{{` and `}}` is refused at validation, so a width like `{company:x>1500000000}` is never executed;
and a string that is accepted prints exactly what a reference filling predicts. HTML and text only.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from cvforge.builder.run import BuildResult, build
from cvforge.errors import TargetError
from cvforge.schema.placeholders import LETTER_PLACEHOLDERS, label_placeholders
from cvforge.schema.sections import LABEL_KEYS
from cvforge.targets.target import load_target
from tests.helpers.strategies import FUZZ

SECRET_NAME = "CVFORGE_FUZZ_SECRET"
SECRET = "fuzz-secret-4f1c9a"  # in the environment during every build: it must never be printed
INTERNALS = ("<class", "<built-in", "<function", "<bound method", "<module", "<slot wrapper", "Traceback", "__")
PERSON = "Jane Q Doe"
VALUES = {"name": PERSON, "count": "3", "company": "Acme Corp", "role": "Staff Engineer"}

# What a hostile format string is made of: fields that reach into attributes, indexes and the
# environment; conversions; specs, nested ones and widths that would take gigabytes; lone braces.
FIELDS = [
    *VALUES,
    "d",
    "x",
    "0",
    "",
    " name",
    "name.__class__",
    "count[0]",
    "d.__init__.__globals__[sys].modules[os].environ[" + SECRET_NAME + "]",
    "company.__init__.__globals__[__builtins__][open]",
]
CONVERSIONS = ["", "", "!r", "!s", "!"]
SPECS = ["", "", "", ":", ":d", ":x>1500000000", ":>99999999999999999999", ":{role}", ":{name}", ":.2", ":{"]
placeholders = st.builds(
    lambda name, conversion, spec: "{" + name + conversion + spec + "}",
    st.sampled_from(FIELDS),
    st.sampled_from(CONVERSIONS),
    st.sampled_from(SPECS),
)
braces = st.sampled_from(["{", "}", "{{", "}}", "{{{", "}}}", "{name", "role}", "{}"])
words = st.text(alphabet="Hilo ,.-", min_size=1, max_size=6)
format_strings = st.lists(st.one_of(placeholders, braces, words), min_size=1, max_size=5).map("".join)
label_keys = st.sampled_from(["salutation_named", "photo_of", "projects_count_other", "present", "experience"])


def reference_fill(text: str, names: Sequence[str]) -> str | None:
    """What `text` must print, by a grammar written apart from cvforge's: `{{`, `}}`, `{name}` for
    the allowed names, and any character but a brace. None when it must be refused."""
    name = "|".join(re.escape(n) for n in names) or "(?!)"
    token = re.compile(r"\{\{|\}\}|\{(" + name + r")\}|[^{}]+")
    parts: list[str] = []
    position = 0
    while position < len(text):
        match = token.match(text, position)
        if match is None:
            return None
        parts.append(VALUES[match.group(1)] if match.group(1) else match.group(0).replace("{{", "{").replace("}}", "}"))
        position = match.end()
    return "".join(parts)


@contextmanager
def secret_in_environment() -> Iterator[None]:
    os.environ[SECRET_NAME] = SECRET
    try:
        yield
    finally:
        del os.environ[SECRET_NAME]


def assert_no_leak(text: str, own: str = "") -> None:
    """Nothing secret, and no internals but what the person wrote themselves (`{{x.__y}}` is text)."""
    assert SECRET not in text
    for marker in INTERNALS:
        assert marker not in text or marker in own, marker


def assert_refused(result: BuildResult, *expected: str) -> None:
    """Refused before anything is written, with a message that names what it must and leaks nothing."""
    assert not result.ok and not result.outputs
    for failure in result.failures:
        assert not any(marker in failure.message for marker in ("Traceback", "<class", "<built-in", SECRET))
        for part in expected:
            assert part in failure.message, failure.message


def outputs_of(result: BuildResult, own: str = "") -> str:
    assert result.ok, [failure.message for failure in result.failures]
    text = "\n".join(output.path.read_text(encoding="utf-8") for output in result.outputs)
    assert_no_leak(text, own)
    return text


def write_theme(root: Path, header: str) -> Path:
    """A user theme extending classic, with `header` as its header; returns its themes folder."""
    folder = root / "themes" / "fuzz"
    (folder / "templates").mkdir(parents=True)
    (folder / "theme.toml").write_text('name = "fuzz"\nextends = "classic"\n', encoding="utf-8")
    (folder / "templates" / "header.html.j2").write_text(header, encoding="utf-8")
    return root / "themes"


def write_profile(folder: Path, **extra: object) -> Path:
    path = folder / "profile.json"
    data = {"person": {"name": PERSON, "email": "jane@example.com"}, "skills": {"working_with": ["Go"]}, **extra}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# Prints every label through `label()`, with every value a theme could pass and one none takes.
LABELS_HEADER = (
    '{% for key in doc.labels %}<p data-label="{{ key }}">'
    "{{ doc.locale.label(key, name=doc.person.name, count='3', d=doc) }}</p>{% endfor %}"
)


@pytest.mark.slow  # 100 profiles, each validated and rendered to HTML: 13-20 s
@settings(FUZZ, max_examples=100)
@given(key=label_keys, text=format_strings)
def test_hostile_profile_labels_are_refused_at_load_or_print_as_plain_names(key: str, text: str) -> None:
    """Issue 24.8: a label is refused where the profile says it, or printed as the reference fills it."""
    expected = reference_fill(text.strip(), label_placeholders(key))
    with tempfile.TemporaryDirectory() as temp, secret_in_environment():
        root = Path(temp)
        themes = write_theme(root, LABELS_HEADER)
        profile = write_profile(root, labels={key: text})
        result = build([profile], theme_name="fuzz", theme_dirs=[themes], formats=("html", "txt"), out_dir=root / "out")
        if expected is None:
            event("refused")
            assert_refused(result, "profile.json:", f"labels.{key}: ")
            return
        event("built")
        page = outputs_of(result, expected)
    printed = re.search(rf'<p data-label="{key}">(.*?)</p>', page, re.DOTALL)
    assert printed is not None
    if expected:  # an empty label falls back to the locale's
        assert html.unescape(printed.group(1)) == expected


@settings(FUZZ, max_examples=60)
@given(
    field=st.sampled_from(["subject", "salutation", "body"]),
    text=format_strings,
)
def test_hostile_letter_text_is_refused_at_validation_or_filled_as_plain_names(field: str, text: str) -> None:
    """Issue 24.7: refused by `load_target` (so `validate` and `build` alike), or filled as the reference fills it."""
    expected = reference_fill(text.strip(), LETTER_PLACEHOLDERS)
    letter = {"body": ["Hello."], field: [text] if field == "body" else text}
    target = {"profile": "../profile.json", "company": VALUES["company"], "role": VALUES["role"], "letter": letter}
    with tempfile.TemporaryDirectory() as temp, secret_in_environment():
        root = Path(temp)
        write_profile(root)
        (root / "targets").mkdir()
        path = root / "targets" / "letter.json"
        path.write_text(json.dumps(target), encoding="utf-8")
        if expected is None:
            event("refused")
            with pytest.raises(TargetError) as refused:  # at validation: nothing is ever filled in
                load_target(path)
            [problem] = refused.value.problems
            assert problem.path == (f"letter.{field}" if field != "body" else "letter.body[0]") and problem.line
            assert_refused(build([path], formats=("txt", "letter"), out_dir=root / "out"), "letter.json:")
            return
        event("built")
        written = outputs_of(build([path], formats=("html", "txt", "letter"), out_dir=root / "out"), expected)
    if expected.strip(" ,.-"):  # text the Markdown and the layout keep as it is
        assert " ".join(expected.split()) in " ".join(html.unescape(written).split())


@pytest.mark.slow  # 100 builds of a theme's HTML, text and letter: 13-20 s
@settings(FUZZ, max_examples=100)
@given(
    probe=st.one_of(st.sampled_from([*LABEL_KEYS, "projects_count"]), format_strings),
    counted=st.booleans(),
)
def test_hostile_label_calls_in_a_theme_reach_no_python_internals(probe: str, counted: bool) -> None:
    """A template chooses the key: only the labels cvforge prints are found, and nothing is filled
    from the key or from the values the template passes beyond the label's own names."""
    call = (
        "doc.locale.count(probe, 2)"
        if counted
        else "doc.locale.label(probe, d=doc, name=doc.person.name, count='3', company=doc)"
    )
    header = "{% set probe = " + json.dumps(probe) + " %}<p data-probe>{{ " + call + " }}</p>"
    found = probe == "projects_count" if counted else probe in LABEL_KEYS
    with tempfile.TemporaryDirectory() as temp, secret_in_environment():
        root = Path(temp)
        themes = write_theme(root, header)
        result = build([write_profile(root)], theme_name="fuzz", theme_dirs=[themes], formats=("html",), out_dir=root)
        if not found:
            event("refused")
            assert_refused(result, "theme 'fuzz': header.html.j2:1:", "is not a label cvforge prints")
            return
        event("built")
        page = outputs_of(result)
    assert re.search(r"<p data-probe>[^<{}]+</p>", page), probe
