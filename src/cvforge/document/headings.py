"""Section headings an applicant tracking system (ATS) recognises, and how a person's own wording fits.

ATS parsers split a resume into sections by matching heading lines against a vocabulary
("Experience", "Work History", "Skills"…). A heading such as "Selected Work" or "Featured
engineering work" is not in it, and its word "work" can send the projects into the work history.
So a section parsers look for gets one heading line that starts with a name they know:

- the person's title as written when it is in the vocabulary ("Work Experience") or contains the
  section's standard word ("Featured Projects", "Technical Skills & Tools");
- otherwise the standard name, a dash, then the person's wording: "Projects — Selected Work".

Sections parsers do not split out keep the person's title. `heading_key` is the reverse, what
`cvforge check` uses to prove a Word file's headings are recognised. Pure.
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


HEADING_JOIN = " — "


def _has_words(plain: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", plain) is not None


def parser_heading(key: str, title: str) -> str:
    """The one heading line for a section: the person's title when parsers know it, else prefixed."""
    if key not in RECOGNISED:
        return title
    standard, variants = RECOGNISED[key]
    plain = _plain(title)
    if plain in variants or _has_words(plain, standard.casefold()):
        return title
    return f"{standard}{HEADING_JOIN}{title}"


HEADING_WORDS = 8  # a longer line is body text, whatever words it holds


def heading_key(line: str) -> str | None:
    """The section a parser files a short line under: a known name it starts with, or the
    section's standard word anywhere in it ("Featured Projects"); None for anything else."""
    plain = _plain(line)
    if not plain or len(plain.split()) > HEADING_WORDS:
        return None
    for key, (standard, variants) in RECOGNISED.items():
        if _has_words(plain, standard.casefold()) or any(plain == v or plain.startswith(f"{v} ") for v in variants):
            return key
    return None
