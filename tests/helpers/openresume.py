"""OpenResume's résumé parser, as its site documents the algorithm, run on pdf.js's text items.

Job portals and résumé builders read uploads in the browser with pdf.js; OpenResume publishes how
its parser turns those items into fields (open-resume.com/resume-parser), in four steps:

1. read the text items (text, position, width, height, the font's real name, the end-of-line mark);
2. group them into lines at each end-of-line mark, joining neighbours closer than a typical
   character's width;
3. group lines into sections: a section title is a line of one item in the first two lines' wake
   that is bold and all upper case, or failing that, of at most two words of letters starting with
   a capital and holding a section keyword (experience, education, project, skill, summary…);
4. in each section, score every item against features per field and keep the best: the profile
   section's name, email, phone, location, url; each work subsection's (split by a line gap past
   1.4 × the usual one, else at a bold line) job title, company and date; skills from bullet
   points or long lines.

This is a reimplementation in Python from that description (OpenResume's code is AGPL; none is
copied here), kept to its rules and weights so the suite can say, field by field, what such a
parser reads in our PDFs, and why not when it does not. It reads the items with the pdf.js release
OpenResume pins (3.7.107), and follows two of its quirks that decide results: ties go to the first
height or font to reach the top count, and with no item in both the typical character width is NaN,
so no items join. Run beside OpenResume's own parser on the three seeds' PDFs in every theme and on
RenderCV's pages (36 PDFs, December 2026), it read the same fields in every one.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from tests.helpers.textlayer import PDFJS_HELPER


@dataclass(frozen=True)
class Item:
    """One pdf.js text item (step 1)."""

    text: str
    x: float
    y: float
    width: float
    height: float
    font: str
    eol: bool = False
    page: int = 1


Line = list[Item]


def read_items(pdf: Path) -> list[Item]:
    """pdf.js's items with their fonts' real names, read by the pdf.js release OpenResume pins
    (tests/helpers/pdfjs_text.mjs --items --openresume; a newer one splits items differently), blank
    items that close no line left out, as OpenResume does."""
    command = ["node", str(PDFJS_HELPER), str(pdf), "--items", "--openresume"]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout
    items = [
        Item(
            i["text"].replace("-\u00ad\u2010", "-"),
            i["x"],
            i["y"],
            i["width"],
            i["height"],
            i["fontName"],
            i["hasEOL"],
            i["page"],
        )
        for i in json.loads(out)
    ]
    return [item for item in items if item.eol or item.text.strip()]


# --- step 2: lines --------------------------------------------------------------------------------

BULLETS = ("⋅", "∙", "🞄", "•", "⦁", "⚫︎", "●", "⬤", "⚬", "○")


def _most_common(counts: dict[object, int], keys: Sequence[object], weights: Sequence[int]) -> object:
    """The key whose running count first reaches the highest, as OpenResume counts (ties differ
    from Counter.most_common, which keeps the first key seen)."""
    best: object = None
    top = 0
    for key, weight in zip(keys, weights, strict=True):
        counts[key] = counts.get(key, 0) + weight
        if counts[key] > top:
            best, top = key, counts[key]
    return best


def typical_char_width(items: Sequence[Item]) -> float:
    """The mean character width of the items in the most used height and font (by characters).
    NaN when no item has both, as in OpenResume: then no distance is "close" and no items join."""
    items = [i for i in items if i.text.strip()]
    height = _most_common({}, [i.height for i in items], [1] * len(items))
    font = _most_common({}, [i.font for i in items], [len(i.text) for i in items])
    common = [i for i in items if i.font == font and i.height == height]
    chars = sum(len(i.text) for i in common)
    return sum(i.width for i in common) / chars if chars else float("nan")


def _needs_space(left: str, right: str) -> bool:
    return (left[-1] in (":", ",", "|", ".", *BULLETS) and right[0] != " ") or (
        left[-1] != " " and right[0] in ("|", *BULLETS)
    )


def group_lines(items: Sequence[Item]) -> list[Line]:
    lines = group_lines_unmerged(items)
    width = typical_char_width([i for line in lines for i in line])
    for line in lines:
        for index in range(len(line) - 1, 0, -1):
            left, current = line[index - 1], line[index]
            if current.x - (left.x + left.width) <= width:
                text = left.text + (" " if _needs_space(left.text, current.text) else "") + current.text
                line[index - 1] = replace(left, text=text, width=current.x + current.width - left.x)
                del line[index]
    return lines


def lost_spaces(items: Sequence[Item]) -> list[str]:
    """Words step 2 runs together ("end-to-endfrom"): two items of one font, a word character on
    each side, drawn a visible gap apart, merged with no space. In a tagged PDF every element starts
    a marked-content sequence, at which pdf.js ends its item, and the space at that boundary becomes
    a blank item of its own, which step 1 leaves out. (A change of font at a space, "<b>45</b> min",
    splits items in any PDF, and is not counted; nor is code in a monospaced font, where pdf.js makes
    every space an item of its own, a monospaced space being wider than it counts a space in a run.)"""
    width = typical_char_width(items)
    found: list[str] = []
    for line in group_lines_unmerged(items):
        for left, right in pairwise(line):
            gap = right.x - (left.x + left.width)
            if (
                left.font == right.font
                and "mono" not in left.font.casefold()
                and 0.25 * width < gap <= width
                and re.match(r"\w", left.text[-1:] + " ") is not None
                and re.match(r"\w", right.text[:1]) is not None
                and not _needs_space(left.text, right.text)
            ):
                found.append(f"page {right.page}: {left.text.split()[-1]}{right.text.split()[0]}")
    return found


def group_lines_unmerged(items: Sequence[Item]) -> list[Line]:
    """Step 2's lines before neighbours are merged: each item as pdf.js gave it."""
    lines: list[Line] = []
    line: Line = []
    for item in items:
        if item.text.strip():
            line.append(item)
        if item.eol:
            lines.append(line)
            line = []
    return [found for found in [*lines, line] if found]


# --- step 3: sections -----------------------------------------------------------------------------

PRIMARY_KEYWORDS = ("experience", "education", "project", "skill")
SECONDARY_KEYWORDS = ("job", "course", "extracurricular", "objective", "summary", "award", "honor", "project")
PROFILE = "profile"


def is_bold(item: Item) -> bool:
    return "bold" in item.font.casefold()


def has_letter(text: str) -> bool:
    return re.search(r"[a-zA-Z]", text) is not None


def upper_with_letter(text: str) -> bool:
    return has_letter(text) and text.upper() == text


def is_section_title(line: Line, number: int) -> bool:
    if number < 2 or len(line) != 1:
        return False
    item = line[0]
    if is_bold(item) and upper_with_letter(item.text):
        return True
    text = item.text.strip()
    return (
        len([w for w in text.split(" ") if w != "&"]) <= 2
        and re.fullmatch(r"[A-Za-z\s&]+", item.text) is not None
        and text[:1].isupper()
        and any(keyword in text.lower() for keyword in (*PRIMARY_KEYWORDS, *SECONDARY_KEYWORDS))
    )


def group_sections(lines: Sequence[Line]) -> dict[str, list[Line]]:
    sections: dict[str, list[Line]] = {}
    name, current = PROFILE, []
    for number, line in enumerate(lines):
        if is_section_title(line, number):
            sections[name] = current
            name, current = line[0].text.strip(), []
        else:
            current.append(line)
    if current:
        sections[name] = current
    return sections


def section_lines(sections: dict[str, list[Line]], keywords: Sequence[str]) -> list[Line]:
    """The first section whose title holds one of the keywords."""
    for name, lines in sections.items():
        if any(keyword in name.lower() for keyword in keywords):
            return lines
    return []


# --- step 4: feature scoring ------------------------------------------------------------------------

Feature = tuple[Callable[[Item], object], int] | tuple[Callable[[Item], object], int, bool]


def best_text(
    items: Sequence[Item], features: Sequence[Feature], *, empty_unless_positive: bool = True, concat: bool = False
) -> str:
    """The item (or the matched part of one) with the highest total score; ties: the first, or all
    joined with `concat`. Nothing when the best score is not positive (unless told otherwise)."""
    scores: list[list[object]] = [[item.text, 0] for item in items]
    for index, item in enumerate(items):
        for feature in features:
            test, score = feature[0], feature[1]
            wants_match = len(feature) > 2 and bool(feature[2])  # type: ignore[misc]
            result = test(item)
            if not result:
                continue
            text = result.group(0) if wants_match and isinstance(result, re.Match) else item.text
            if text == item.text:
                scores[index][1] = int(scores[index][1]) + score  # type: ignore[call-overload]
            else:
                scores.append([text, score])
    best: list[str] = []
    high = float("-inf")
    for text, score in scores:
        if float(score) >= high:  # type: ignore[arg-type]
            if float(score) > high:  # type: ignore[arg-type]
                best = []
            best.append(str(text))
            high = float(score)  # type: ignore[arg-type]
    if empty_unless_positive and high <= 0:
        return ""
    return " ".join(t.strip() for t in best) if concat else (best[0] if best else "")


def _search(pattern: str) -> Callable[[Item], re.Match[str] | None]:
    compiled = re.compile(pattern)
    return lambda item: compiled.search(item.text)


def _has(text: str) -> Callable[[Item], bool]:
    return lambda item: text in item.text


only_letters = _search(r"^[a-zA-Z\s.]+$")
email = _search(r"\S+@\S+\.\S+")
phone = _search(r"\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{4}")
city_state = _search(r"[A-Z][a-zA-Z\s]+, [A-Z]{2}")
url = _search(r"\S+\.[a-z]+/\S+")
http = _search(r"https?://\S+\.\S+")
www = _search(r"www\.\S+\.\S+")
has_at = _has("@")
has_comma = _has(",")
has_slash = _has("/")


def has_number(item: Item) -> bool:
    return re.search(r"[0-9]", item.text) is not None


def has_parenthesis(item: Item) -> bool:
    return re.search(r"\([0-9]+\)", item.text) is not None


def four_words(item: Item) -> bool:
    return len(item.text.split(" ")) >= 4


def upper(item: Item) -> bool:
    return upper_with_letter(item.text)


def letter(item: Item) -> bool:
    return has_letter(item.text)


NAME: list[Feature] = [
    (only_letters, 3, True),
    (is_bold, 2),
    (upper, 2),
    (has_at, -4),
    (has_number, -4),
    (has_parenthesis, -4),
    (has_comma, -4),
    (has_slash, -4),
    (four_words, -2),
]
EMAIL: list[Feature] = [
    (email, 4, True),
    (is_bold, -1),
    (upper, -1),
    (has_parenthesis, -4),
    (has_comma, -4),
    (has_slash, -4),
    (four_words, -4),
]
PHONE: list[Feature] = [(phone, 4, True), (letter, -4)]
LOCATION: list[Feature] = [(city_state, 4, True), (is_bold, -1), (has_at, -4), (has_parenthesis, -3), (has_slash, -4)]
URL: list[Feature] = [
    (url, 4, True),
    (http, 3, True),
    (www, 3, True),
    (is_bold, -1),
    (has_at, -4),
    (has_parenthesis, -3),
    (has_comma, -4),
    (four_words, -4),
]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def has_year(item: Item) -> bool:
    return re.search(r"(?:19|20)\d{2}", item.text) is not None


def has_month(item: Item) -> bool:
    return any(m in item.text or m[:4] in item.text for m in MONTHS)


def has_season(item: Item) -> bool:
    return any(s in item.text for s in ("Summer", "Fall", "Spring", "Winter"))


DATE: list[Feature] = [(has_year, 1), (has_month, 1), (has_season, 1), (_has("Present"), 1), (has_comma, -1)]
JOB_TITLES = frozenset(
    [
        "Accountant",
        "Administrator",
        "Advisor",
        "Agent",
        "Analyst",
        "Apprentice",
        "Architect",
        "Assistant",
        "Associate",
        "Auditor",
        "Bartender",
        "Biologist",
        "Bookkeeper",
        "Buyer",
        "Carpenter",
        "Cashier",
        "CEO",
        "Clerk",
        "Co-op",
        "Co-Founder",
        "Consultant",
        "Coordinator",
        "CTO",
        "Developer",
        "Designer",
        "Director",
        "Driver",
        "Editor",
        "Electrician",
        "Engineer",
        "Extern",
        "Founder",
        "Freelancer",
        "Head",
        "Intern",
        "Janitor",
        "Journalist",
        "Laborer",
        "Lawyer",
        "Lead",
        "Manager",
        "Mechanic",
        "Member",
        "Nurse",
        "Officer",
        "Operator",
        "Operation",
        "Photographer",
        "President",
        "Producer",
        "Recruiter",
        "Representative",
        "Researcher",
        "Sales",
        "Server",
        "Scientist",
        "Specialist",
        "Supervisor",
        "Teacher",
        "Technician",
        "Trader",
        "Trainee",
        "Treasurer",
        "Tutor",
        "Vice",
        "VP",
        "Volunteer",
        "Webmaster",
        "Worker",
    ]
)


def has_job_title(item: Item) -> bool:
    return any(word in JOB_TITLES for word in re.split(r"\s", item.text))


def over_five_words(item: Item) -> bool:
    return len(re.split(r"\s", item.text)) > 5


JOB_TITLE: list[Feature] = [(has_job_title, 4), (has_number, -4), (over_five_words, -2)]
WORK_KEYWORDS = ("work", "experience", "employment", "history", "job")


def first_bullet_line(lines: Sequence[Line]) -> int | None:
    for index, line in enumerate(lines):
        if any(bullet in item.text for item in line for bullet in BULLETS):
            return index
    return None


def descriptions_line(lines: Sequence[Line]) -> int | None:
    """Where descriptions start: the first bulleted line, else the first one-item line of 8+ words."""
    index = first_bullet_line(lines)
    if index is None:
        for number, line in enumerate(lines):
            words = [w for w in re.split(r"\s", line[0].text) if re.fullmatch(r"[^0-9]+", w)]
            if len(line) == 1 and len(words) >= 8:
                return number
    return index


def bullet_points(lines: Sequence[Line]) -> list[str]:
    if first_bullet_line(lines) is None:
        return [" ".join(item.text for item in line) for line in lines]
    text = ""
    for item in (i for line in lines for i in line):
        if not text.endswith(" ") and not item.text.startswith(" "):
            text += " "
        text += item.text
    counts = Counter(char for char in text if char in BULLETS)
    common = counts.most_common(1)[0][0] if counts else BULLETS[0]
    if common in text:
        text = text[text.index(common) :]
    return [part.strip() for part in text.split(common) if part.strip()]


def subsections(lines: Sequence[Line]) -> list[list[Line]]:
    """Split at a line gap past 1.4 × the most common gap; failing that, at a bold line after a plain one."""
    gaps = Counter(round(lines[i - 1][0].y - lines[i][0].y) for i in range(1, len(lines)))
    usual = gaps.most_common(1)[0][0] if gaps else 0

    def split(new: Callable[[Line, Line], bool]) -> list[list[Line]]:
        parts: list[list[Line]] = []
        part: list[Line] = []
        for index, line in enumerate(lines):
            if index and new(line, lines[index - 1]):
                parts.append(part)
                part = []
            part.append(line)
        if part:
            parts.append(part)
        return parts

    parts = split(lambda line, prev: round(prev[0].y - line[0].y) > usual * 1.4)
    if len(parts) == 1:
        parts = split(lambda line, prev: not is_bold(prev[0]) and is_bold(line[0]) and line[0].text not in BULLETS)
    return parts


@dataclass(frozen=True)
class Work:
    company: str
    title: str
    date: str
    descriptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parsed:
    """What OpenResume reads in a PDF, and the section titles it found."""

    name: str
    email: str
    phone: str
    location: str
    url: str
    work: tuple[Work, ...]
    skills: tuple[str, ...]
    sections: tuple[str, ...] = field(default=())


def parse_items(items: Sequence[Item]) -> Parsed:
    sections = group_sections(group_lines(items))
    profile = [item for line in sections.get(PROFILE, []) for item in line]
    work: list[Work] = []
    for lines in subsections(section_lines(sections, WORK_KEYWORDS)) if section_lines(sections, WORK_KEYWORDS) else []:
        start = descriptions_line(lines)
        start = 2 if start is None else start
        info = [item for line in lines[:start] for item in line]
        date = best_text(info, DATE)
        title = best_text(info, JOB_TITLE)
        company_features: list[Feature] = [(is_bold, 2), (_has(date), -4), (_has(title), -4)]
        company = best_text(info, company_features, empty_unless_positive=False)
        work.append(Work(company, title, date, tuple(bullet_points(lines[start:]))))
    skill_lines = section_lines(sections, ("skill",))
    start = descriptions_line(skill_lines) or 0
    skills = bullet_points(skill_lines[start:])
    if start:
        skills = [item.text for line in skill_lines[:start] for item in line if item.text.strip()][:6] + skills
    return Parsed(
        name=best_text(profile, NAME),
        email=best_text(profile, EMAIL),
        phone=best_text(profile, PHONE),
        location=best_text(profile, LOCATION),
        url=best_text(profile, URL),
        work=tuple(work),
        skills=tuple(skills),
        sections=tuple(name for name in sections if name != PROFILE),
    )


def parse_pdf(pdf: Path) -> Parsed:
    return parse_items(read_items(pdf))
