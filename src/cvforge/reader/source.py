"""Read YAML or JSON text keeping every node's line and column, so problems can point at them.

Syntax errors become located problems here; `position` finds where a path in the data was written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scanner import RoundTripScanner, ScannerError

from cvforge.errors import Problem, ProfileError
from cvforge.reader import fastyaml
from cvforge.reader.limits import MAX_DEPTH, MAX_FILE_BYTES, read_limited

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")

Loc = tuple[int | str, ...]


class _LocatedConstructor(RoundTripConstructor):
    """Values ruamel cannot build (`2024-02-30`, an integer of 5,000 digits) fail at their own node."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except MarkedYAMLError:
            raise
        except (ValueError, OverflowError) as exc:
            value = node.value if isinstance(node.value, str) else ""
            shown = f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
            raise ConstructorError(None, None, f"cannot read {shown}: {exc}", node.start_mark) from None


class _LocatedScanner(RoundTripScanner):
    """A quoted escape that names no character (`"\\UFFFFFFFF"`) fails where it was written."""

    def scan_flow_scalar_non_spaces(self, double: Any, start_mark: Any) -> Any:
        try:
            return super().scan_flow_scalar_non_spaces(double, start_mark)
        except (ValueError, OverflowError):
            problem = "an escape sequence that names no character (the largest is \\U0010FFFF)"
            raise ScannerError("while scanning a quoted scalar", start_mark, problem, self.reader.get_mark()) from None


class _JsonValueError(ValueError):
    """A JSON value Python's parser takes but a profile must not hold (NaN, a 5,000-digit number)."""

    def __init__(self, token: str, message: str) -> None:
        super().__init__(message)
        self.token = token


def _json_int(token: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise _JsonValueError(token, f"a number of {len(token):,} digits is too long") from None


def _json_constant(token: str) -> float:
    raise _JsonValueError(token, f"{token} is not JSON (write a number, or text in quotes)")


def _locate_token(text: str, token: str) -> tuple[int, int]:
    """Where a bare JSON token first appears outside a string, as 1-based line and column."""
    for match in re.finditer(rf"(?<![\w.\"]){re.escape(token)}(?![\w.])", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text.count('"', line_start, match.start()) % 2 == 0:
            return text.count("\n", 0, match.start()) + 1, match.start() - line_start + 1
    return 1, 1


def read_document(path: Path, shown: str, expected: str = "a profile with a 'person' key") -> Any:
    """Parse a YAML or JSON file keeping positions; syntax errors become located problems. A ZIP is
    a LinkedIn data export: its CSV tables are the document."""
    if path.suffix.lower() == ".zip":
        from cvforge.reader.interop.linkedin import read_archive

        return read_archive(path, shown)
    try:
        raw = read_limited(path, shown, what="profiles" if "person" in expected else "input files")
    except FileNotFoundError:
        raise ProfileError([Problem(shown, 1, 1, "", "file not found")]) from None
    except OSError as exc:
        raise ProfileError([Problem(shown, 1, 1, "", f"cannot read file ({exc.strerror})")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise ProfileError([Problem(shown, line, column, "", "file is not UTF-8 text")]) from None
    return parse_text(text, shown, expected, as_json=path.suffix.lower() == ".json")


def parse_text(text: str, shown: str, expected: str = "a profile with a 'person' key", *, as_json: bool = False) -> Any:
    """Parse YAML or JSON text (JSON is YAML, but JSON's own parser words its errors better)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ProfileError([Problem(shown, 1, 1, "", "text is larger than 1 MiB; profiles are limited to 1 MiB")])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if as_json:
        try:
            json.loads(text, parse_int=_json_int, parse_constant=_json_constant)
        except json.JSONDecodeError as exc:
            raise ProfileError([Problem(shown, exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]) from None
        except _JsonValueError as exc:
            line, column = _locate_token(text, exc.token)
            raise ProfileError([Problem(shown, line, column, "", f"invalid JSON: {exc}")]) from None
        except RecursionError:
            pass  # too deep for Python's JSON parser: the YAML parser below reports where it breaks the limit
    data = fastyaml.load(text, _round_trip())
    if data is None:
        data = _parse_yaml(text, shown)
    if data is None:
        raise ProfileError([Problem(shown, 1, 1, "", f"file is empty (expected {expected})")])
    if not isinstance(data, dict):
        raise ProfileError([Problem(shown, 1, 1, "", "expected a mapping of keys to values at the top level")])
    return data


def _round_trip() -> YAML:
    """ruamel's round-trip reader as profiles are read: positions kept, duplicate keys refused."""
    yaml = YAML(typ="rt")
    yaml.Constructor, yaml.Scanner = _LocatedConstructor, _LocatedScanner
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH + 1  # ruamel counts the scalar leaves too
    return yaml


def _parse_yaml(text: str, shown: str) -> Any:
    """ruamel's own parse of `text`: what libyaml's reader steps aside from, and every error, located."""
    yaml = _round_trip()
    try:
        return yaml.load(text)
    except MaxDepthExceededError as exc:
        line, column = (exc.problem_mark.line + 1, exc.problem_mark.column + 1) if exc.problem_mark else (1, 1)
        message = f"nested deeper than {MAX_DEPTH} levels; that is the limit"
        raise ProfileError([Problem(shown, line, column, "", message)]) from None
    except MarkedYAMLError as exc:
        raise ProfileError([yaml_problem(exc, shown, text)]) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad escapes)
        raise ProfileError([Problem(shown, 1, 1, "", f"invalid YAML: {exc}")]) from None


def yaml_problem(exc: MarkedYAMLError, shown: str, text: str = "") -> Problem:
    """Point at the problem, and say where the construct it broke began when that is elsewhere.

    The mistakes people make most (a tab, a line indented too far or not far enough, a colon in
    unquoted text) are said in plain words with their fix rather than in the parser's terms."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = str(exc.problem or "invalid YAML")
    context = exc.context_mark
    if (plain := plain_yaml_message(message, text.split("\n"), line, column, context)) is not None:
        return Problem(shown, line, column, "", f"invalid YAML: {plain}")
    if exc.context and context and (context.line, context.column) != (line - 1, column - 1):
        message += f" ({exc.context} that starts at line {context.line + 1}, column {context.column + 1})"
    return Problem(shown, line, column, "", f"invalid YAML: {message}")


def plain_yaml_message(problem: str, lines: list[str], line: int, column: int, context: Any) -> str | None:
    """The parser's complaint about line `line` in words a profile's author acts on, or None."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "'\\t'" in problem or ("\t" in here[: len(here) - len(here.lstrip())]):
        return "YAML does not allow tabs for indentation; use spaces"
    if problem.startswith("mapping values are not allowed"):
        before = here[: column - 1]
        if ": " in before or before.rstrip().startswith("- "):
            value = before.split(": ", 1)[-1].removeprefix("- ").strip() + here[column - 1 :].rstrip()
            quoted = "'" + value.replace("'", "''") + "'"
            return f"a colon followed by a space starts a new key; to write it as text, quote the text: {quoted}"
        return "this line is indented further than the key above it; line it up with the keys it belongs with"
    if problem.startswith("expected <block end>") and context is not None:
        return (
            f"bad indentation: this line does not line up with the block that starts at line {context.line + 1}, "
            f"column {context.column + 1}; keys of one mapping, and items of one list, start at the same column"
        )
    return None


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


def iter_profile_files(folder: Path) -> Iterator[Path]:
    """Profiles in a folder, in a stable order."""
    yield from sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
