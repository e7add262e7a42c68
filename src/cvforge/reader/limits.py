"""Caps on what one profile may hold, checked on the raw YAML tree before validation.

A profile can come from anyone (an import, a CI pipeline, a stranger's pull request), so its size,
nesting, list lengths, string lengths and characters are bounded here, where every node still has
its line and column: a crafted file gets a located error instead of exhausting memory or time.
YAML aliases are followed as validation would follow them, so an alias bomb is caught too.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cvforge.errors import CvforgeError, Problem, ProfileError
from cvforge.reader.ownfiles import read_at_most

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: the seed profiles are under 20 KB
MAX_DEPTH = 20  # levels of lists and mappings; real profiles use about 5
MAX_ITEMS = 1000  # entries in one list or keys in one mapping
MAX_STRING = 10_000  # characters in one text: about 1,500 words
MAX_VALUES = 50_000  # values in the whole profile, counted through aliases
MAX_PROBLEMS = 100  # limit problems reported before giving up on a hopeless file

# C0 and C1 controls except tab and line feed, lone surrogates, and the two XML non-characters:
# none of them is text a reader sees, and several break XML (DOCX), UTF-8 output or terminals.
# A surrogate *pair* is how JSON escapes an emoji ("\\ud83d\\ude00"); ruamel keeps the halves apart,
# so pairs pass here and are joined by `join_surrogate_pairs`.
_BAD_CHAR = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


class RefusedFileError(CvforgeError):
    """Raised by `read_capped` for a file it will not read; callers name the file in their own error."""


class NotRegularFileError(RefusedFileError):
    """A device, FIFO, socket or folder where a file was expected: it has no size to judge it by, and
    reading it may never end (/dev/zero) or never start (a FIFO without a writer)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is {kind}, not a regular file; cvforge reads only regular files")
        self.kind = kind


class LinkedFileError(RefusedFileError):
    """A file with more than one hard link, where one must have a single name: a hard link passes
    every path check (it sits inside the project) and still is the file it links to, wherever that is."""

    def __init__(self, links: int) -> None:
        super().__init__(
            f"has {links} hard links; cvforge reads only files that are not linked elsewhere "
            "(a hard link can lead outside the project): copy the file instead of linking it"
        )
        self.links = links


class FileTooLargeError(RefusedFileError):
    """A regular file over its cap: `size` is its size in bytes, or None when it is known only to be
    larger than `limit` (a file in /proc, or one that grew as it was read, says less than it holds)."""

    def __init__(self, size: int | None, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"is {self.amount}")

    @property
    def amount(self) -> str:
        """The size in MiB as people read it: "1.4 MiB", or "more than 1 MiB"."""
        if self.size is None:
            return f"more than {self.limit / 1024 / 1024:g} MiB"
        return f"{self.size / 1024 / 1024:.1f} MiB"


_KINDS = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}
# O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (it is refused next);
# it changes nothing for a regular file. O_NOCTTY: a terminal named as input never becomes ours.
if sys.platform == "win32":
    OPEN_FLAGS = os.O_RDONLY | os.O_BINARY
else:
    OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def read_capped(path: Path, limit: int, *, one_link: bool = False) -> bytes:
    """A user-named file's bytes, at most `limit` of them; the one way cvforge reads such a file.

    The file is opened once and judged on that descriptor (`judge_opened_file`), not by its path, so
    nothing can be swapped in between: symbolic links are followed, but what they lead to must be a
    regular file (else NotRegularFileError), with one link if `one_link` (else LinkedFileError), and
    one whose size is over `limit` is refused before a byte is read (FileTooLargeError). Then at most
    `limit + 1` bytes are read, so a file that says less than it holds is refused too, without
    reading it all. Other failures are the system's OSError.
    """
    descriptor = os.open(path, OPEN_FLAGS)
    try:
        judge_opened_file(os.fstat(descriptor), limit, one_link=one_link)
        data = read_at_most(descriptor, limit)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise FileTooLargeError(None, limit)
    return data


def judge_opened_file(info: os.stat_result, limit: int | None, *, one_link: bool = False) -> None:
    """The one place a user-named file is judged before it is read, by the `fstat` of the opened
    file: its kind, its link count (when it must have one name) and its size (when `limit` is given)."""
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(_KINDS.get(stat.S_IFMT(info.st_mode), "a special file"))
    if one_link and info.st_nlink > 1:
        raise LinkedFileError(info.st_nlink)
    if limit is not None and info.st_size > limit:
        raise FileTooLargeError(info.st_size, limit)


def read_limited(path: Path, shown: str, what: str = "profiles") -> bytes:
    """A profile's or another input file's bytes, within MAX_FILE_BYTES (see `read_capped`); what
    cannot be read so is a located problem naming the file and the limit."""
    try:
        return read_capped(path, MAX_FILE_BYTES)
    except FileTooLargeError as exc:
        message = f"file {exc.message}; {what} are limited to 1 MiB"
    except RefusedFileError as exc:
        message = f"file {exc.message}"
    raise ProfileError([Problem(shown, 1, 1, "", message)])


def describe_char(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X}), which is not a character"
    if code in (0xFFFE, 0xFFFF):
        return f"U+{code:04X}, which is not a character"
    return f"the control character U+{code:04X}"


@dataclass
class _Walk:
    """State of one walk: where we are, what we found, how many values we have seen."""

    shown: str
    problems: list[Problem] = field(default_factory=list)
    values: int = 0
    structural: bool = False  # a size, depth or count limit: too big to validate at all

    @property
    def done(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS or self.values > MAX_VALUES

    def add(self, where: tuple[int, int], path: str, message: str) -> None:
        self.problems.append(Problem(self.shown, where[0], where[1], path, message))


def check_limits(data: Any, shown: str) -> list[Problem]:
    """Every limit the raw tree `data` breaks, each with its location.

    A tree too big or too deep to validate raises ProfileError at once; a bad character or an
    over-long text is returned, so validation still runs and every other problem is reported with it.
    """
    walk = _Walk(shown)
    _visit(walk, data, "", (1, 1), 0)
    if walk.structural or len(walk.problems) >= MAX_PROBLEMS:
        raise ProfileError(walk.problems)
    return walk.problems


def _visit(walk: _Walk, node: Any, path: str, where: tuple[int, int], depth: int) -> None:
    walk.values += 1
    if walk.values > MAX_VALUES:
        walk.add(where, path, f"the profile holds more than {MAX_VALUES:,} values (through YAML aliases?)")
        walk.structural = True
        return
    if isinstance(node, str):
        _check_text(walk, node, path, where)
    elif isinstance(node, bytes | bytearray):
        walk.add(where, path, "binary data (!!binary) is not text; write the text itself")
    elif isinstance(node, dict | list):
        if depth >= MAX_DEPTH:
            walk.add(where, path, f"nested deeper than {MAX_DEPTH} levels; that is the limit")
            walk.structural = True
            return
        kind, noun = ("mapping", "keys") if isinstance(node, dict) else ("list", "items")
        if len(node) > MAX_ITEMS:
            walk.add(where, path, f"{kind} has {len(node):,} {noun}; the limit is {MAX_ITEMS:,}")
            walk.structural = True
            return
        for key, child, child_path, child_where in _children(node, path, where):
            if walk.done:
                return
            if isinstance(key, str):
                _check_text(walk, key, child_path, _position(node, key, child_where, of_key=True))
            _visit(walk, child, child_path, child_where, depth + 1)


def _check_text(walk: _Walk, text: str, path: str, where: tuple[int, int]) -> None:
    if len(text) > MAX_STRING:
        walk.add(where, path, f"text is {len(text):,} characters long; the limit is {MAX_STRING:,}")
        return
    bad = _BAD_CHAR.search(text)
    if bad:
        walk.add(
            where,
            path,
            f"contains {describe_char(bad.group())} at character {bad.start() + 1}; "
            "only printable text, line breaks and tabs are allowed",
        )


Child = tuple[Any, Any, str, tuple[int, int]]


def _children(node: dict[Any, Any] | list[Any], path: str, where: tuple[int, int]) -> Iterator[Child]:
    """(key, child, child's path, child's 1-based line and column) for a mapping or a list."""
    if isinstance(node, dict):
        for key, child in node.items():
            child_path = f"{path}.{key}" if path else str(key)
            yield key, child, child_path, _position(node, key, where)
    else:
        for index, child in enumerate(node):
            yield None, child, f"{path}[{index}]", _position(node, index, where)


def _position(node: Any, key: Any, fallback: tuple[int, int], *, of_key: bool = False) -> tuple[int, int]:
    """Where ruamel saw `key`'s value (or the key itself); keys merged in with `<<` have none: use the parent's."""
    try:
        if isinstance(node, CommentedMap):
            line, column = node.lc.key(key) if of_key else node.lc.value(key)
        elif isinstance(node, CommentedSeq):
            line, column = node.lc.item(key)
        else:
            return fallback
    except (KeyError, IndexError, TypeError):
        return fallback
    return (line + 1, column + 1)


def join_surrogate_pairs(node: Any) -> Any:
    """Turn each escaped surrogate pair back into the one character it spells, in place.

    Call after `check_limits`: that bounds the walk and reports any lone surrogate (kept as it is here).
    """
    if isinstance(node, str):
        return (
            node.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
            if _SURROGATE.search(node)
            else node
        )
    if isinstance(node, dict):
        for key, value in node.items():
            fixed = join_surrogate_pairs(value)
            if fixed is not value:
                node[key] = fixed
    elif isinstance(node, list):
        for index, value in enumerate(node):
            fixed = join_surrogate_pairs(value)
            if fixed is not value:
                node[index] = fixed
    return node
