"""`cvforge review`: lint profiles and targets as a careful editor would, and print each finding at
its line (`cvforge.review` does the reading; this module prints). `build --review` reuses it."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cvforge.cli.options import FORMAT_ERRORS, ProjectPath

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job
    from cvforge.reviewer.engine import Review
    from cvforge.reviewer.finding import Finding


@click.command("review")
@click.argument("sources", nargs=-1, type=ProjectPath(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any warning is found (info findings never fail).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: every file, its findings and figures.")
@click.option(
    "--out",
    "out_dir",
    type=ProjectPath(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Output folder whose last build gives the page count (length-of-resume).",
)
@FORMAT_ERRORS
def review_command(sources: tuple[Path, ...], strict: bool, as_json: bool, out_dir: Path) -> None:
    """Review SOURCES: profiles and targets (default: all in ./profiles and ./targets), each finding located.

    Offline and deterministic: weak openers, missing figures, pronouns, repeated verbs, tense,
    length, clichés, misspellings, technology names, dates, page count and contact details. A target
    is reviewed as tailored, with the job's terms it leaves unsaid."""
    from cvforge.builder.discover import collect_jobs

    reviews = review_jobs([job for job in collect_jobs(sources) if job.kind != "letter"], out_dir)
    warned = echo_reviews(reviews, as_json=as_json)
    if strict and warned:
        sys.exit(1)


def review_jobs(jobs: Sequence[Job], out_dir: Path) -> list[Review]:
    """Each profile's or target's review; raises ProfileError when one does not validate."""
    from cvforge.builder.cache import BuildCache
    from cvforge.builder.jobs import recorded_profile
    from cvforge.reader.read import parse_once
    from cvforge.reviewer.engine import review_file
    from cvforge.reviewer.tailored import review_target

    reviews = []
    with parse_once():  # a profile two targets tailor is validated once
        for job in jobs:
            pages = last_page_count(job, out_dir)
            if job.kind == "target":
                rendered = recorded_profile(job, BuildCache.open(out_dir)) if out_dir.is_dir() else None
                reviews.append(review_target(job.path, pages=pages, rendered=rendered))
            elif job.kind == "profile":
                reviews.append(review_file(job.path, pages=pages))
    return reviews


def last_page_count(job: Job, out_dir: Path) -> int | None:
    """Pages of the PDF the last build wrote for this job, as its build record names it; None when
    there is none. Counting pages reads the PDF's page tree; nothing is laid out again."""
    from cvforge.builder.cache import BuildCache
    from cvforge.builder.jobs import entry_id

    if not out_dir.is_dir():
        return None
    record = BuildCache.open(out_dir)
    pdfs = [path for path in record.files_of(entry_id(job, "pdf")) if path.suffix == ".pdf"]
    if not pdfs:
        return None
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdfs[0].read_bytes())
    except (OSError, pypdfium2.PdfiumError):
        return None
    try:
        return len(document)
    finally:
        document.close()


def echo_reviews(reviews: Sequence[Review], *, as_json: bool, err: bool = False) -> int:
    """Print the findings and summaries (lines, or one JSON document); the number of warnings."""
    from cvforge.cli.console import annotating

    warnings = sum(review.warnings for review in reviews)
    if as_json:
        files = [review.as_dict() for review in reviews]
        total = sum(len(review.findings) for review in reviews)
        click.echo(json.dumps({"findings": total, "warnings": warnings, "files": files}, indent=2))
        return warnings
    for review in reviews:
        for finding in review.findings:
            click.secho(str(finding), fg="yellow" if finding.severity == "warning" else None, err=err)
            if annotating():
                click.echo(github_annotation(finding))
        click.echo(review.summary(), err=err)
    return warnings


def github_annotation(finding: Finding) -> str:
    """A warning or notice GitHub shows on the line of the file, in the pull request's diff."""

    def escape(value: str, *, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    level = "warning" if finding.severity == "warning" else "notice"
    where = f"file={escape(finding.file, prop=True)}"
    if finding.line:
        where += f",line={finding.line},col={finding.column}"
    title = escape(f"cvforge review: {finding.rule}", prop=True)
    message = f"{finding.path}: {finding.message}" if finding.path else finding.message
    return f"::{level} {where},title={title}::{escape(message)}"
