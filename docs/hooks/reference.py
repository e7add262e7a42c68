"""MkDocs hook: the profile and target reference, generated from cvforge's own models at build time.

`docs/reference.md` holds the hand-written introduction and a marker line; this hook replaces the
marker with one table per model: every field, its type, whether it is required, its description
and an example. Types, requirements and descriptions come from the JSON Schema of the Pydantic
models (for profiles, the very schema `cvforge schema` gives editors), so the page cannot drift
from the code. Examples are the first value found at the field's path in the real files of this
repository (`profiles/*.yaml`, then the starter profile `cvforge new` writes; `targets/*.yaml`);
only a field none of them uses gets an example made from its type, marked as such.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from cvforge.schema.base import Markdown, PhotoRef
from cvforge.schema.editor import PRESENT_PATTERN, URL_PATTERN, profile_json_schema, starter_profile
from cvforge.schema.target import Target

if TYPE_CHECKING:  # the generator runs without MkDocs (tests/test_docs.py calls it directly)
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
PAGE = "reference.md"
MARKER = "<!-- cvforge:reference -->"
EXAMPLE_WIDTH = 60  # characters of an example before it is cut with "…"

JsonSchema = dict[str, Any]
FieldPath = tuple[str, ...]  # ("experience", "[]", "title"); "[]" stands for any item of a list


def _annotated_description(alias: Any) -> str | None:
    """The description an `Annotated[str, ..., Field(description=...)]` alias gives its JSON Schema."""
    for extra in getattr(alias, "__metadata__", ()):
        if isinstance(extra, FieldInfo) and extra.description:
            return extra.description
    return None


# String types the schema marks only by their description: shown by name in the Type column.
STRING_KINDS = {
    _annotated_description(Markdown): "Markdown text",
    _annotated_description(PhotoRef): "image file or URL",
}
EMAIL_HINT = "@"  # Person.email's pattern is the only other string pattern


def _validators(alias: Any) -> list[Any]:
    """The validators an `Annotated` alias adds to its type (everything in it but its `Field`)."""
    return [extra for extra in getattr(alias, "__metadata__", ()) if not isinstance(extra, FieldInfo)]


# The same string kinds, known by their validators: a field typed plainly `Markdown` that has a
# description of its own loses the alias's description in the schema, but keeps its validators.
FIELD_KINDS = {"Markdown text": _validators(Markdown), "image file or URL": _validators(PhotoRef)}


@dataclass(frozen=True)
class Part:
    """One file format to document: its root model, its schema and the files examples come from."""

    title: str
    root: str  # the name of the root model (also its anchor)
    schema: JsonSchema
    module: ModuleType  # where the models are defined, for what the schema cannot say
    examples: list[Any]  # the parsed example files, in name order
    skip: frozenset[str] = frozenset()  # models documented in an earlier part (linked, not repeated)


@dataclass
class Model:
    """An object in the schema, and every field path at which it occurs."""

    name: str
    schema: JsonSchema
    paths: list[FieldPath] = field(default_factory=list)


def reference_markdown(root: Path = ROOT) -> str:
    """The whole generated reference: profiles, then targets."""
    return profile_reference(root) + "\n" + target_reference(root)


def profile_reference(root: Path = ROOT) -> str:
    """Every field of a profile file, from the schema editors use (`cvforge schema`)."""
    part = Part(
        "Profile",
        "Profile",
        profile_json_schema(),
        importlib.import_module("cvforge.schema.profile"),
        [*load_examples(root / "profiles"), starter_example()],
    )
    return render_part(part)


def target_reference(root: Path = ROOT) -> str:
    """Every field of a target file; the models it shares with profiles (`headings`) link there."""
    profile_defs = frozenset(profile_json_schema()["$defs"])
    part = Part(
        "Target",
        "Target",
        Target.model_json_schema(mode="validation"),
        importlib.import_module("cvforge.schema.target"),
        load_examples(root / "targets"),
        skip=profile_defs,
    )
    return render_part(part)


def load_examples(folder: Path) -> list[Any]:
    """The YAML files in `folder`, parsed to plain data, in name order; unreadable ones are skipped."""
    yaml = YAML(typ="safe", pure=True)
    documents: list[Any] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            documents.append(yaml.load(path.read_text(encoding="utf-8")))
        except (OSError, YAMLError):
            continue
    return documents


def starter_example() -> Any:
    """The profile `cvforge new "Jane Doe"` writes: it shows fields the repository's profiles leave out."""
    text = starter_profile("Jane Doe", Path("profiles/jane-doe.yaml"), Path("schema/cvforge.schema.json"))
    return YAML(typ="safe", pure=True).load(text)


# -- walking the schema ---------------------------------------------------------------------------


def _ref_name(node: JsonSchema) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _is_model(schema: JsonSchema) -> bool:
    return schema.get("type") == "object" and "properties" in schema


def collect_models(part: Part) -> list[Model]:
    """The root and every object it reaches, in the order a reader meets them, with their paths."""
    defs: dict[str, JsonSchema] = part.schema.get("$defs", {})
    models: dict[str, Model] = {part.root: Model(part.root, part.schema, [()])}

    def visit(node: JsonSchema, path: FieldPath, stack: tuple[str, ...]) -> None:
        name = _ref_name(node)
        if name is not None:
            target = defs.get(name, {})
            if not _is_model(target) or name in stack:
                return
            models.setdefault(name, Model(name, target)).paths.append(path)
            visit(target, path, (*stack, name))
            return
        for branch in node.get("anyOf", []):
            visit(branch, path, stack)
        if isinstance(node.get("items"), dict):
            visit(node["items"], (*path, "[]"), stack)
        for key, child in node.get("properties", {}).items():
            visit(child, (*path, key), stack)

    visit(part.schema, (), (part.root,))
    return list(models.values())


def _branches(node: JsonSchema) -> list[JsonSchema]:
    """The non-null alternatives of a node (a field that may be left out is `X or null`)."""
    options = node.get("anyOf", [node])
    return [option for option in options if option.get("type") != "null"]


# -- the Type column ------------------------------------------------------------------------------


def type_text(node: JsonSchema, defs: dict[str, JsonSchema]) -> str:
    """A schema node as a reader would name it: "list of [Link](#link)", "date or `present`"."""
    if "anyOf" in node:
        names = list(dict.fromkeys(type_text(option, defs) for option in _branches(node)))
        if "number" in names and "whole number" in names:
            names.remove("whole number")
        return _either(names)
    name = _ref_name(node)
    if name is not None:
        target = defs.get(name, {})
        if _is_model(target):
            return f"[{name}](#{anchor(name)})"
        return "date" if name == "PartialDate" else type_text(target, defs)
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        listed = "list of " + (type_text(items, defs) if isinstance(items, dict) else "values")
        return listed + (" (at least one)" if node.get("minItems") else "")
    if kind == "object":
        values = node.get("additionalProperties")
        inner = type_text(values, defs) if isinstance(values, dict) else "values"
        return f"mapping of names to {inner}"
    if kind == "string":
        return _string_text(node)
    if kind == "integer":
        text = "whole number"
        if "minimum" in node:
            text += f" ≥ {node['minimum']}"
        if "maximum" in node:
            text += f" ≤ {node['maximum']}"
        return text
    if kind == "number":
        return "number"
    if kind == "boolean":
        return "`true`/`false`"
    return "any value"


def _either(names: list[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    return " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 2 else " or ".join(names)


def _string_text(node: JsonSchema, kind: str | None = None) -> str:
    pattern = node.get("pattern")
    if pattern == PRESENT_PATTERN:
        return "`present`"
    if pattern == URL_PATTERN:
        return "link (`https://`, `http://`, `mailto:` or `tel:`)"
    if isinstance(pattern, str) and EMAIL_HINT in pattern:
        return "email address"
    text = kind or STRING_KINDS.get(node.get("description"), "text")
    return text + (" (not empty)" if node.get("minLength") else "")


# -- the Description column -----------------------------------------------------------------------


def description_text(node: JsonSchema, defs: dict[str, JsonSchema], info: FieldInfo | None) -> str:
    """The field's own description, else that of the model or date type it holds; plus its shorthand
    and default, when it has them."""
    text = node.get("description")
    if text in STRING_KINDS:
        text = None  # the Type column names it, and the page's introduction explains it
    if not text:
        described = (defs[name]["description"] for name in _refs(node) if defs.get(name, {}).get("description"))
        text = next(described, None)
    sentences = [_one_line(text)] if text else []
    sentences += [f"Shorthand: {note[:1].lower()}{note[1:]}" for note in _shorthands(info)]
    default = node.get("default")
    if default not in (None, [], {}, ""):
        sentences.append(f"Default: {code(flow(default, EXAMPLE_WIDTH))}.")
    return " ".join(sentences)


def _refs(node: JsonSchema) -> Iterator[str]:
    """The definitions a node holds, through alternatives and list items: `list of Link or null` → Link."""
    name = _ref_name(node)
    if name is not None:
        yield name
    for option in node.get("anyOf", []):
        yield from _refs(option)
    if isinstance(node.get("items"), dict):
        yield from _refs(node["items"])


def _shorthands(info: FieldInfo | None) -> Iterator[str]:
    """What a field's before-validators accept besides its type, in their own docstrings' words."""
    for extra in info.metadata if info is not None else ():
        if isinstance(extra, BeforeValidator) and extra.func.__doc__:
            yield _one_line(extra.func.__doc__)


def field_kind(info: FieldInfo | None) -> str | None:
    """The string kind a field declares directly (`text: Markdown`), from its validators; None otherwise.

    Only a field typed as the alias itself carries the alias's validators in its own metadata;
    `Markdown | None` and `list[Markdown]` keep the alias's description in the schema instead.
    """
    if info is None:
        return None
    for kind, validators in FIELD_KINDS.items():
        if validators and all(validator in info.metadata for validator in validators):
            return kind
    return None


def _field_info(part: Part, model: Model, name: str) -> FieldInfo | None:
    cls = getattr(part.module, model.name, None)
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        return cls.model_fields.get(name)
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- the Example column ---------------------------------------------------------------------------


def values_at(data: Any, path: FieldPath) -> Iterator[Any]:
    """Every value at `path` in `data`, depth first, in document order."""
    if not path:
        yield data
        return
    head, rest = path[0], path[1:]
    if head == "[]":
        if isinstance(data, list):
            for item in data:
                yield from values_at(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest)


def found_example(documents: Sequence[Any], paths: Sequence[FieldPath]) -> Any:
    """The first value given at any of `paths`, trying the files in order; None when no file has one."""
    for path in paths:
        for document in documents:
            for value in values_at(document, path):
                if value not in (None, [], {}, ""):
                    return value
    return None


def sample(node: JsonSchema, defs: dict[str, JsonSchema], hint: str | None = None) -> Any:
    """An example made from a type, for fields no example file uses."""
    if node.get("default") not in (None, [], {}, ""):
        return node["default"]
    quoted = re.search(r'e\.g\. "([^"]+)"', hint or "")
    options = _branches(node)
    node = options[0] if options else node
    name = _ref_name(node)
    if name is not None:
        target = defs.get(name, {})
        if name == "PartialDate":
            return "2024-03"
        if not _is_model(target):
            return sample(target, defs, hint)
        properties: dict[str, JsonSchema] = target["properties"]
        keys = target.get("required") or list(properties)[:1]
        return {key: sample(properties[key], defs, properties[key].get("description")) for key in keys}
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        return [sample(items, defs, hint)] if isinstance(items, dict) else []
    if kind == "object":
        values = node.get("additionalProperties")
        return {"name": sample(values, defs) if isinstance(values, dict) else "value"}
    if kind == "string":
        pattern = node.get("pattern")
        if pattern == PRESENT_PATTERN:
            return "present"
        if pattern == URL_PATTERN:
            return "https://example.com"
        if isinstance(pattern, str) and EMAIL_HINT in pattern:
            return "jane@example.com"
        return quoted.group(1) if quoted else "text"
    if kind == "integer":
        return int(node.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return None


_YAML = YAML(typ="safe", pure=True)
_FLOW_SPECIAL = re.compile(r"""[:#,\[\]{}&*!|>'"%@`\n]|^[\s\-?]|\s$""")


def _scalar(value: Any) -> str:
    """A scalar as YAML would need it written inside a flow collection: quoted only when it must be."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if not text or _FLOW_SPECIAL.search(text):
        return json.dumps(text, ensure_ascii=False)
    try:
        plain = _YAML.load(text) == text
    except YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def flow(value: Any, width: int) -> str:
    """`value` in YAML flow style, cut to about `width` characters with "…"."""
    if isinstance(value, list | dict):
        pairs = list(value.items()) if isinstance(value, dict) else [(None, item) for item in value]
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        parts: list[str] = []
        used = 2
        for key, item in pairs:
            prefix = "" if key is None else f"{_scalar(key)}: "
            text = prefix + flow(item, max(width - used - len(prefix), 12))
            if parts and used + len(text) + 2 > width:
                parts.append("…")
                break
            parts.append(text)
            used += len(text) + 2
        return opening + ", ".join(parts) + closing
    text = _scalar(value)
    if len(text) <= width:
        return text
    if text.startswith('"'):
        return text[: width - 2].rstrip() + '…"'
    return text[: width - 1].rstrip() + "…"


def code(text: str) -> str:
    """Inline code that survives backticks in the text (pipes inside code spans are safe in tables)."""
    fence = "``" if "`" in text else "`"
    padding = " " if "`" in text else ""
    return f"{fence}{padding}{text}{padding}{fence}"


# -- the page -------------------------------------------------------------------------------------


def anchor(name: str) -> str:
    return name.lower()


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, no column breaks, no raw HTML."""
    return _one_line(text).replace("|", "\\|").replace("<", "&lt;")


def _where(paths: Sequence[FieldPath]) -> str:
    shown = ["".join(p if p == "[]" else f".{p}" for p in path).lstrip(".") for path in paths]
    return ", ".join(code(text) for text in dict.fromkeys(shown))


def render_model(part: Part, model: Model, defs: dict[str, JsonSchema]) -> list[str]:
    required = set(model.schema.get("required", []))
    heading = "##" if model.name == part.root else "###"
    lines = [f"{heading} {model.name} {{#{anchor(model.name)}}}", ""]
    if model.name != part.root:
        lines += [f"At {_where(model.paths)}.", ""]
    if model.schema.get("description"):
        lines += [str(model.schema["description"]), ""]
    lines += ["| Field | Type | Required | Description | Example |", "|---|---|---|---|---|"]
    for name, node in model.schema["properties"].items():
        info = _field_info(part, model, name)
        kind = field_kind(info)
        description = description_text(node, defs, info)
        paths = [(*path, name) for path in model.paths]
        value = found_example(part.examples, paths)
        if value is None:
            example = code(flow(sample(node, defs, node.get("description")), EXAMPLE_WIDTH)) + " *(sample)*"
        else:
            example = code(flow(value, EXAMPLE_WIDTH))
        cells = [
            code(name),
            _cell(_string_text(node, kind) if kind and node.get("type") == "string" else type_text(node, defs)),
            "**yes**" if name in required else "no",
            _cell(description),
            example,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def render_part(part: Part) -> str:
    defs: dict[str, JsonSchema] = part.schema.get("$defs", {})
    lines: list[str] = []
    for model in collect_models(part):
        if model.name in part.skip and model.name != part.root:
            continue
        lines += render_model(part, model, defs)
    return "\n".join(lines)


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Fill the reference page's marker with the generated tables; other pages pass unchanged."""
    if page.file.src_uri != PAGE:
        return None
    if MARKER not in markdown:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"docs/{PAGE} must contain the line {MARKER} for the generated reference")
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else ROOT
    return markdown.replace(MARKER, reference_markdown(root))


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
    """`mkdocs serve` rebuilds when an example file changes (a change to the models needs a restart)."""
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else ROOT
    for folder in (root / "profiles", root / "targets"):
        if folder.is_dir():
            server.watch(str(folder))
    return server
