"""Validate read data into a Pydantic model, turning its errors into located, plain-English problems."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cvforge.errors import Problem, ProfileError
from cvforge.reader.source import Loc, format_path, position

M = TypeVar("M", bound=BaseModel)


def validate(
    model: type[M],
    data: Any,
    shown: str,
    *,
    source: Any = None,
    relocate: Callable[[Loc], Loc] | None = None,
) -> M:
    """Validate `data` into `model`, turning Pydantic's errors into located, plain-English problems.

    For data converted from another format, `relocate` maps a path in `data` to the path it came
    from in `source` (the document as read), so problems point into the file the user wrote.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            to_problem(error, data, model, shown, source=source, relocate=relocate)
            for error in exc.errors(include_url=False)
        ]
        raise ProfileError(_dedupe(problems)) from None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def to_problem(
    error: ErrorDetails,
    data: Any,
    model: type[BaseModel],
    shown: str,
    *,
    source: Any = None,
    relocate: Callable[[Loc], Loc] | None = None,
) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not _is_internal(part))
    kind = error["type"]
    if relocate is not None:
        loc, data = relocate(loc), source
    if kind == "missing":
        line, column = position(data, loc[:-1], key=True)
        return Problem(shown, line, column, format_path(loc[:-1]), f"'{loc[-1]}' is required")
    if kind == "extra_forbidden":
        line, column = position(data, loc, key=True)
        return Problem(shown, line, column, format_path(loc[:-1]), unknown_key_message(model, loc))
    line, column = position(data, loc, key=False)
    return Problem(shown, line, column, format_path(loc), plain_message(error) + shape_hint(error, model, loc))


def _is_internal(part: int | str) -> bool:
    """Pydantic adds validator and union-branch names to locations; users never typed those."""
    return isinstance(part, str) and (part.startswith(("function-", "union[")) or part in {"str", "PartialDate"})


TYPE_NAMES = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def plain_message(error: ErrorDetails) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind in TYPE_NAMES:
        return f"expected {TYPE_NAMES[kind]}, got {describe(value)}"
    if kind == "value_error":
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"].removeprefix("Value error, ")
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a valid email address"
    if kind in ("greater_than_equal", "less_than_equal") and "ctx" in error:
        bound = error["ctx"].get("ge", error["ctx"].get("le"))
        return f"must be {bound} or {'more' if kind == 'greater_than_equal' else 'less'}, got {describe(value)}"
    if kind == "literal_error":
        return f"expected one of {error['ctx']['expected']}, got {describe(value)}"
    return error["msg"]


KNOWN_NETWORKS = {"github": "GitHub", "gitlab": "GitLab", "linkedin": "LinkedIn", "stackoverflow": "Stack Overflow"}


def shape_hint(error: ErrorDetails, model: type[BaseModel], loc: Loc) -> str:
    """The usual reason for a wrong shape, and its fix: a colon in unquoted text made a mapping of it;
    a bare address stands where a link's keys belong."""
    value = error.get("input")
    if error["type"] == "string_type" and isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        text = f"{key}: {inner}" if inner is not None else f"{key}:"
        return f" (a colon followed by a space made this a key; quote the text: '{text.replace(chr(39), chr(39) * 2)}')"
    owner = model_at(model, loc)
    if error["type"] in ("model_type", "model_attributes_type") and isinstance(value, str) and owner is not None:
        fields = list(owner.model_fields)
        if "url" in fields and "network" in fields:
            url = value if "://" in value else f"https://{value}"
            host = url.split("://", 1)[1].split("/", 1)[0].removeprefix("www.").split(".")[0]
            network = KNOWN_NETWORKS.get(host.lower(), host.capitalize() or "Website")
            return f" (a link is written with keys: {{network: {network}, url: {url}}})"
    return ""


def describe(value: Any) -> str:
    """Name a wrong value the way a YAML author would recognise it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def unknown_key_message(model: type[BaseModel], loc: Loc) -> str:
    key = str(loc[-1])
    owner = model_at(model, loc[:-1])
    if owner is None:
        return f"unknown key '{key}'"
    fields = list(owner.model_fields)
    close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}' (expected one of: {', '.join(fields)})"


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """Follow field annotations along `loc` to the model that owns the last key."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            current = _item_type(current)
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
        current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated so only the interesting type is left."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else options[0]
        else:
            return annotation


def _item_type(annotation: Any) -> Any:
    args = typing.get_args(_unwrap(annotation))
    return args[0] if args else None
