"""Leave chosen contact details out of a profile, for sharing a sample of a build.

Applied to the profile before anything is viewed, so no output of the build (resume, letter,
packet, in any format) can show what was left out, and `check` does not look for it. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cvforge.errors import UsageError
from cvforge.schema import Profile
from cvforge.schema.base import REDACT_FIELDS


def parse_redact(value: str) -> tuple[str, ...]:
    """`--redact phone,address` → ('phone', 'address'); an unknown field is a usage error."""
    fields = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in fields if name not in REDACT_FIELDS]
    if unknown or not fields:
        shown = unknown[0] if unknown else value
        raise UsageError(f"--redact: unknown field '{shown}' (choose from {', '.join(REDACT_FIELDS)})")
    return tuple(dict.fromkeys(fields))


def redact_profile(profile: Profile, fields: Iterable[str]) -> Profile:
    """The profile without the given contact fields; `links` drops every link, `photo` the photo."""
    chosen = set(fields)
    if not chosen:
        return profile
    changes: dict[str, Any] = {name: None for name in ("email", "phone", "location", "address", "website", "photo")}
    changes = {name: value for name, value in changes.items() if name in chosen}
    if "links" in chosen:
        changes["links"] = []
    person = profile.person.model_copy(update=changes)
    return profile.model_copy(update={"person": person})
