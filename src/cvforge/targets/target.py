"""Target files: find them, read them with located errors, and read what they point to.

A target names its profile and its job description by paths relative to the target file, so a
folder of targets can move as a whole. A `synonyms.yaml` beside target files extends cvforge's
built-in synonym table for every target in that folder; `job.synonyms` extends it for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from cvforge.errors import Problem, ProfileError, TargetError, display_path
from cvforge.reader.limits import MAX_FILE_BYTES
from cvforge.reader.source import format_path, parse_text, position, read_document
from cvforge.reader.unlinked import UnsafeInputError, read_unlinked, unlinked_problem
from cvforge.reader.validation import validate
from cvforge.schema.placeholders import OUTPUT_PLACEHOLDERS, fill, placeholders_in, safe_component
from cvforge.schema.profile import Profile
from cvforge.schema.target import SynonymTable, Target
from cvforge.targets.files import SYNONYMS_FILE, TARGETS_DIR
from cvforge.targets.letter import letter_problems
from cvforge.targets.match import Job, Lexicon, analyse_job, build_vocabulary, profile_terms


@dataclass(frozen=True)
class TargetFile:
    """A validated target and where it lives; its paths resolve against its own folder."""

    path: Path
    target: Target

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def profile_path(self) -> Path:
        return self.path.parent / self.target.profile

    @property
    def job_path(self) -> Path | None:
        return self.path.parent / self.target.job.description if self.target.job else None


def load_target(path: Path) -> TargetFile:
    """Load and validate one target; every problem, including missing files it names, at once."""
    shown = display_path(path)
    try:
        data = read_document(path, shown, expected="a target with a 'profile' key")
    except ProfileError as exc:
        raise TargetError(exc.problems) from None
    problems = missing_references(path, data, shown)
    try:
        target = validate(Target, data, shown)
    except ProfileError as exc:
        raise TargetError([*exc.problems, *problems]) from None
    if target.letter is not None:
        company = target.company or target.letter.recipient.company
        problems += letter_problems(path, data, target.letter, company, target.role)
    if problems:
        raise TargetError(problems)
    return TargetFile(path, target)


def missing_references(path: Path, data: Any, shown: str) -> list[Problem]:
    """The profile and job description a target names, when they are not files (checked before
    validation, so they are reported with every other problem of the file)."""
    job = data.get("job")
    references: list[tuple[tuple[str, ...], Any]] = [(("profile",), data.get("profile"))]
    if isinstance(job, str):
        references.append((("job",), job))
    elif isinstance(job, dict):
        references.append((("job", "description"), job.get("description")))
    problems: list[Problem] = []
    root = project_root(path)
    for loc, relative in references:
        if not isinstance(relative, str) or not relative.strip():
            continue  # validation reports a missing or malformed path
        referenced = path.parent / relative.strip()
        line, column = position(data, loc, key=False)
        if not referenced.is_file():
            what = "no such file" if not referenced.exists() else "not a file"
            problems.append(Problem(shown, line, column, format_path(loc), f"{what}: {display_path(referenced)}"))
        elif loc[0] == "job" and (message := confinement_problem(referenced, root)):
            problems.append(Problem(shown, line, column, format_path(loc), message))
    synonyms = path.parent / SYNONYMS_FILE
    if synonyms.is_file() and (message := confinement_problem(synonyms, root)):
        problems.append(Problem(display_path(synonyms), 1, 1, "", message))
    return problems


def project_root(target_path: Path) -> Path:
    """The project a target belongs to: the folder holding its `targets/` folder (else its own folder).

    Job descriptions and synonym files are read from inside it only, since what a target reads ends
    up in match reports that CI publishes.
    """
    folder = target_path.parent
    return folder.parent if folder.name == TARGETS_DIR.name else folder


def confinement_problem(path: Path, root: Path) -> str | None:
    """Why a job description or synonyms file may not be read: outside the project (symlinks followed),
    too big, or not a regular file with one link (a hard link is the file it links to, wherever that is)."""
    if not path.resolve().is_relative_to(root.resolve()):
        return f"{display_path(path)} is outside the project folder {display_path(root)}; only files inside it are read"
    if path.stat().st_size > MAX_FILE_BYTES:
        size = path.stat().st_size / 1024 / 1024
        return f"{display_path(path)} is {size:.1f} MiB; job descriptions are limited to 1 MiB"
    return unlinked_problem(path, display_path(path))


def load_job(target: TargetFile, profile: Profile) -> Job:
    """Read the target's job description and find its terms with the profile's and the target's vocabulary."""
    spec = target.target.job
    assert spec is not None
    lexicon = load_lexicon(target)
    vocabulary = build_vocabulary(lexicon, profile_terms(profile), spec.terms)
    return analyse_job(read_job_description(target), vocabulary, lexicon, spec.ignore)


def output_stem(target: TargetFile, profile: Profile) -> Path:
    """Where a target's files go under the output folder, without extension: `{profile}/{target}` by default.

    Each value put into the pattern must be one safe path component (a profile file named
    `...yaml` has the stem `..`), so a target never writes outside the output folder.
    """
    pattern = target.target.output
    values = {"profile": target.profile_path.stem, "target": target.name, "person": slugify(profile.person.name)}
    for name in placeholders_in(pattern, OUTPUT_PLACEHOLDERS):
        value = values[name]
        if not safe_component(value):
            message = (
                f"{{{name}}} would be '{value}', which cannot name a file inside the output folder "
                "(empty, hidden, '..', or holding a path separator); rename the file or set 'output'"
            )
            raise TargetError([Problem(display_path(target.path), 1, 1, "output", message)])
    stem = fill(pattern, values)
    if not all(safe_component(part) for part in stem.split("/")):  # validation checked the pattern; this, the result
        message = f"'{stem}' is not a file path inside the output folder"
        raise TargetError([Problem(display_path(target.path), 1, 1, "output", message)])
    return Path(stem)


def slugify(name: str) -> str:
    """A file-name-safe form of a person's name that keeps non-Latin letters: 'Jane Doe' → 'jane-doe'."""
    return re.sub(r"[^\w]+", "-", name.casefold()).strip("-_") or "person"


def read_job_description(target: TargetFile) -> str:
    """The job description's text; Markdown is read as text (its link targets are ignored later)."""
    path = target.job_path
    assert path is not None
    shown = display_path(path)
    if message := confinement_problem(path, project_root(target.path)):
        raise TargetError([Problem(display_path(target.path), 1, 1, "job", message)])
    try:
        text = read_checked(path, shown, "job descriptions")
    except UnsafeInputError as exc:  # swapped for a link since the check above: the opened file decides
        raise TargetError([Problem(display_path(target.path), 1, 1, "job", exc.message)]) from None
    if not text.strip():
        raise TargetError([Problem(shown, 1, 1, "", "the job description is empty")])
    return text


def read_checked(path: Path, shown: str, what: str) -> str:
    """The text of a file a target reads, judged on the opened file (see `reader.unlinked`): at most
    1 MiB of UTF-8. Problems are located in the file; a link or a FIFO raises UnsafeInputError."""
    try:
        raw = read_unlinked(path, shown, MAX_FILE_BYTES)
    except OSError as exc:
        raise TargetError([Problem(shown, 1, 1, "", f"cannot read file ({exc.strerror})")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise TargetError([Problem(shown, 1, 1, "", f"file is more than 1 MiB; {what} are limited to 1 MiB")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise TargetError([Problem(shown, line, column, "", "file is not UTF-8 text")]) from None


def load_lexicon(target: TargetFile) -> Lexicon:
    """Built-in synonyms, extended by a synonyms.yaml beside the target, then by its job.synonyms."""
    lexicon = builtin_lexicon()
    folder_table = target.path.parent / SYNONYMS_FILE
    if folder_table.is_file():
        if message := confinement_problem(folder_table, project_root(target.path)):
            raise TargetError([Problem(display_path(folder_table), 1, 1, "", message)])
        lexicon = lexicon.extended(read_synonyms(folder_table))
    if target.target.job is not None and target.target.job.synonyms:
        lexicon = lexicon.extended(Lexicon({k: tuple(v) for k, v in target.target.job.synonyms.items()}))
    return lexicon


def read_synonyms(path: Path) -> Lexicon:
    """A user's synonyms file, validated like a profile: every problem located."""
    shown = display_path(path)
    try:
        text = read_checked(path, shown, "synonyms files")
        data = parse_text(text, shown, "a mapping with a 'terms' key", as_json=path.suffix.lower() == ".json")
        return to_lexicon(validate(SynonymTable, data, shown))
    except UnsafeInputError as exc:
        raise TargetError([Problem(shown, 1, 1, "", exc.message)]) from None
    except ProfileError as exc:
        raise TargetError(exc.problems) from None


@lru_cache(maxsize=1)
def builtin_lexicon() -> Lexicon:
    """cvforge's own table, shipped in the package (src/cvforge/data/synonyms.yaml)."""
    text = resources.files("cvforge").joinpath("data", SYNONYMS_FILE).read_text(encoding="utf-8")
    return to_lexicon(SynonymTable.model_validate(YAML(typ="safe").load(text)))


def to_lexicon(table: SynonymTable) -> Lexicon:
    return Lexicon(
        {label: tuple(aliases) for label, aliases in table.terms.items()},
        frozenset(table.exact_case),
        frozenset(table.ignore),
    )
