"""The match report: how well a tailored resume covers its job description, as Markdown and JSON.

Coverage is measured on what a reader sees, the Document every renderer draws, never on tags or
on items the target left out. `coverage` is the percentage of the job's distinct terms the resume
mentions, to one decimal (null when the job names none). Pure: returns text; the build writes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from cvforge.document.letter import LetterDocument
from cvforge.document.view import Document
from cvforge.renderers.markdown import code_span, escape
from cvforge.schema.markup import Span
from cvforge.targets.fit import FitResult
from cvforge.targets.match import Job, measure_coverage
from cvforge.targets.tailoring import Plan, ProfilePath

SHOWN = "shown"
TABLE_MISSING = 4  # missing terms listed per row of the build's summary table


@dataclass(frozen=True)
class TermRow:
    """One term of the job: how much it weighs, and where the person stands on it."""

    term: str
    weight: int
    count: int
    source: str
    optional: bool
    covered: bool
    in_profile: bool
    in_letter: bool | None = None  # None: the target has no letter


@dataclass(frozen=True)
class ItemRow:
    """One item of the profile: its relevance, the terms behind it, and whether the resume shows it."""

    section: str
    item: str
    score: int
    terms: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class FitRow:
    """A part left out to fit the page limit, named with the item it belongs to."""

    section: str
    kind: str
    item: str
    score: int


@dataclass(frozen=True)
class MatchReport:
    """Everything the Markdown and JSON reports say about one target and its job."""

    target: str
    profile: str
    job: str
    terms: tuple[TermRow, ...]
    items: tuple[ItemRow, ...]
    fit: FitResult | None = None
    outputs: tuple[str, ...] = ()
    fit_dropped: tuple[FitRow, ...] = ()
    has_letter: bool = False

    @property
    def letter_covered(self) -> list[str]:
        """Terms the cover letter mentions."""
        return [row.term for row in self.terms if row.in_letter]

    @property
    def letter_coverage(self) -> float | None:
        if not self.has_letter or not self.terms:
            return None
        return round(100 * len(self.letter_covered) / len(self.terms), 1)

    @property
    def letter_only(self) -> list[str]:
        """Terms the letter covers that the resume does not."""
        return [row.term for row in self.terms if row.in_letter and not row.covered]

    @property
    def covered(self) -> list[str]:
        return [row.term for row in self.terms if row.covered]

    @property
    def missing(self) -> list[str]:
        return [row.term for row in self.terms if not row.covered]

    @property
    def coverage(self) -> float | None:
        return round(100 * len(self.covered) / len(self.terms), 1) if self.terms else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "profile": self.profile,
            "job": self.job,
            "coverage": self.coverage,
            "covered": self.covered,
            "missing": self.missing,
            "terms": [row.__dict__ for row in self.terms],
            "items": [{**row.__dict__, "terms": list(row.terms)} for row in self.items],
            "pages": _fit_dict(self.fit, self.fit_dropped) if self.fit else None,
            "outputs": list(self.outputs),
            "letter": (
                {"coverage": self.letter_coverage, "covered": self.letter_covered, "not_in_resume": self.letter_only}
                if self.has_letter
                else None
            ),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        lines = [
            f"# Match report: {escape(self.target)}",
            "",
            f"- Profile: {code_span(self.profile)}",
            f"- Job description: {code_span(self.job)}",
            f"- Coverage: **{_percent(self.coverage)}** ({len(self.covered)} of {len(self.terms)} terms)",
        ]
        if self.has_letter:
            only = f"; not in the resume: {', '.join(self.letter_only)}" if self.letter_only else ""
            lines.append(
                f"- Cover letter: **{_percent(self.letter_coverage)}** "
                f"({len(self.letter_covered)} of {len(self.terms)} terms){only}"
            )
        if self.fit:
            lines.append(f"- Pages: {_fit_line(self.fit)}")
        if self.outputs:
            lines.append("- Outputs: " + ", ".join(code_span(o) for o in self.outputs))
        missing = [row for row in self.terms if not row.covered]
        lines += ["", "## Missing terms", ""]
        if missing:
            lines += _table(
                ("Term", "Weight", "In the profile", *self._letter_header()),
                [
                    (
                        row.term,
                        _weight(row),
                        "yes, left out of this resume" if row.in_profile else "no",
                        *self._letter_cell(row),
                    )
                    for row in missing
                ],
            )
        else:
            lines.append("None: the resume mentions every term of the job description.")
        lines += ["", "## Covered terms", ""]
        covered = [row for row in self.terms if row.covered]
        lines += (
            _table(
                ("Term", "Weight", "Found as", *self._letter_header()),
                [(r.term, _weight(r), r.source, *self._letter_cell(r)) for r in covered],
            )
            if covered
            else ["None."]
        )
        lines += ["", "## Items by relevance", ""]
        lines += _table(
            ("Section", "Item", "Score", "Matched terms", "Status"),
            [(r.section, r.item, str(r.score), ", ".join(r.terms), r.status) for r in self.items],
        )
        if self.fit_dropped:
            lines += ["", "## Left out to fit the page limit", ""]
            lines += [
                f"- {escape(row.section)}: {escape(row.kind)} “{escape(row.item)}” (score {row.score})"
                for row in self.fit_dropped
            ]
        if self.fit and self.fit.overflow:
            lines += ["", "## Still over the page limit", ""]
            lines += [f"- {escape(line)}" for line in self.fit.overflow]
        lines += [
            "",
            "Weight: 2 for each time the job description names the term in its main text (counting up to "
            "3 times), or 1 when it names it only under a nice-to-have heading. Score: the summed weight of "
            "the distinct terms an item mentions in its text, tech and tags.",
        ]
        return "\n".join(lines) + "\n"

    def _letter_header(self) -> tuple[str, ...]:
        return ("In the letter",) if self.has_letter else ()

    def _letter_cell(self, row: TermRow) -> tuple[str, ...]:
        return ("yes" if row.in_letter else "no",) if self.has_letter else ()


def make_report(
    *,
    target: str,
    profile: str,
    job_source: str,
    job: Job,
    plan: Plan,
    shown: Document,
    everything: Document,
    fit: FitResult | None = None,
    outputs: Sequence[str] = (),
    letter: LetterDocument | None = None,
) -> MatchReport:
    """Compare the job's terms with the tailored Document (`shown`), the whole profile (`everything`)
    and the cover letter, if the target has one."""
    coverage = measure_coverage(job, document_text(shown))
    covered = {jt.term.key for jt in coverage.covered}
    in_letter = job.covered_by(letter_text(letter)) if letter is not None else set()
    in_profile = job.covered_by(document_text(everything))
    terms = tuple(
        TermRow(
            jt.label,
            jt.weight,
            jt.count,
            jt.term.source,
            jt.optional,
            jt.term.key in covered,
            jt.term.key in in_profile,
            (jt.term.key in in_letter) if letter is not None else None,
        )
        for jt in job.terms
    )
    labels = {unit.path: unit.label for unit in plan.units}
    dropped = tuple(
        FitRow(u.section, u.kind, f"{labels[u.parent]} › {u.label}" if u.parent else u.label, u.score)
        for u in (fit.dropped if fit else ())
    )
    rows = item_rows(plan, fit)
    return MatchReport(target, profile, job_source, terms, rows, fit, tuple(outputs), dropped, letter is not None)


def item_rows(plan: Plan, fit: FitResult | None) -> tuple[ItemRow, ...]:
    """Items (not bullets) grouped by section in reading order, most relevant first within each."""
    fitted = {u.path for u in fit.dropped} if fit else set()
    reasons: dict[ProfilePath, str] = dict(plan.dropped)
    for path in fitted:
        reasons.setdefault(path, f"left out to fit {fit.limit} page(s)" if fit else "")
    rows: list[tuple[int, int, ItemRow]] = []
    first_of_section: dict[str, int] = {}
    for unit in plan.units:
        if unit.kind != "item":
            continue
        status = reasons.get(unit.path) or (reasons.get(unit.parent) if unit.parent else None) or SHOWN
        position = first_of_section.setdefault(unit.section, unit.order)
        rows.append((position, -unit.score, ItemRow(unit.section, unit.label, unit.score, unit.terms, status)))
    rows.sort(key=lambda r: (r[0], r[1]))
    return tuple(row for _, _, row in rows)


def document_text(document: Document) -> str:
    """Everything a reader of the resume sees, as plain text: the person and every section."""
    parts: list[str] = []
    _collect((document.person, document.sections), parts)
    return "\n".join(parts)


def letter_text(letter: LetterDocument) -> str:
    """What the letter says in its own words: subject, salutation and paragraphs (not the shared header)."""
    parts: list[str] = []
    _collect((letter.subject, letter.body), parts)
    return "\n".join(parts)


_HIDDEN_FIELDS = frozenset({"href", "kind", "key"})


def _collect(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(value)
    elif isinstance(value, Span):
        parts.append(value.text)
    elif is_dataclass(value) and not isinstance(value, type):
        for spec in fields(value):
            if spec.name not in _HIDDEN_FIELDS:
                _collect(getattr(value, spec.name), parts)
    elif isinstance(value, tuple | list):
        for item in value:
            _collect(item, parts)


def summary_table(reports: Iterable[MatchReport]) -> str:
    """The build's short table: one row per target with its coverage and first missing terms."""
    rows = []
    for report in reports:
        missing = report.missing
        shown = ", ".join(missing[:TABLE_MISSING]) + (f" (+{len(missing) - TABLE_MISSING})" if len(missing) > 4 else "")
        rows.append(
            (report.target, _percent(report.coverage), f"{len(report.covered)}/{len(report.terms)}", shown or "-")
        )
    headers = ("target", "coverage", "terms", "missing")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)] if rows else []
    lines = []
    for row in (headers, *rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].rjust(widths[2]), row[3]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _weight(row: TermRow) -> str:
    return f"{row.weight} (nice to have)" if row.optional else str(row.weight)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _fit_dict(fit: FitResult, dropped: Sequence[FitRow]) -> dict[str, Any]:
    return {
        "limit": fit.limit,
        "pages": fit.pages,
        "fits": fit.fits,
        "pages_before_fitting": fit.start_pages,
        "density_before": fit.start_density,
        "density": fit.density,
        "layouts": fit.layouts,
        "dropped": [row.__dict__ for row in dropped],
        "overflow": list(fit.overflow),
    }


def _fit_line(fit: FitResult) -> str:
    text = f"{fit.pages} (limit {fit.limit}; {fit.start_pages} before fitting"
    if fit.density != fit.start_density:
        text += f"; density {fit.start_density} → {fit.density}"
    text += f"; {len(fit.dropped)} part(s) left out; {fit.layouts} layout(s) measured)"
    return text


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    def cell(text: str) -> str:  # the profile's names are text: escaped, so no name becomes markup
        return escape(text.replace("\n", " "))  # escape() covers "|", which would end the cell

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines
