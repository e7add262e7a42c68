"""Read a profile file (YAML or JSON) into a validated Profile, or report every problem at once.

Each problem carries file:line:column, found by walking ruamel.yaml's position data along the
path Pydantic reports, so a user can jump straight to it. A JSON Resume or RenderCV file is
recognised by its shape and converted here (`cvforge.reader.interop`); problems in it are reported at
their place in that file, under that format's own field names.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import logging
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from cvforge.errors import Problem, ProfileError, display_path
from cvforge.logs import Collector
from cvforge.reader.advice import warn_reader_problems
from cvforge.reader.interop import convert_foreign
from cvforge.reader.limits import check_limits, join_surrogate_pairs
from cvforge.reader.photo import PhotoError, read_photo
from cvforge.reader.source import parse_text, position, read_document
from cvforge.reader.validation import validate
from cvforge.schema import Profile
from cvforge.schema.links import is_remote

LOGGER = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


def load_profile(path: Path) -> Profile:
    """Load and validate one profile file; raise ProfileError listing every problem in it.

    Inside `parse_once()` (a build), a file is parsed once: later calls get the same profile (or
    error) and the same warnings again, until the file changes.
    """
    memo = _PARSED.get()
    if memo is None:
        return _load_profile(path)
    try:
        stat = path.stat()
        key: tuple[str, int, int] | None = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None  # reported by the load itself
    if key is None:
        return _load_profile(path)
    if key not in memo:
        memo[key] = _remembered(path)
    result, records = memo[key]
    _replay(records)
    if isinstance(result, ProfileError):
        raise ProfileError(list(result.problems))
    return result


def _load_profile(path: Path) -> Profile:
    shown = display_path(path)
    return validate_profile(read_document(path, shown), shown, path.parent)


_PARSED: ContextVar[dict[tuple[str, int, int], tuple[Profile | ProfileError, list[logging.LogRecord]]] | None] = (
    ContextVar("cvforge_parsed_profiles", default=None)
)


def _remembered(path: Path) -> tuple[Profile | ProfileError, list[logging.LogRecord]]:
    """The profile (or its error) and the warnings loading it logged, kept rather than shown."""
    with _kept_logs() as records:
        try:
            result: Profile | ProfileError = _load_profile(path)
        except ProfileError as exc:
            result = exc
    return result, records


@contextmanager
def _kept_logs() -> Iterator[list[logging.LogRecord]]:
    """What cvforge logs inside the block, kept rather than shown (said again by `_replay`)."""
    root = logging.getLogger("cvforge")
    keep = Collector(logging.DEBUG)
    saved, propagate = root.handlers[:], root.propagate
    root.handlers, root.propagate = [keep], False
    try:
        yield keep.records
    finally:
        root.handlers, root.propagate = saved, propagate


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


# What `once_per_build` made inside the current `parse_once()` block, by key: the value and its warnings.
_MADE: ContextVar[dict[Hashable, tuple[Any, list[logging.LogRecord]]] | None] = ContextVar(
    "cvforge_made_once", default=None
)


def once_per_build(key: Hashable, make: Callable[[], R]) -> R:
    """`make()`, made once for `key` inside `parse_once()` (one build, or one watch rebuild: the HTML's
    build and the PDF's after it), with the warnings it logged said again each time; outside, made
    every time. What fails is not kept: it is made, and fails, again."""
    memo = _MADE.get()
    if memo is None:
        return make()
    if key not in memo:
        failed: BaseException | None = None
        with _kept_logs() as records:
            try:
                made = make()
            except BaseException as exc:
                failed = exc
        if failed is not None:  # said where it is shown, out of the block that keeps it
            _replay(records)
            raise failed
        memo[key] = (made, records)
    value, records = memo[key]
    _replay(records)
    return value  # type: ignore[no-any-return]


def parsing_once(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, each call of it inside `parse_once()`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with parse_once():
            return function(*args, **kwargs)

    return wrapper


@contextmanager
def parse_once() -> Iterator[None]:
    """Within this block (one build), each profile file is read and parsed once; a block inside
    another shares its parses (the command line's check and the build it precedes)."""
    if _PARSED.get() is not None:
        yield
        return
    token, made = _PARSED.set({}), _MADE.set({})
    try:
        yield
    finally:
        _MADE.reset(made)
        _PARSED.reset(token)


def load_profile_text(text: str, folder: Path, shown: str = "<string>") -> Profile:
    """A profile given as YAML or JSON text; a photo it names is looked for in `folder`."""
    return validate_profile(parse_text(text, shown, as_json=text.lstrip().startswith("{")), shown, folder)


def load_profile_data(data: Mapping[str, Any], folder: Path, shown: str = "<dict>") -> Profile:
    """A profile given as Python data (a dict of lists and scalars, as from `json.load`).

    Plain data has no lines or columns, so its problems carry line 0 and are shown by field path alone.
    """
    try:
        return validate_profile(copy.deepcopy(dict(data)), shown, folder)
    except ProfileError as exc:
        raise ProfileError([dataclasses.replace(p, line=0, column=0) for p in exc.problems]) from None


def validate_profile(data: Any, shown: str, folder: Path) -> Profile:
    """Limits, then a foreign format's conversion, then the schema: one list of every problem."""
    limits = check_limits(data, shown)
    join_surrogate_pairs(data)
    try:
        converted = convert_foreign(data, shown)
        if converted is not None:
            profile = validate(Profile, converted.data, shown, source=converted.source, relocate=converted.relocate)
        else:
            profile = validate(Profile, data, shown)
    except ProfileError as exc:  # a bad character must not hide a dangerous link elsewhere: report both
        flagged = {p.path for p in limits}  # a field already refused for its characters is not reported twice
        raise ProfileError([*limits, *(p for p in exc.problems if p.path not in flagged)]) from None
    if limits:
        raise ProfileError(limits)
    if converted is None:
        check_files(profile, folder, data, shown)
        warn_reader_problems(profile, data, shown)
    else:
        warn_reader_problems(profile, converted.source, shown, converted.relocate)
    return profile


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
