"""Verifying a resume's text: every detail an ATS keys on is there, and its roles come in the
profile's order. Pure on text; `check_bytes` and `check_file` extract it first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cvforge.document.headings import RECOGNISED, heading_key
from cvforge.document.locale import make_locale
from cvforge.document.view import format_range
from cvforge.errors import CheckError
from cvforge.readback.extract import EXTRACTORS, extract_text, read_output
from cvforge.readback.search import Haystack
from cvforge.schema import Profile

ORDER_FIELD = "experience order"


@dataclass(frozen=True)
class Expected:
    """One detail a parser must find: where it sits in the profile, and its text as the view shows it."""

    field: str
    text: str
    fold_case: bool = False


def expected_details(profile: Profile) -> list[Expected]:
    """Every detail `check` looks for, in profile order; skills are matched without regard to case,
    as keyword searches match them."""
    person = profile.person
    details = [Expected("name", person.name)]
    if person.email:
        details.append(Expected("email", person.email))
    if person.phone:
        details.append(Expected("phone", person.phone))
    locale = make_locale(profile.locale, profile.date_format, profile.labels, warn=False)
    for index, role in enumerate(profile.experience):
        where = f"experience[{index}]"
        if role.title:
            details.append(Expected(f"{where}.title", role.title))
        if role.organisation:
            details.append(Expected(f"{where}.organisation", role.organisation))
        dates = format_range(role, locale)
        if dates:
            details.append(Expected(f"{where}.dates", dates))
    for index, project in enumerate(profile.projects):
        details.append(Expected(f"projects[{index}].name", project.name))
    skills = profile.skills
    for index, item in enumerate(skills.working_with):
        details.append(Expected(f"skills.working_with[{index}]", item, fold_case=True))
    for row_index, row in enumerate(skills.table):
        for index, item in enumerate(row.items):
            details.append(Expected(f"skills.table[{row_index}].items[{index}]", item, fold_case=True))
    for group_index, group in enumerate(skills.groups):
        for index, item in enumerate(group.items):
            details.append(Expected(f"skills.groups[{group_index}].items[{index}]", item, fold_case=True))
    return details


def experience_anchors(profile: Profile) -> list[tuple[str, str]]:
    """(field, text) naming each role, in profile order: its title, else its organisation."""
    anchors: list[tuple[str, str]] = []
    for index, role in enumerate(profile.experience):
        if role.title:
            anchors.append((f"experience[{index}].title", role.title))
        elif role.organisation:
            anchors.append((f"experience[{index}].organisation", role.organisation))
    return anchors


@dataclass(frozen=True)
class Finding:
    """One row of the report: the field, what was expected, whether it was found, and any detail."""

    field: str
    expected: str
    ok: bool
    result: str


@dataclass(frozen=True)
class Report:
    """Everything one output was checked for; `ok` only when nothing is missing or out of order."""

    source: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if not finding.ok)

    def summary(self) -> str:
        """All found in one line, or a line per gap naming its field, the expected text and what went wrong."""
        total = len(self.findings)
        if self.ok:
            return f"{self.source}: all {total} checks passed"
        named = "".join(f"\n  {gap.field}: {gap.expected!r} {gap.result}" for gap in self.gaps)
        return f"{self.source}: {len(self.gaps)} of {total} checks failed:{named}"


def verify(profile: Profile, text: str, source: str) -> Report:
    """Look for every expected detail in `text`, then check the roles come in profile order."""
    haystack = Haystack(text)
    findings = [
        Finding(e.field, e.text, found, "found" if found else "missing")
        for e in expected_details(profile)
        for found in [haystack.search(e.text, fold_case=e.fold_case) is not None]
    ]
    anchors = experience_anchors(profile)
    if len(anchors) > 1:
        findings.append(check_order(haystack, anchors))
    return Report(source, tuple(findings))


def check_order(haystack: Haystack, anchors: list[tuple[str, str]]) -> Finding:
    """Greedy earliest match: if the roles can be read in profile order at all, this finds it.

    Roles missing altogether are reported on their own rows, so the order is judged among the rest.
    """
    expected = " → ".join(text for _, text in anchors)
    position = 0
    previous: str | None = None
    for field, text in anchors:
        if haystack.search(text) is None:
            continue
        match = haystack.search(text, position)
        if match is None:
            assert previous is not None  # the first role present is always found from the start
            return Finding(ORDER_FIELD, expected, False, f"{field} {text!r} comes before {previous}")
        position = match.end()
        previous = field
    return Finding(ORDER_FIELD, expected, True, "in order")


def profile_sections(profile: Profile) -> list[str]:
    """The sections parsers split out that this profile has content for (keys of RECOGNISED)."""
    skills = profile.skills
    has = {
        "experience": bool(profile.experience),
        "projects": bool(profile.projects),
        "skills": bool(skills.table or skills.groups or skills.working_with),
        "education": bool(profile.education),
    }
    return [key for key in RECOGNISED if has.get(key)]


def verify_headings(profile: Profile, text: str) -> list[Finding]:
    """A Word file's paragraphs are lines: each section parsers look for needs one they file under it.

    Checked for DOCX, whose heading lines cvforge writes for parsers (see `document.headings`);
    a PDF's headings are the theme's, and its lines are the layout's.
    """
    keys = {heading_key(line) for line in text.split("\n")}
    return [
        Finding(f"heading: {key}", RECOGNISED[key][0], found, "found" if found else "no heading line parsers know")
        for key in profile_sections(profile)
        for found in [key in keys]
    ]


def check_bytes(profile: Profile, data: bytes, fmt: str, source: str) -> Report:
    """Extract one output's text as a parser would and verify it against the profile."""
    if fmt not in EXTRACTORS:
        raise CheckError(f"{source}: cannot check {fmt} files (only {', '.join(EXTRACTORS)})")
    try:
        text = extract_text(fmt, data)
    except CheckError as exc:
        raise CheckError(f"{source}: {exc.message}") from None
    report = verify(profile, text, source)
    if fmt == "docx":
        return Report(source, (*report.findings, *verify_headings(profile, text)))
    return report


def check_file(path: Path, profile: Profile, source: str | None = None) -> Report:
    """Read a PDF or DOCX from disk and check it; the format is taken from the file's suffix."""
    shown = source or str(path)
    return check_bytes(profile, read_output(path, shown), path.suffix.lower().lstrip("."), shown)
