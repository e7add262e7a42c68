"""Profile → RenderCV input (its 2.x `cv:` schema), valid for RenderCV's own validator.

Each cvforge section becomes the RenderCV entry type that holds it (publications as
PublicationEntry, a custom bullets section as BulletEntry …), in the order the profile shows
them, under the profile's own section titles, so a RenderCV file comes back as it went in. What
RenderCV has no field for is either carried in a field that shows it (a project's tech as a
highlight) or named in a warning: never dropped without a word.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from cvforge.reader.interop.base import known_username, network_url
from cvforge.reader.interop.rendercv import section_title
from cvforge.reader.interop.rendercv_model import SocialNetworkName
from cvforge.reader.interop.rendercv_settings import TAGS
from cvforge.schema import Profile
from cvforge.schema.base import PartialDate
from cvforge.schema.markup import split_sub_points
from cvforge.schema.profile import (
    Award,
    Certification,
    CustomEntry,
    CustomSection,
    Dated,
    Education,
    Experience,
    Link,
    Metric,
    Note,
    Project,
    Publication,
)
from cvforge.schema.sections import DEFAULT_ORDER, DEFAULT_TITLES

log = logging.getLogger("cvforge.reader.interop")

NETWORKS = {name.lower().replace(" ", ""): name for name in SocialNetworkName.__args__}  # type: ignore[attr-defined]
NETWORKS["twitter"] = "X"
# Font Awesome icons for links RenderCV has no network for (its custom_connections).
ICONS = {
    "soundcloud": "soundcloud",
    "facebook": "facebook",
    "medium": "medium",
    "dribbble": "dribbble",
    "behance": "behance",
    "kaggle": "kaggle",
    "codepen": "codepen",
    "blog": "rss",
    "web": "globe",
    "website": "globe",
}
PAGE_SIZES = {"A4": "a4", "Letter": "us-letter"}


class Export:
    """The RenderCV document being written, and the warnings for what it cannot carry."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.sections: dict[str, list[Any]] = {}
        self.warnings: list[str] = []

    def lost(self, field: str, why: str = "RenderCV has no field for it") -> None:
        self.warnings.append(f"{field}: not exported to RenderCV ({why})")

    def add(self, key: str, entries: list[Any]) -> None:
        if not entries:
            return
        title = _title(self.profile, key)
        self.sections[_section_key(title, self.sections)] = entries


def export_cv(profile: Profile) -> dict[str, Any]:
    """A RenderCV document: `cv` with contact details and sections, and the `locale` and `design`
    settings the profile implies; RenderCV's defaults style the rest. Warnings are logged."""
    document, warnings = export_cv_with_warnings(profile)
    for warning in warnings:
        log.warning("%s", warning)
    return document


def export_cv_with_warnings(profile: Profile) -> tuple[dict[str, Any], list[str]]:
    out = Export(profile)
    for key in _order(profile):
        _export_section(out, key)
    cv: dict[str, Any] = {"name": profile.person.name, "headline": profile.person.headline}
    cv.update(_contacts(out))
    cv["sections"] = out.sections
    document: dict[str, Any] = {"cv": _clean(cv)}
    locale = _locale(out)
    if locale:
        document["locale"] = locale
    design = _design(out)
    if design:
        document["design"] = design
    return document, out.warnings


def _order(profile: Profile) -> list[str]:
    """The profile's sections in the order it shows them: its `sections` option, else the default."""
    option = profile.options.get("sections")
    named = [part.strip() for part in str(option).split(",") if part.strip()] if option else list(DEFAULT_ORDER)
    custom_keys = [f"custom-{index}" for index in range(len(profile.custom))]
    placed = {key for key in named if key.startswith("custom-")}
    order: list[str] = []
    for key in named:
        if key == "custom":
            order.extend(k for k in custom_keys if k not in placed)
        else:
            order.append(key)
    missing = [key for key in [*DEFAULT_ORDER, *custom_keys] if key != "custom" and key not in order]
    return [*dict.fromkeys(order), *missing]


def _title(profile: Profile, key: str) -> str:
    if key.startswith("custom-"):
        return profile.custom[int(key.removeprefix("custom-"))].title
    heading = getattr(profile.headings, key, None)
    return (heading.title if heading and heading.title else None) or DEFAULT_TITLES[key]


def _section_key(title: str, taken: dict[str, Any]) -> str:
    """RenderCV's key for a title: snake_case when RenderCV turns it back into the same title
    ("Selected Honors" → selected_honors), else the title itself; never one already used."""
    snake = title.lower().replace(" ", "_")
    key = snake if section_title(snake) == title and re.fullmatch(r"[a-z0-9_]+", snake) else title
    while key in taken:
        key += " "
    return key.rstrip() if key.rstrip() not in taken else key


# --- contacts ------------------------------------------------------------------------------------


def _contacts(out: Export) -> dict[str, Any]:
    person = out.profile.person
    emails = [person.email] if person.email else []
    phones: list[str] = []
    websites = [person.website] if person.website else []
    networks: list[dict[str, str]] = []
    connections: list[dict[str, str]] = []
    region = _country(out.profile)
    if person.phone:
        phones += _phone(out, person.phone, region, "person.phone")
    for index, link in enumerate(person.links):
        where = f"person.links[{index}]"
        if link.url.startswith("mailto:"):
            emails.append(link.url.removeprefix("mailto:"))
        elif link.url.startswith("tel:"):
            phones += _phone(out, link.label or link.url.removeprefix("tel:"), region, where)
        elif (network := _network(link)) is not None:
            networks.append(network)
            built = network_url(network["network"], network["username"])
            if built and _bare(built) != _bare(link.url):
                out.lost(f"{where}.url", f"RenderCV links this profile to {built}")
        else:
            connections.append(_connection(link))
    location = person.location or (person.address.line() if person.address else None)
    if person.location and person.address:
        out.lost("person.address", "RenderCV keeps one location line; person.location was exported")
    for field in ("tagline", "availability", "photo"):
        if getattr(person, field):
            out.lost(f"person.{field}")
    return {
        "location": location,
        "email": _one_or_many(emails),
        "phone": _one_or_many(phones),
        "website": _one_or_many(websites),
        "social_networks": networks,
        "custom_connections": connections,
    }


def _bare(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def _country(profile: Profile) -> str | None:
    """The country phone numbers are read in: the address's, else the locale's region (pt-BR → BR)."""
    if profile.person.address and profile.person.address.country_code:
        return profile.person.address.country_code
    parts = (profile.locale or "").split("-")
    return parts[-1] if len(parts) > 1 and len(parts[-1]) == 2 else None


def _one_or_many(values: list[str]) -> str | list[str] | None:
    return values[0] if len(values) == 1 else (values or None)


def _phone(out: Export, phone: str, region: str | None, where: str) -> list[str]:
    """RenderCV accepts only numbers it can read internationally: "(912) 555-4321" is written
    "+19125554321" when the country is known (the address's country code, else the locale's region,
    pt-BR → BR), else left out with a warning."""
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        why = "not an international number, and no address country_code (or locale region) to read it by"
        out.lost(where, why if not region else f"not a valid number for {region.upper()}")
        return []
    if phone.strip().startswith("+"):
        return [phone.strip()]  # already international: kept as the person wrote it
    return [phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)]


def _network(link: Link) -> dict[str, str] | None:
    """A profile RenderCV knows by name, with a username read from the profile URL (or the label)."""
    name = NETWORKS.get(str(link.network or "").lower().replace(" ", ""))
    if name is None:
        return None
    username = known_username(link.network, link.url)
    if username is None and link.label and name != "Mastodon":
        username = link.label
    if name == "Mastodon" and (username is None or username.count("@") != 2):
        return None  # RenderCV wants @user@host: the link goes out as a custom connection instead
    return {"network": name, "username": username} if username else None


def _connection(link: Link) -> dict[str, str]:
    network = (link.network or "").strip()
    icon = ICONS.get(network.lower(), "link")
    placeholder = link.label or network or re.sub(r"^https?://(www\.)?", "", link.url).rstrip("/")
    return {"fontawesome_icon": icon, "placeholder": placeholder, "url": link.url}


# --- sections ------------------------------------------------------------------------------------


def _export_section(out: Export, key: str) -> None:
    p = out.profile
    if key.startswith("custom-"):
        index = int(key.removeprefix("custom-"))
        out.add(key, _custom(out, p.custom[index], f"custom[{index}]"))
        return
    match key:
        case "summary":
            out.add(key, list(p.person.summary))
        case "about":
            out.add(key, list(p.person.about))
        case "metrics":
            out.add(key, [{"bullet": _metric(m)} for m in p.metrics])
        case "experience":
            out.add(key, [_experience(out, r, f"experience[{i}]") for i, r in enumerate(p.experience)])
        case "projects":
            out.add(key, [_project(out, pr, f"projects[{i}]") for i, pr in enumerate(p.projects)])
        case "skills":
            out.add(key, _skills(out))
        case "principles":
            out.add(key, [{"number": pr.text} for pr in p.principles])
        case "snapshots":
            out.add(key, [_snapshot(s) for s in p.snapshots])
        case "notes":
            out.add(key, [_note(n) for n in p.notes])
        case "publications":
            out.add(key, [_publication(pub) for pub in p.publications])
        case "education":
            out.add(key, [_education(e) for e in p.education])
        case "certifications":
            out.add(key, [_certification(c) for c in p.certifications])
        case "awards":
            out.add(key, [_award(a) for a in p.awards])
        case "languages":
            out.add(key, [{"label": lang.language, "details": lang.fluency or "—"} for lang in p.languages])
        case _:
            pass


def _iso(date: PartialDate | str | None) -> str | None:
    if date is None:
        return None
    return "present" if isinstance(date, str) else date.iso()


def _dates(item: Dated) -> dict[str, str]:
    """RenderCV's date fields: a range, one date, or a free label ("Fall 2023") as `date`."""
    start, end = _iso(item.start), _iso(item.end)
    if start and end and end != start:
        return {"start_date": start, "end_date": end}
    if start and item.end is None and item.period == "Present":
        return {"start_date": start, "end_date": "present"}
    if start:
        return {"date": start}
    if item.period:
        return {"date": "present" if item.period == "Present" else item.period}
    return {}


def _linked(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url else text


def _metric(metric: Metric) -> str:
    figure = metric.value if metric.value is not None else f"{metric.before} → {metric.after}"
    unit = f" {metric.unit}" if metric.unit else ""
    context = f" ({metric.context})" if metric.context else ""
    return f"**{figure}{unit}** {metric.label}{context}"


def _highlight(bullet: str) -> str:
    """A bullet and its sub-points ("- " lines) as RenderCV writes nested bullets: "Head - a - b"."""
    head, subs = split_sub_points(bullet)
    return " - ".join([head, *subs]) if subs else bullet


def _experience(out: Export, role: Experience, where: str) -> dict[str, Any]:
    highlights = [*map(_highlight, role.bullets), *([f"Outcome: {role.outcome}"] if role.outcome else [])]
    position = role.title or "—"
    if role.team:
        position = f"{position}, {role.team}" if role.title else role.team
    return _clean(
        {
            "company": _linked(role.organisation or "—", role.url),
            "position": position,
            "location": role.location,
            **_dates(role),
            "summary": role.summary,
            "highlights": highlights,
        }
    )


def _project(out: Export, project: Project, where: str) -> dict[str, Any]:
    first = project.links[0].url if project.links else None
    dates = {"date": _iso(project.year)} if project.year else _dates(project)
    lines = [
        *map(_highlight, project.bullets),
        *(f"{f.name}: {' '.join(filter(None, [f.text, *f.items]))}" for f in project.facets),
        *([f"Outcomes: {', '.join(project.outcomes)}"] if project.outcomes else []),
        *([f"Tech: {', '.join(project.tech)}"] if project.tech else []),
        *(f"[{link.label or link.network or link.url}]({link.url})" for link in project.links[1:]),
    ]
    summary = [project.tagline, *project.description]
    meta = ", ".join(filter(None, [project.kind, project.role, project.organisation]))
    if project.diagram:
        out.lost(f"{where}.diagram", "RenderCV has no preformatted text")
    return _clean(
        {
            "name": _linked(project.name, first),
            **dates,
            "location": project.location,
            "summary": "\n\n".join(filter(None, [meta, *summary])) or None,
            "highlights": lines,
        }
    )


def _skills(out: Export) -> list[dict[str, str]]:
    skills = out.profile.skills
    rows = [{"label": row.category, "details": ", ".join(row.items)} for row in skills.table]
    for group in skills.groups:
        parts = [", ".join(group.items), group.depth, group.description, *map(_highlight, group.bullets)]
        rows.append({"label": group.name, "details": " — ".join(p for p in parts if p) or "—"})
    if skills.working_with:
        rows.append({"label": "Working with", "details": ", ".join(skills.working_with)})
    return rows


def _snapshot(snapshot: Any) -> dict[str, Any]:
    lines = [f"{f.name}: {' '.join(filter(None, [f.text, *f.items]))}" for f in snapshot.facets]
    summary = " — ".join(filter(None, [snapshot.label, snapshot.subtitle])) or None
    return _clean({"name": snapshot.title, "summary": summary, "highlights": lines})


def _note(note: Note) -> dict[str, Any]:
    if note.authors:
        return _clean(
            {
                "title": note.title,
                "authors": list(note.authors),
                "journal": note.topic,
                "date": _iso(note.date),
                "url": note.url,
                "summary": note.summary,
            }
        )
    keywords = [f"Keywords: {', '.join(note.keywords)}"] if note.keywords else []
    lines = [*([note.status] if note.status else []), *keywords]
    return _clean(
        {
            "name": _linked(note.title, note.url),
            "date": _iso(note.date),
            "summary": " — ".join(filter(None, [note.topic, note.summary])) or None,
            "highlights": lines,
        }
    )


def _publication(item: Publication) -> dict[str, Any]:
    return _clean(
        {
            "title": item.title,
            "authors": list(item.authors) or ["—"],
            "summary": item.summary,
            "doi": item.doi,
            "url": item.url,
            "journal": item.venue,
            "date": _iso(item.date),
        }
    )


def _education(item: Education) -> dict[str, Any]:
    highlights = [*map(_highlight, item.bullets), *([f"Courses: {', '.join(item.courses)}"] if item.courses else [])]
    return _clean(
        {
            "institution": _linked(item.institution, item.url),
            "area": item.area or "—",
            "degree": item.degree,
            "grade": item.score,
            "location": item.location,
            **_dates(item),
            "summary": item.summary,
            "highlights": highlights,
        }
    )


def _certification(item: Certification) -> dict[str, Any]:
    return _clean({"name": _linked(item.name, item.url), "date": _iso(item.date), "summary": item.issuer})


def _award(item: Award) -> dict[str, Any]:
    summary = " — ".join(filter(None, [item.awarder, item.summary])) or None
    return _clean({"name": item.title, "date": _iso(item.date), "summary": summary})


def _custom(out: Export, section: CustomSection, where: str) -> list[Any]:
    if section.intro:
        out.lost(f"{where}.intro", "RenderCV sections have no intro line")
    match section.kind:
        case "text":
            return list(section.items)
        case "bullets":
            return [{"bullet": item} for item in section.items]
        case "numbered":
            return [{"number": item} for item in section.items]
        case "reversed-numbered":
            return [{"reversed_number": item} for item in section.items]
        case "publications":
            return [_publication(work) for work in section.publications]
        case "education":
            return [_education(school) for school in section.education]
        case _:
            return _custom_entries(out, section.entries, where)


def _custom_entries(out: Export, entries: Sequence[CustomEntry], where: str) -> list[Any]:
    """Rows alone are one-line entries; a title and a subtitle are a role (position at company);
    anything else is a normal entry."""
    exported: list[Any] = []
    for index, entry in enumerate(entries):
        if entry.preformatted:
            out.lost(f"{where}.entries[{index}].preformatted", "RenderCV has no preformatted text")
        only_rows = entry.rows and not (entry.title or entry.text or entry.bullets or entry.keywords)
        if only_rows:
            exported += [{"label": row.label, "details": ", ".join(row.items)} for row in entry.rows]
            continue
        lines = [
            *map(_highlight, entry.bullets),
            *(f"{row.label}: {', '.join(row.items)}" for row in entry.rows),
            *([f"Keywords: {', '.join(entry.keywords)}"] if entry.keywords else []),
        ]
        common = {
            "location": entry.location,
            **_dates(entry),
            "summary": "\n\n".join(entry.text) or None,
            "highlights": lines,
        }
        if entry.title and entry.subtitle:
            exported.append(_clean({"company": _linked(entry.subtitle, entry.url), "position": entry.title, **common}))
        else:
            name = _linked(entry.title or entry.subtitle or "—", entry.url)
            exported.append(_clean({"name": name, **common}))
    return exported


# --- settings ------------------------------------------------------------------------------------


def _locale(out: Export) -> dict[str, Any]:
    """The profile's language as RenderCV names it, and its own word for "present"."""
    profile = out.profile
    locale: dict[str, Any] = {}
    if profile.locale:
        tag = profile.locale
        name = TAGS.get(tag) or TAGS.get(tag.split("-")[0])
        if name:
            locale["language"] = name
        else:
            out.lost("locale", f"RenderCV has no {tag} locale; it builds in English")
    if "present" in profile.labels:
        locale["present"] = profile.labels["present"]
    other = sorted(key for key in profile.labels if key != "present")
    if other:
        out.lost(f"labels ({', '.join(other)})", "RenderCV's locale has no such words")
    return locale


def _design(out: Export) -> dict[str, Any]:
    """Theme options with a RenderCV meaning: page size and accent colour; the others are named."""
    options = out.profile.options
    design: dict[str, Any] = {}
    if out.profile.theme:
        out.lost("theme", "RenderCV has its own themes")
    size = options.get("page_size")
    if isinstance(size, str) and size in PAGE_SIZES:
        design.setdefault("page", {})["size"] = PAGE_SIZES[size]
    accent = options.get("accent")
    if isinstance(accent, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", accent):
        red, green, blue = (int(accent[i : i + 2], 16) for i in (1, 3, 5))
        colour = f"rgb({red}, {green}, {blue})"
        design["colors"] = {name: colour for name in ("name", "headline", "connections", "section_titles", "links")}
    rest = sorted(key for key in options if key not in ("page_size", "accent", "sections"))
    if rest:
        out.lost(f"options ({', '.join(rest)})", "no RenderCV design setting means the same")
    if design:
        design["theme"] = "classic"
    return design


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
