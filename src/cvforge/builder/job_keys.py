"""The key of everything a job's outputs depend on, so a build skips the jobs whose key is unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cvforge.builder.cache import InputDigest, base_digest
from cvforge.builder.jobs import Job, Settings
from cvforge.errors import Problem, ProfileError, display_path
from cvforge.reader.read import load_profile
from cvforge.renderers.themes import search_dirs
from cvforge.schema.placeholders import safe_component
from cvforge.targets.files import SYNONYMS_FILE


def digest_theme_files(theme_dirs: Sequence[Path]) -> str:
    """Every file of every theme a build could use: a theme edit makes its users' outputs stale."""
    digest = InputDigest()  # a part of each job's key, which already starts from `base_digest`
    for folder in search_dirs(theme_dirs):
        digest.add_files("theme", folder, (p for p in folder.rglob("*") if p.is_file()))
    return digest.hexdigest()


def job_key(
    job: Job, settings: Settings, themes_digest: str, read: list[Path] | None = None
) -> tuple[str, tuple[str, ...]]:
    """The digest of everything a job's outputs depend on, and the extra parts a job writes (reports).

    Reading the files is cheap (no rendering, no heavy imports); an invalid file is reported here.
    The files it read are added to `read`.
    """
    digest = base_digest().add_text("themes", themes_digest).add_text("job", job.kind)
    digest.add_mapping("settings", {"theme": settings.theme_name, "options": dict(settings.options)})
    if settings.redact:
        digest.add_text("redact", ",".join(settings.redact))
    if settings.page_limit is not None:
        digest.add_text("page_limit", str(settings.page_limit))
    extras: tuple[str, ...] = ()
    if job.kind == "letter":
        from cvforge.targets.letter import load_letter_file  # target and letter schemas: only for their jobs

        letter = load_letter_file(job.path)
        inputs, profile_path = [job.path, letter.profile_path], letter.profile_path
        if letter.spec.signature is not None:
            inputs.append(letter.folder / letter.spec.signature)
    elif job.kind == "target":
        from cvforge.targets.target import load_target

        target = load_target(job.path)
        inputs = [job.path, target.profile_path]
        if target.job_path is not None:
            inputs.append(target.job_path)
            extras = ("match.md", "match.json")
        synonyms = job.path.parent / SYNONYMS_FILE
        if synonyms.is_file():
            inputs.append(synonyms)
        if target.target.letter is not None and target.target.letter.signature is not None:
            inputs.append(job.path.parent / target.target.letter.signature)
        profile_path = target.profile_path
    else:
        inputs, profile_path = [job.path], job.path
        if not safe_component(job.path.stem):
            message = (
                f"the file name '{job.path.name}' cannot name an output (its stem '{job.path.stem}' is empty, "
                "hidden or '..'); rename the file"
            )
            raise ProfileError([Problem(display_path(job.path), 1, 1, "", message)])
    profile = load_profile(profile_path)
    if job.kind == "target":
        from cvforge.targets.target import output_stem

        output_stem(target, profile)  # a name that would leave the output folder fails here, before any write
    photo = profile.person.photo
    if photo and "://" not in photo and (profile_path.parent / photo).is_file():
        inputs.append(profile_path.parent / photo)
    for index, path in enumerate(inputs):
        digest.add_file(f"input{index}", path)
    if read is not None:
        read += inputs
    return digest.hexdigest(), extras
