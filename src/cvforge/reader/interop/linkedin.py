"""LinkedIn's "Get a copy of your data" archive in: a ZIP of CSV files, read as the profile it holds.

The archive is untrusted: it is refused before inflating anything when it breaks the limits every
ZIP keeps (`reader/archive.py`). The CSV files carry LinkedIn's quirks, handled here: a UTF-8 BOM,
descriptions that span lines inside quotes, notes above the header row, dates written "Mar 2021",
and an empty "Finished On" for the current role. Column names are LinkedIn's own (its export's
header rows); a column with no home in a profile is named in one notice, never dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from cvforge.errors import Problem, ProfileError
from cvforge.reader.archive import MAX_ARCHIVE_BYTES, archive_problem
from cvforge.reader.interop.base import Converted, drop_empty
from cvforge.reader.interop.rendercv import is_list
from cvforge.reader.interop.shapes import LINKEDIN_KEY as KEY
from cvforge.reader.limits import FileTooLargeError, RefusedFileError, read_capped

FORMAT = "LinkedIn"

# Each file the profile uses, with the columns LinkedIn writes in its header row.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Profile.csv": (
        "First Name",
        "Last Name",
        "Maiden Name",
        "Address",
        "Birth Date",
        "Headline",
        "Summary",
        "Industry",
        "Zip Code",
        "Geo Location",
        "Twitter Handles",
        "Websites",
        "Instant Messengers",
    ),
    "Positions.csv": ("Company Name", "Title", "Description", "Location", "Started On", "Finished On"),
    "Education.csv": ("School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"),
    "Skills.csv": ("Name",),
    "Languages.csv": ("Name", "Proficiency"),
    "Certifications.csv": ("Name", "Url", "Authority", "Started On", "Finished On", "License Number"),
    "Projects.csv": ("Title", "Description", "Url", "Started On", "Finished On"),
    "Honors.csv": ("Title", "Description", "Issued On"),
    "Publications.csv": ("Name", "Published On", "Description", "Publisher", "Url"),
    "Email Addresses.csv": ("Email Address", "Confirmed", "Primary", "Updated On"),
    "PhoneNumbers.csv": ("Extension", "Number", "Type"),
    "Courses.csv": ("Name", "Number"),
    "Volunteering.csv": ("Company Name", "Role", "Cause", "Started On", "Finished On", "Description"),
}
# Columns that are bookkeeping, not résumé content: read, never reported.
QUIET = {
    ("Email Addresses.csv", "Confirmed"),
    ("Email Addresses.csv", "Primary"),
    ("Email Addresses.csv", "Updated On"),
    ("PhoneNumbers.csv", "Type"),
}
_BULLET = re.compile(r"^\s*(?:[-•*▪◦‣·–]|\d+[.)])\s+")
_HANDLE = re.compile(r"^\[?@?([\w.]+)\]?$")


# --- reading the archive -------------------------------------------------------------------------


def read_archive(path: Any, shown: str) -> dict[str, Any]:
    """The archive's CSV files as `{KEY: {file name: [row, …]}}`, or a ProfileError saying why not."""
    try:
        raw = read_capped(path, MAX_ARCHIVE_BYTES)
    except FileNotFoundError:
        raise ProfileError([Problem(shown, 1, 1, "", "file not found")]) from None
    except (FileTooLargeError, RefusedFileError) as exc:
        raise ProfileError([Problem(shown, 1, 1, "", f"file {exc.message}")]) from None
    except OSError as exc:
        raise ProfileError([Problem(shown, 1, 1, "", f"cannot read file ({exc.strerror})")]) from None
    return {KEY: read_tables(raw, shown)}


def read_tables(raw: bytes, shown: str) -> dict[str, list[dict[str, str]]]:
    def refuse(why: str) -> ProfileError:
        return ProfileError([Problem(shown, 1, 1, "", f"not a LinkedIn data export: {why}")])

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            problem = archive_problem(package)
            if problem:
                raise refuse(problem)
            tables: dict[str, list[dict[str, str]]] = {}
            for entry in package.infolist():
                name = PurePosixPath(entry.filename.replace("\\", "/")).name
                if name in COLUMNS and not entry.is_dir():
                    tables[name] = parse_csv(package.read(entry), name, shown)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, EOFError, ValueError) as exc:
        raise refuse(f"not a readable ZIP ({exc})") from None
    if "Profile.csv" not in tables and "Positions.csv" not in tables:
        raise refuse("it has neither Profile.csv nor Positions.csv")
    return tables


def parse_csv(raw: bytes, name: str, shown: str) -> list[dict[str, str]]:
    """Rows as {column: value}: the BOM dropped, multi-line quoted cells kept whole, and any notes
    LinkedIn writes above the header row skipped (the header is the first row naming its columns)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError([Problem(shown, 1, 1, name, "is not UTF-8 text")]) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    expected = set(COLUMNS[name])
    start = next((i for i, row in enumerate(rows) if expected & {cell.strip() for cell in row}), None)
    if start is None:
        return []
    header = [cell.strip() for cell in rows[start]]
    table = []
    for row in rows[start + 1 :]:
        if not any(cell.strip() for cell in row):
            continue
        table.append({column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header) if column})
    return table


# --- converting ----------------------------------------------------------------------------------


def parse_date(value: str) -> str | None:
    """ "Mar 2021" → "2021-03", "2021" → "2021", "15 Mar 2021" and "Mar 15, 2021" → "2021-03-15";
    anything else None (the text is then kept as the entry's period)."""
    text = value.strip()
    shapes = (
        ("%b %Y", "%Y-%m"),
        ("%B %Y", "%Y-%m"),
        ("%Y", "%Y"),
        ("%d %b %Y", "%Y-%m-%d"),
        ("%b %d, %Y", "%Y-%m-%d"),
        ("%B %d, %Y", "%Y-%m-%d"),
    )
    for pattern, shape in shapes:
        try:
            return datetime.strptime(text, pattern).strftime(shape)
        except ValueError:
            continue
    for pattern in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).strftime("%Y-%m")
        except ValueError:
            continue
    return None


def split_description(text: str) -> tuple[str | None, list[str]]:
    """A description whose lines are bulleted ("- Led…", "• Cut…") becomes bullets; the lines before
    the first bullet stay a summary. Prose stays prose."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bulleted = [i for i, line in enumerate(lines) if _BULLET.match(line)]
    if not bulleted:
        return (text.strip() or None), []
    first = bulleted[0]
    summary = " ".join(lines[:first]) or None
    bullets: list[str] = []
    for line in lines[first:]:
        if _BULLET.match(line) or not bullets:
            bullets.append(_BULLET.sub("", line))
        else:
            bullets[-1] += " " + line  # a wrapped bullet continues on the next line
    return summary, bullets


class _Import:
    def __init__(self, tables: dict[str, list[dict[str, str]]]) -> None:
        self.tables = tables
        self.out = Converted(FORMAT, {}, {KEY: tables})
        self.unused: dict[str, set[str]] = {}

    def rows(self, name: str) -> Iterable[tuple[int, dict[str, str]]]:
        return enumerate(self.tables.get(name, []))

    def use(self, name: str, row: dict[str, str], *used: str) -> None:
        """Columns with a value that the mapping did not use are collected for the one notice."""
        for column, value in row.items():
            if value and column not in used and (name, column) not in QUIET:
                self.unused.setdefault(name, set()).add(column)

    def trace(self, target: tuple[Any, ...], name: str, index: int) -> None:
        self.out.trace(target, (KEY, name, index))


def import_linkedin(data: dict[str, Any], shown: str) -> Converted:
    """The archive's tables as profile data; one notice lists every column that had no home."""
    job = _Import(data[KEY])
    profile = job.out.data
    profile["person"] = _person(job)
    for key, convert in (
        ("experience", _positions),
        ("projects", _projects),
        ("publications", _publications),
        ("education", _education),
        ("certifications", _certifications),
        ("awards", _honors),
        ("languages", _languages),
    ):
        items = convert(job)
        if items:
            profile[key] = items
    skills = [row.get("Name", "") for _, row in job.rows("Skills.csv") if row.get("Name")]
    if skills:
        profile["skills"] = {"groups": [{"name": "Skills", "items": list(dict.fromkeys(skills))}]}
        job.out.trace(("skills",), (KEY, "Skills.csv"))
    custom = [section for section in (_courses(job), _volunteering(job)) if section]
    if custom:
        profile["custom"] = custom
    if job.unused:
        listed = "; ".join(f"{name}: {', '.join(sorted(columns))}" for name, columns in sorted(job.unused.items()))
        job.out.skip((KEY,), f"columns with no place in a cvforge profile, not imported: {listed}")
    return job.out


def _person(job: _Import) -> dict[str, Any]:
    profile = next((row for _, row in job.rows("Profile.csv")), {})
    name = " ".join(part for part in (profile.get("First Name"), profile.get("Last Name")) if part)
    used = ("First Name", "Last Name", "Headline", "Summary", "Geo Location", "Websites", "Twitter Handles")
    job.use("Profile.csv", profile, *used)
    emails = [row for _, row in job.rows("Email Addresses.csv") if row.get("Email Address")]
    primary = next((row for row in emails if row.get("Primary", "").lower() == "yes"), emails[0] if emails else None)
    phones = [row for _, row in job.rows("PhoneNumbers.csv") if row.get("Number")]
    for row in phones:
        job.use("PhoneNumbers.csv", row, "Number", "Extension")
    links = _websites(profile.get("Websites", ""))
    for handle in re.split(r"[,;\s]+", profile.get("Twitter Handles", "")):
        match = _HANDLE.match(handle.strip())
        if handle.strip() and match:
            links.append({"network": "X", "url": f"https://x.com/{match[1]}"})
    for row in emails:
        if row is not primary:
            links.append({"network": "Email", "url": f"mailto:{row['Email Address']}", "label": row["Email Address"]})
    phone = phones[0] if phones else None
    for row in phones[1:]:
        links.append({"network": "Phone", "url": "tel:" + re.sub(r"[^\d+]", "", row["Number"]), "label": row["Number"]})
    job.out.trace(("person",), (KEY, "Profile.csv", 0))
    summary = profile.get("Summary", "")
    return drop_empty(
        {
            "name": name or "Your Name",
            "headline": profile.get("Headline"),
            "location": profile.get("Geo Location"),
            "email": primary["Email Address"] if primary else None,
            "phone": _phone(phone) if phone else None,
            "links": links,
            "summary": [p.strip() for p in re.split(r"\n\s*\n", summary) if p.strip()],
        }
    )


def _phone(row: dict[str, str]) -> str:
    extension = row.get("Extension", "")
    return f"{row['Number']} ext. {extension}" if extension else row["Number"]


def _websites(value: str) -> list[dict[str, str]]:
    """LinkedIn writes websites as "[PORTFOLIO:https://…,BLOG:https://…]" (the kind is kept as the
    link's network: "Portfolio", "Blog") or as plain addresses."""
    links = []
    for kind, url in re.findall(r"(?:\b([A-Za-z]+):)?(https?://[^\s,\]]+)", value):
        links.append({"network": kind.capitalize(), "url": url} if kind and kind.lower() != "other" else {"url": url})
    return links


def _dates(row: dict[str, str], start: str, end: str, *, ongoing: bool) -> dict[str, Any]:
    """Start and end; an empty end is "present" for a role (LinkedIn leaves the current one open)."""
    first, last = parse_date(row.get(start, "")), parse_date(row.get(end, ""))
    dates: dict[str, Any] = {}
    if first:
        dates["start"] = first
        if last:
            dates["end"] = last
        elif ongoing and not row.get(end, "").strip():
            dates["end"] = "present"
    elif last:
        dates["start"] = last
    for column in (start, end):
        text = row.get(column, "").strip()
        if text and parse_date(text) is None:
            dates["period"] = " – ".join(filter(None, [row.get(start, "").strip(), row.get(end, "").strip()]))
            break
    return dates


def _positions(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Positions.csv"):
        job.use("Positions.csv", row, "Company Name", "Title", "Description", "Location", "Started On", "Finished On")
        summary, bullets = split_description(row.get("Description", ""))
        item = drop_empty(
            {
                "organisation": row.get("Company Name"),
                "title": row.get("Title"),
                "location": row.get("Location"),
                **_dates(row, "Started On", "Finished On", ongoing=True),
                "summary": summary,
                "bullets": bullets,
            }
        )
        if item.get("organisation") or item.get("title"):
            job.trace(("experience", len(items)), "Positions.csv", index)
            items.append(item)
    return items


def _projects(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Projects.csv"):
        job.use("Projects.csv", row, "Title", "Description", "Url", "Started On", "Finished On")
        if not row.get("Title"):
            continue
        summary, bullets = split_description(row.get("Description", ""))
        job.trace(("projects", len(items)), "Projects.csv", index)
        items.append(
            drop_empty(
                {
                    "name": row["Title"],
                    **_dates(row, "Started On", "Finished On", ongoing=False),
                    "description": [summary] if summary else [],
                    "bullets": bullets,
                    "links": [{"url": row["Url"]}] if row.get("Url") else [],
                }
            )
        )
    return items


def _publications(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Publications.csv"):
        job.use("Publications.csv", row, "Name", "Published On", "Description", "Publisher", "Url")
        if not row.get("Name"):
            continue
        job.trace(("publications", len(items)), "Publications.csv", index)
        items.append(
            drop_empty(
                {
                    "title": row["Name"],
                    "venue": row.get("Publisher"),
                    "date": parse_date(row.get("Published On", "")),
                    "url": row.get("Url"),
                    "summary": " ".join(row.get("Description", "").split()) or None,
                }
            )
        )
    return items


def _education(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Education.csv"):
        job.use("Education.csv", row, "School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities")
        if not row.get("School Name"):
            continue
        notes_summary, notes_bullets = split_description(row.get("Notes", ""))
        _, activity_bullets = split_description(row.get("Activities", ""))
        activities = activity_bullets or ([f"Activities: {row['Activities']}"] if row.get("Activities") else [])
        job.trace(("education", len(items)), "Education.csv", index)
        items.append(
            drop_empty(
                {
                    "institution": row["School Name"],
                    "degree": row.get("Degree Name"),
                    **_dates(row, "Start Date", "End Date", ongoing=False),
                    "summary": notes_summary,
                    "bullets": [*notes_bullets, *activities],
                }
            )
        )
    return items


def _certifications(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Certifications.csv"):
        job.use("Certifications.csv", row, "Name", "Url", "Authority", "Started On")
        if not row.get("Name"):
            continue
        job.trace(("certifications", len(items)), "Certifications.csv", index)
        items.append(
            drop_empty(
                {
                    "name": row["Name"],
                    "issuer": row.get("Authority"),
                    "date": parse_date(row.get("Started On", "")),
                    "url": row.get("Url"),
                }
            )
        )
    return items


def _honors(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Honors.csv"):
        job.use("Honors.csv", row, "Title", "Description", "Issued On")
        if not row.get("Title"):
            continue
        job.trace(("awards", len(items)), "Honors.csv", index)
        items.append(
            drop_empty(
                {
                    "title": row["Title"],
                    "date": parse_date(row.get("Issued On", "")),
                    "summary": " ".join(row.get("Description", "").split()) or None,
                }
            )
        )
    return items


def _languages(job: _Import) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, row in job.rows("Languages.csv"):
        job.use("Languages.csv", row, "Name", "Proficiency")
        if row.get("Name"):
            job.trace(("languages", len(items)), "Languages.csv", index)
            items.append(drop_empty({"language": row["Name"], "fluency": row.get("Proficiency")}))
    return items


def _courses(job: _Import) -> dict[str, Any] | None:
    names: list[str] = []
    for _, row in job.rows("Courses.csv"):
        job.use("Courses.csv", row, "Name", "Number")
        if row.get("Name"):
            names.append(f"{row['Name']} ({row['Number']})" if row.get("Number") else row["Name"])
    return {"title": "Courses", "kind": "bullets", "items": names} if names and is_list(names[:1]) else None


def _volunteering(job: _Import) -> dict[str, Any] | None:
    entries: list[dict[str, Any]] = []
    for _, row in job.rows("Volunteering.csv"):
        job.use("Volunteering.csv", row, "Company Name", "Role", "Cause", "Started On", "Finished On", "Description")
        summary, bullets = split_description(row.get("Description", ""))
        entry = drop_empty(
            {
                "title": row.get("Role"),
                "subtitle": row.get("Company Name"),
                **_dates(row, "Started On", "Finished On", ongoing=True),
                "text": [summary] if summary else [],
                "bullets": bullets,
                "keywords": [row["Cause"]] if row.get("Cause") else [],
            }
        )
        if entry.get("title") or entry.get("subtitle"):
            entries.append(entry)
    return {"title": "Volunteering", "entries": entries} if entries else None
