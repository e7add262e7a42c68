"""Profile → RenderCV input (its 2.x `cv:` schema), valid for RenderCV's own validator.

Built on the JSON Resume export: that one already decides where cvforge-only content (metrics,
principles, facets, diagrams, custom sections) goes in a résumé format with fewer kinds of section;
this maps its sections onto RenderCV's entry types, so both exports keep the same content.
"""

from __future__ import annotations

from typing import Any

from cvforge.reader.interop.base import url_username
from cvforge.reader.interop.jsonresume_export import export_resume
from cvforge.reader.interop.rendercv_model import SocialNetworkName
from cvforge.schema import Profile

NETWORKS = {name.lower().replace(" ", ""): name for name in SocialNetworkName.__args__}  # type: ignore[attr-defined]
NETWORKS["twitter"] = "X"
NETWORKS["stackoverflow"] = "StackOverflow"


def export_cv(profile: Profile) -> dict[str, Any]:
    """A RenderCV document: `cv` with contact details and sections; RenderCV's defaults style it."""
    resume = export_resume(profile)
    basics = resume.get("basics", {})
    sections: dict[str, list[Any]] = {}

    def add(title: str, entries: list[Any]) -> None:
        if entries:
            sections[title] = entries

    add("Summary", [p for p in basics.get("summary", "").split("\n\n") if p.strip()])
    add("Experience", [_experience(w, "name") for w in resume.get("work", [])])
    add("Volunteering", [_experience(v, "organization") for v in resume.get("volunteer", [])])
    add("Education", [_education(e) for e in resume.get("education", [])])
    add("Projects", [_normal(p, "name", "description") for p in resume.get("projects", [])])
    add(
        "Skills",
        [_one_line(s.get("name", ""), s.get("keywords", []), s.get("level")) for s in resume.get("skills", [])],
    )
    add("Awards", [_normal(a, "title", "summary", "awarder") for a in resume.get("awards", [])])
    add("Certifications", [_normal(c, "name", None, "issuer") for c in resume.get("certificates", [])])
    add("Publications", [_normal(p, "name", "summary", "publisher") for p in resume.get("publications", [])])
    add(
        "Languages",
        [_one_line(lang.get("language", ""), [], lang.get("fluency")) for lang in resume.get("languages", [])],
    )
    add("Interests", [_one_line(i.get("name", ""), i.get("keywords", []), None) for i in resume.get("interests", [])])
    add(
        "References",
        [f"{r.get('name', '')}: {r.get('reference', '')}".strip(": ") for r in resume.get("references", [])],
    )
    cv: dict[str, Any] = {
        "name": basics.get("name"),
        "headline": basics.get("label"),
        "location": _location(basics.get("location", {})),
        "email": basics.get("email"),
        "phone": _phone(basics.get("phone")),
        "website": basics.get("url"),
        "social_networks": [n for n in map(_network, basics.get("profiles", [])) if n is not None],
        "sections": sections,
    }
    return {"cv": {key: value for key, value in cv.items() if value}}


def _phone(phone: str | None) -> str | None:
    """RenderCV checks phone numbers strictly (international format); a number it would refuse is left out
    rather than failing the whole file: cvforge keeps any text there."""
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return digits if digits.startswith("+") and 8 <= len(digits) <= 16 else None


def _location(location: dict[str, str]) -> str | None:
    return (
        ", ".join(v for v in (location.get("city"), location.get("region"), location.get("countryCode")) if v) or None
    )


def _network(link: dict[str, str]) -> dict[str, str] | None:
    """A profile RenderCV knows by name (GitHub, LinkedIn…); others stay in the JSON Resume export only."""
    name = NETWORKS.get(str(link.get("network", "")).lower().replace(" ", ""))
    username = link.get("username") or url_username(link.get("url", ""))
    return {"network": name, "username": username} if name and username else None


def _dates(item: dict[str, Any]) -> dict[str, str]:
    start, end = item.get("startDate"), item.get("endDate")
    if start and end and start == end:
        return {"date": start}
    if start:
        return {"start_date": start, "end_date": end or "present"}
    return {"date": end} if end else {}


def _experience(item: dict[str, Any], company_key: str) -> dict[str, Any]:
    return _clean(
        {
            "company": item.get(company_key) or "—",
            "position": item.get("position") or "—",
            "location": item.get("location"),
            **_dates(item),
            "summary": item.get("summary"),
            "highlights": item.get("highlights"),
        }
    )


def _education(item: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "institution": item.get("institution") or "—",
            "area": item.get("area") or item.get("studyType") or "—",
            "degree": item.get("studyType") if item.get("area") else None,
            **_dates(item),
            "highlights": [*item.get("courses", []), *([f"Score: {item['score']}"] if item.get("score") else [])],
        }
    )


def _normal(item: dict[str, Any], name_key: str, summary_key: str | None, by_key: str | None = None) -> dict[str, Any]:
    summary = [item.get(summary_key) if summary_key else None, item.get(by_key) if by_key else None]
    return _clean(
        {
            "name": item.get(name_key) or "—",
            **_dates(
                {
                    "startDate": item.get("startDate") or item.get("date") or item.get("releaseDate"),
                    "endDate": item.get("endDate") or item.get("date") or item.get("releaseDate"),
                }
            ),
            "summary": " — ".join(s for s in summary if s) or None,
            "highlights": [*item.get("highlights", []), *([f"<{item['url']}>"] if item.get("url") else [])],
        }
    )


def _one_line(label: str, keywords: list[str], detail: str | None) -> dict[str, str]:
    details = ", ".join(keywords) if keywords else ""
    if detail:
        details = f"{detail}: {details}" if details else detail
    return {"label": label or "—", "details": details or "—"}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
