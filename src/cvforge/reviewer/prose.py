"""The words of a profile a reviewer reads, each with its path in the profile: prose (summaries,
bullets, descriptions), the bullets that claim work, and the names lists (skills, tech) that only
the technology-name rule reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from cvforge.schema import Profile
from cvforge.schema.markup import parse_inline
from cvforge.schema.profile import Facet

Loc = tuple[int | str, ...]
TextKind = Literal["prose", "bullet", "names"]

# Fields whose text is sentences a reader reads; `items` is prose only in a facet (elsewhere, names).
PROSE_FIELDS = frozenset({"headline", "tagline", "summary", "about", "description", "text", "context", "outcome"})
NAME_FIELDS = frozenset({"items", "tech", "keywords", "working_with", "courses"})
# Lists whose bullets claim work done, so the bullet rules (opener, tense, figures, length) apply.
WORK_LISTS = ("experience", "projects")


@dataclass(frozen=True)
class Text:
    """One piece of text: where it is, what kind, as written, and as a reader sees it (no Markdown)."""

    loc: Loc
    kind: TextKind
    raw: str
    plain: str


def plain(text: str) -> str:
    """The words as printed: Markdown marks and link targets gone, code spans kept as written."""
    return " ".join("".join(span.text for span in parse_inline(text)).split())


def words_only(text: str) -> str:
    """The words without code spans or URLs, for rules about spelling: `kubectl` is no typo."""
    spans = parse_inline(text)
    joined = " ".join(span.text for span in spans if not span.code)
    return re.sub(r"\S+://\S+|\S+@\S+|www\.\S+", " ", joined)


def _is_bullet(loc: Loc) -> bool:
    if loc[0] in WORK_LISTS and len(loc) >= 3 and loc[2] in ("bullets", "outcome"):
        return len(loc) == 4 if loc[2] == "bullets" else len(loc) == 3
    # a custom section's entries claim work; its schools' bullets (kind education) no more than Education's
    return loc[0] == "custom" and len(loc) == 6 and loc[2] == "entries" and loc[4] == "bullets"


def iter_texts(profile: Profile) -> Iterator[Text]:
    """Every text of the profile in reading order."""
    yield from _walk(profile, ())


def _walk(model: BaseModel, loc: Loc) -> Iterator[Text]:
    for name in type(model).model_fields:
        if name in ("tags", "review", "options", "labels", "headings"):
            continue
        value: Any = getattr(model, name)
        field_loc: Loc = (*loc, name)
        if isinstance(value, BaseModel):
            yield from _walk(value, field_loc)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                item_loc: Loc = (*field_loc, index)
                if isinstance(item, BaseModel):
                    yield from _walk(item, item_loc)
                elif isinstance(item, str):
                    yield from _text(model, name, item_loc, item)
        elif isinstance(value, str):
            yield from _text(model, name, field_loc, value)


def _text(model: BaseModel, name: str, loc: Loc, value: str) -> Iterator[Text]:
    if name == "bullets" or (name == "outcome" and _is_bullet(loc)):
        kind: TextKind = "bullet" if _is_bullet(loc) else "prose"
    elif name in PROSE_FIELDS or (name == "items" and isinstance(model, Facet)):
        kind = "prose"
    elif name in NAME_FIELDS:
        kind = "names"
    else:
        return
    yield Text(loc, kind, value, plain(value))
