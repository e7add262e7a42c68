"""Densities already decided, so a rebuild of the same print pages lays out one density, not two.

`pdf.save_last_page` keeps the default density unless its last page is sparse and the tighter one
saves a page: a rule that needs the normal layout always, and the tighter one whenever the normal
one is sparse. Nothing about one density's page count or last-page fill follows from the other's
layout (breaks move with every line height), so a density remembered for a profile and theme proves
nothing once its pages changed. What does prove it is determinism: the same print HTML of both
densities, laid out by the same libraries and theme files, gives the same layouts, hence the same
decision. The builder keeps each decision in its build record under a digest of exactly that
(`decision_key`), with an HMAC so an edited record cannot steer it (see `builder.density_record`),
and hands back the decisions recorded for a job before it renders (`remembered`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# decision key → density kept, for the job being rendered in this process (filled by `remembered`)
_KNOWN: dict[str, str] = {}
# decisions this process made by laying pages out, while `remembered` is open (the builder records them)
_LEARNT: dict[str, str] = {}
_SALT: list[str] = [""]  # what else shapes a layout: cvforge's and the libraries' versions, the theme files


@contextmanager
def remembered(known: Mapping[str, str], salt: str) -> Iterator[dict[str, str]]:
    """Within: decisions keyed as `known` are taken without layouts; yields the decisions made by
    laying out, for the builder to record. `salt` names the libraries and theme files in use."""
    _KNOWN.clear()
    _KNOWN.update(known)
    _LEARNT.clear()
    _SALT[0] = salt
    learnt: dict[str, str] = {}
    try:
        yield learnt
    finally:
        learnt.update(_LEARNT)
        _KNOWN.clear()
        _LEARNT.clear()
        _SALT[0] = ""


def active() -> bool:
    """Whether a builder is remembering (outside a build nothing is looked up or kept)."""
    return bool(_SALT[0])


def has_known() -> bool:
    return bool(_KNOWN)


def decision_key(normal_html: str, tighter_html: str, roots: tuple[Path, ...]) -> str:
    """Everything the density decision is a function of: both print pages and where their assets
    come from, with the build's salt (library versions, theme files)."""
    digest = hashlib.sha256()
    for part in (_SALT[0], normal_html, tighter_html, "\0".join(str(root) for root in roots)):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def known(key: str) -> str | None:
    return _KNOWN.get(key)


def learn(key: str, density: str) -> None:
    if active():
        _LEARNT[key] = density
