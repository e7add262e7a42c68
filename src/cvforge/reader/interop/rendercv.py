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
from cvforge.reader.interop.rendercv_settings import apply_design, apply_locale
from cvforge.reader.source import Loc, position
from cvforge.reader.validation import validate
from cvforge.schema.base import parse_partial_date
from cvforge.schema.sections import DEFAULT_ORDER, DEFAULT_TITLES

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
    if cv.sort_entries in ("reverse-chronological", "chronological"):
        sections = [sort_section(section, cv.sort_entries) for section in sections]
    homes: dict[str, str] = {}
    order = [_convert_section(out, section, homes) for section in sections]
    _keep_order(out, order)
    settings = data if isinstance(data, dict) else {}
    apply_locale(out, settings.get("locale"))
    apply_design(out, settings.get("design"))
    return out


def _keep_order(out: Converted, order: list[str]) -> None:
    """RenderCV shows sections in the file's order; when that is not cvforge's default order, the
    profile says it in `options.sections` (each custom section by its own key, `custom-0` …)."""
    shown = list(dict.fromkeys(order))
    as_default = list(dict.fromkeys("custom" if key.startswith("custom-") else key for key in shown))
    default = [key for key in DEFAULT_ORDER if key in as_default]
    if as_default == default and _custom_in_order(shown):
        return
    rest = [key for key in DEFAULT_ORDER if key not in shown]
    out.data.setdefault("options", {})["sections"] = ",".join([*shown, *rest])
    out.trace(("options", "sections"), ("cv", "sections"))


def _custom_in_order(keys: list[str]) -> bool:
    """Custom sections already come in the default order when they are together, in list order."""
    customs = [index for index, key in enumerate(keys) if key.startswith("custom-")]
    return not customs or customs == list(range(customs[0], customs[0] + len(customs)))


def _sort_key(entry: Any) -> tuple[int, ...]:
    """When an entry happened, as RenderCV sorts: its end (an ongoing one is newest), else its date
    or start; an entry without a date sorts as the oldest."""
    for name in ("end_date", "date", "start_date"):
        value = getattr(entry, name, None)
        if value == PRESENT:
            return (9999, 12, 31)
        if value is not None:
            try:
                parsed = parse_partial_date(value)
            except ValueError:
                continue
            return (parsed.year, parsed.month or 0, parsed.day or 0)
    return (0,)


def sort_section(section: Section, order: str) -> Section:
    """RenderCV's `sort_entries`, applied: entries with dates newest first (or oldest first);
    lists of text keep their order. The sort is stable, so entries of one date keep the file's order."""
    if section.kind in (str, BulletEntry, NumberedEntry, ReversedNumberedEntry, OneLineEntry):
        return section
    entries = sorted(section.entries, key=_sort_key, reverse=order == "reverse-chronological")
    return dataclasses.replace(section, entries=entries)


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


def nest_highlight(text: str) -> str:
    """RenderCV reads " - " inside a highlight as nested bullets ("Published at - ICML - NeurIPS");
    a cvforge bullet holds them as the "- " lines under its own line, drawn as a nested list."""
    head, *subs = text.split(" - ")
    return "\n".join([head, *(f"- {sub}" for sub in subs)])


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
    return [nest_highlight(h) for h in entry.highlights]


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


def _convert_section(out: Converted, section: Section, homes: dict[str, str]) -> str:
    """Convert one section into its home; returns the key it is shown under (`custom-N` for custom)."""
    source: Loc = ("cv", "sections", section.key)
    lowered = section.title.lower()
    kind = section.kind
    if kind is ExperienceEntry and _native(homes, "experience", section.key):
        _native_entries(out, "experience", section, source, _experience)
        return "experience"
    if kind is EducationEntry and _native(homes, "education", section.key):
        _native_entries(out, "education", section, source, _education)
        return "education"
    if kind is NormalEntry and "project" in lowered and _native(homes, "projects", section.key):
        _native_entries(out, "projects", section, source, _project)
        return "projects"
    if kind is PublicationEntry and _native(homes, "publications", section.key):
        _native_entries(out, "publications", section, source, _publication)
        return "publications"
    if kind is OneLineEntry and "skill" in lowered and _native(homes, "skills", section.key):
        _skills_table(out, section, source)
        return "skills"
    if kind is str and lowered in SUMMARY_TITLES and _native(homes, "summary", section.key):
        out.data["person"]["summary"] = list(section.entries)
        out.trace(("person", "summary"), source)
        _heading(out, "summary", section.title)
        return "summary"
    return _custom(out, section, source)


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
    """Every field has its own place: authors as written (RenderCV marks the person with *…*)."""
    title, title_url = text_and_link(entry.title)
    data = {
        "title": title,
        "authors": list(entry.authors),
        "venue": entry.journal,
        "date": _single_date(entry.date).get("start") if entry.date is not None else None,
        "doi": entry.doi,
        "url": entry.url or title_url,
        "summary": entry.summary,
    }
    fields = {"title": "title", "authors": "authors", "venue": "journal", "date": "date", "doi": "doi"}
    return drop_empty(data), {**fields, "url": "url", "summary": "summary"}


def split_details(details: str) -> list[str]:
    """ "Python, C++ (CUDA, Triton), Rust" → three items (commas inside brackets do not split); prose
    ("Proficient with Python, C++, and Git; good understanding of Web") stays one item: a sentence
    split at its commas would make "and Git" a skill that `check` then looks for."""
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
    parts = [item.strip() for item in items if item.strip()]
    return parts if is_list(parts) else [details.strip()]


# Words that start a clause, not a list item: "and Git", "good understanding of …".
_CLAUSE_STARTS = frozenset(
    {"and", "or", "nor", "but", "plus", "&", "as", "also", "including", "with", "good", "strong", "basic", "some"}
)
MAX_ITEM_WORDS = 4


def is_list(parts: Sequence[str]) -> bool:
    """Short items that each name a thing; one long or clause-like part means prose."""
    if len(parts) < 2:
        return True
    for part in parts:
        words = part.split()
        if len(words) > MAX_ITEM_WORDS or words[0].lower() in _CLAUSE_STARTS or part.endswith((".", "!", "?")):
            return False
    return True


def _skills_table(out: Converted, section: Section, source: Loc) -> None:
    table = out.data.setdefault("skills", {}).setdefault("table", [])
    for index, entry in enumerate(section.entries):
        out.trace(("skills", "table", len(table)), (*source, index), {"category": "label", "items": "details"})
        table.append({"category": text_and_link(entry.label)[0], "items": split_details(entry.details)})
        skip_extras(out, entry, (*source, index), _not_imported)
    _heading(out, "skills", section.title)


LIST_KINDS: dict[Any, tuple[str, str | None]] = {
    str: ("text", None),
    BulletEntry: ("bullets", "bullet"),
    NumberedEntry: ("numbered", "number"),
    ReversedNumberedEntry: ("reversed-numbered", "reversed_number"),
}


def _custom(out: Converted, section: Section, source: Loc) -> str:
    """A section with no cvforge home: text, bullet and numbered sections keep their kind; entries
    keep their own shape as custom entries; one-line entries become labelled rows."""
    index = len(out.data.setdefault("custom", []))
    out.trace(("custom", index), source)
    kind = section.kind
    if kind in LIST_KINDS:
        custom_kind, field = LIST_KINDS[kind]
        for position, entry in enumerate(section.entries):
            out.trace(("custom", index, "items", position), (*source, position))
            if not isinstance(entry, str):
                skip_extras(out, entry, (*source, position), _not_imported)
        items = [entry if field is None else getattr(entry, field) for entry in section.entries]
        out.data["custom"].append({"title": section.title, "kind": custom_kind, "items": items})
        return f"custom-{index}"
    # A second list of works or of schools keeps every field, as the first does, and its entry type.
    typed: dict[Any, tuple[str, EntryConverter]] = {
        PublicationEntry: ("publications", _publication),
        EducationEntry: ("education", _education),
    }
    if kind in typed:
        custom_kind, convert = typed[kind]
        converted = []
        for position, entry in enumerate(section.entries):
            data, fields = convert(entry)
            out.trace(("custom", index, custom_kind, position), (*source, position), fields)
            converted.append(data)
            skip_extras(out, entry, (*source, position), _not_imported)
        out.data["custom"].append({"title": section.title, "kind": custom_kind, custom_kind: converted})
        return f"custom-{index}"
    entries: list[dict[str, Any]] = []
    if kind is OneLineEntry:
        entries.append(_rows_entry(out, section, source, ("custom", index, "entries", 0)))
    else:
        for position, entry in enumerate(section.entries):
            data, fields = _custom_entry(entry)
            out.trace(("custom", index, "entries", position), (*source, position), fields)
            entries.append(data)
            skip_extras(out, entry, (*source, position), _not_imported)
    out.data["custom"].append({"title": section.title, "entries": entries})
    return f"custom-{index}"


def _rows_entry(out: Converted, section: Section, source: Loc, target: Loc) -> dict[str, Any]:
    """One-line entries ("Label: details") are the labelled rows of one custom entry."""
    for number, entry in enumerate(section.entries):
        out.trace((*target, "rows", number), (*source, number), {"label": "label", "items": "details"})
        skip_extras(out, entry, (*source, number), _not_imported)
    return {"rows": [{"label": text_and_link(e.label)[0], "items": [e.details]} for e in section.entries]}


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
