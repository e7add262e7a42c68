"""The sections a profile can have: their keys, their titles when the profile names none, and the
order themes show them in unless told otherwise."""

from __future__ import annotations

DEFAULT_TITLES: dict[str, str] = {
    "summary": "Summary",
    "about": "About",
    "metrics": "Highlights",
    "skills": "Skills",
    "experience": "Experience",
    "projects": "Projects",
    "principles": "Principles",
    "snapshots": "System Design",
    "notes": "Writing",
    "education": "Education",
    "certifications": "Certifications",
    "awards": "Awards",
    "languages": "Languages",
}
DEFAULT_ORDER: tuple[str, ...] = (
    "summary",
    "metrics",
    "experience",
    "projects",
    "skills",
    "about",
    "principles",
    "snapshots",
    "notes",
    "education",
    "certifications",
    "awards",
    "languages",
    "custom",
)
