"""libyaml's reader (reader/fastyaml.py) reads exactly what ruamel's round trip reads, or steps aside.

"Exactly": the same types (ruamel's CommentedMap, ScalarFloat, TimeStamp…), the same values, and the
same line and column for every key, value and item, since every located problem is found through
them. Held on every data file in the repository and on damaged copies of them; where the two
parsers differ (a YAML 1.1/1.2 difference, a ruamel quirk) the reader must return None.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cvforge.errors import ProfileError
from cvforge.reader import fastyaml
from cvforge.reader.source import _round_trip, parse_text
from tests.helpers.strategies import FUZZ, yaml_like

ROOT = Path(__file__).resolve().parents[2]


def data_files() -> list[Path]:
    """The repository's own YAML and JSON: not what tools put beside it (virtual environments,
    node_modules, caches, build output), which changes from machine to machine."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in {"node_modules", "out", "site"} and not d.startswith(".")]
        found += [Path(folder, name) for name in files if name.endswith((".yaml", ".yml", ".json"))]
    github = ROOT / ".github"
    found += [path for path in github.rglob("*") if path.suffix in (".yaml", ".yml", ".json")]
    return sorted(path for path in found if path.stat().st_size < 1024 * 1024)


DATA_FILES = data_files()
SEEDS = sorted((ROOT / "profiles").glob("*.yaml"))


def fast(text: str) -> Any:
    return fastyaml.load(text, _round_trip())


def ruamel(text: str) -> Any:
    return _round_trip().load(text)


def difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two parsed trees differ in type, value, attribute or position; None when they agree."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} against {type(b).__name__}"
    if isinstance(a, CommentedMap | CommentedSeq):
        if (a.lc.line, a.lc.col, a.lc.data) != (b.lc.line, b.lc.col, b.lc.data):
            return f"{path}: positions {a.lc.line, a.lc.col, a.lc.data} against {b.lc.line, b.lc.col, b.lc.data}"
        if a.fa.flow_style() != b.fa.flow_style():
            return f"{path}: flow style"
        if isinstance(a, CommentedMap):
            if list(a) != list(b):
                return f"{path}: keys {list(a)} against {list(b)}"
            pairs = [
                (difference(k, k2, f"{path} key {k!r}"), a[k], b[k2], f"{path}.{k}") for k, k2 in zip(a, b, strict=True)
            ]
        else:
            if len(a) != len(b):
                return f"{path}: {len(a)} items against {len(b)}"
            pairs = [(None, x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True))]
        for found, x, y, where in pairs:
            if found or (found := difference(x, y, where)):
                return found
        return None
    if repr(a) != repr(b):
        return f"{path}: {a!r} against {b!r}"
    if type(a).__eq__ is not object.__eq__ and a != b and a == a:  # NaN is itself under repr
        return f"{path}: {a!r} against {b!r}"
    if attributes(a) != attributes(b):
        return f"{path}: attributes {attributes(a)} against {attributes(b)}"
    return None


def attributes(value: Any) -> dict[str, str]:
    """A ruamel scalar's own attributes (a float's width, a timestamp's time zone…), compared by repr."""
    names = {name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())}
    names |= set(getattr(value, "__dict__", {}))
    names -= {"__weakref__", "__dict__", "_yaml_comment", "comment", "ca"}
    return {name: repr(getattr(value, name)) for name in sorted(names) if hasattr(value, name)}


def agrees(text: str) -> str | None:
    """None when the fast reader steps aside or reads what ruamel reads; else what differs."""
    data = fast(text)
    if data is None:
        return None
    try:
        expected = ruamel(text)
    except Exception as exc:  # any refusal by ruamel is a disagreement
        return f"libyaml read it, ruamel refused: {type(exc).__name__}: {exc}"
    return difference(data, expected)


def test_the_repository_has_data_files_to_compare() -> None:
    assert len(DATA_FILES) > 40
    assert {path.name for path in SEEDS} >= {"sai-sushanth-thakkalapally.yaml", "aayushi-gupta.yaml", "rajkumar.yaml"}


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_data_file_reads_the_same(path: Path) -> None:
    text = path.read_text("utf-8", errors="replace").replace("\r\n", "\n")
    assert agrees(text) is None


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.stem)
def test_the_seed_profiles_take_the_fast_reader(path: Path) -> None:
    """The speed is real only if profiles as people write them are read by libyaml, not handed back."""
    text = path.read_text("utf-8")
    data = fast(text)
    assert isinstance(data, CommentedMap) and "person" in data
    assert difference(data, ruamel(text)) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a:\n\tb: 1\n", "a tab"),
        ("\ufeffa: 1\n", "a byte-order mark"),
        ("a: 1\u2028b: 2\n", "a line separator, a line break only in YAML 1.1"),
        ("a: x\x85y\n", "a next-line character, likewise"),
        ("%YAML 1.1\n---\na: yes\n", "a directive"),
        ("a: !!str 1\n", "an explicit tag"),
        ("a: &x 1\nb: *x\n", "an anchor and an alias"),
        ("a: 1\n---\nb: 2\n", "two documents"),
        ("a:\nb: 2\n", "a key without a value"),
        ("a: >\n  folded\n  text\n", "a folded block"),
        ("a: | # note\n  text\n# after\n", "a comment on a literal block's header"),
        ("a: |\n \n   text\n", "a literal block whose first line is only spaces"),
        ("a: [1, 2\n", "a syntax error"),
        ("a: 1\na: 2\n", "a duplicate key"),
        ("".join(f"{'  ' * i}k{i}:\n" for i in range(25)) + "  " * 25 + "v: 1\n", "nesting past the limit"),
        ("", "an empty file"),
    ],
)
def test_the_fast_reader_steps_aside(text: str, why: str) -> None:
    assert fast(text) is None, why


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: on\nc: 0777\nd: 0o17\ne: 0x1F\nf: 1_000\ng: 1:20\nh: .inf\ni: -.NaN\nj: ~\nk: 2024-01-02\n",
        "a: 2024-01-02T03:04:05+05:30\nb: 1.50\nc: 6.02e+23\nd: 'quoted'\ne: \"dq \\u00e9 \\U0001F600\"\n",
        "person:\n  name: Zoë 😀 Ümlaut\n  links: [{a: 1}, {b: [x, y]}]\n  text: |\n    line one\n\n    line three\n",
        "- 1\n- - nested\n  - {k: v}\n- ? complex\n  : value\n",
        "a: |-\n  kept\nb: |+\n  kept\n\nc: |2\n    indented\n",
    ],
)
def test_the_fast_reader_reads_yaml_12_as_ruamel_does(text: str) -> None:
    """YAML 1.2 scalars (ruamel's resolver: `yes` stays text, `0777` a decimal), escapes, non-ASCII
    columns, flow and complex keys, and literal blocks: read by libyaml, and exactly as ruamel reads them."""
    assert fast(text) is not None
    assert agrees(text) is None


def test_errors_are_ruamels_words_at_ruamels_place(tmp_path: Path) -> None:
    text = "person:\n  name: Jane\n  summary: a: b\n"
    with pytest.raises(ProfileError) as caught:
        parse_text(text, "p.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 13)
    assert "colon followed by a space" in problem.message


def test_without_libyaml_profiles_are_read_by_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PyYAML built without its C extension (or none at all) only makes reading slower."""
    import sys

    monkeypatch.setitem(sys.modules, "yaml", None)
    text = SEEDS[0].read_text("utf-8")
    assert fast(text) is None
    assert difference(parse_text(text, "p.yaml"), ruamel(text)) is None


ALPHABET = [*":- \n#\"'|>{}[],?!&*%@`\\", "é", "😀", "0", "1", ".", "e", "x", "_", "+", "~", "yes", "null"]
ALPHABET += [": ", "- ", "\n  ", "  ", "---", "...", "0x1F", "0o17", "1_000", "2024-01-01", "1:20", ".inf", "<<"]
ALPHABET += ["'a''b'", '"\\u00e9"', "|-\n  x", "|+\n  y", "\n \n", "|2", ": |\n  ", "\n   ", " \n"]


def damaged(text: str, rnd: random.Random) -> str:
    """`text` with one to three random cuts, insertions, repeated or re-indented lines."""
    for _ in range(rnd.randint(1, 3)):
        roll, at = rnd.random(), rnd.randint(0, len(text))
        lines = text.split("\n")
        line = rnd.randrange(len(lines))
        if roll < 0.3:
            text = text[:at] + text[at + rnd.randint(1, 4) :]
        elif roll < 0.7:
            text = text[:at] + rnd.choice(ALPHABET) + text[at:]
        elif roll < 0.85:
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        else:
            lines[line] = " " * rnd.randint(0, 4) + lines[line].lstrip()
            text = "\n".join(lines)
    return text


@pytest.mark.parametrize("seed", range(4))
def test_damaged_copies_read_the_same_or_step_aside(seed: int) -> None:
    """Windows of 3–30 lines from the repository's data files, damaged: whatever libyaml reads, ruamel
    reads the same; some of each kind of outcome happens (the check is not vacuous)."""
    rnd = random.Random(seed)
    texts = [path.read_text("utf-8", errors="replace").replace("\r\n", "\n") for path in DATA_FILES]
    read_fast = 0
    for _ in range(600):
        lines = rnd.choice(texts).split("\n")
        start = rnd.randrange(len(lines))
        text = damaged("\n".join(lines[start : start + rnd.randint(3, 30)]), rnd)
        assert agrees(text) is None, repr(text)
        read_fast += fast(text) is not None
    assert 60 < read_fast < 540


@settings(FUZZ, max_examples=300)
@given(text=yaml_like)
def test_yaml_shaped_junk_reads_the_same_or_steps_aside(text: str) -> None:
    assert agrees(text) is None, repr(text)
