"""Review rules about the resume as a whole: the roles' dates (overlaps, gaps, the future, an end
that may precede its start), the page count against years of experience, and a way to get in touch."""

from __future__ import annotations

from datetime import date

from cvforge.reviewer.rules import Raw
from cvforge.schema import Profile
from cvforge.schema.base import PartialDate

GAP_MONTHS = 6
PAGES_UNDER_TEN_YEARS = 2
SENIOR_YEARS = 10


def months(when: PartialDate, *, latest: bool) -> int:
    """A date as a month count; a date known only to the year is its first or last month."""
    return when.year * 12 + ((when.month or (12 if latest else 1)) - 1)


def _end(end: PartialDate | str | None, today: date, *, latest: bool) -> int | None:
    if isinstance(end, PartialDate):
        return months(end, latest=latest)
    if isinstance(end, str):  # "present"
        return today.year * 12 + today.month - 1
    return None


def current_roles(profile: Profile) -> set[int]:
    """Roles still held: ended "present", or started with no end."""
    return {
        index
        for index, role in enumerate(profile.experience)
        if isinstance(role.end, str) or (role.end is None and role.start is not None)
    }


def dates(profile: Profile, today: date) -> list[Raw]:
    found: list[Raw] = []
    now = today.year * 12 + today.month - 1
    spans: list[tuple[int, int, int, int, int]] = []  # (earliest start, latest start, earliest end, latest end, index)
    for index, role in enumerate(profile.experience):
        start, end = role.start, role.end
        if start is None:
            continue
        if months(start, latest=False) > now:
            found.append(
                Raw(("experience", index, "start"), "dates", "warning", f"starts {start.iso()}, in the future")
            )
        if isinstance(end, PartialDate) and len(end.iso()) < len(start.iso()) and start.iso().startswith(end.iso()):
            message = (
                f"ends {end.iso()} and starts {start.iso()}: the end may come before the start; "
                f"write the end as precisely as the start"
            )
            found.append(Raw(("experience", index, "end"), "dates", "warning", message))
        early_end, late_end = _end(end, today, latest=False), _end(end, today, latest=True)
        if early_end is None or late_end is None:
            early_end = late_end = now
        spans.append((months(start, latest=False), months(start, latest=True), early_end, late_end, index))
    found += _overlaps_and_gaps(profile, sorted(spans))
    return found


def _overlaps_and_gaps(profile: Profile, spans: list[tuple[int, int, int, int, int]]) -> list[Raw]:
    """Only what the dates prove: overlap when the later role surely began before the other surely
    ended, a gap when the next role surely began more than six months after the last surely ended."""
    found: list[Raw] = []
    latest_end: tuple[int, int] | None = None  # (latest end so far, its role)
    for early_start, late_start, early_end, late_end, index in spans:
        role = profile.experience[index]
        for _, other_late_start, other_early_end, _, other in spans:
            other_role = profile.experience[other]
            if other >= index or other_role.organisation == role.organisation:
                continue
            if late_start < other_early_end and other_late_start < early_end:
                message = (
                    f"overlaps experience[{other}] ({other_role.organisation or other_role.title}); if both were "
                    "full-time, say so, or mark one part-time or freelance in its title"
                )
                found.append(Raw(("experience", index, "start"), "dates", "info", message))
        if latest_end is not None and early_start - latest_end[0] > GAP_MONTHS:
            gap = early_start - latest_end[0]
            message = f"a gap of about {gap} months after experience[{latest_end[1]}]; a line on it saves the question"
            found.append(Raw(("experience", index, "start"), "dates", "info", message))
        if latest_end is None or late_end > latest_end[0]:
            latest_end = (late_end, index)
    return found


def years_of_experience(profile: Profile, today: date) -> float:
    starts = [months(r.start, latest=False) for r in profile.experience if r.start is not None]
    if not starts:
        return 0.0
    ends = [_end(r.end, today, latest=True) or months(r.start, latest=True) for r in profile.experience if r.start]
    return (max(ends) - min(starts) + 1) / 12


def length_of_resume(profile: Profile, pages: int | None, today: date) -> list[Raw]:
    if pages is None:
        return []
    years = years_of_experience(profile, today)
    if pages > PAGES_UNDER_TEN_YEARS and 0 < years < SENIOR_YEARS:  # no dated role: nothing to weigh pages against
        message = (
            f"{pages} pages for about {years:.0f} years of experience; under {SENIOR_YEARS} years, two pages at most "
            "(a target with `page_limit: 2` fits it, dropping the least relevant parts)"
        )
        return [Raw(("person",), "length-of-resume", "warning", message)]
    return []


def contact(profile: Profile) -> list[Raw]:
    if profile.person.email or profile.person.phone:
        return []
    message = "no email or phone: a reader who likes it cannot reply (add person.email or person.phone)"
    return [Raw(("person",), "contact", "warning", message)]
