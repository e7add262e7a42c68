"""Profile → JSON Resume (v1.0.0), valid against the official schema.

What cvforge has and JSON Resume lacks goes to the nearest field a JSON Resume theme shows (metrics
and principles into the summary, facets and diagrams into a project's description, other custom
sections into typed projects); docs/interop.md has the table and says what is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cvforge.reader.interop.base import PRESENT, join_paragraphs, known_username
from cvforge.reader.interop.jsonresume import (
    INTERESTS_TITLES,
    PUBLICATIONS_TITLES,
    REFERENCES_TITLES,
    VOLUNTEER_TITLES,
)
from cvforge.reader.interop.jsonresume_model import SCHEMA_URL
from cvforge.schema import Profile
from cvforge.schema.base import PartialDate
from cvforge.schema.profile import CustomEntry, CustomSection, Dated, Link, Metric, Project, Publication


def export_resume(profile: Profile) -> dict[str, Any]:
    """A JSON Resume holding everything in `profile`; keys in the schema's order, empty ones left out."""
    custom = _custom_by_kind(profile.custom)
    resume: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "basics": _basics(profile),
        "work": [_work_out(e) for e in profile.experience],
        "volunteer": [_volunteer_out(e) for s in custom["volunteer"] for e in s.entries],
        "education": [_education_out(e) for e in profile.education]
        + [_education_out(e) for s in profile.custom for e in s.education],
        "awards": [
            _clean({"title": a.title, "date": _iso(a.date), "awarder": a.awarder, "summary": a.summary})
            for a in profile.awards
        ],
        "certificates": [
            _clean({"name": c.name, "date": _iso(c.date), "url": c.url, "issuer": c.issuer})
            for c in profile.certifications
        ],
        "publications": [_note_out(n) for n in profile.notes]
        + [_publication_out(p) for p in profile.publications]
        + [_publication_out(p) for s in profile.custom for p in s.publications]
        + [_custom_publication(e) for s in custom["publications"] for e in s.entries],
        "skills": _skills_out(profile),
        "languages": [_clean({"language": lang.language, "fluency": lang.fluency}) for lang in profile.languages],
        "interests": [
            _clean({"name": e.title, "keywords": _interest_keywords(e)}) for s in custom["interests"] for e in s.entries
        ],
        "references": [
            _clean({"name": e.title, "reference": join_paragraphs([*e.text, *e.bullets])})
            for s in custom["references"]
            for e in s.entries
        ],
        "projects": [_project_out(p) for p in profile.projects]
        + [_snapshot_out(s.title, s.subtitle, s.label, s.facets) for s in profile.snapshots]
        + [_custom_project(s, e) for s in custom["other"] for e in s.entries]
        + [_custom_list(s) for s in profile.custom if s.items],
        "meta": {"version": "v1.0.0"},
    }
    return {key: value for key, value in resume.items() if value}


def export_losses(profile: Profile) -> list[str]:
    """What JSON Resume has no field for, each named: its sections have fixed names (so a title or
    intro of the profile's own is not carried), and it has no language, theme or photo."""
    lost: list[str] = []
    for key in type(profile.headings).model_fields:
        heading = getattr(profile.headings, key)
        for part in ("title", "intro"):
            if heading is not None and getattr(heading, part):
                lost.append(f"headings.{key}.{part}: not exported to JSON Resume (its sections have fixed names)")
    for index, section in enumerate(profile.custom):
        if section.kind in ("publications", "education"):  # merged into JSON Resume's own list
            lost += [
                f"custom[{index}].{part}: not exported to JSON Resume (its {section.kind} join {section.kind}[])"
                for part in ("title", "intro")
                if getattr(section, part)
            ]
    for field in ("locale", "date_format", "theme"):
        if getattr(profile, field):
            lost.append(f"{field}: not exported to JSON Resume (it has no such setting)")
    if profile.labels:
        lost.append(f"labels ({', '.join(profile.labels)}): not exported to JSON Resume (it has no such setting)")
    if profile.options:
        lost.append(f"options ({', '.join(profile.options)}): not exported to JSON Resume (cvforge's theme options)")
    if profile.person.photo:
        lost.append("person.photo: not exported to JSON Resume (a local photo has no address to give as image)")
    return lost


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _iso(date: PartialDate | str | None) -> str | None:
    return date.iso() if isinstance(date, PartialDate) else None


def _span(item: Dated, single: PartialDate | None = None) -> dict[str, str]:
    """startDate/endDate. An ongoing item has no endDate (JSON Resume's "present"); a single date
    (start with no end, or a year) is written as both, so JSON Resume does not read it as ongoing."""
    start = single or item.start
    if start is None:
        return {"endDate": item.end.iso()} if isinstance(item.end, PartialDate) else {}
    if single is not None or item.end is None:
        return {"startDate": start.iso(), "endDate": start.iso()}
    return (
        {"startDate": start.iso()}
        if item.end == PRESENT
        else {"startDate": start.iso(), "endDate": _iso(item.end) or ""}
    )


def _basics(profile: Profile) -> dict[str, Any]:
    person = profile.person
    paragraphs: list[str | None] = [person.tagline, *person.summary, person.availability, *person.about]
    if profile.metrics:
        paragraphs.append("\n".join(["Highlights:", *(f"- {_metric_line(m)}" for m in profile.metrics)]))
    if profile.principles:
        title = _heading_title(profile, "principles", "Principles")
        paragraphs.append("\n".join([f"{title}:", *(f"{n}. {p.text}" for n, p in enumerate(profile.principles, 1))]))
    return _clean(
        {
            "name": person.name,
            "label": person.headline,
            "email": person.email,
            "phone": person.phone,
            "url": person.website,
            "summary": join_paragraphs(paragraphs),
            "location": _location_out(person),
            "profiles": [_profile_out(link) for link in person.links],
        }
    )


def _location_out(person: Any) -> dict[str, str] | None:
    """The address in its parts; a one-line location (no parts) goes to `city`, the part themes show."""
    if person.address is not None:
        a = person.address
        parts = {
            "address": a.street,
            "postalCode": a.postal_code,
            "city": a.city,
            "countryCode": a.country_code,
            "region": a.region,
        }
        if person.location and not a.city:
            parts["city"] = person.location
        return _clean(parts) or None
    return {"city": person.location} if person.location else None


def _heading_title(profile: Profile, key: str, default: str) -> str:
    heading = getattr(profile.headings, key)
    return heading.title if heading is not None and heading.title else default


def _metric_line(metric: Metric) -> str:
    figure = metric.value if metric.value is not None else f"{metric.before} → {metric.after}"
    if metric.unit:
        figure = f"{figure} {metric.unit}"
    line = f"{figure} {metric.label}"
    return f"{line} ({metric.context})" if metric.context else line


def _profile_out(link: Link) -> dict[str, Any]:
    """The username is the label when one was given (import puts it there), else read from the URL."""
    username = link.label or known_username(link.network, link.url)
    return _clean({"network": link.network, "username": username, "url": link.url})


def _work_out(role: Any) -> dict[str, Any]:
    highlights = list(role.bullets)
    if role.outcome:
        highlights.append(f"Outcome: {role.outcome}")
    description = " · ".join(part for part in (role.team, role.period) if part) or None
    return _clean(
        {
            "name": role.organisation,
            "location": role.location,
            "description": description,
            "position": role.title,
            "url": role.url,
            **_span(role),
            "summary": role.summary,
            "highlights": highlights,
        }
    )


def _education_out(education: Any) -> dict[str, Any]:
    institution = ", ".join(part for part in (education.institution, education.location) if part)
    return _clean(
        {
            "institution": institution,
            "url": education.url,
            "area": education.area,
            "studyType": education.degree,
            **_span(education),
            "score": education.score,
            "courses": [*education.courses, *([education.summary] if education.summary else []), *education.bullets],
        }
    )


def _note_out(note: Any) -> dict[str, Any]:
    extra = [
        f"Authors: {', '.join(note.authors)}" if note.authors else None,
        note.status,
        f"Keywords: {', '.join(note.keywords)}" if note.keywords else None,
    ]
    return _clean(
        {
            "name": note.title,
            "publisher": note.topic,
            "releaseDate": _iso(note.date),
            "url": note.url,
            "summary": join_paragraphs([note.summary, *extra]),
        }
    )


def _skills_out(profile: Profile) -> list[dict[str, Any]]:
    skills = profile.skills
    out = [
        _clean(
            {
                "name": group.name,
                "level": group.depth,
                "keywords": [*group.items, *([group.description] if group.description else []), *group.bullets],
            }
        )
        for group in skills.groups
    ]
    out += [_clean({"name": row.category, "keywords": list(row.items)}) for row in skills.table]
    if skills.working_with:
        out.append({"name": "Working with", "keywords": list(skills.working_with)})
    return out


def _project_out(project: Project) -> dict[str, Any]:
    description = [project.tagline, *project.description]
    description += [_facet_text(f.name, f.text, f.items) for f in project.facets]
    if project.diagram:
        description.append(project.diagram.rstrip())
    highlights = list(project.bullets)
    if project.outcomes:
        highlights.append("Outcomes: " + " · ".join(project.outcomes))
    highlights += [f"{link.label or link.network or 'Link'}: {link.url}" for link in project.links[1:]]
    return _clean(
        {
            "name": project.name,
            "description": join_paragraphs(description),
            "highlights": highlights,
            "keywords": list(project.tech),
            **_span(project, project.year),
            "url": project.links[0].url if project.links else None,
            "roles": [role.strip() for role in (project.role or "").split(",") if role.strip()],
            "entity": ", ".join(part for part in (project.organisation, project.location) if part) or None,
            "type": project.kind,
        }
    )


def _facet_text(name: str, text: str | None, items: Sequence[str]) -> str:
    lines = [f"{name}: {text}" if text else f"{name}:"]
    lines += [f"- {item}" for item in items]
    return "\n".join(lines)


def _snapshot_out(title: str, subtitle: str | None, label: str | None, facets: Sequence[Any]) -> dict[str, Any]:
    description = [subtitle, *(_facet_text(f.name, f.text, f.items) for f in facets)]
    return _clean({"name": title, "description": join_paragraphs(description), "type": label or "System design"})


def _custom_by_kind(sections: Sequence[CustomSection]) -> dict[str, list[CustomSection]]:
    """Custom sections that hold a JSON Resume section (by title), and the rest."""
    found: dict[str, list[CustomSection]] = {
        "volunteer": [],
        "interests": [],
        "references": [],
        "publications": [],
        "other": [],
    }
    for section in sections:
        title = section.title.strip().lower()
        if title in VOLUNTEER_TITLES:
            found["volunteer"].append(section)
        elif title in INTERESTS_TITLES:
            found["interests"].append(section)
        elif title in REFERENCES_TITLES:
            found["references"].append(section)
        elif title in PUBLICATIONS_TITLES:
            found["publications"].append(section)
        else:
            found["other"].append(section)
    return found


def _entry_highlights(entry: CustomEntry) -> list[str]:
    rows = [f"{row.label}: {', '.join(row.items)}" for row in entry.rows]
    return [*entry.bullets, *rows]


def _volunteer_out(entry: CustomEntry) -> dict[str, Any]:
    return _clean(
        {
            "organization": entry.subtitle,
            "position": entry.title,
            "url": entry.url,
            **_span(entry),
            "summary": join_paragraphs([*entry.text, entry.preformatted]),
            "highlights": _entry_highlights(entry),
        }
    )


def _interest_keywords(entry: CustomEntry) -> list[str]:
    return [*entry.keywords, *entry.text, *_entry_highlights(entry)]


def _custom_publication(entry: CustomEntry) -> dict[str, Any]:
    return _clean(
        {
            "name": entry.title,
            "publisher": entry.subtitle,
            "releaseDate": _iso(entry.start),
            "url": entry.url,
            "summary": join_paragraphs([*entry.text, *entry.bullets]),
        }
    )


def _publication_out(item: Publication) -> dict[str, Any]:
    """JSON Resume's publication has no authors or DOI: they lead the summary, and the DOI is the
    link when there is no URL."""
    extra = [
        f"Authors: {', '.join(item.authors)}" if item.authors else None,
        f"DOI: {item.doi}" if item.doi else None,
    ]
    return _clean(
        {
            "name": item.title,
            "publisher": item.venue,
            "releaseDate": _iso(item.date),
            "url": item.url or (f"https://doi.org/{item.doi}" if item.doi else None),
            "summary": join_paragraphs([*extra, item.summary]),
        }
    )


def _custom_list(section: CustomSection) -> dict[str, Any]:
    """A text, bullets or numbered custom section: one project typed by the section's title."""
    if section.kind == "text":
        return _clean({"name": section.title, "description": join_paragraphs([section.intro, *section.items])})
    count = len(section.items)
    numbers = range(count, 0, -1) if section.kind == "reversed-numbered" else range(1, count + 1)
    items = list(section.items)
    if section.kind != "bullets":
        items = [f"{number}. {item}" for number, item in zip(numbers, items, strict=True)]
    return _clean({"name": section.title, "description": section.intro, "highlights": items, "type": section.title})


def _custom_project(section: CustomSection, entry: CustomEntry) -> dict[str, Any]:
    """Any other custom section: JSON Resume's projects take a free `type`, here the section's title."""
    description = [
        section.intro,
        entry.subtitle,
        *entry.text,
        entry.preformatted.rstrip() if entry.preformatted else None,
    ]
    return _clean(
        {
            "name": entry.title or section.title,
            "description": join_paragraphs(description),
            "highlights": _entry_highlights(entry),
            "keywords": list(entry.keywords),
            **_span(entry),
            "url": entry.url,
            "entity": entry.location,
            "type": section.title,
        }
    )
