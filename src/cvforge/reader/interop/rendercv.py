"""RenderCV YAML in: `cv:` with its header fields and free-form `sections` of nine entry types.

The file is validated as RenderCV first, the way RenderCV itself reads it (each section's entry type
is recognised from the keys of its first entry, then every entry is checked as that type), so a
mistake is reported at its line and column under RenderCV's names. Sections then go to their
nearest cvforge home: experience, education, projects, publications, skills and summary when the
entry type (and for some, the title) says so; every other section becomes a custom section.
`design`, `locale` and `settings` describe RenderCV's own typesetting and are not content.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import RootModel

from cvforge.errors import Problem, ProfileError
from cvforge.reader.interop.base import (
    PRESENT,
    Converted,
    drop_empty,
    format_loc,
    link_from_profile,
    skip_extras,
    text_and_link,
    validate_partly,
)
from cvforge.reader.interop.rendercv_model import (
    FORMAT,
    BulletEntry,
    Cv,
    DatedEntry,
    EducationEntry,
    EntryType,
    ExperienceEntry,
    NormalEntry,
    NumberedEntry,
    OneLineEntry,
    OneOrMany,
    PublicationEntry,
    RenderCvFile,
    ReversedNumberedEntry,
    entry_type,
)
from cvforge.reader.source import Loc, position
from cvforge.reader.validation import validate
from cvforge.schema.base import parse_partial_date
from cvforge.schema.sections import DEFAULT_TITLES

SUMMARY_TITLES = frozenset({"summary", "about", "about me", "profile", "professional summary"})


def section_title(key: str) -> str:
    """RenderCV's rule: a key with a space or a capital is the title; snake_case becomes Title Case."""
    if " " in key or any(letter.isupper() for letter in key):
        return key
    small = {"a", "and", "as", "at", "but", "by", "for", "from", "if", "in", "into", "like", "near", "nor"}
    small |= {"of", "off", "on", "onto", "or", "out", "over", "so", "than", "that", "to", "upon", "when", "with", "yet"}
    words = key.replace("_", " ").split(" ")
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


# --- reading -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str
    kind: EntryType
    entries: list[Any]


def read_cv(out: Converted, data: Any, shown: str) -> tuple[Cv, list[Section]]:
    """Validate the whole file; problems go to `out.problems` (all of them, header and sections),
    and what is valid is returned so the conversion can find the remaining problems in one pass."""
    raw = data.get("cv") if isinstance(data, dict) else None
    try:
        cv = validate(RenderCvFile, data, shown).cv
    except ProfileError as exc:
        out.problems.extend(exc.problems)
        cv = validate_partly(out, Cv, raw if isinstance(raw, dict) else {}, "cv") or Cv()
        cv = cv.model_copy(update={"sections": None})
    raw_sections = raw.get("sections") if isinstance(raw, dict) else None
    sections: list[Section] = []
    if isinstance(raw_sections, dict):
        for key, entries in raw_sections.items():
            if not isinstance(entries, list) or not entries:
                continue
            section = _read_section(out, data, shown, str(key), entries)
            if section is not None:
                sections.append(section)
    return cv, sections


def _read_section(out: Converted, data: Any, shown: str, key: str, entries: list[Any]) -> Section | None:
    """One section, its entry type recognised as RenderCV does, then every entry checked as that type."""
    loc: Loc = ("cv", "sections", key)
    prefix = format_loc(loc)
    kind = next((k for k in map(entry_type, entries) if k is not None), None)
    if kind is None:
        line, column = position(data, loc, key=True)
        message = "no entry here matches a RenderCV entry type (see its docs for the nine types)"
        out.problems.append(Problem(shown, line, column, prefix, message))
        out.failed.append(prefix)
        return None
    try:
        checked = validate(RootModel[list[kind]], entries, shown)  # type: ignore[valid-type]
    except ProfileError as exc:
        out.problems.extend(dataclasses.replace(p, path=prefix + p.path) for p in exc.problems)
        out.failed.append(prefix)
        return None
    return Section(key, section_title(key), kind, list(checked.root))


# --- converting ----------------------------------------------------------------------------------


def import_cv(data: Any, shown: str) -> Converted:
    """Validate `data` as RenderCV, then convert it into profile data."""
    out = Converted(FORMAT, {}, data)
    cv, sections = read_cv(out, data, shown)
    out.data["person"] = _person(out, cv)
    if cv.photo:
        out.skip(("cv", "photo"), "cvforge profiles have no photo; the photo was not imported (nor fetched)")
    if cv.sort_entries not in (None, "none"):
        message = f"'{cv.sort_entries}' ignored: cvforge shows entries in the order the file lists them"
        out.skip(("cv", "sort_entries"), message)
    homes: dict[str, str] = {}
    for section in sections:
        _convert_section(out, section, homes)
    return out


def _one_or_many(value: OneOrMany) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _person(out: Converted, cv: Cv) -> dict[str, Any]:
    out.trace(
        ("person",),
        ("cv",),
        {"name": "name", "headline": "headline", "location": "location", "email": "email", "phone": "phone"},
    )
    emails, phones, websites = _one_or_many(cv.email), _one_or_many(cv.phone), _one_or_many(cv.website)
    out.trace(("person", "website"), ("cv", "website", 0) if isinstance(cv.website, list) else ("cv", "website"))
    if isinstance(cv.email, list):
        out.trace(("person", "email"), ("cv", "email", 0))
    links: list[dict[str, Any]] = []

    def add(link: dict[str, Any], source: Loc) -> None:
        target = ("person", "links", len(links))
        out.trace(target, source)
        out.trace((*target, "url"), source)
        links.append(link)

    for index, email in enumerate(emails[1:], 1):
        add({"url": f"mailto:{email}", "network": "Email", "label": email}, ("cv", "email", index))
    for index, phone in enumerate(phones[1:], 1):
        digits = "".join(c for c in phone if c in "+0123456789")
        add({"url": f"tel:{digits}", "network": "Phone", "label": phone}, ("cv", "phone", index))
    for index, website in enumerate(websites[1:], 1):
        add({"url": website, "network": "Website"}, ("cv", "website", index))
    for index, network in enumerate(cv.social_networks or []):
        link = link_from_profile(network.network, network.username, None)
        if link is not None:
            add(link, ("cv", "social_networks", index))
    for index, connection in enumerate(cv.custom_connections or []):
        if connection.url:
            add({"url": connection.url, "label": connection.placeholder}, ("cv", "custom_connections", index))
        else:
            message = "a connection without a url has no place in a cvforge profile; not imported"
            out.skip(("cv", "custom_connections", index), message)
    return drop_empty(
        {
            "name": cv.name,
            "headline": cv.headline,
            "email": emails[0] if emails else None,
            "phone": phones[0] if phones else None,
            "location": cv.location,
            "website": websites[0] if websites else None,
            "links": links,
        }
    )


def flatten_highlight(text: str) -> str:
    """RenderCV reads " - " inside a highlight as nested bullets; cvforge bullets are one level,
    so the sub-items follow their bullet: "Published at: ICML 2022; NeurIPS 2022"."""
    head, *subs = text.split(" - ")
    if not subs:
        return text
    return f"{head.rstrip(':').rstrip()}: {'; '.join(s.strip() for s in subs)}"


def _dates(entry: DatedEntry) -> dict[str, Any]:
    """RenderCV's rules: `date` alone is one date (or a free label such as "Fall 2023"); a start
    with no end is ongoing; an end with no start is one date."""
    single = entry.date if entry.date is not None else (entry.end_date if entry.start_date is None else None)
    if single is not None:
        return _single_date(single)
    if entry.start_date is None:
        return {}
    return {"start": entry.start_date, "end": entry.end_date or PRESENT}


def _single_date(value: Any) -> dict[str, Any]:
    if value == PRESENT:
        return {"period": "Present"}
    try:
        return {"start": parse_partial_date(value)}
    except ValueError:
        return {"period": str(value)}


def _highlights(entry: DatedEntry) -> list[str]:
    return [flatten_highlight(h) for h in entry.highlights]


def _native(homes: dict[str, str], home: str, key: str) -> bool:
    """Claim a native cvforge section for a RenderCV section; the first one of a kind gets it."""
    if home in homes:
        return False
    homes[home] = key
    return True


def _heading(out: Converted, home: str, title: str) -> None:
    """Keep RenderCV's section title where it differs from the theme's default one."""
    if title != DEFAULT_TITLES.get(home):
        out.data.setdefault("headings", {})[home] = {"title": title}


def _convert_section(out: Converted, section: Section, homes: dict[str, str]) -> None:
    source: Loc = ("cv", "sections", section.key)
    lowered = section.title.lower()
    kind = section.kind
    if kind is ExperienceEntry and _native(homes, "experience", section.key):
        _native_entries(out, "experience", section, source, _experience)
    elif kind is EducationEntry and _native(homes, "education", section.key):
        _native_entries(out, "education", section, source, _education)
    elif kind is NormalEntry and "project" in lowered and _native(homes, "projects", section.key):
        _native_entries(out, "projects", section, source, _project)
    elif kind is PublicationEntry and _native(homes, "notes", section.key):
        _native_entries(out, "notes", section, source, _publication)
    elif kind is OneLineEntry and "skill" in lowered and _native(homes, "skills", section.key):
        _skills_table(out, section, source)
    elif kind is str and lowered in SUMMARY_TITLES and _native(homes, "summary", section.key):
        out.data["person"]["summary"] = list(section.entries)
        out.trace(("person", "summary"), source)
        _heading(out, "summary", section.title)
    else:
        _custom(out, section, source)


EntryConverter = Callable[[Any], tuple[dict[str, Any], dict[str, str]]]


def _native_entries(out: Converted, home: str, section: Section, source: Loc, convert: EntryConverter) -> None:
    items = out.data.setdefault(home, [])
    for index, entry in enumerate(section.entries):
        data, fields = convert(entry)
        out.trace((home, len(items)), (*source, index), fields)
        items.append(data)
        skip_extras(out, entry, (*source, index), _not_imported)
    _heading(out, home, section.title)


def _not_imported(key: str) -> str:
    return f"'{key}' is not a field of this RenderCV entry type; not imported"


DATED_FIELDS = {"start": "start_date", "end": "end_date", "location": "location", "bullets": "highlights"}


def _experience(entry: ExperienceEntry) -> tuple[dict[str, Any], dict[str, str]]:
    organisation, url = text_and_link(entry.company)
    title, _ = text_and_link(entry.position)
    data = {
        "organisation": organisation,
        "title": title,
        "location": entry.location,
        **_dates(entry),
        "url": url,
        "summary": entry.summary,
        "bullets": _highlights(entry),
    }
    fields = {**DATED_FIELDS, "organisation": "company", "title": "position", "url": "company", "summary": "summary"}
    return drop_empty(data), fields


def _education(entry: EducationEntry) -> tuple[dict[str, Any], dict[str, str]]:
    institution, url = text_and_link(entry.institution)
    data = {
        "institution": institution,
        "degree": text_and_link(entry.degree)[0],
        "area": text_and_link(entry.area)[0],
        "location": entry.location,
        "score": entry.grade,
        **_dates(entry),
        "summary": entry.summary,
        "bullets": _highlights(entry),
        "url": url,
    }
    fields = {
        **DATED_FIELDS,
        "institution": "institution",
        "degree": "degree",
        "area": "area",
        "score": "grade",
        "summary": "summary",
    }
    return drop_empty(data), fields


def _project(entry: NormalEntry) -> tuple[dict[str, Any], dict[str, str]]:
    name, url = text_and_link(entry.name)
    data = {
        "name": name,
        **_dates(entry),
        "location": entry.location,
        "description": [entry.summary] if entry.summary else [],
        "bullets": _highlights(entry),
        "links": [{"url": url}] if url else [],
    }
    fields = {**DATED_FIELDS, "name": "name", "description": "summary", "links": "name"}
    return drop_empty(data), fields


def _doi_or_url(entry: PublicationEntry) -> str | None:
    """RenderCV links a publication to its DOI when it has one, else to its URL."""
    return f"https://doi.org/{entry.doi}" if entry.doi else entry.url


def _publication(entry: PublicationEntry) -> tuple[dict[str, Any], dict[str, str]]:
    date = _single_date(entry.date) if entry.date is not None else {}
    data = {
        "title": text_and_link(entry.title)[0],
        "topic": entry.journal,
        "authors": list(entry.authors),
        "summary": entry.summary,
        "url": _doi_or_url(entry),
        "date": date.get("start"),
        "status": date.get("period"),
    }
    fields = {"title": "title", "topic": "journal", "authors": "authors", "summary": "summary", "date": "date"}
    return drop_empty(data), {**fields, "url": "doi" if entry.doi else "url"}


def split_details(details: str) -> list[str]:
    """ "Python, C++ (CUDA, Triton), Rust" → three items: commas inside brackets do not split."""
    items, depth, current = [], 0, ""
    for char in details:
        depth += char in "([{"
        depth -= char in ")]}"
        if char in ",;" and depth <= 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def _skills_table(out: Converted, section: Section, source: Loc) -> None:
    table = out.data.setdefault("skills", {}).setdefault("table", [])
    for index, entry in enumerate(section.entries):
        out.trace(("skills", "table", len(table)), (*source, index), {"category": "label", "items": "details"})
        table.append({"category": text_and_link(entry.label)[0], "items": split_details(entry.details)})
        skip_extras(out, entry, (*source, index), _not_imported)
    _heading(out, "skills", section.title)


def _custom(out: Converted, section: Section, source: Loc) -> None:
    """A section with no cvforge home: its entries keep their own shape as custom entries."""
    index = len(out.data.setdefault("custom", []))
    out.trace(("custom", index), source)
    entries: list[dict[str, Any]] = []
    kind = section.kind
    if kind in (str, BulletEntry, NumberedEntry, ReversedNumberedEntry, OneLineEntry):
        entries.append(_list_entry(out, section, source, ("custom", index, "entries", 0)))
    else:
        for position, entry in enumerate(section.entries):
            data, fields = _custom_entry(entry)
            out.trace(("custom", index, "entries", position), (*source, position), fields)
            entries.append(data)
            skip_extras(out, entry, (*source, position), _not_imported)
    out.data["custom"].append({"title": section.title, "entries": entries})


def _list_entry(out: Converted, section: Section, source: Loc, target: Loc) -> dict[str, Any]:
    """Text, bullet, numbered and one-line sections are lists: one custom entry holds them all.
    Numbers are written into the text, counting down for RenderCV's reversed numbering."""
    count = len(section.entries)
    kind = section.kind
    if kind is OneLineEntry:
        for position, entry in enumerate(section.entries):
            out.trace((*target, "rows", position), (*source, position), {"label": "label", "items": "details"})
            skip_extras(out, entry, (*source, position), _not_imported)
        rows = [{"label": text_and_link(e.label)[0], "items": [e.details]} for e in section.entries]
        return {"rows": rows}
    field, values = _list_values(kind, section.entries, count)
    for position, entry in enumerate(section.entries):
        out.trace((*target, field, position), (*source, position))
        if not isinstance(entry, str):
            skip_extras(out, entry, (*source, position), _not_imported)
    return {field: values}


def _list_values(kind: EntryType, entries: Sequence[Any], count: int) -> tuple[str, list[str]]:
    if kind is BulletEntry:
        return "bullets", [e.bullet for e in entries]
    if kind is NumberedEntry:
        return "text", [f"{n}. {e.number}" for n, e in enumerate(entries, 1)]
    if kind is ReversedNumberedEntry:
        return "text", [f"{count - n}. {e.reversed_number}" for n, e in enumerate(entries)]
    return "text", list(entries)


def _custom_entry(entry: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Experience, education, normal and publication entries in a section cvforge has no name for."""
    if isinstance(entry, PublicationEntry):
        date = _single_date(entry.date) if entry.date is not None else {}
        authors = ", ".join(entry.authors)
        data = {
            "title": text_and_link(entry.title)[0],
            "subtitle": entry.journal,
            "start": date.get("start"),
            "period": date.get("period"),
            "text": [text for text in (authors, entry.summary) if text],
            "url": _doi_or_url(entry),
        }
        return drop_empty(data), {"title": "title", "subtitle": "journal", "start": "date", "text": "summary"}
    if isinstance(entry, ExperienceEntry):
        title, subtitle, url = text_and_link(entry.position)[0], *text_and_link(entry.company)
        fields = {"title": "position", "subtitle": "company", "url": "company"}
    elif isinstance(entry, EducationEntry):
        institution, url = text_and_link(entry.institution)
        degree_area = [text_and_link(entry.degree)[0], text_and_link(entry.area)[0]]
        title, subtitle = " in ".join(p for p in degree_area if p), institution
        fields = {"title": "area", "subtitle": "institution", "url": "institution"}
    else:
        (title, url), subtitle = text_and_link(entry.name), None
        fields = {"title": "name", "url": "name"}
    data = {
        "title": title,
        "subtitle": subtitle,
        "location": entry.location,
        **_dates(entry),
        "text": [entry.summary] if entry.summary else [],
        "bullets": _highlights(entry),
        "url": url,
    }
    return drop_empty(data), {**DATED_FIELDS, **fields, "text": "summary"}
