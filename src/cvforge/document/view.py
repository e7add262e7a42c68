"""Profile → Document: the small, format-neutral tree every renderer reads.

Dates are formatted, Markdown is parsed and sections are ordered here, once, so HTML, PDF and
DOCX cannot drift apart. Each profile section key has a builder in `SECTION_BUILDERS`, which makes
one of the typed section classes of `sections.py`. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple, assert_never

from cvforge.document.locale import LocaleView, make_locale
from cvforge.document.page import PageFacts, page_facts
from cvforge.document.sections import (
    AboutSection,
    AnyCustomSection,
    AnySection,
    AwardsSection,
    Bullet,
    CertificationsSection,
    CustomBulletsSection,
    CustomEducationSection,
    CustomNumberedSection,
    CustomPublicationsSection,
    CustomSection,
    CustomTextSection,
    EducationSection,
    Entry,
    ExperienceSection,
    FacetView,
    LanguagesSection,
    LinkView,
    MetricsSection,
    MetricView,
    NotesSection,
    PrinciplesSection,
    ProjectsSection,
    ProjectView,
    PublicationsSection,
    RoleView,
    SkillGroupView,
    SkillsSection,
    SkillsView,
    SnapshotsSection,
    SnapshotView,
    SummarySection,
    TimelineGroup,
)
from cvforge.schema.links import is_remote
from cvforge.schema.markup import Inline, parse_inline, split_sub_points
from cvforge.schema.placeholders import fill, label_placeholders
from cvforge.schema.profile import (
    CustomEntry,
    Dated,
    Education,
    Experience,
    Facet,
    Metric,
    PartialDate,
    Profile,
    Project,
    Publication,
)
from cvforge.schema.profile import CustomSection as CustomSectionModel
from cvforge.schema.sections import DEFAULT_ORDER

ENGLISH = LocaleView()


@dataclass(frozen=True)
class Contact:
    """One contact detail, with the link a reader can follow (if any)."""

    kind: str
    text: str
    href: str | None = None


@dataclass(frozen=True)
class PersonView:
    name: str
    headline: str | None
    tagline: Inline | None
    availability: str | None
    contacts: tuple[Contact, ...]
    photo: str | None = None  # a file next to the profile; remote photos are never fetched, so never here


@dataclass(frozen=True)
class Document:
    """The whole resume, in reading order."""

    person: PersonView
    sections: tuple[AnySection, ...]
    keywords: tuple[str, ...] = field(default=())
    page: PageFacts = field(default_factory=PageFacts)  # for a published page's metadata
    # Words, dates and direction: themes print `doc.locale.labels.tech`, never a word of their own.
    locale: LocaleView = field(default_factory=LocaleView)

    @property
    def labels(self) -> dict[str, str]:
        """Every label as a theme prints it (`doc.labels.tech`, '{{' a literal brace); one that takes
        placeholders stays a template for `doc.locale.label(key, name=…)`."""
        return {key: text if label_placeholders(key) else fill(text, {}) for key, text in self.locale.labels.items()}

    def section(self, key: str) -> AnySection | None:
        return next((s for s in self.sections if s.key == key), None)


def format_date(date: PartialDate | str, locale: LocaleView = ENGLISH) -> str:
    """ "Mar 2024", "März 2024", "2024年3月", "مارس 2024"; the locale's "present" for an open end."""
    if isinstance(date, str):
        return locale.label("present")
    if date.month is None:
        return locale.year(date.year)
    return locale.month(date.year, date.month)


def format_range(item: Dated, locale: LocaleView = ENGLISH) -> str | None:
    """'2024 – 2026', 'Mar 2024 – Present', '2022'; a free period label is added after dates."""
    parts: list[str] = []
    if item.start is not None:
        start = format_date(item.start, locale)
        end = format_date(item.end, locale) if item.end is not None else None
        parts.append(start if end in (None, start) else f"{start} – {end}")
    if item.period:
        parts.append(item.period)
    return " · ".join(parts) or None


def _inline(text: str | None) -> Inline | None:
    return parse_inline(text) if text else None


def _inlines(texts: Iterable[str]) -> tuple[Inline, ...]:
    return tuple(parse_inline(t) for t in texts)


def _bullets(texts: Iterable[str]) -> tuple[Bullet, ...]:
    """Each point with the sub-points written under it ("- " lines), parsed once for every format."""
    points = (split_sub_points(t) for t in texts)
    return tuple(Bullet(parse_inline(text), tuple(parse_inline(s) for s in subs)) for text, subs in points)


def _facets(facets: Sequence[Facet]) -> tuple[FacetView, ...]:
    return tuple(FacetView(f.name, _inline(f.text), _inlines(f.items)) for f in facets)


def _link_text(url: str) -> str:
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if url.startswith(prefix):
            url = url[len(prefix) :]
    return url.removeprefix("www.").rstrip("/")


def view_person(profile: Profile) -> PersonView:
    person = profile.person
    contacts: list[Contact] = []
    if person.email:
        contacts.append(Contact("email", person.email, f"mailto:{person.email}"))
    if person.phone:
        contacts.append(Contact("phone", person.phone, "tel:" + "".join(c for c in person.phone if c in "+0123456789")))
    if person.location:
        contacts.append(Contact("location", person.location))
    if person.address and person.address.line():
        contacts.append(Contact("address", person.address.line() or ""))
    if person.website:
        contacts.append(Contact("website", _link_text(person.website), person.website))
    for link in person.links:
        contacts.append(Contact(link.network or "link", link.label or _link_text(link.url), link.url))
    photo = person.photo if person.photo and not is_remote(person.photo) else None
    return PersonView(
        person.name, person.headline, _inline(person.tagline), person.availability, tuple(contacts), photo
    )


def view_metric(metric: Metric) -> MetricView:
    figure = metric.value if metric.value is not None else f"{metric.before} → {metric.after}"
    return MetricView(figure, metric.unit, metric.label, metric.context, metric.before, metric.after)


def view_role(role: Experience, locale: LocaleView = ENGLISH) -> RoleView:
    return RoleView(
        role.title,
        role.team,
        role.location,
        format_range(role, locale),
        _inline(role.summary),
        _bullets(role.bullets),
        _inline(role.outcome),
    )


def view_timeline(experience: Sequence[Experience], locale: LocaleView = ENGLISH) -> tuple[TimelineGroup, ...]:
    """Group consecutive roles at one organisation; the group's dates span its roles."""
    groups: list[TimelineGroup] = []
    for organisation, roles_iter in groupby(experience, key=lambda e: e.organisation):
        roles = list(roles_iter)
        if organisation is None:
            groups.extend(TimelineGroup(None, format_range(r, locale), (view_role(r, locale),)) for r in roles)
            continue
        url = next((r.url for r in roles if r.url), None)
        groups.append(
            TimelineGroup(organisation, _span_dates(roles, locale), tuple(view_role(r, locale) for r in roles), url)
        )
    return tuple(groups)


def _span_dates(roles: Sequence[Experience], locale: LocaleView) -> str | None:
    starts = [r.start for r in roles if r.start is not None]
    if not starts:
        return format_range(roles[0], locale) if len(roles) == 1 else None
    first = min(starts, key=PartialDate.sort_key)
    ends = [r.end for r in roles if r.end is not None]
    last: PartialDate | str | None
    if any(isinstance(e, str) for e in ends):
        last = "present"
    else:
        last = max((e for e in ends if isinstance(e, PartialDate)), key=PartialDate.sort_key, default=None)
    start_text = format_date(first, locale)
    end_text = format_date(last, locale) if last is not None else None
    return start_text if end_text in (None, start_text) else f"{start_text} – {end_text}"


def view_project(project: Project, locale: LocaleView = ENGLISH) -> ProjectView:
    return ProjectView(
        name=project.name,
        kind=project.kind,
        year=format_date(project.year, locale) if project.year else format_range(project, locale),
        # The place shares the organisation's slot on the meta line: "Smoogle · Palo Alto, CA".
        organisation=_join(project.organisation, project.location),
        role=project.role,
        tagline=_inline(project.tagline),
        description=_inlines(project.description),
        facets=_facets(project.facets),
        diagram=project.diagram.rstrip() if project.diagram else None,
        bullets=_bullets(project.bullets),
        outcomes=tuple(project.outcomes),
        tech=tuple(project.tech),
        links=tuple(LinkView(link.label or link.network or _link_text(link.url), link.url) for link in project.links),
    )


def _join(*parts: str | None) -> str | None:
    return " · ".join(p for p in parts if p) or None


class SectionHead(NamedTuple):
    """What every section starts with, decided before its items: key, title and intro."""

    key: str
    title: str
    intro: Inline | None


def _summary(p: Profile, locale: LocaleView, head: SectionHead) -> SummarySection:
    return SummarySection(*head, _inlines(p.person.summary))


def _about(p: Profile, locale: LocaleView, head: SectionHead) -> AboutSection:
    return AboutSection(*head, _inlines(p.person.about))


def _metrics(p: Profile, locale: LocaleView, head: SectionHead) -> MetricsSection:
    return MetricsSection(*head, tuple(view_metric(m) for m in p.metrics))


def _experience(p: Profile, locale: LocaleView, head: SectionHead) -> ExperienceSection:
    return ExperienceSection(*head, view_timeline(p.experience, locale))


def _projects(p: Profile, locale: LocaleView, head: SectionHead) -> ProjectsSection:
    return ProjectsSection(*head, tuple(view_project(pr, locale) for pr in p.projects))


def _skills(p: Profile, locale: LocaleView, head: SectionHead) -> SkillsSection:
    groups = tuple(
        SkillGroupView(g.name, g.depth, _inline(g.description), _bullets(g.bullets), tuple(g.items))
        for g in p.skills.groups
    )
    table = tuple((row.category, tuple(row.items)) for row in p.skills.table)
    return SkillsSection(*head, SkillsView(groups, tuple(p.skills.working_with), table))


def _principles(p: Profile, locale: LocaleView, head: SectionHead) -> PrinciplesSection:
    return PrinciplesSection(*head, tuple(parse_inline(pr.text) for pr in p.principles))


def _snapshots(p: Profile, locale: LocaleView, head: SectionHead) -> SnapshotsSection:
    return SnapshotsSection(
        *head, tuple(SnapshotView(s.title, s.subtitle, s.label, _facets(s.facets)) for s in p.snapshots)
    )


def _notes(p: Profile, locale: LocaleView, head: SectionHead) -> NotesSection:
    return NotesSection(
        *head,
        tuple(
            Entry(
                title=n.title,
                subtitle=n.topic,
                meta=n.status,
                dates=format_date(n.date, locale) if n.date else None,
                text=_inlines([", ".join(n.authors)] if n.authors else []) + _inlines([n.summary] if n.summary else []),
                keywords=tuple(n.keywords),
                link=LinkView(_link_text(n.url), n.url) if n.url else None,
            )
            for n in p.notes
        ),
    )


def byline(authors: Sequence[str], own_name: str) -> str:
    """ "**Jane Doe**, Li Zhang": the person's own name in bold, as academic CVs mark it; a name the
    file already emphasises (RenderCV writes "*Jane Doe*") is left as written."""
    own = " ".join(own_name.split()).casefold()
    marked = (f"**{a}**" if " ".join(a.split()).casefold() == own and "*" not in a else a for a in authors)
    return ", ".join(marked)


def doi_link(doi: str) -> LinkView:
    return LinkView(f"doi:{doi}", f"https://doi.org/{doi}")


def _publication(item: Publication, own_name: str, locale: LocaleView) -> Entry:
    """Title, then venue and date; the byline and summary as text; the DOI (else the URL) as the link,
    with the other one on the meta line when there are both."""
    link = doi_link(item.doi) if item.doi else (LinkView(_link_text(item.url), item.url) if item.url else None)
    return Entry(
        title=item.title,
        subtitle=item.venue,
        meta=_link_text(item.url) if (item.doi and item.url) else None,
        dates=format_date(item.date, locale) if item.date else None,
        text=_inlines([byline(item.authors, own_name)] if item.authors else [])
        + _inlines([item.summary] if item.summary else []),
        link=link,
    )


def _publications(p: Profile, locale: LocaleView, head: SectionHead) -> PublicationsSection:
    return PublicationsSection(*head, tuple(_publication(item, p.person.name, locale) for item in p.publications))


def _education(p: Profile, locale: LocaleView, head: SectionHead) -> EducationSection:
    return EducationSection(*head, tuple(_school(e, locale) for e in p.education))


def _school(e: Education, locale: LocaleView) -> Entry:
    return Entry(
        title=_join(e.degree, e.area) or e.institution,
        subtitle=e.institution if (e.degree or e.area) else None,
        meta=_join(e.location, e.score),
        dates=format_range(e, locale),
        text=_inlines([e.summary] if e.summary else []),
        rows=((locale.label("courses"), tuple(e.courses)),) if e.courses else (),
        bullets=_bullets(e.bullets),
        link=LinkView(_link_text(e.url), e.url) if e.url else None,
    )


def _certifications(p: Profile, locale: LocaleView, head: SectionHead) -> CertificationsSection:
    return CertificationsSection(
        *head,
        tuple(
            Entry(
                title=c.name,
                subtitle=c.issuer,
                dates=format_date(c.date, locale) if c.date else None,
                link=LinkView(_link_text(c.url), c.url) if c.url else None,
            )
            for c in p.certifications
        ),
    )


def _awards(p: Profile, locale: LocaleView, head: SectionHead) -> AwardsSection:
    return AwardsSection(
        *head,
        tuple(
            Entry(
                title=a.title,
                subtitle=a.awarder,
                dates=format_date(a.date, locale) if a.date else None,
                text=_inlines([a.summary] if a.summary else []),
            )
            for a in p.awards
        ),
    )


def _languages(p: Profile, locale: LocaleView, head: SectionHead) -> LanguagesSection:
    return LanguagesSection(*head, tuple(Entry(title=lang.language, subtitle=lang.fluency) for lang in p.languages))


SectionBuilder = Callable[[Profile, LocaleView, SectionHead], AnySection]
# Every built-in section key and the builder of its section (`custom` is `view_custom`: one per entry).
SECTION_BUILDERS: dict[str, SectionBuilder] = {
    "summary": _summary,
    "about": _about,
    "metrics": _metrics,
    "experience": _experience,
    "projects": _projects,
    "skills": _skills,
    "principles": _principles,
    "snapshots": _snapshots,
    "notes": _notes,
    "publications": _publications,
    "education": _education,
    "certifications": _certifications,
    "awards": _awards,
    "languages": _languages,
}


def _has_content(section: AnySection) -> bool:
    if isinstance(section, SkillsSection):
        return bool(section.items.groups or section.items.working_with or section.items.table)
    return bool(section.items)


def view_custom(profile: Profile, locale: LocaleView = ENGLISH) -> list[AnyCustomSection]:
    """Each custom section as the class of its kind; its key (`custom-0`) is its place in the list."""
    return [
        _custom_section(f"custom-{index}", section, locale, profile.person.name)
        for index, section in enumerate(profile.custom)
    ]


def _custom_section(key: str, section: CustomSectionModel, locale: LocaleView, own_name: str = "") -> AnyCustomSection:
    head = (key, section.title, _inline(section.intro))
    items = _inlines(section.items)
    match section.kind:
        case "text":
            return CustomTextSection(*head, items)
        case "bullets":
            return CustomBulletsSection(*head, items)
        case "numbered" | "reversed-numbered":
            return CustomNumberedSection(*head, items, descending=section.kind == "reversed-numbered")
        case "publications":
            return CustomPublicationsSection(
                *head, tuple(_publication(p, own_name, locale) for p in section.publications)
            )
        case "education":
            return CustomEducationSection(*head, tuple(_school(e, locale) for e in section.education))
        case "entries":
            return CustomSection(*head, tuple(_custom_entry(e, locale) for e in section.entries))
        case _:
            assert_never(section.kind)


def _custom_entry(e: CustomEntry, locale: LocaleView) -> Entry:
    return Entry(
        title=e.title,
        subtitle=e.subtitle,
        meta=e.location,
        dates=format_range(e, locale),
        text=_inlines(e.text),
        bullets=_bullets(e.bullets),
        rows=tuple((row.label, tuple(row.items)) for row in e.rows),
        keywords=tuple(e.keywords),
        preformatted=e.preformatted.rstrip() if e.preformatted else None,
        link=LinkView(_link_text(e.url), e.url) if e.url else None,
    )


def _head(profile: Profile, key: str, locale: LocaleView) -> SectionHead:
    """The profile's own heading for a section if it words one, else the locale's title."""
    heading = getattr(profile.headings, key)
    title = (heading.title if heading and heading.title else None) or locale.label(key)
    return SectionHead(key, title, _inline(heading.intro) if heading else None)


def view_document(profile: Profile, order: Sequence[str] = DEFAULT_ORDER) -> Document:
    """Build the Document; sections follow `order`, and any section left out of it is skipped.
    Words and dates follow the profile's `locale`, `date_format` and `labels`."""
    locale = make_locale(profile.locale, profile.date_format, profile.labels)
    sections: list[AnySection] = []
    custom = view_custom(profile, locale)
    placed = {key for key in order if key.startswith("custom-")}
    for key in order:
        if key == "custom":  # every custom section the order does not place by its own key
            sections.extend(section for section in custom if section.key not in placed)
        elif key.startswith("custom-"):
            sections.extend(section for section in custom if section.key == key)
        elif key in SECTION_BUILDERS:
            section = SECTION_BUILDERS[key](profile, locale, _head(profile, key, locale))
            if _has_content(section):
                sections.append(section)
    keywords = tuple(dict.fromkeys(item for row in profile.skills.table for item in row.items)) or tuple(
        profile.skills.working_with
    )
    return Document(view_person(profile), tuple(sections), keywords, page_facts(profile), locale)
