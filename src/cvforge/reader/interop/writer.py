"""Converted profile data → a cvforge YAML file a person will go on editing.

Block style, keys in the order the profile format lists them, dates written the way people type
them (2024-03, 2024-03-15, 2024), multi-line text as literal blocks, and a comment above each part
saying where in the source file it came from.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from cvforge.reader.interop.base import Converted, format_loc
from cvforge.schema import Profile
from cvforge.schema.base import PartialDate


def to_yaml_value(value: Any) -> Any:
    """Plain data → ruamel nodes: dates as YAML dates or 2024-03 strings, long text as blocks."""
    if isinstance(value, PartialDate):
        if value.day is not None:
            return dt.date(value.year, value.month or 1, value.day)
        return value.iso() if value.month is not None else value.year
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = to_yaml_value(item)
        return node
    if isinstance(value, list | tuple):
        return CommentedSeq(to_yaml_value(item) for item in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    return value


def _source_of(converted: Converted, key: str) -> str | None:
    """Where a top-level part came from: the source lists and mappings its items were traced to."""
    prefixes = set()
    for target, loc in converted.origins.items():
        if target[:1] == (key,) and loc:
            cut = next((i for i, part in enumerate(loc) if isinstance(part, int)), len(loc))
            prefixes.add(loc[:cut])
    roots = sorted(p for p in prefixes if p and not any(o != p and p[: len(o)] == o for o in prefixes))
    return ", ".join(format_loc(root) for root in roots) or None


def profile_yaml(converted: Converted, header: Sequence[str]) -> str:
    """The whole file: `header` comment lines, then every part of the profile with its origin."""
    order = list(Profile.model_fields)
    data = {key: converted.data[key] for key in order if key in converted.data}
    root = to_yaml_value(data)
    for index, key in enumerate(root):
        source = _source_of(converted, key)
        note = f"from {converted.format}: {source}" if source else None
        if key == "custom":
            note = f"custom sections, from {converted.format}: {source}" if source else None
        if index:
            root.yaml_set_comment_before_after_key(key, before="\n" + (note or ""), indent=0)
        elif note:
            root.yaml_set_comment_before_after_key(key, before=note, indent=0)
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # long sentences stay on one line, easy to edit
    buffer = io.StringIO()
    yaml.dump(root, buffer)
    lines = "\n".join(f"# {line}".rstrip() if not line.startswith("#") else line for line in header)
    return lines + "\n\n" + buffer.getvalue()


def skipped_lines(converted: Converted) -> list[str]:
    """Header lines listing what was not imported, so the file itself says it."""
    if not converted.skipped:
        return []
    lines = ["Not imported (no place for it in a cvforge profile):"]
    lines += [f"  {format_loc(loc)}: {message}" for loc, message in converted.skipped]
    return lines


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML text (long text as literal blocks), unicode kept as written."""
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(to_yaml_value(data), stream)
    return stream.getvalue()
