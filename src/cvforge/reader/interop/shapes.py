"""Which format a document is, told by its top-level keys alone: loading a cvforge profile never
imports the foreign formats' models (about 0.15 s of Pydantic building)."""

from __future__ import annotations

from typing import Any

LINKEDIN_KEY = "linkedin_export"  # the one key of the document a LinkedIn archive is read into
# Keys only JSON Resume has at the top level: any of them (and no `person`) marks a JSON Resume.
JSONRESUME_KEYS = frozenset({"basics", "work", "volunteer", "certificates", "publications", "interests", "references"})


def is_linkedin(data: Any) -> bool:
    return isinstance(data, dict) and set(data) == {LINKEDIN_KEY}


def is_jsonresume(data: dict[str, Any]) -> bool:
    return "person" not in data and bool(JSONRESUME_KEYS & set(data))


def is_rendercv(data: dict[str, Any]) -> bool:
    return "person" not in data and "cv" in data
