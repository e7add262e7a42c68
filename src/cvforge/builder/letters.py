"""Letters and packets in a build: rendering a job's letter outputs in memory, and rebuilding the
letter a job rendered for `check`. Which outputs a job makes is decided in `builder.output_kinds`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cvforge.builder.output_kinds import LETTER_PREFIX, PACKET, is_letter_kind
from cvforge.document.letter import LetterDocument, view_letter
from cvforge.errors import UsageError, display_path
from cvforge.renderers.letter import fit_letter_pdf, render_letter
from cvforge.renderers.themes import Theme
from cvforge.schema import Profile

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job, Settings
    from cvforge.readback.verify import Report
    from cvforge.targets.letter import LetterSource


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when it is set: a reproducible build dates its letters alike."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def letter_document(source: LetterSource, profile: Profile) -> LetterDocument:
    """The letter as every renderer sees it, from its (already redacted) sender's profile."""
    return view_letter(
        profile,
        source.spec,
        today=build_date(),
        company=source.company,
        role=source.role,
        with_resume=source.with_resume,
    )


@dataclass(frozen=True)
class LetterFiles:
    """A job's letter outputs in memory, the letter's PDF (for a packet) and what to warn about."""

    files: dict[Path, tuple[str, bytes]]
    pdf: bytes | None
    warnings: tuple[str, ...]


def render_letter_files(
    letter: LetterDocument, theme: Theme, kinds: Sequence[str], stem: Path, profile_dir: Path, letter_dir: Path
) -> LetterFiles:
    """`stem.letter.FORMAT` for each letter kind asked for; the PDF is fitted to one page, or warned about."""
    files: dict[Path, tuple[str, bytes]] = {}
    pdf: bytes | None = None
    warnings: list[str] = []
    letter_stem = stem.with_name(f"{stem.name}.letter")
    needs_pdf = PACKET in kinds or f"{LETTER_PREFIX}pdf" in kinds
    if needs_pdf:
        fitted = fit_letter_pdf(letter, theme, profile_dir, letter_dir)
        pdf = fitted.data
        if not fitted.fits:
            past = "; ".join(fitted.overflow) or "the end of the letter"
            warnings.append(
                f"letter does not fit one page ({fitted.pages} pages even at the tightest spacing); "
                f"past page one: {past}. Shorten the letter."
            )
    for kind in kinds:
        if not is_letter_kind(kind):
            continue
        fmt = kind.removeprefix(LETTER_PREFIX)
        data = pdf if fmt == "pdf" and pdf is not None else render_letter(letter, theme, fmt, profile_dir, letter_dir)
        files[letter_stem.with_name(f"{letter_stem.name}.{fmt}")] = (kind, data)
    return LetterFiles(files, pdf, tuple(warnings))


def letter_outputs(
    source: LetterSource | None,
    sender: Profile,
    theme: Theme,
    kinds: Sequence[str],
    stem: Path,
    profile_dir: Path,
    resume_pdf: Callable[[], bytes] | None = None,
) -> tuple[dict[Path, tuple[str, bytes]], LetterDocument | None, tuple[str, ...]]:
    """A job's letter files and packet, the letter they show (for `check`) and their warnings.

    `sender` is the profile the resume was rendered from (tailored, redacted), so the letter's
    header matches the resume's; `resume_pdf` gives the resume's PDF bytes when a packet is asked for.
    """
    if source is None or not any(is_letter_kind(kind) or kind == PACKET for kind in kinds):
        return {}, None, ()
    letter = letter_document(source, sender)
    made = render_letter_files(letter, theme, kinds, stem, profile_dir, source.folder)
    files = dict(made.files)
    if PACKET in kinds and resume_pdf is not None and made.pdf is not None:
        from cvforge.renderers.packet import render_packet

        words = (letter.locale.label("cover_letter"), letter.locale.label("resume_enclosure"))
        packet = render_packet(
            made.pdf, resume_pdf(), name=sender.person.name, application=letter.application, bookmarks=words
        )
        files[stem.with_name(f"{stem.name}.packet.pdf")] = (PACKET, packet)
    return files, letter, made.warnings


def letter_of(job: Job, settings: Settings, sender: Profile) -> LetterDocument | None:
    """The letter an unchanged job rendered, rebuilt from its files (cheap: no layout), for `--check`."""
    from cvforge.targets.letter import load_letter_file, target_letter
    from cvforge.targets.redact import redact_profile
    from cvforge.targets.target import load_target

    if job.kind == "letter":
        source: LetterSource | None = load_letter_file(job.path)
    elif job.kind == "target":
        source = target_letter(job.path, load_target(job.path).target)
    else:
        return None
    if source is None:
        return None
    return letter_document(source, redact_profile(sender, (*settings.redact, *source.redact)))


def load_letter_document(path: Path, profile: Profile | None = None) -> LetterDocument:
    """The letter a target or letter file describes, as `cvforge check --letter` compares it."""
    from cvforge.reader.read import load_profile
    from cvforge.targets.files import is_letter_file
    from cvforge.targets.letter import load_letter_file, target_letter
    from cvforge.targets.redact import redact_profile
    from cvforge.targets.target import load_target

    if is_letter_file(path):
        source: LetterSource | None = load_letter_file(path)
    else:
        source = target_letter(path, load_target(path).target)
    if source is None:
        raise UsageError(f"{path} has no letter (add a `letter:` block)")
    sender = profile if profile is not None else load_profile(source.profile_path)
    return letter_document(source, redact_profile(sender, source.redact))


def check_letter_files(files: Sequence[Path], letter_path: Path, profile_path: Path | None) -> list[Report]:
    """`cvforge check FILES --letter TARGET`: each PDF or DOCX read back as the letter `letter_path` holds."""
    from cvforge.readback.extract import read_output
    from cvforge.readback.letters import check_letter_bytes
    from cvforge.reader.read import load_profile

    letter = load_letter_document(letter_path, load_profile(profile_path) if profile_path else None)
    checked = [
        check_letter_bytes(letter, read_output(path, shown), path.suffix.lower().lstrip("."), shown)
        for path in files
        for shown in [display_path(path)]
    ]
    return [report for report in checked if report is not None]
