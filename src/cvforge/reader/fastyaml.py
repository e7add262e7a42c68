"""A YAML file read through libyaml's C parser, built into exactly what ruamel's round trip builds.

ruamel's pure-Python scanner and parser are most of reading a profile (Sai: 57 of 65 ms on a slow
day; aayushi 107 ms), paid on every build, every watch edit and every job key. Here libyaml (PyYAML's
C extension) makes the events; they are composed into ruamel's nodes, tagged by ruamel's own YAML 1.2
resolver and built by the same round-trip constructor as before. So the data, its types and every
line and column are ruamel's: a test holds the two readers equal on every YAML file in the
repository and on thousands of damaged copies of them.

The two parsers agree on the plain YAML profiles are written in; where they may not, this reader
steps aside and returns None, and the caller parses with ruamel (which also words every error):
- any error at all, from libyaml or from the constructor;
- a directive (`%YAML`, `%TAG`), an explicit tag (`!!str`), an anchor or an alias;
- a folded block (`>`: ruamel keeps where it folded), or a `|` block ruamel may refuse (see below);
- a tab, a byte-order mark or a line break other than `\\n` anywhere in the text (YAML 1.1 and 1.2
  read them differently);
- a key or item with no value at all (ruamel places it by the token after it, or by a comment);
- more than one document, or nesting near the depth limit (ruamel reports where it breaks it);
- no PyYAML, or a PyYAML built without libyaml.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cvforge.reader.limits import MAX_DEPTH

# Where YAML 1.1 (libyaml) and 1.2 (ruamel) read text differently, or libyaml's marks may differ.
_STEP_ASIDE = re.compile("[\t\r\x85\u2028\u2029\ufeff]")


def load(text: str, yaml: YAML) -> Any | None:
    """The document ruamel's round trip reads from `text` with `yaml`'s settings, or None when this
    reader steps aside (see the module's docstring): parse `text` with ruamel then."""
    if _STEP_ASIDE.search(text):
        return None
    try:
        root = _compose(text, yaml)
        return None if root is None else yaml.constructor.construct_document(root)
    except Exception:  # libyaml's errors, or the constructor's: ruamel's own parse reports them
        return None


def _compose(text: str, yaml: YAML) -> Node | None:
    """libyaml's events for `text` as ruamel's composer would compose them; None to step aside."""
    try:
        from yaml import _yaml, events
    except ImportError:  # no PyYAML, or one built without libyaml
        return None
    resolve = yaml.resolver.resolve
    parser = _yaml.CParser(text)
    root: Node | None = None
    open_nodes: list[SequenceNode | MappingNode] = []
    pending_keys: list[Node | None] = []
    documents = 0
    while True:
        event: Any = parser.get_event()  # typed as the base Event; told apart by its class below
        kind = type(event)
        if kind is events.StreamEndEvent:
            return root if documents == 1 else None
        if kind is events.DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                return None
            continue
        if kind is events.StreamStartEvent or kind is events.DocumentEndEvent:
            continue
        if kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            open_nodes.pop().end_mark = event.end_mark
            pending_keys.pop()
            continue
        if kind is events.AliasEvent or event.anchor is not None or event.tag is not None:
            return None
        if len(open_nodes) >= MAX_DEPTH:
            return None
        node: Node
        if kind is events.ScalarEvent:
            style = event.style or None  # libyaml says '' for a plain scalar, ruamel None
            if style is None and not event.value:
                return None  # a key with no value: ruamel marks it where the next token ends, libyaml where `:` does
            if style == ">" or (style == "|" and _literal_ruamel_refuses(text, event.start_mark)):
                return None
            tag = resolve(ScalarNode, event.value, event.implicit)
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=style)
        elif kind is events.MappingStartEvent:
            tag = resolve(MappingNode, None, event.implicit)
            node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
        elif kind is events.SequenceStartEvent:
            tag = resolve(SequenceNode, None, event.implicit)
            node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
        else:
            return None
        if not open_nodes:
            root = node
        elif isinstance(parent := open_nodes[-1], SequenceNode):
            parent.value.append(node)
        elif (key := pending_keys[-1]) is None:
            pending_keys[-1] = node
        else:
            parent.value.append((key, node))
            pending_keys[-1] = None
        if isinstance(node, MappingNode | SequenceNode):
            open_nodes.append(node)
            pending_keys.append(None)


def _literal_ruamel_refuses(text: str, mark: Any) -> bool:
    """Whether ruamel's scanner may refuse a `|` block that libyaml reads: a comment on its header
    (an AssertionError as ruamel gathers comments), or a first line of only spaces (ruamel then
    takes those spaces for the block's indentation)."""
    lines = text.split("\n", mark.line + 2)
    following = lines[mark.line + 1] if len(lines) > mark.line + 1 else ""
    return "#" in lines[mark.line][mark.column :] or (following.strip(" ") == "" and following != "")
