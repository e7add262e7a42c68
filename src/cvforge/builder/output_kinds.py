"""What `--format` names, and which outputs each job makes of it.

`--format` names file formats (pdf, docx, html, md, txt, png) and two documents: `letter` and
`packet`. They expand into concrete output kinds, one cache entry each: `letter.pdf`,
`letter.docx`… (the letter in every chosen file format, or in pdf, docx and html when only
`letter` is named) and `packet` (out/PROFILE/TARGET.packet.pdf: the letter, then the resume).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from cvforge.errors import UsageError
from cvforge.renderers.formats import RENDERERS
from cvforge.renderers.letter import LETTER_FORMATS

if TYPE_CHECKING:
    from cvforge.builder.jobs import Job

LETTER, PACKET = "letter", "packet"
DOCUMENTS = (LETTER, PACKET)
LETTER_PREFIX = "letter."
DEFAULT_LETTER_FORMATS = ("pdf", "docx", "html")


def parse_formats(value: str | Iterable[str]) -> list[str]:
    """Formats and documents as given (`pdf,letter`), checked: an unknown name is a usage error."""
    items = value.split(",") if isinstance(value, str) else list(value)
    chosen = [item.strip().lower() for item in items if item.strip()]
    known = (*RENDERERS, *DOCUMENTS)
    unknown = [item for item in chosen if item not in known and not is_letter_kind(item)]
    if unknown or not chosen:
        shown = unknown[0] if unknown else (value if isinstance(value, str) else "")
        raise UsageError(f"unknown format '{shown}' (choose from {', '.join(known)})")
    return list(dict.fromkeys(chosen))


def is_letter_kind(kind: str) -> bool:
    return kind.startswith(LETTER_PREFIX) and kind.removeprefix(LETTER_PREFIX) in LETTER_FORMATS


def expand_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """`pdf,docx,letter,packet` → pdf, docx, letter.pdf, letter.docx, packet (already concrete kinds pass)."""
    files = [fmt for fmt in formats if fmt in RENDERERS]
    kinds = [fmt for fmt in formats if fmt not in DOCUMENTS]
    if LETTER in formats:
        letter_formats = [fmt for fmt in files if fmt in LETTER_FORMATS] or list(DEFAULT_LETTER_FORMATS)
        kinds += [LETTER_PREFIX + fmt for fmt in letter_formats]
    if PACKET in formats:
        kinds.append(PACKET)
    return tuple(dict.fromkeys(kinds))


def formats_for(kind: str, formats: Sequence[str], *, has_letter: bool) -> tuple[str, ...]:
    """The kinds one job makes: profiles make no letters; a letter file makes only its letter
    (`--format pdf` on it means the letter's PDF); a target makes letters only when it has one."""
    if kind == "profile" or (kind == "target" and not has_letter):
        return tuple(fmt for fmt in formats if fmt in RENDERERS)
    if kind == "letter":
        own = [fmt.removeprefix(LETTER_PREFIX) for fmt in formats if is_letter_kind(fmt)]
        own += [fmt for fmt in formats if fmt in LETTER_FORMATS]
        return tuple(dict.fromkeys(LETTER_PREFIX + fmt for fmt in own))
    return tuple(formats)


def job_formats(job: Job, formats: Sequence[str]) -> tuple[str, ...]:
    """The outputs this job makes of those asked for (see `formats_for`): letters only where there is one."""
    if job.kind != "target":
        return formats_for(job.kind, formats, has_letter=False)
    from cvforge.targets.target import load_target  # the target schema: only for a target's job

    has_letter = load_target(job.path).target.letter is not None
    return formats_for(job.kind, formats, has_letter=has_letter)
