"""Read a profile file (YAML or JSON) into a validated Profile, or report every problem at once.

Each problem carries file:line:column, found by walking ruamel.yaml's position data along the
path Pydantic reports, so a user can jump straight to it. A JSON Resume or RenderCV file is
recognised by its shape and converted here (`cvforge.interop`); problems in it are reported at
their place in that file, under that format's own field names.
"""

from __future__ import annotations

import difflib
import json
import logging
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError

from cvforge.errors import Problem, ProfileError, display_path
from cvforge.limits import MAX_DEPTH, check_limits, join_surrogate_pairs, read_limited
from cvforge.photo import PhotoError, is_remote, read_photo
from cvforge.schema import Profile

LOGGER = logging.getLogger(__name__)

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")

Loc = tuple[int | str, ...]
M = TypeVar("M", bound=BaseModel)


def load_profile(path: Path) -> Profile:
    """Load and validate one profile; raise ProfileError listing every problem in it."""
    from cvforge.interop import convert_foreign  # imported here: the converters use this module

    shown = display_path(path)
    data = read_document(path, shown)
    check_limits(data, shown)
    join_surrogate_pairs(data)
    converted = convert_foreign(data, shown)
    if converted is not None:
        return validate(Profile, converted.data, shown, source=converted.source, relocate=converted.relocate)
    profile = validate(Profile, data, shown)
    check_files(profile, path.parent, data, shown)
    return profile


def read_document(path: Path, shown: str, expected: str = "a profile with a 'person' key") -> Any:
    """Parse YAML or JSON keeping positions; syntax errors become located problems."""
    try:
        raw = read_limited(path, shown)
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        raise ProfileError([Problem(shown, 1, 1, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise ProfileError([Problem(shown, line, column, "", "file is not UTF-8 text")]) from None
    except OSError as exc:
        raise ProfileError([Problem(shown, 1, 1, "", f"cannot read file ({exc.strerror})")]) from None
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError([Problem(shown, exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]) from None
        except RecursionError:
            pass  # too deep for Python's JSON parser: the YAML parser below reports where it breaks the limit
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH + 1  # ruamel counts the scalar leaves too
    try:
        data = yaml.load(text)
    except MaxDepthExceededError as exc:
        line, column = (exc.problem_mark.line + 1, exc.problem_mark.column + 1) if exc.problem_mark else (1, 1)
        message = f"nested deeper than {MAX_DEPTH} levels; that is the limit"
        raise ProfileError([Problem(shown, line, column, "", message)]) from None
    except MarkedYAMLError as exc:
        raise ProfileError([yaml_problem(exc, shown)]) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad escapes)
        raise ProfileError([Problem(shown, 1, 1, "", f"invalid YAML: {exc}")]) from None
    if data is None:
        raise ProfileError([Problem(shown, 1, 1, "", f"file is empty (expected {expected})")])
    if not isinstance(data, dict):
        raise ProfileError([Problem(shown, 1, 1, "", "expected a mapping of keys to values at the top level")])
    return data


def yaml_problem(exc: MarkedYAMLError, shown: str) -> Problem:
    """Point at the problem, and say where the construct it broke began when that is elsewhere."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = str(exc.problem or "invalid YAML")
    context = exc.context_mark
    if exc.context and context and (context.line, context.column) != (line - 1, column - 1):
        message += f" ({exc.context} that starts at line {context.line + 1}, column {context.column + 1})"
    return Problem(shown, line, column, "", f"invalid YAML: {message}")


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
    return Problem(shown, line, column, format_path(loc), plain_message(error))


def _is_internal(part: int | str) -> bool:
    """Pydantic adds validator and union-branch names to locations; users never typed those."""
    return isinstance(part, str) and (part.startswith(("function-", "union[")) or part in {"str", "PartialDate"})


def format_path(loc: Loc) -> str:
    """('experience', 1, 'start') → 'experience[1].start'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def position(data: Any, loc: Loc, *, key: bool) -> tuple[int, int]:
    """1-based line and column of the node at `loc` (its key when `key`), or its nearest ancestor."""
    node = data
    best = (1, 1)
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line, column = node.lc.key(part) if key and part == loc[-1] else node.lc.value(part)
            best = (line + 1, column + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.lc.item(part)
            best = (line + 1, column + 1)
            node = node[part]
        else:
            break
    return best


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


def check_files(profile: Profile, folder: Path, data: Any, shown: str) -> None:
    """A photo next to the profile must be a readable image inside its folder; a remote one only warns.

    Checked here, where the photo's line is still known, so a build never fails later without a location.
    """
    photo = profile.person.photo
    if photo is None:
        return
    line, column = position(data, ("person", "photo"), key=False)
    if is_remote(photo):
        LOGGER.warning(
            "%s:%d:%d: person.photo: '%s' is a remote image; cvforge does not fetch it, so the resume is built "
            "without a photo (put the file next to the profile to include it)",
            shown,
            line,
            column,
            photo,
        )
        return
    try:
        read_photo(folder, photo)
    except PhotoError as exc:
        raise ProfileError([Problem(shown, line, column, "person.photo", str(exc))]) from None


def iter_profile_files(folder: Path) -> Iterator[Path]:
    """Profiles in a folder, in a stable order."""
    yield from sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
