"""Review a target as it tailors its profile: only the parts it shows, each finding still at its
line in the profile (targets point back into it), the target's own words at their lines in the
target, and the job description's terms that neither the tailored resume nor the letter mention."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cvforge.reader.read import load_profile
from cvforge.reviewer import rules
from cvforge.reviewer.engine import Review, Source, is_english, locate, run_rules, theme_width
from cvforge.reviewer.prose import Loc, Text, iter_texts, plain
from cvforge.schema import Profile
from cvforge.schema.sections import SECTION_KEYS
from cvforge.targets.match import Job
from cvforge.targets.tailoring import Plan, apply_plan, plan_tailoring, text_of
from cvforge.targets.target import TargetFile, load_job, load_target

PERSON_SECTIONS = {"summary": "summary", "about": "about", "metrics": "metrics"}


def review_target(
    path: Path, *, pages: int | None = None, today: date | None = None, rendered: Profile | None = None
) -> Review:
    """`rendered`, the tailored profile the last build recorded, tells what a page-limit fit left
    out as well. Raises ProfileError (TargetError) when the target or its profile does not validate."""
    today = today or date.today()
    target = load_target(path)
    profile = load_profile(target.profile_path)
    job = load_job(target, profile) if target.target.job is not None else None
    plan = plan_tailoring(profile, target.target, job)
    tailored = apply_plan(profile, target.target, plan)
    fitted_out = fit_drops(tailored, rendered) if rendered is not None else set()

    def shown(loc: Loc) -> bool:
        return shown_in(loc, target, plan)

    texts = [text for text in iter_texts(profile) if shown(text.loc) and text.raw not in fitted_out]
    width = theme_width(profile, target.target.theme)
    raw, rates = run_rules(profile, texts, width=width, pages=pages, today=today, locale=target.target.locale)
    ignore = {*profile.review.ignore, *target.target.review.ignore}
    profile_source = Source.read(target.profile_path)
    target_source = Source.read(path, profile=False)
    own = own_texts(target)
    english = is_english(target.target.locale or profile.locale)
    raw_own = [*rules.cliche(own), *rules.spelling(own)] if english else []
    raw_own += rules.tech_name(own)
    if job is not None:
        raw_own += missing_terms(job, target, rendered if rendered is not None and fitted_out else tailored, profile)
    findings = [
        *locate([r for r in raw if shown(r.loc)], profile_source, ignore),
        *locate(raw_own, target_source, ignore),
    ]
    return Review(target_source.shown, findings, rates, pages)


def fit_drops(tailored: Profile, rendered: Profile) -> set[str]:
    """Texts the target shows but its last build left out to fit the page limit. A record that says
    anything the profile no longer does is stale (the profile changed since): then nothing."""
    planned = {text.raw for text in iter_texts(tailored)}
    built = {text.raw for text in iter_texts(rendered)}
    return planned - built if built <= planned else set()


def shown_in(loc: Loc, target: TargetFile, plan: Plan) -> bool:
    """Whether the tailored resume shows the part at `loc` of the profile."""
    spec = target.target
    if any(loc[: len(gone)] == gone for gone in plan.dropped):
        return False
    if loc[0] == "person" and len(loc) > 1:
        if (loc[1] == "summary" and spec.summary is not None) or getattr(spec, str(loc[1]), None) is not None:
            return False  # the target writes its own
        section = PERSON_SECTIONS.get(str(loc[1]))
    else:
        section = str(loc[0]) if loc[0] in SECTION_KEYS else None
    return spec.sections is None or section is None or section in spec.sections


def own_texts(target: TargetFile) -> list[Text]:
    """The words the target writes over the profile's: headline, tagline, summary."""
    spec = target.target
    texts = []
    for name in ("headline", "tagline"):
        if (value := getattr(spec, name)) is not None:
            texts.append(Text((name,), "prose", value, plain(value)))
    for index, paragraph in enumerate(spec.summary or ()):
        texts.append(Text(("summary", index), "prose", paragraph, plain(paragraph)))
    return texts


def missing_terms(job: Job, target: TargetFile, tailored: object, profile: object) -> list[rules.Raw]:
    """The job's terms that neither the tailored resume nor the cover letter says, most weighty
    first; a term the whole profile does say is one the target's choices leave out."""
    letter = target.target.letter
    covered = job.covered_by(text_of(tailored)) | (job.covered_by(text_of(letter)) if letter is not None else set())
    in_profile = job.covered_by(text_of(profile))
    where: Loc = ("job", "description")  # or `job:` itself, when it names the file in one line
    found = []
    for term in sorted(job.terms, key=lambda t: -t.weight):
        if term.term.key in covered:
            continue
        said = f'the job asks for "{term.label}" ({term.count}× in the description), which neither the tailored resume '
        if term.term.key in in_profile:
            advice = (
                "nor the letter mentions, though the profile does: this target's sections, tags or caps leave it out"
            )
        else:
            advice = "nor the letter mentions; add it where it is true"
        found.append(rules.Raw(where, "job-term", "info", said + advice))
    return found
