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
from tests.helpers.openresume import (
    Item,
    Parsed,
    group_lines,
    is_bold,
    lost_spaces,
    parse_items,
    parse_pdf,
    read_items,
)
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


def squash(text: str) -> str:
    return plain(text).replace(" ", "")


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
def our_items(built_by_theme: dict[tuple[str, str], Built]) -> dict[tuple[str, str], list[Item]]:
    return {(theme, seed): read_items(built_by_theme[(theme, seed)].files["pdf"]) for theme in THEMES for seed in SEEDS}


@pytest.fixture(scope="module")
def our_parses(our_items: dict[tuple[str, str], list[Item]]) -> dict[tuple[str, str], Parsed]:
    return {key: parse_items(items) for key, items in our_items.items()}


CASES = [(theme, seed) for theme in THEMES for seed in SEEDS]


@pytest.mark.parametrize(("theme", "seed"), CASES)
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


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
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


@pytest.mark.parametrize(("theme", "seed"), CASES)
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


# The causes, each checked on its own: what a pdf.js reader is given, before any parser's rules.


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_no_two_words_run_together_in_the_parser_s_lines(
    our_items: dict[tuple[str, str], list[Item]], theme: str, seed: str
) -> None:
    """Every element of the tagged PDF ends pdf.js's text item, and a space at its edge became a
    blank item OpenResume drops: lines read "end-to-endfrom", "azero-downtimeJDK", "15min". Runs
    are held without elements on paper now (word joiners), and no element starts at a space in
    one font."""
    assert lost_spaces(our_items[(theme, seed)]) == []


def test_the_lost_space_check_finds_two_words_run_together() -> None:
    """The check can fail: "end-to-end" and "from", one font, a space's gap apart, no space between."""
    font, other = "Inter", "Inter-Bold"
    line = [Item("Owned it end-to-end", 0, 0, 95, 10, font), Item("from design", 98.5, 0, 55, 10, font, eol=True)]
    assert lost_spaces(line) == ["page 1: end-to-endfrom"]
    bold = [Item("45 → 15", 0, 0, 35, 10, other), Item("min and more", 38.5, 0, 60, 10, font, eol=True)]
    assert lost_spaces(bold) == []  # a change of font at a space splits items in any PDF
    comma = [Item("compliance,", 0, 0, 55, 10, font), Item("25+ countries", 58.5, 0, 65, 10, font, eol=True)]
    assert lost_spaces(comma) == []  # the parser puts a space after a comma itself


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_a_role_s_organisation_is_a_text_item_of_its_own(
    built_by_theme: dict[tuple[str, str], Built], our_items: dict[tuple[str, str], list[Item]], theme: str, seed: str
) -> None:
    """Side by side, "Title, Organisation" was one item, and no parser read the organisation alone.
    On paper the organisation opens the meta line, an item of its own with no title and no dates."""
    # spaces aside (a change of font at a space splits items, and the parser may join them)
    texts = [squash(item.text) for line in group_lines(our_items[(theme, seed)]) for item in line]
    for role in built_by_theme[(theme, seed)].profile.experience:
        if role.title and role.organisation:
            assert any(
                text.startswith(squash(role.organisation))
                and squash(role.title) not in text
                and not re.search(r"\d{4}", text)
                for text in texts
            ), f"{role.organisation!r} never opens an item of its own"
            assert not any(squash(f"{role.title}, {role.organisation}") in text for text in texts)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_heading_on_the_page_is_a_bold_capital_line(
    built_by_theme: dict[tuple[str, str], Built], our_items: dict[tuple[str, str], list[Item]], theme: str, seed: str
) -> None:
    """A heading in title case ("Principles") that is no parser keyword was read as part of the
    section before it; in bold capitals every heading starts a section."""
    html = built_by_theme[(theme, seed)].files["html"].read_text("utf-8")
    headings = {re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)}
    lines = group_lines(our_items[(theme, seed)])
    for heading in headings:
        found = [line for line in lines if plain(" ".join(i.text for i in line)) == plain(heading)]
        for line in found:
            assert len(line) == 1 and is_bold(line[0]) and line[0].text.strip() == heading.upper(), line
    assert headings, "no headings in the HTML"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("theme", THEMES)
def test_a_page_s_number_ends_the_line_that_joins_it_to_the_page_before(
    our_items: dict[tuple[str, str], list[Item]], theme: str, seed: str
) -> None:
    """pdf.js marks no line's end between pages: the last text of a page runs into the next page's
    first line. The page number is drawn first on its page (none on page 1, before the name), so it
    is what the join reaches, and it ends that line."""
    items = our_items[(theme, seed)]
    pages = max(item.page for item in items)
    first = next(item for item in items if item.page == 1 and item.text.strip())
    assert not re.fullmatch(r"\d+ / \d+", first.text.strip()), "page 1 opens with a page number"
    for page in range(2, pages + 1):
        on_page = [item for item in items if item.page == page]
        opening = next(item for item in on_page if item.text.strip())
        assert opening.text.strip() == f"{page} / {pages}", f"page {page} opens with {opening.text!r}"
        ends_line = opening.eol or on_page[on_page.index(opening) + 1].eol
        assert ends_line, f"page {page}'s number runs into its first line"
