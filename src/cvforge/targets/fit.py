"""Fit a tailored resume to a page limit, measuring pages with the real PDF layout, never guessing.

The order (README, "Page limit"): spacing gives way before content does.

1. tighten density step by step, within the theme's allowed range;
2. with a job description, drop the parts that match none of its terms, least relevant first;
3. drop relevant parts too, least relevant first, until it fits.

Without a job there is no relevance to go by: after density, parts go from the end.
Roles, education, certifications, languages and the summary always stay, and every item keeps its
most relevant bullet and facet. Each step finds the fewest drops that fit by binary search over
the drop order, so a fit costs about log2(parts) layouts instead of one per part.

Once it fits, two cheap passes give back what they can: up to BACKFILL_TRIES dropped parts, most
relevant first, each kept only if the page still fits (a short metric card can slip into a row a
project left half empty), then the loosest allowed density that still fits with what is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cvforge.renderers.pdf import Layout
from cvforge.renderers.themes import DENSITIES, Theme, density_steps
from cvforge.schema.profile import Profile
from cvforge.schema.target import Target
from cvforge.targets.tailoring import Plan, ProfilePath, Unit, apply_plan

Measure = Callable[[Profile, Theme], Layout]
# Among equally relevant parts, what goes first: a diagram (big, decorative), then whole items,
# then an item's facets, then single bullets.
KIND_RANK = {"diagram": 0, "item": 1, "facet": 2, "bullet": 3}
BACKFILL_TRIES = 4
# Below this much free height (CSS px, about two lines) on the last page, giving back is not tried.
GIVE_BACK_MIN_FREE = 30.0


@dataclass(frozen=True)
class Attempt:
    """One measured candidate: what was dropped, at which density, and how it laid out."""

    drops: tuple[Unit, ...]
    density: str | None
    layout: Layout
    profile: Profile
    theme: Theme


@dataclass(frozen=True)
class FitResult:
    """The fitted profile and theme, and how it got there."""

    profile: Profile
    theme: Theme
    limit: int
    pages: int
    start_pages: int
    start_density: str | None
    density: str | None
    dropped: tuple[Unit, ...]
    layouts: int
    overflow: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.pages <= self.limit


class _Fitter:
    """Measures candidates and counts the layouts it takes."""

    def __init__(
        self, profile: Profile, target: Target, plan: Plan, theme: Theme, limit: int, measure: Measure
    ) -> None:
        self.profile, self.target, self.plan, self.theme = profile, target, plan, theme
        self.limit, self.measure = limit, measure
        self.layouts = 0
        self._seen: dict[tuple[frozenset[ProfilePath], str | None], Attempt] = {}

    def attempt(self, drops: Sequence[Unit], density: str | None) -> Attempt:
        """Measure one candidate; a candidate measured before is not laid out again."""
        key = (frozenset(u.path for u in drops), density)
        if key in self._seen:
            return self._seen[key]
        theme = self.theme
        if density is not None and density != theme.options.get("density"):
            theme = theme.with_options({"density": density}, "page fit")
        profile = apply_plan(self.profile, self.target, self.plan, [u.path for u in drops])
        self.layouts += 1
        attempt = Attempt(tuple(drops), density, self.measure(profile, theme), profile, theme)
        self._seen[key] = attempt
        return attempt

    def fits(self, attempt: Attempt) -> bool:
        return attempt.layout.page_count <= self.limit

    def room(self, attempt: Attempt) -> bool:
        """Whether the last page has space enough that giving something back could still fit."""
        return bool(attempt.layout.pages) and attempt.layout.pages[-1].free >= GIVE_BACK_MIN_FREE

    def fewest_drops(self, base: Sequence[Unit], candidates: Sequence[Unit], density: str | None) -> Attempt:
        """The shortest prefix of `candidates` that fits on top of `base` (known not to fit alone).

        Assumes fewer pages never come from dropping less, true of a single flowing column.
        Returns the attempt with every candidate dropped when even that does not fit.
        """
        everything = self.attempt([*base, *candidates], density)
        if not self.fits(everything):
            return everything
        low, high, best = 0, len(candidates), everything
        while high - low > 1:
            middle = (low + high) // 2
            attempt = self.attempt([*base, *candidates[:middle]], density)
            if self.fits(attempt):
                high, best = middle, attempt
            else:
                low = middle
        return best


def fit_to_pages(profile: Profile, target: Target, plan: Plan, theme: Theme, limit: int, measure: Measure) -> FitResult:
    """Drop and tighten until the PDF has at most `limit` pages, or say what still overflows."""
    fitter = _Fitter(profile, target, plan, theme, limit, measure)
    start_density = _density(theme)
    first = fitter.attempt((), start_density)
    result = first
    if not fitter.fits(first):
        result = _fit(fitter, first, start_density)
        if fitter.fits(result):
            result = _give_back(fitter, result, start_density)
    return FitResult(
        profile=result.profile,
        theme=result.theme,
        limit=limit,
        pages=result.layout.page_count,
        start_pages=first.layout.page_count,
        start_density=start_density,
        density=result.density,
        dropped=result.drops,
        layouts=fitter.layouts,
        overflow=() if fitter.fits(result) else describe_overflow(result.layout, limit),
    )


def _fit(fitter: _Fitter, first: Attempt, start_density: str | None) -> Attempt:
    order = drop_order(fitter.plan)
    relevance = any(u.score for u in fitter.plan.units)
    irrelevant = [u for u in order if u.score == 0] if relevance else []
    relevant = [u for u in order if u not in irrelevant]
    current = first
    for density in tighter_densities(fitter.theme, start_density):
        current = fitter.attempt((), density)
        if fitter.fits(current):
            return current
    if irrelevant:
        current = fitter.fewest_drops((), irrelevant, current.density)
        if fitter.fits(current):
            return current
    if not relevant:
        return current
    return fitter.fewest_drops(irrelevant, relevant, current.density)


def _give_back(fitter: _Fitter, fitted: Attempt, start_density: str | None) -> Attempt:
    """Restore dropped parts that still fit, then loosen density back as far as the rest allows."""
    dropped_paths = {u.path for u in fitted.drops}
    candidates = [u for u in reversed(fitted.drops) if u.parent is None or u.parent not in dropped_paths]
    for unit in candidates[:BACKFILL_TRIES]:
        if not fitter.room(fitted):
            break
        attempt = fitter.attempt([u for u in fitted.drops if u is not unit], fitted.density)
        if fitter.fits(attempt):
            fitted = attempt
    tighter = tighter_densities(fitter.theme, start_density)
    if fitted.drops and fitted.density in tighter and fitter.room(fitted):
        for density in [start_density, *tighter[: tighter.index(fitted.density)]]:
            attempt = fitter.attempt(fitted.drops, density)
            if fitter.fits(attempt):
                return attempt
    return fitted


def drop_order(plan: Plan) -> list[Unit]:
    """Parts a fit may drop, first to go first: least relevant, then by KIND_RANK, then last in the profile.

    Protected items stay, and so does each item's most relevant bullet and facet (ties: the first),
    so a kept project never shrinks to a bare name. A part whose item goes earlier is left out.
    """
    kept = plan.kept()
    best: dict[ProfilePath, Unit] = {}
    for unit in kept:
        if unit.kind in ("bullet", "facet"):
            current = best.get(unit.group)
            if current is None or unit.score > current.score:
                best[unit.group] = unit
    keep = {u.path for u in best.values()}
    candidates = [u for u in kept if not u.protected and u.kind in KIND_RANK and u.path not in keep]
    candidates.sort(key=lambda u: (u.score, KIND_RANK[u.kind], -u.order))
    order: list[Unit] = []
    going: set[ProfilePath] = set()
    for unit in candidates:
        if unit.parent is not None and unit.parent in going:
            continue
        order.append(unit)
        going.add(unit.path)
    return order


def _density(theme: Theme) -> str | None:
    value = theme.options.get("density")
    return str(value) if value is not None else None


def tighter_densities(theme: Theme, current: str | None) -> list[str]:
    """The theme's allowed densities tighter than `current`, one step at a time."""
    if current not in DENSITIES:
        return []
    rank = DENSITIES.index(current)
    return [d for d in density_steps(theme) if DENSITIES.index(d) < rank]


def describe_overflow(layout: Layout, limit: int) -> tuple[str, ...]:
    """Say, page by page past the limit, which sections and items are on it."""
    section = item = ""
    lines: list[str] = []
    for number, page in enumerate(layout.pages, start=1):
        parts: list[str] = []
        if number > limit and page.continues and (item or section):
            parts.append(f"the rest of “{item}” ({section})" if item else f"the rest of {section}")
        names: dict[str, list[str]] = {}
        for level, label in page.headings:
            if level <= 2:
                section, item = label, ""
                names.setdefault(section, [])
            else:
                item = label
                names.setdefault(section, []).append(label)
        if number > limit:
            parts += [
                f"{name}: " + ", ".join(f"“{i}”" for i in items) if items else name for name, items in names.items()
            ]
            lines.append(f"page {number}: " + "; ".join(parts))
    return tuple(lines)
