"""Field by field, what a résumé parser reads in every theme's PDF of every seed, against what it
reads in RenderCV's PDF of the same person (tests/fixtures/rendercv/pages, see SOURCES.md).

The parser is OpenResume's documented algorithm on pdf.js's text items (tests/helpers/openresume.py):
sections by their titles, then the best-scoring item per field. The fields: name, email, phone,
location, each role's title, organisation and dates, and the skills as a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from cvforge.document.view import format_range
from cvforge.schema import Profile
from tests.helpers.openresume import Parsed, parse_pdf
from tests.helpers.outputs import Built
from tests.helpers.project import FIXTURES, PROFILES
from tests.helpers.textlayer import pdfjs_missing

SEEDS = [path.stem for path in PROFILES]
RENDERCV_PAGES = FIXTURES / "rendercv" / "pages"
THEMES = ("classic", "compact", "modern", "portfolio", "sidebar")

pytestmark = pytest.mark.skipif(bool(pdfjs_missing()), reason=pdfjs_missing() or "")


def plain(text: str) -> str:
    """Case, spacing and separators aside: what a person would call the same words."""
    return re.sub(r"[\s·,|–—-]+", " ", text).strip().casefold()


def has(read: str, wanted: str) -> bool:
    return bool(wanted) and plain(wanted) in plain(read)


@dataclass(frozen=True)
class Score:
    """Each field the profile has, and whether the parser read it (True) or not."""

    fields: dict[str, bool]

    @property
    def read(self) -> int:
        return sum(self.fields.values())

    def missed(self) -> list[str]:
        return [name for name, ok in self.fields.items() if not ok]


def skill_names(profile: Profile) -> list[str]:
    skills = profile.skills
    names = [item for row in skills.table for item in row.items]
    names += list(skills.working_with)
    for group in skills.groups:
        names += list(group.items)
    return names


def score(profile: Profile, parsed: Parsed) -> Score:
    person = profile.person
    fields: dict[str, bool] = {"name": plain(parsed.name) == plain(person.name)}
    if person.email:
        fields["email"] = has(parsed.email, person.email)
    if person.phone:
        fields["phone"] = plain(re.sub(r"\D", "", parsed.phone)) == re.sub(r"\D", "", person.phone)[-10:]
    if person.location:
        fields["location"] = has(parsed.location, person.location.split(",")[0])
    for index, role in enumerate(profile.experience):
        if role.title:
            fields[f"role {index} title"] = any(has(work.title, role.title) for work in parsed.work)
        if role.organisation:  # named on its own, not only inside the title's text
            fields[f"role {index} organisation"] = any(
                has(work.company, role.organisation) and not (role.title and has(work.company, role.title))
                for work in parsed.work
            )
        if format_range(role) and role.start is not None:
            year = str(role.start.year)  # str(PartialDate) is its fields' repr, not a year
            fields[f"role {index} dates"] = any(has(work.date, year) for work in parsed.work)
    names = skill_names(profile)
    if names:  # a list: most named skills in it, and more than one entry
        found = sum(any(has(entry, name) for entry in parsed.skills) for name in names)
        fields["skills"] = len(parsed.skills) > 1 and found >= 0.8 * len(names)
    return Score(fields)


@pytest.fixture(scope="module")
def rendercv_scores(built_by_theme: dict[tuple[str, str], Built]) -> dict[str, Score]:
    return {
        seed: score(built_by_theme[("classic", seed)].profile, parse_pdf(RENDERCV_PAGES / f"{seed}.pdf"))
        for seed in SEEDS
    }


@pytest.fixture(scope="module")
def our_parses(built_by_theme: dict[tuple[str, str], Built]) -> dict[tuple[str, str], Parsed]:
    return {(theme, seed): parse_pdf(built_by_theme[(theme, seed)].files["pdf"]) for theme in THEMES for seed in SEEDS}


# Causes found with this parser and not yet fixed, each in the page's layout or stylesheet (not in
# the text layer or headings this suite's other checks own): strict, so a fix makes them fail here
# and the mark goes.
TITLE_AND_ORGANISATION = (
    "a role's title and organisation share one line ('Title, Organisation'), so pdf.js's items merge into one and "
    "the organisation is never read on its own; RenderCV sets them on two lines"
)
ABSORBED_SECTIONS = (
    "headings after Skills that are neither bold capitals nor a keyword (Principles, Certifications, About…) are read "
    "as part of Skills; their long lines turn the skill rows into at most six 'featured skills'"
)
FOOTER = "the page number at the foot of page 1 ('1 / 4') joins the next page's first line, its heading"


@pytest.mark.xfail(strict=True, reason=TITLE_AND_ORGANISATION)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_openresume_reads_us_at_least_as_well_as_rendercv(
    built_by_theme: dict[tuple[str, str], Built],
    our_parses: dict[tuple[str, str], Parsed],
    rendercv_scores: dict[str, Score],
    theme: str,
    seed: str,
) -> None:
    ours = score(built_by_theme[(theme, seed)].profile, our_parses[(theme, seed)])
    theirs = rendercv_scores[seed]
    assert ours.read >= theirs.read, (
        f"ours {ours.read}, missed {ours.missed()}; RenderCV {theirs.read}, {theirs.missed()}"
    )


def known(theme: str, seed: str, causes: dict[tuple[str, str], str]) -> pytest.MarkDecorator | tuple[()]:
    return (pytest.mark.xfail(strict=True, reason=causes[(theme, seed)]),) if (theme, seed) in causes else ()


def cases(causes: dict[tuple[str, str], str]) -> list[object]:
    return [pytest.param(theme, seed, marks=known(theme, seed, causes)) for theme in THEMES for seed in SEEDS]


@pytest.mark.parametrize(("theme", "seed"), cases({("portfolio", "rajkumar"): FOOTER}))
def test_every_section_parsers_split_out_has_a_title_they_know(
    built_by_theme: dict[tuple[str, str], Built], our_parses: dict[tuple[str, str], Parsed], theme: str, seed: str
) -> None:
    """A person's own section title ("Selected Work", "Working with") is a subtitle under the
    standard one: before, the parser found no skills at all and filed projects as jobs."""
    profile = built_by_theme[(theme, seed)].profile
    titles = [plain(title) for title in our_parses[(theme, seed)].sections]
    wanted = {"experience": profile.experience, "projects": profile.projects, "skills": skill_names(profile)}
    for key, present in wanted.items():
        if present:
            assert any(key.rstrip("s") in title for title in titles), f"no {key} title in {titles}"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_name_and_email_are_read(
    built_by_theme: dict[tuple[str, str], Built], our_parses: dict[tuple[str, str], Parsed], theme: str, seed: str
) -> None:
    fields = score(built_by_theme[(theme, seed)].profile, our_parses[(theme, seed)]).fields
    assert fields["name"], our_parses[(theme, seed)].name
    assert fields.get("email", True), our_parses[(theme, seed)].email


SKILLS_CUT = {(theme, seed): ABSORBED_SECTIONS for theme in THEMES for seed in ("aayushi-gupta", "rajkumar")}


@pytest.mark.parametrize(("theme", "seed"), cases(SKILLS_CUT))
def test_skills_are_read_as_a_list(
    built_by_theme: dict[tuple[str, str], Built], our_parses: dict[tuple[str, str], Parsed], theme: str, seed: str
) -> None:
    fields = score(built_by_theme[(theme, seed)].profile, our_parses[(theme, seed)]).fields
    assert fields.get("skills", True), our_parses[(theme, seed)].skills


@pytest.mark.slow  # three pdf.js runs
def test_the_rendercv_pages_are_rendercv_s_of_the_seeds() -> None:
    """The comparison pages exist beside the RenderCV input they were rendered from (SOURCES.md)."""
    for seed in SEEDS:
        pdf = RENDERCV_PAGES / f"{seed}.pdf"
        assert pdf.is_file() and (RENDERCV_PAGES / f"{seed}.yaml").is_file()
        parsed = parse_pdf(pdf)
        assert parsed.name and plain(parsed.name) in plain((RENDERCV_PAGES / f"{seed}.yaml").read_text("utf-8"))
