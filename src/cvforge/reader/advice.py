"""Warnings about what hurts a reader of the resume, though the profile is valid.

A profile with no way to contact the person, and a role with no title or no dates, build fine but
fail the recruiter (and the parser) reading them. Each warning is a log record located at the
field in the file the user wrote (for a JSON Resume or RenderCV file, at its own fields).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from cvforge.reader.source import Loc, position
from cvforge.schema import Profile

LOGGER = logging.getLogger(__name__)


def warn_reader_problems(profile: Profile, data: Any, shown: str, relocate: Callable[[Loc], Loc] | None = None) -> None:
    """Log one located warning for each thing that leaves a reader without what they look for."""

    def where(loc: Loc) -> str:
        line, column = position(data, relocate(loc) if relocate else loc, key=True)
        return f"{shown}:{line}:{column}"

    person = profile.person
    if not (person.email or person.phone or person.website or person.links):
        LOGGER.warning(
            "%s: person: no email, phone, website or link: nobody reading this resume can contact %s "
            "(add person.email or person.phone)",
            where(("person",)),
            person.name,
        )
    for index, role in enumerate(profile.experience):
        dated = bool(role.start or role.end or role.period)
        missing = [
            (what, field) for what, field, ok in (("title", "title", role.title), ("dates", "start", dated)) if not ok
        ]
        if missing:
            LOGGER.warning(
                "%s: experience[%d] (%s): no %s: parsers and recruiters read a role as title, organisation, "
                "dates (add %s)",
                where(("experience", index)),
                index,
                role.title or role.organisation,
                " and no ".join(what for what, _ in missing),
                " and ".join(field for _, field in missing),
            )
