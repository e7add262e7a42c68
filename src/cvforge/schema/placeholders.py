"""Placeholders in text a person or a theme writes: `{company}` in a letter, `{name}` in a label,
`{profile}` in an output path. A placeholder is a plain name in braces and nothing else; `{{` and
`}}` are literal braces.

No such text ever reaches `str.format`, which would follow attributes and indexes
(`{d.__init__.__globals__}` reads the environment), apply format specs (`{x:x>1500000000}` is 1.5 GB)
and conversions. `fill` knows only names; `check` refuses anything else when the text is loaded, so
the problem is a located validation error rather than a traceback in a build.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping

# The names each kind of text may use, in one place: validation and filling both read these.
LETTER_PLACEHOLDERS: tuple[str, ...] = ("company", "role", "name")
OUTPUT_PLACEHOLDERS: tuple[str, ...] = ("profile", "target", "person")
LABEL_PLACEHOLDERS: Mapping[str, tuple[str, ...]] = {
    "projects_count_one": ("count",),
    "projects_count_other": ("count",),
    "photo_of": ("name",),
    "signature_of": ("name",),
    "salutation_named": ("name",),
}  # every other label takes none

# `{{`, `}}`, a `{…}` with no brace inside, or a lone brace (the start of an error).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_BEYOND_A_NAME = re.compile(r"[.\[!:]")
_WHAT_IT_DOES = {
    ".": "reaches into an attribute",
    "[": "reaches into an index",
    "!": "has a conversion",
    ":": "has a format spec",
}
_LITERAL_BRACES = "write {{ and }} for literal braces"
_SHOWN = 40  # characters of the offending text an error message quotes


class PlaceholderError(ValueError):
    """Braces that are not `{{`, `}}` or a plain name the text may use; a ValueError, so Pydantic
    reports it at its field and a template's call at its line."""


def label_placeholders(key: str) -> tuple[str, ...]:
    """The names label `key` may use: ("name",) for photo_of, () for most."""
    return LABEL_PLACEHOLDERS.get(key, ())


def check(text: str, allowed: Collection[str]) -> str:
    """`text` itself when every brace in it is `{{`, `}}` or one of the `allowed` names; else PlaceholderError."""
    for _ in _pieces(text, allowed):
        pass
    return text


def check_label(key: str, text: str) -> str:
    """A label's text checked against the names that label takes (a profile's and a shipped table's alike)."""
    return check(text, label_placeholders(key))


def placeholders_in(text: str, allowed: Collection[str]) -> list[str]:
    """The names `text` uses, in order; PlaceholderError for anything that is not one of `allowed`."""
    return [piece for piece, is_name in _pieces(text, allowed) if is_name]


def fill(text: str, values: Mapping[str, object], allowed: Collection[str] | None = None) -> str:
    """`text` with each `{name}` replaced by `str(values[name])` and `{{`, `}}` by one brace.

    Only `allowed` names (by default, the keys of `values`) may appear; an allowed name without a
    value is an error too, rather than text printed with a hole in it.
    """
    names = values.keys() if allowed is None else allowed
    parts: list[str] = []
    for piece, is_name in _pieces(text, names):
        if not is_name:
            parts.append(piece)
        elif piece in values:
            parts.append(str(values[piece]))
        else:
            raise PlaceholderError(f"{{{piece}}} has no value here")
    return "".join(parts)


def _pieces(text: str, allowed: Collection[str]) -> Iterator[tuple[str, bool]]:
    """(literal text, False) and (name, True) in order, or PlaceholderError at the first bad brace."""
    start = 0
    for match in _TOKEN.finditer(text):
        if match.start() > start:
            yield text[start : match.start()], False
        start = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            yield token[0], False
        elif match.group(1) is None:
            raise PlaceholderError(_lone_brace(text, match.start(), allowed))
        elif match.group(1) not in allowed:
            raise PlaceholderError(_not_a_name(match.group(1), allowed))
        else:
            yield match.group(1), True
    if start < len(text):
        yield text[start:], False


def _expected(allowed: Collection[str]) -> str:
    if not allowed:
        return f"expected no placeholder in this text; {_LITERAL_BRACES}"
    names = ", ".join("{" + name + "}" for name in allowed)
    return f"expected a placeholder that is a plain name, one of {names}; {_LITERAL_BRACES}"


def _not_a_name(field: str, allowed: Collection[str]) -> str:
    shown = _clip("{" + field + "}")
    beyond = _BEYOND_A_NAME.search(field)
    if beyond is not None:
        return f"'{shown}' {_WHAT_IT_DOES[beyond.group(0)]}; {_expected(allowed)}"
    if not field.isidentifier():
        return f"'{shown}' is not a plain name; {_expected(allowed)}"
    if not allowed:
        return f"unknown placeholder '{shown}' (this text takes none; {_LITERAL_BRACES})"
    return f"unknown placeholder '{shown}' (use {', '.join('{' + name + '}' for name in allowed)})"


def _lone_brace(text: str, index: int, allowed: Collection[str]) -> str:
    """A `{` that another `{` follows before it closes is a placeholder inside a placeholder; any
    other lone brace opens or closes nothing."""
    brace = text[index]
    if brace == "{":
        nested = _nested_group(text, index)
        if nested is not None:
            return f"'{_clip(nested)}' has a placeholder inside a placeholder; {_expected(allowed)}"
    role = "opens" if brace == "{" else "closes"
    return f"unbalanced '{brace}' at character {index + 1}: it {role} no placeholder; {_expected(allowed)}"


def _nested_group(text: str, index: int) -> str | None:
    """The text from the `{` at `index` to the `}` that balances it, when a `{` comes first; else None."""
    depth = 0
    for position in range(index, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                group = text[index : position + 1]
                return group if "{" in group[1:] else None
    return None


def _clip(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def safe_component(name: str) -> bool:
    """A name that may stand as one path component of an output file: not empty, no folder
    separator, no '..', not hidden (so never `.cvforge-cache.json`), no NUL, not absurdly long."""
    return (
        bool(name.strip())
        and not name.startswith(".")
        and not any(char in name for char in "/\\\0")
        and len(name.encode("utf-8")) <= 200
    )
