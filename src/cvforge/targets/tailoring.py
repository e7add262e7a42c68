"""Tailoring: one target's view of a master profile. Select by tags, cap, rank, reorder, override.

Pure: a profile, a target and an optional analysed job description in; a new Profile and
warnings out. Nothing is reworded: every word of the result comes from the profile or from the
target's own overrides (headline, tagline, summary, headings), so a tailored resume never claims
what the master profile does not.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from cvforge.schema.markup import parse_inline, plain_text
from cvforge.schema.profile import Experience, Heading, Headings, Metric, Profile
from cvforge.schema.target import TagFilter, Target
from cvforge.targets.match import Job, walk_models

ProfilePath = tuple[str | int, ...]
UnitKind = Literal["section", "item", "bullet", "facet", "diagram"]

# Where each section keeps its items, and whether a page fit may drop them. Roles, education,
# certifications and languages stay whole: a gap in a timeline reads worse than a longer page.
ITEM_LISTS: tuple[tuple[str, ProfilePath, bool], ...] = (
    ("summary", ("person", "summary"), False),
    ("about", ("person", "about"), True),
    ("metrics", ("metrics",), True),
    ("skills", ("skills", "table"), True),
    ("skills", ("skills", "groups"), True),
    ("experience", ("experience",), False),
    ("projects", ("projects",), True),
    ("principles", ("principles",), True),
    ("snapshots", ("snapshots",), True),
    ("notes", ("notes",), True),
    ("publications", ("publications",), True),
    ("education", ("education",), False),
    ("certifications", ("certifications",), False),
    ("awards", ("awards",), True),
    ("languages", ("languages",), False),
)
# Lists shown most relevant first when ranking by a job; timelines keep their order.
RANKED_LISTS = frozenset(
    {
        ("metrics",),
        ("projects",),
        ("skills", "table"),
        ("skills", "groups"),
        ("principles",),
        ("snapshots",),
        ("notes",),
        ("custom", "entries"),
    }
)
_UNSCORED_FIELDS = frozenset({"url", "website", "start", "end", "date", "year"})
LABEL_LENGTH = 60


@dataclass(frozen=True)
class Unit:
    """A part of the profile a target can keep or drop, with its relevance to the job."""

    path: ProfilePath  # where it is in the original profile: ("projects", 2, "bullets", 0)
    section: str
    kind: UnitKind
    label: str
    tags: tuple[str, ...]
    score: int
    terms: tuple[str, ...]
    order: int  # reading order in the profile, for stable ties
    protected: bool  # never dropped to fit a page limit
    group: ProfilePath  # the list it belongs to, which caps count within
    parent: ProfilePath | None = None


@dataclass(frozen=True)
class Plan:
    """Every unit, scored, and what the target leaves out and why."""

    units: tuple[Unit, ...]
    dropped: Mapping[ProfilePath, str]
    ranked: bool
    warnings: tuple[str, ...]

    def kept(self, extra: Collection[ProfilePath] = ()) -> list[Unit]:
        """Units still shown, given further drops; a unit whose parent is gone is gone too."""
        gone = set(self.dropped) | set(extra)
        return [u for u in self.units if u.path not in gone and (u.parent is None or u.parent not in gone)]


def tailor(profile: Profile, target: Target, job: Job | None = None) -> tuple[Profile, list[str]]:
    """The profile as this target shows it, and anything the target asked for that made no sense."""
    plan = plan_tailoring(profile, target, job)
    return apply_plan(profile, target, plan), list(plan.warnings)


def plan_tailoring(profile: Profile, target: Target, job: Job | None = None) -> Plan:
    """Score every unit against the job, then leave out what sections, tags and caps exclude."""
    units = list(iter_units(profile, job))
    dropped: dict[ProfilePath, str] = {}
    shown = set(target.sections) if target.sections is not None else None
    for unit in units:
        if unit.kind in ("section", "item"):
            if shown is not None and unit.section not in shown:
                dropped[unit.path] = "section not shown"
            elif reason := tag_reason(unit.tags, target.tags):
                dropped[unit.path] = reason
    cap_items(units, dropped, target)
    warnings = check_target(profile, target, units, dropped, job)
    return Plan(tuple(units), dropped, job is not None and bool(job.terms) and target_reorders(target), warnings)


def target_reorders(target: Target) -> bool:
    return target.job is None or target.job.reorder


def tag_reason(tags: Collection[str], rule: TagFilter) -> str | None:
    """Why these tags exclude an item, or None. Untagged items always stay."""
    folded = {t.casefold() for t in tags}
    excluded = [t for t in rule.exclude if t.casefold() in folded]
    if excluded:
        return f"excluded by tag '{excluded[0]}'"
    if rule.include and folded and not folded & {t.casefold() for t in rule.include}:
        return "no included tag"
    return None


def cap_items(units: list[Unit], dropped: dict[ProfilePath, str], target: Target) -> None:
    """Keep the N most relevant of each list (ties: profile order); without a job, the first N."""
    groups: dict[ProfilePath, list[Unit]] = {}
    gone = set(dropped)
    for unit in units:
        if unit.path in gone or (unit.parent is not None and unit.parent in gone):
            continue
        groups.setdefault(unit.group, []).append(unit)
    for members in groups.values():
        kind = members[0].kind
        cap: int | None
        if kind == "item":
            cap = target.caps.for_section(members[0].section)
        elif kind in ("bullet", "facet"):
            cap = target.caps.bullets if kind == "bullet" else target.caps.facets
        else:
            cap = None
        if cap is None or len(members) <= cap:
            continue
        for unit in sorted(members, key=lambda u: (-u.score, u.order))[cap:]:
            dropped[unit.path] = f"over the cap of {cap}"


def check_target(
    profile: Profile, target: Target, units: list[Unit], dropped: Mapping[ProfilePath, str], job: Job | None
) -> tuple[str, ...]:
    """Things the target asks for that the profile cannot give: unknown tags, empty sections."""
    warnings: list[str] = []
    used = sorted({tag for model in walk_models(profile) for tag in getattr(model, "tags", ())})
    folded = {t.casefold() for t in used}
    for key in ("include", "exclude"):
        for tag in getattr(target.tags, key):
            if tag.casefold() not in folded:
                close = difflib.get_close_matches(tag, used, n=1, cutoff=0.7)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                warnings.append(f"tags.{key}: no item of the profile has the tag '{tag}'{hint}")
    present = {u.section for u in units if u.kind in ("item", "section")}
    if profile.skills.working_with:
        present.add("skills")
    for name in target.sections or ():
        if name not in present:
            warnings.append(f"sections: the profile has nothing to show under '{name}'")
    if target.summary is not None and target.sections is not None and "summary" not in target.sections:
        warnings.append("summary is set but 'summary' is not in sections, so it is not shown")
    by_section: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.kind == "item":
            by_section.setdefault(unit.section, []).append(unit)
    for section, members in by_section.items():
        if all(dropped.get(u.path, "").startswith(("excluded", "no included")) for u in members):
            warnings.append(f"tags: every item under '{section}' is left out by the tag filter")
    if job is not None and not job.terms:
        warnings.append("job: the description names no skill or term cvforge knows, so nothing is ranked")
    return tuple(warnings)


# ---------------------------------------------------------------------------------------------
# Units: what a target can choose between


class _UnitMaker:
    """Numbers units in reading order and scores each against the job."""

    def __init__(self, job: Job | None) -> None:
        self.job = job
        self.order = 0

    def __call__(
        self,
        path: ProfilePath,
        section: str,
        kind: UnitKind,
        value: Any,
        *,
        protected: bool,
        group: ProfilePath,
        parent: ProfilePath | None = None,
    ) -> Unit:
        self.order += 1
        score = self.job.score(text_of(value)) if self.job is not None else None
        return Unit(
            path=path,
            section=section,
            kind=kind,
            label=label_of(value),
            tags=tuple(getattr(value, "tags", ())),
            score=score.points if score else 0,
            terms=score.terms if score else (),
            order=self.order,
            protected=protected,
            group=group,
            parent=parent,
        )

    def parts(self, item: Any, path: ProfilePath, section: str) -> Iterator[Unit]:
        """An item's bullets, facets and diagram: each can be capped or dropped on its own."""
        if not isinstance(item, BaseModel):
            return
        parts: tuple[tuple[str, UnitKind], ...] = (("bullets", "bullet"), ("facets", "facet"))
        for field, kind in parts:
            for index, part in enumerate(getattr(item, field, None) or ()):
                yield self(
                    (*path, field, index), section, kind, part, protected=False, group=(*path, field), parent=path
                )
        for field in ("diagram", "preformatted"):
            if text := getattr(item, field, None):
                yield self((*path, field), section, "diagram", text, protected=False, group=(*path, field), parent=path)


def iter_units(profile: Profile, job: Job | None) -> Iterator[Unit]:
    """Every item, custom section and item part (bullet, facet, diagram) in reading order, scored."""
    make = _UnitMaker(job)
    for section, where, droppable in ITEM_LISTS:
        for index, item in enumerate(value_at(profile, where)):
            path = (*where, index)
            yield make(path, section, "item", item, protected=not droppable, group=where)
            yield from make.parts(item, path, section)
    for index, custom in enumerate(profile.custom):
        section_path: ProfilePath = ("custom", index)
        yield make(section_path, "custom", "section", custom, protected=True, group=("custom",))
        for entry_index, entry in enumerate(custom.entries):
            entry_path = (*section_path, "entries", entry_index)
            group = (*section_path, "entries")
            yield make(entry_path, "custom", "item", entry, protected=False, group=group, parent=section_path)
            yield from make.parts(entry, entry_path, "custom")


def value_at(model: Any, path: ProfilePath) -> Any:
    for part in path:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    return model


def text_of(value: Any) -> str:
    """Every word of a unit that can speak to a job: its text, names, tech and tags (not links or dates)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(text_of(v) for v in value)
    if isinstance(value, BaseModel):
        return "\n".join(
            text_of(getattr(value, name)) for name in type(value).model_fields if name not in _UNSCORED_FIELDS
        )
    return ""


def label_of(value: Any) -> str:
    """What a person calls a unit in a report: a project's name, a role's title, a bullet's opening."""
    if isinstance(value, Experience):
        text = ", ".join(p for p in (value.title, value.organisation) if p)
    elif isinstance(value, Metric):
        figure = value.value if value.value is not None else f"{value.before} → {value.after}"
        text = f"{figure} {value.label}"
    elif isinstance(value, str):
        text = value
    else:
        names = ("name", "title", "category", "institution", "language", "label", "text")
        text = next((str(getattr(value, n)) for n in names if getattr(value, n, None)), "")
        if not text and getattr(value, "preformatted", None):
            text = value.preformatted
    text = " ".join(plain_text(parse_inline(text)).split())
    if len(text) <= LABEL_LENGTH:
        return text
    return text[:LABEL_LENGTH].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------------------------------------
# Applying a plan


def apply_plan(profile: Profile, target: Target, plan: Plan, extra: Collection[ProfilePath] = ()) -> Profile:
    """The tailored profile: the plan's drops (and `extra` ones), relevance order, the target's overrides."""
    drops = set(plan.dropped) | set(extra)
    scores = {u.path: u.score for u in plan.units} if plan.ranked else None
    rebuilt = _rebuild(profile, (), drops, scores)
    assert isinstance(rebuilt, Profile)
    person_updates: dict[str, Any] = {}
    if target.headline is not None:
        person_updates["headline"] = target.headline
    if target.tagline is not None:
        person_updates["tagline"] = target.tagline
    if target.summary is not None:
        person_updates["summary"] = list(target.summary)
    options = {**rebuilt.options, **target_options(target)}
    return rebuilt.model_copy(
        update={
            "person": rebuilt.person.model_copy(update=person_updates),
            "headings": merge_headings(rebuilt.headings, target.headings),
            "options": options,
            "theme": target.theme or rebuilt.theme,
        }
    )


def target_options(target: Target) -> dict[str, str | int | float | bool]:
    """The theme options a target sets: its own, its locale and date format, and its section order
    as the `sections` option."""
    options = dict(target.options)
    if target.locale is not None:
        options["locale"] = target.locale
    if target.date_format is not None:
        options["date_format"] = target.date_format
    if target.sections is not None:
        options["sections"] = ",".join(target.sections)
    return options


def merge_headings(base: Headings, override: Headings) -> Headings:
    """A target's heading replaces only the fields it sets: `intro: ""` hides an intro, title stays."""
    updates: dict[str, Heading] = {}
    for name in override.model_fields_set:
        mine = getattr(override, name)
        if mine is None:
            continue
        theirs = getattr(base, name) or Heading()
        updates[name] = theirs.model_copy(update={k: getattr(mine, k) for k in mine.model_fields_set})
    return base.model_copy(update=updates)


def _rebuild(
    node: BaseModel, path: ProfilePath, drops: set[ProfilePath], scores: Mapping[ProfilePath, int] | None
) -> BaseModel:
    """A copy of `node` without the dropped paths, lists in relevance order where that is allowed."""
    updates: dict[str, Any] = {}
    for name in type(node).model_fields:
        here = (*path, name)
        value = getattr(node, name)
        if here in drops:
            updates[name] = None
        elif isinstance(value, list):
            kept: list[tuple[ProfilePath, Any]] = []
            for index, item in enumerate(value):
                item_path = (*here, index)
                if item_path in drops:
                    continue
                if isinstance(item, BaseModel):
                    new = _rebuild(item, item_path, drops, scores)
                    if getattr(item, "entries", None) and not getattr(new, "entries", None):
                        continue  # a custom section whose every entry is gone goes too
                    item = new
                kept.append((item_path, item))
            if scores is not None and _ranked(here):
                kept.sort(key=lambda pair: -scores.get(pair[0], 0))
            if len(kept) != len(value) or any(a is not b for (_, a), b in zip(kept, value, strict=True)):
                updates[name] = [item for _, item in kept]
        elif isinstance(value, BaseModel):
            new = _rebuild(value, here, drops, scores)
            if new is not value:
                updates[name] = new
    return node.model_copy(update=updates) if updates else node


def _ranked(path: ProfilePath) -> bool:
    shape = tuple(part for part in path if isinstance(part, str))
    return shape in RANKED_LISTS or shape[-1:] == ("bullets",)
