"""A resume's page budget: tell a long one it is long, and fit one to `--page-limit N`.

Recruiters read one or two pages. A resume PDF past LONG_PAGES gets one note (never a warning: a
long resume is the person's choice, and `--strict` must not fail it) naming its page count and the
two ways to a shorter one. `--page-limit N` is the command-line form of a target's `page_limit`:
the same fit (`targets.fit`), by the profile's own order, applied to the paged formats only; the
HTML, Markdown and text stay complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cvforge.renderers.themes import Theme
from cvforge.schema import Profile

if TYPE_CHECKING:
    from cvforge.targets.fit import FitResult, Measure
    from cvforge.targets.tailoring import ProfilePath, Unit

LONG_PAGES = 2
# What a page limit trims: the formats a reader gets as pages. The HTML is a page that scrolls, and
# Markdown and text are pasted into forms: those keep the whole profile.
PAGED_FORMATS = ("pdf", "png", "docx")
NAMED_PARTS = 4  # a note names this many left-out parts, then counts the rest


def pdf_pages(data: bytes) -> int:
    """The number of pages in a PDF: as render_pdf counted them, else read by PDFium (no text is extracted)."""
    from cvforge.renderers.pdf import pages_made

    if (pages := pages_made(data)) is not None:
        return pages
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def long_resume_note(pages: int, *, target: bool) -> str | None:
    """One line for a resume PDF past LONG_PAGES; None for one within it."""
    if pages <= LONG_PAGES:
        return None
    where = (
        f"add `page_limit: {LONG_PAGES}` to this target"
        if target
        else f"build a target with `page_limit: {LONG_PAGES}`"
    )
    return (
        f"the PDF is {pages} pages; recruiters read {LONG_PAGES}: {where}, or build with `--page-limit {LONG_PAGES}`, "
        "to keep what the profile puts first (the HTML stays complete)"
    )


def fit_profile(profile: Profile, theme: Theme, limit: int, measure: Measure) -> tuple[FitResult, str]:
    """Fit a profile to `limit` pages as a target without a job would be: every part scores alike,
    so parts go in the profile's own order, last first (diagrams, then whole items, then facets and
    bullets); roles, education and each item's best bullet stay. The fit, and the note saying it."""
    from cvforge.schema.target import Target
    from cvforge.targets.fit import fit_to_pages
    from cvforge.targets.tailoring import plan_tailoring

    target = Target.model_validate({"profile": "-", "page_limit": limit})
    plan = plan_tailoring(profile, target)
    fit = fit_to_pages(profile, target, plan, theme, limit, measure)
    return fit, fitted_note(fit, {unit.path: unit.label for unit in plan.units})


def fitted_note(fit: FitResult, labels: Mapping[ProfilePath, str]) -> str:
    """What `--page-limit` did, in one line: the pages before and after, and what it left out
    (`labels`: every part's name, so a bullet is named with its item)."""
    head = f"--page-limit {fit.limit}: the PDF is {fit.pages} page(s)"
    if fit.density != fit.start_density:
        head += f" at density {fit.density}"
    complete = "(the HTML, Markdown and text are complete)"
    if not fit.dropped:
        return f"{head}; nothing left out {complete}"
    names = [_name(unit, labels) for unit in fit.dropped]
    more = f" and {len(names) - NAMED_PARTS} more" if len(names) > NAMED_PARTS else ""
    return f"{head}; left out {len(names)} part(s): {'; '.join(names[:NAMED_PARTS])}{more} {complete}"


def _name(unit: Unit, labels: Mapping[ProfilePath, str]) -> str:
    label = _short(unit.label)
    if unit.parent is not None and unit.parent in labels:
        parent = _short(labels[unit.parent])
        if unit.kind == "diagram":
            return f"the diagram of “{parent}”"
        article = "an" if unit.kind[0] in "aeiou" else "a"
        return f"{article} {unit.kind} of “{parent}” (“{label}”)"
    return f"{unit.section} “{label}”"


def _short(text: str, most: int = 48) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
