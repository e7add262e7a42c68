"""Cover letters: where a letter comes from (a target's `letter:` block or a `letters/NAME.yaml`
file), and the checks that need more than one field: a placeholder the file cannot fill, a
signature file that is not there. Every problem is located, like the rest of a target's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvforge.errors import Problem, ProfileError, TargetError, display_path
from cvforge.reader.source import position, read_document
from cvforge.reader.unlinked import unlinked_problem
from cvforge.reader.validation import validate
from cvforge.schema.letter import LetterFile, LetterSpec
from cvforge.schema.placeholders import LETTER_PLACEHOLDERS, placeholders_in
from cvforge.schema.target import Target


@dataclass(frozen=True)
class LetterSource:
    """One letter to build and everything it is filled from; paths resolve against `path`'s folder."""

    path: Path  # the target or letter file that holds it
    profile_path: Path
    spec: LetterSpec
    company: str | None
    role: str | None
    redact: tuple[str, ...]
    with_resume: bool  # written beside a tailored resume (a target), so `enclosures: auto` means Resume
    theme: str | None = None
    options: tuple[tuple[str, str | int | float | bool], ...] = ()

    @property
    def folder(self) -> Path:
        return self.path.parent


def target_letter(path: Path, target: Target) -> LetterSource | None:
    """The letter a target carries, if any."""
    if target.letter is None:
        return None
    company = target.company or target.letter.recipient.company
    return LetterSource(
        path,
        path.parent / target.profile,
        target.letter,
        company,
        target.role,
        tuple(target.redact),
        True,
        target.theme,
        tuple(target.options.items()),
    )


def letter_problems(path: Path, data: Any, spec: LetterSpec, company: str | None, role: str | None) -> list[Problem]:
    """Placeholders with nothing to fill them, and a signature file that is missing."""
    shown = display_path(path)
    values = {"company": company, "role": role, "name": "the profile's name"}
    hints = {"company": "set `company:` (or `letter.recipient.company`)", "role": "set `role:`"}
    problems: list[Problem] = []
    texts: list[tuple[tuple[str | int, ...], str | None]] = [
        (("letter", "subject"), spec.subject),
        (("letter", "salutation"), spec.salutation),
        *((("letter", "body", index), paragraph) for index, paragraph in enumerate(spec.body)),
    ]
    for loc, text in texts:
        for name in dict.fromkeys(placeholders_in(text or "", LETTER_PLACEHOLDERS)):
            if values.get(name) is None:
                line, column = position(data, loc, key=False)
                where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
                problems.append(Problem(shown, line, column, where, f"{{{name}}} has no value: {hints[name]}"))
    if spec.signature is not None:
        file = path.parent / spec.signature
        line, column = position(data, ("letter", "signature"), key=False)
        if not file.is_file():
            what = "no such file" if not file.exists() else "not a file"
            problems.append(Problem(shown, line, column, "letter.signature", f"{what}: {display_path(file)}"))
        elif message := unlinked_problem(file, display_path(file)):  # a hard link: see `reader.unlinked`
            problems.append(Problem(shown, line, column, "letter.signature", message))
    return problems


def load_letter_file(path: Path) -> LetterSource:
    """A standalone letter file, validated with every problem located at once."""
    shown = display_path(path)
    try:
        data = read_document(path, shown, expected="a letter with 'profile' and 'letter' keys")
    except ProfileError as exc:
        raise TargetError(exc.problems) from None
    problems: list[Problem] = []
    relative = data.get("profile") if isinstance(data, dict) else None
    if isinstance(relative, str) and relative.strip() and not (path.parent / relative.strip()).is_file():
        line, column = position(data, ("profile",), key=False)
        missing = display_path(path.parent / relative)
        problems.append(Problem(shown, line, column, "profile", f"no such file: {missing}"))
    try:
        letter_file = validate(LetterFile, data, shown)
    except ProfileError as exc:
        raise TargetError([*exc.problems, *problems]) from None
    spec = letter_file.letter
    company = letter_file.company or spec.recipient.company
    problems += letter_problems(path, data, spec, company, letter_file.role)
    if problems:
        raise TargetError(problems)
    return LetterSource(
        path,
        path.parent / letter_file.profile,
        spec,
        company,
        letter_file.role,
        tuple(letter_file.redact),
        False,
        letter_file.theme,
        tuple(letter_file.options.items()),
    )


