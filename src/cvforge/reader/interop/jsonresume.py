"""JSON Resume (v1.0.0) in: the format's records, and their conversion into profile data.

The file is first validated as JSON Resume (so a mistake is reported under JSON Resume's own names,
at its line and column), then converted field by field; `jsonresume_export` goes the other way.
docs/interop.md has the table.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from cvforge.errors import ProfileError
from cvforge.reader.interop.base import (
    Converted,
    dates,
    drop_empty,
    link_from_profile,
    skip_extras,
    split_paragraphs,
    validate_partly,
)
from cvforge.reader.interop.jsonresume_model import (
    FORMAT,
    SECTION_MODELS,
    Award,
    Basics,
    Certificate,
    Education,
    Interest,
    Language,
    Location,
    Publication,
    Reference,
    Resume,
    ResumeProject,
    Skill,
    Volunteer,
    Work,
)
from cvforge.reader.interop.script_locale import guess_locale, locale_notice
from cvforge.reader.source import Loc
from cvforge.reader.validation import validate
from cvforge.schema.base import PartialDate

# Custom sections that hold a JSON Resume section, by their (case-insensitive) title.
VOLUNTEER_TITLES = frozenset({"volunteer", "volunteering", "volunteer work", "volunteer experience"})
INTERESTS_TITLES = frozenset({"interests", "hobbies"})
REFERENCES_TITLES = frozenset({"references", "recommendations"})
PUBLICATIONS_TITLES = frozenset({"publications", "papers"})
Items = list[tuple[int, Any]]


# JSON Resume 0.x's names for fields 1.0 renamed, by where they occur: each is read as its 1.0 name,
# with a notice naming both (all of them, `gpa` included: one rule, said every time).
LEGACY_KEYS: dict[str, dict[str, str]] = {
    "basics": {"picture": "image", "website": "url"},
    "work": {"company": "name", "website": "url", "details": "summary"},
    "volunteer": {"website": "url", "details": "summary"},
    "education": {"gpa": "score"},
    "awards": {"details": "summary"},
    "publications": {"website": "url", "details": "summary"},
    "projects": {"website": "url", "details": "summary"},
}


def upgrade_legacy_keys(out: Converted, data: Any) -> set[tuple[Any, ...]]:
    """Copy each 0.x key's value under its 1.0 name (when that is not given too) and say so; the
    places of the old keys are returned so they are not reported again as unknown."""
    seen: set[tuple[Any, ...]] = set()
    if not isinstance(data, dict):
        return seen
    for section, renames in LEGACY_KEYS.items():
        value = data.get(section)
        places: list[tuple[tuple[Any, ...], Any]]
        if isinstance(value, dict):
            places = [((section,), value)]
        elif isinstance(value, list):
            places = [((section, index), item) for index, item in enumerate(value)]
        else:
            continue
        for loc, item in places:
            if not isinstance(item, dict):
                continue
            for old, new in renames.items():
                if old not in item:
                    continue
                seen.add((*loc, old))
                if new in item and item[new] not in (None, ""):
                    out.skip((*loc, old), f"JSON Resume 0.x key '{old}' ignored: '{new}' is given too")
                    continue
                item[new] = item[old]
                lines = getattr(getattr(item, "lc", None), "data", None)  # positions, when read from a file
                if isinstance(lines, dict) and old in lines:
                    lines[new] = lines[old]  # the value's line and column are the old key's
                out.skip((*loc, old), f"JSON Resume 0.x key '{old}' read as '{new}'")
    return seen


def import_resume(data: Any, shown: str) -> Converted:
    """Validate `data` as JSON Resume, then convert it; problems name JSON Resume's fields.

    Problems in the file are collected (the converter then works on the items that are valid, so
    problems only the profile's rules catch are found in the same pass); `out.problems` holds them.
    """
    out = Converted(FORMAT, {}, data)
    legacy = upgrade_legacy_keys(out, data)
    try:
        resume = validate(Resume, data, shown)
        basics, sections = resume.basics, {key: list(enumerate(getattr(resume, key))) for key in SECTION_MODELS}
    except ProfileError as exc:
        out.problems.extend(exc.problems)
        basics, sections = _salvage(out, data)
    out.data["person"] = _person(out, basics)

    def convert(home: Loc, key: str, fn: Any) -> list[dict[str, Any]]:
        converted: list[dict[str, Any]] = []
        for index, item in sections[key]:
            converted.append(fn(out, (*home, len(converted)), (key, index), item))
        return converted

    found: dict[str, Any] = {
        "experience": convert(("experience",), "work", _work),
        "projects": convert(("projects",), "projects", _project),
        "skills": {"groups": convert(("skills", "groups"), "skills", _skill)} if sections["skills"] else None,
        "notes": convert(("notes",), "publications", _publication),
        "education": convert(("education",), "education", _education),
        "certifications": convert(("certifications",), "certificates", _certificate),
        "awards": convert(("awards",), "awards", _award),
        "languages": convert(("languages",), "languages", _language),
    }
    out.data.update(drop_empty(found))
    _add_custom(
        out,
        [_volunteering(sections["volunteer"]), _interests(sections["interests"]), _references(sections["references"])],
    )
    if sections["publications"]:
        out.data["headings"] = {"notes": {"title": "Publications"}}
    _skip_unknown(out, data, basics, sections, legacy)
    tag = guess_locale(data)
    if tag is not None:
        out.data["locale"] = tag
        logging.getLogger("cvforge.reader.interop").warning("%s", locale_notice(tag, shown))
    return out


def _salvage(out: Converted, data: Any) -> tuple[Basics, dict[str, Items]]:
    """The valid parts of an invalid file: each item without its invalid fields (their paths go to
    `out.failed`), so the conversion can go on and find every other problem in the same pass."""
    raw = data if isinstance(data, dict) else {}
    basics = validate_partly(out, Basics, raw.get("basics") or {}, "basics") or Basics()
    sections: dict[str, Items] = {}
    for key, model in SECTION_MODELS.items():
        items = raw.get(key)
        sections[key] = []
        if items is None:
            continue
        if not isinstance(items, list):
            out.failed.append(key)
            continue
        for index, item in enumerate(items):
            valid = validate_partly(out, model, item, f"{key}[{index}]")
            if valid is not None:
                sections[key].append((index, valid))
    return basics, sections


def _add_custom(out: Converted, sections: Iterable[CustomFound]) -> None:
    """Custom sections in order, each traced to its source list and each entry to its item."""
    for found in sections:
        if found is None:
            continue
        section, source, fields, indices = found
        index = len(out.data.setdefault("custom", []))
        out.data["custom"].append(section)
        out.trace(("custom", index), (source,))
        for position, source_index in enumerate(indices):
            out.trace(("custom", index, "entries", position), (source, source_index), fields)


def _person(out: Converted, basics: Basics) -> dict[str, Any]:
    out.trace(
        ("person",),
        ("basics",),
        {
            "name": "name",
            "headline": "label",
            "email": "email",
            "phone": "phone",
            "website": "url",
            "summary": "summary",
            "address": "location",
            "links": "profiles",
        },
    )
    out.trace(
        ("person", "address"),
        ("basics", "location"),
        {"street": "address", "postal_code": "postalCode", "city": "city", "region": "region"},
    )
    out.trace(("person", "address", "country_code"), ("basics", "location", "countryCode"))
    if basics.image:
        out.skip(("basics", "image"), "cvforge profiles have no photo; the image was not imported (nor fetched)")
    links: list[dict[str, Any]] = []
    for index, profile in enumerate(basics.profiles):
        link = link_from_profile(profile.network, profile.username, profile.url)
        if link is None:
            out.skip(("basics", "profiles", index), "no url, and no known address for this network; not imported")
            continue
        out.trace(("person", "links", len(links)), ("basics", "profiles", index), {"network": "network"})
        links.append(link)
    return drop_empty(
        {
            "name": basics.name,
            "headline": basics.label,
            "email": basics.email,
            "phone": basics.phone,
            "address": _address(basics.location),
            "website": basics.url,
            "links": links,
            "summary": split_paragraphs(basics.summary),
        }
    )


def _address(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    parts = {
        "street": location.address,
        "postal_code": location.postal_code,
        "city": location.city,
        "region": location.region,
        "country_code": location.country_code,
    }
    return drop_empty(parts) or None


def _work(out: Converted, target: Loc, source: Loc, work: Work) -> dict[str, Any]:
    out.trace(
        target,
        source,
        {
            "organisation": "name",
            "title": "position",
            "location": "location",
            "team": "description",
            "url": "url",
            "start": "startDate",
            "end": "endDate",
            "summary": "summary",
            "bullets": "highlights",
        },
    )
    return drop_empty(
        {
            "organisation": work.name,
            "title": work.position,
            "team": work.description,
            "location": work.location,
            **dates(work.start_date, work.end_date, open_ended=True),
            "url": work.url,
            "summary": work.summary,
            "bullets": work.highlights,
        }
    )


def _project(out: Converted, target: Loc, source: Loc, project: ResumeProject) -> dict[str, Any]:
    out.trace(
        target,
        source,
        {
            "name": "name",
            "kind": "type",
            "start": "startDate",
            "end": "endDate",
            "organisation": "entity",
            "role": "roles",
            "description": "description" if project.description or not project.summary else "summary",
            "bullets": "highlights",
            "tech": "keywords",
            "links": "url",
        },
    )
    return drop_empty(
        {
            "name": project.name,
            "kind": project.type,
            **dates(project.start_date, project.end_date, open_ended=True),
            "organisation": project.entity,
            "role": ", ".join(project.roles) or None,
            "description": [*split_paragraphs(project.summary), *split_paragraphs(project.description)],
            "bullets": project.highlights,
            "tech": project.keywords,
            "links": [{"url": project.url}] if project.url else [],
        }
    )


def _skill(out: Converted, target: Loc, source: Loc, skill: Skill) -> dict[str, Any]:
    out.trace(target, source, {"name": "name", "depth": "level", "items": "keywords"})
    return drop_empty({"name": skill.name, "depth": skill.level, "items": skill.keywords})


def _publication(out: Converted, target: Loc, source: Loc, publication: Publication) -> dict[str, Any]:
    out.trace(
        target,
        source,
        {"title": "name", "topic": "publisher", "date": "releaseDate", "url": "url", "summary": "summary"},
    )
    return drop_empty(
        {
            "title": publication.name,
            "topic": publication.publisher,
            "date": publication.release_date if isinstance(publication.release_date, PartialDate) else None,
            "url": publication.url,
            "summary": publication.summary,
        }
    )


def _education(out: Converted, target: Loc, source: Loc, education: Education) -> dict[str, Any]:
    out.trace(
        target,
        source,
        {
            "institution": "institution",
            "degree": "studyType",
            "area": "area",
            "start": "startDate",
            "end": "endDate",
            "score": "score",
            "courses": "courses",
            "url": "url",
        },
    )
    return drop_empty(
        {
            "institution": education.institution,
            "degree": education.study_type,
            "area": education.area,
            **dates(education.start_date, education.end_date, open_ended=True),
            "score": education.score,
            "courses": education.courses,
            "url": education.url,
        }
    )


def _dated(value: PartialDate | str | None) -> PartialDate | None:
    """A single date (awards, certificates): "present" means nothing there."""
    return value if isinstance(value, PartialDate) else None


def _certificate(out: Converted, target: Loc, source: Loc, certificate: Certificate) -> dict[str, Any]:
    out.trace(
        target,
        source,
        {"name": "name", "issuer": "issuer", "date": "date", "url": "url"},
    )
    return drop_empty(
        {
            "name": certificate.name,
            "issuer": certificate.issuer,
            "date": _dated(certificate.date),
            "url": certificate.url,
        }
    )


def _award(out: Converted, target: Loc, source: Loc, award: Award) -> dict[str, Any]:
    out.trace(
        target,
        source,
        {"title": "title", "awarder": "awarder", "date": "date", "summary": "summary"},
    )
    return drop_empty(
        {"title": award.title, "awarder": award.awarder, "date": _dated(award.date), "summary": award.summary}
    )


def _language(out: Converted, target: Loc, source: Loc, language: Language) -> dict[str, Any]:
    out.trace(target, source, {"language": "language", "fluency": "fluency"})
    return drop_empty({"language": language.language, "fluency": language.fluency})


# A custom section made from a JSON Resume section: the section, that section's key, which JSON
# Resume field each entry field came from, and each entry's index in the JSON Resume list.
CustomFound = tuple[dict[str, Any], str, dict[str, str], list[int]] | None


def _volunteering(items: Items) -> CustomFound:
    volunteer: list[Volunteer] = [item for _, item in items]
    if not volunteer:
        return None
    entries = [
        drop_empty(
            {
                "title": v.position,
                "subtitle": v.organization,
                **dates(v.start_date, v.end_date, open_ended=True),
                "text": split_paragraphs(v.summary),
                "bullets": v.highlights,
                "url": v.url,
            }
        )
        for v in volunteer
    ]
    fields = {
        "title": "position",
        "subtitle": "organization",
        "start": "startDate",
        "end": "endDate",
        "text": "summary",
        "bullets": "highlights",
        "url": "url",
    }
    return {"title": "Volunteer", "entries": entries}, "volunteer", fields, [i for i, _ in items]


def _interests(items: Items) -> CustomFound:
    interests: list[Interest] = [item for _, item in items]
    if not interests:
        return None
    entries = [drop_empty({"title": i.name, "keywords": i.keywords}) for i in interests]
    fields = {"title": "name", "keywords": "keywords"}
    return {"title": "Interests", "entries": entries}, "interests", fields, [i for i, _ in items]


def _references(items: Items) -> CustomFound:
    references: list[Reference] = [item for _, item in items]
    if not references:
        return None
    entries = [drop_empty({"title": r.name, "text": split_paragraphs(r.reference)}) for r in references]
    fields = {"title": "name", "text": "reference"}
    return {"title": "References", "entries": entries}, "references", fields, [i for i, _ in items]


def _skip_unknown(
    out: Converted, data: Any, basics: Basics, sections: dict[str, Items], legacy: set[tuple[Any, ...]]
) -> None:
    """Keys JSON Resume does not define (it allows them) are reported, not silently lost; 0.x keys
    were reported already, as read under their 1.0 names."""
    noted = len(out.skipped)

    def what(key: str) -> str:
        return f"'{key}' is not a JSON Resume field; not imported"

    known = {field.alias or name for name, field in Resume.model_fields.items()}
    for key in data if isinstance(data, dict) else ():
        if key not in known:
            out.skip((key,), what(str(key)))
    skip_extras(out, basics, ("basics",), what)
    if basics.location:
        skip_extras(out, basics.location, ("basics", "location"), what)
    for index, profile in enumerate(basics.profiles):
        skip_extras(out, profile, ("basics", "profiles", index), what)
    for key, items in sections.items():
        for index, item in items:
            skip_extras(out, item, (key, index), what)
    out.skipped[noted:] = [(loc, message) for loc, message in out.skipped[noted:] if tuple(loc) not in legacy]
