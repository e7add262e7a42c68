"""Section headings an applicant tracking system (ATS) recognises, and how a person's own wording fits.

ATS parsers split a resume into sections by matching heading lines against a vocabulary
("Experience", "Work History", "Skills"…). A heading such as "Selected Work" or "Featured
engineering work" is not in it, and its word "work" can send the projects into the work history.
So where a section is one parsers look for, the heading line holds the standard name alone and the
person's own title, when it differs, goes on the line under it: the parser gets a heading it knows,
the reader still sees the wording the person chose. Pure; renderers decide how to draw the two.
"""

from __future__ import annotations

import re

# Section key → the heading to use, then other headings parsers know for that section (lower case,
# "&" written "and"). Only sections ATS parsers split out are here; the rest keep the person's title.
RECOGNISED: dict[str, tuple[str, tuple[str, ...]]] = {
    "summary": (
        "Summary",
        ("professional summary", "career summary", "profile", "professional profile", "about me", "objective"),
    ),
    "experience": (
        "Experience",
        (
            "work experience",
            "professional experience",
            "employment",
            "employment history",
            "work history",
            "career history",
            "relevant experience",
        ),
    ),
    "projects": ("Projects", ("personal projects", "selected projects", "key projects", "side projects")),
    "skills": (
        "Skills",
        ("technical skills", "core skills", "key skills", "skills and tools", "core competencies", "competencies"),
    ),
    "education": ("Education", ("education and training", "academic background", "qualifications")),
    "certifications": (
        "Certifications",
        ("certificates", "licenses and certifications", "licences and certifications", "certifications and licenses"),
    ),
    "awards": ("Awards", ("honors and awards", "honours and awards", "awards and honors", "awards and recognition")),
    "languages": ("Languages", ("spoken languages",)),
}
_SPACES = re.compile(r"\s+")


def _plain(title: str) -> str:
    return _SPACES.sub(" ", title.replace("&", " and ")).strip().casefold()


def parser_heading(key: str, title: str) -> tuple[str, str | None]:
    """(heading line, the person's title to show under it, or None when the heading already says it)."""
    if key not in RECOGNISED:
        return title, None
    standard, variants = RECOGNISED[key]
    if _plain(title) in (standard.casefold(), *variants):
        return title, None
    return standard, title
