"""Page limits: the order of drops and density steps (with a stand-in measure), and real layouts."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cvforge.builder.jobs import Job
from cvforge.builder.run import build
from cvforge.builder.theme_choice import resolve_theme
from cvforge.builder.view_options import section_order
from cvforge.document.view import view_document
from cvforge.reader.read import load_profile
from cvforge.renderers.pdf import Layout, PageOutline, layout, render_pdf
from cvforge.renderers.themes import Theme, load_theme
from cvforge.schema.profile import Profile
from cvforge.schema.target import Target
from cvforge.targets.fit import FitResult, describe_overflow, drop_order, fit_to_pages
from cvforge.targets.match import analyse_job, build_vocabulary
from cvforge.targets.tailoring import plan_tailoring
from cvforge.targets.target import builtin_lexicon
from tests.helpers.project import ROOT

DENSITY_SCALE = {"compact": 0.8, "normal": 1.0, "airy": 1.25}


def profile_with(projects: list[dict[str, Any]], roles: int = 1) -> Profile:
    return Profile.model_validate(
        {
            "person": {"name": "Jane Doe"},
            "experience": [{"organisation": f"Org {i}", "title": "Engineer"} for i in range(roles)],
            "projects": projects,
        }
    )


def stand_in(lines_per_page: float) -> Any:
    """A measure that counts lines: 2 per role, 3 per project, 1 per bullet, scaled by density."""

    def measure(profile: Profile, theme: Theme) -> Layout:
        lines = 2 * len(profile.experience) + sum(3 + len(p.bullets) for p in profile.projects)
        lines *= DENSITY_SCALE[str(theme.options["density"])]
        pages = max(1, math.ceil(lines / lines_per_page))
        free = (pages * lines_per_page - lines) * 15  # 15 px a line
        outlines = [PageOutline(((3, p.name),), continues=False) for p in profile.projects[:pages]]
        outlines += [PageOutline((), continues=True)] * (pages - len(outlines))
        last = outlines[pages - 1]
        outlines[pages - 1] = PageOutline(last.headings, last.continues, free)
        return Layout(tuple(outlines[:pages]))

    return measure


def fit(profile: Profile, job_text: str | None, limit: int, lines_per_page: float, **target: Any) -> FitResult:
    lexicon = builtin_lexicon()
    job = analyse_job(job_text, build_vocabulary(lexicon, []), lexicon) if job_text else None
    target_model = Target.model_validate({"profile": "p.yaml", "page_limit": limit, **target})
    plan = plan_tailoring(profile, target_model, job)
    return fit_to_pages(profile, target_model, plan, load_theme("classic"), limit, stand_in(lines_per_page))


def project(name: str, tech: list[str], bullets: int = 0) -> dict[str, Any]:
    return {"name": name, "tech": tech, "bullets": [f"{name} detail {i}" for i in range(bullets)]}


PROJECTS = [
    project("Ledger", ["Kafka", "Go"]),
    project("Blog", []),
    project("Game", []),
    project("Queue", ["Kafka"]),
]


def kept(result: FitResult) -> list[str]:
    return [p.name for p in result.profile.projects]


def test_density_tightens_before_anything_is_dropped() -> None:
    # 2 + 12 = 14 lines on a 12-line page; compact: 11.2 lines, so nothing needs to go.
    result = fit(profile_with(PROJECTS), "Kafka and Go.", 1, 12)
    assert (result.density, kept(result), result.dropped) == ("compact", ["Ledger", "Queue", "Blog", "Game"], ())


def test_parts_matching_no_job_term_go_next_and_come_back_while_there_is_room() -> None:
    # 11.2 lines compact on a 10-line page: Game and Blog (no job term) go (6.4); Blog comes back (8.8).
    result = fit(profile_with(PROJECTS), "Kafka and Go.", 1, 10)
    assert result.fits and result.density == "compact"
    assert kept(result) == ["Ledger", "Queue", "Blog"]


def test_density_tightens_before_a_relevant_part_goes() -> None:
    # Without Blog and Game: 8 lines, 6.4 when compact: too long at normal for 7 lines, fits compact.
    result = fit(profile_with(PROJECTS), "Kafka and Go.", 1, 7)
    assert (result.density, kept(result)) == ("compact", ["Ledger", "Queue"])


def test_relevant_parts_go_last_least_relevant_first() -> None:
    # 6.4 lines compact is still too long for 5; Queue (Kafka only) goes before Ledger (Kafka, Go).
    result = fit(profile_with(PROJECTS), "Kafka and Go.", 1, 5)
    assert (result.density, kept(result)) == ("compact", ["Ledger"])
    assert [u.label for u in result.dropped] == ["Game", "Blog", "Queue"]


def test_without_a_job_density_tightens_first_then_parts_go_from_the_end() -> None:
    result = fit(profile_with(PROJECTS), None, 1, 9)  # 14 lines, 11.2 compact, 8.8 without Queue
    assert result.density == "compact"
    assert kept(result) == ["Ledger", "Blog", "Game"]


def test_density_loosens_back_and_dropped_parts_come_back_when_there_is_room() -> None:
    """Dropping a big project can leave room for the looser density, and for a small dropped part."""
    big = {"name": "Big", "tech": ["Go"], "bullets": [f"Go detail {i}" for i in range(8)]}
    projects = [project("Core", ["Kafka"]), project("Small", []), big]
    result = fit(profile_with(projects), "Kafka. Kafka. Go.", 1, 12)
    # 2 + 3 + 3 + 11 = 19 lines; compact: 15.2. Small (no term) goes: 12.8; Big (Go) goes: 4.
    # Small comes back (6.4 lines); Big would not (12.8). Then normal fits (8 lines) with room.
    assert (result.density, kept(result)) == ("normal", ["Core", "Small"])
    assert [u.label for u in result.dropped] == ["Big"]


def test_roles_stay_even_when_the_page_cannot_fit() -> None:
    result = fit(profile_with(PROJECTS, roles=6), None, 1, 8)  # six roles: 12 lines, 9.6 compact
    assert not result.fits and result.pages == 2
    assert len(result.profile.experience) == 6 and result.profile.projects == []
    assert result.overflow


def test_overflow_names_the_sections_and_items_past_the_limit() -> None:
    pages = (
        PageOutline(((1, "Jane Doe"), (2, "Experience"), (3, "Engineer, Acme")), continues=False),
        PageOutline(((3, "Engineer, Initech"), (2, "Projects"), (3, "Ledger")), continues=True),
        PageOutline(((2, "Skills"),), continues=False),
    )
    assert describe_overflow(Layout(pages), 1) == (
        "page 2: the rest of “Engineer, Acme” (Experience); Experience: “Engineer, Initech”; Projects: “Ledger”",
        "page 3: Skills",
    )


def test_the_drop_order_protects_roles_and_each_items_best_bullet() -> None:
    profile = profile_with([{"name": "P", "bullets": ["a", "Kafka b", "c"]}], roles=2)
    lexicon = builtin_lexicon()
    job = analyse_job("Kafka", build_vocabulary(lexicon, []), lexicon)
    order = drop_order(plan_tailoring(profile, Target.model_validate({"profile": "p.yaml"}), job))
    assert [(u.kind, u.label) for u in order] == [("bullet", "c"), ("bullet", "a"), ("item", "P")]


def test_binary_search_keeps_layouts_logarithmic() -> None:
    profile = profile_with([project(f"P{i}", []) for i in range(63)])
    result = fit(profile, None, 1, 100)  # 191 lines, 152.8 compact: 41 of 63 projects fit
    assert result.fits and len(result.profile.projects) == 41
    # the full layout, compact, then 1 + log2(63) for the search, and at most 1 + 4 to give back
    assert result.layouts <= 2 + 1 + math.ceil(math.log2(63)) + 5 < 63


# Real layouts ------------------------------------------------------------------------------


@pytest.mark.slow
def test_layout_counts_the_pages_render_pdf_writes() -> None:
    path = ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"
    profile = load_profile(path)
    theme = resolve_theme(profile, "p", None, (), {})
    document = view_document(profile, section_order(theme))
    measured = layout(document, theme, path.parent)
    written = PdfReader(__import__("io").BytesIO(render_pdf(document, theme, path.parent)))
    assert measured.page_count == len(written.pages) == 2
    assert measured.pages[0].headings[0] == (1, profile.person.name)
    assert all(page.free >= 0 for page in measured.pages)


@pytest.mark.slow
def test_a_long_profile_is_fitted_to_one_page(tmp_path: Path) -> None:
    """Rajkumar's profile is five pages; a target with nothing but a page limit makes it one."""
    target = tmp_path / "one-page.yaml"
    target.write_text(f"profile: {ROOT / 'profiles' / 'rajkumar.yaml'}\npage_limit: 1\n", encoding="utf-8")
    result = build([Job(target, "target")], out_dir=tmp_path / "out", formats=("pdf",))
    assert result.ok, result.failures
    pdf = tmp_path / "out" / "rajkumar" / "one-page.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Rajkumar" in text and "Founding / early backend engineer" in text  # roles always stay
    assert result.warnings == []


@pytest.mark.slow
def test_a_target_that_cannot_fit_is_built_with_a_warning_naming_what_overflows(tmp_path: Path) -> None:
    roles = [
        {"organisation": f"Company {i}", "title": f"Engineer {i}", "summary": "Long role summary. " * 12}
        for i in range(21)
    ]
    profile = tmp_path / "long.yaml"
    profile.write_text(__import__("json").dumps({"person": {"name": "Jane Doe"}, "experience": roles}), "utf-8")
    target = tmp_path / "t.yaml"
    target.write_text("profile: long.yaml\npage_limit: 1\n", encoding="utf-8")
    result = build([Job(target, "target")], out_dir=tmp_path / "out", formats=("pdf",))
    assert result.ok
    (warning,) = [n.message for n in result.warnings]
    assert warning.startswith("page limit 1 not met: 2 pages at density compact")
    # on paper a role opens with its organisation's line, then its title; its outline entry names both
    overflow = ", ".join(f"“Engineer {i}, Company {i}”" for i in range(14, 21))
    assert warning.endswith(f"page 2: Experience: {overflow}")
    assert len(PdfReader(tmp_path / "out" / "long" / "t.pdf").pages) == 2


@pytest.fixture(scope="module")
def classic() -> Theme:
    return load_theme("classic")


def test_the_classic_theme_allows_every_density(classic: Theme) -> None:
    from cvforge.renderers.themes import density_steps

    assert density_steps(classic) == ("airy", "normal", "compact")
