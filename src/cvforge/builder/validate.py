"""`cvforge validate`'s work: read each profile or target (and the profile it names) without
building, and tell per file whether it is valid, with every located problem and warning. The
command line prints the verdicts (`cvforge.cli.validate`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cvforge.builder.jobs import Job
from cvforge.builder.theme_choice import resolve_theme
from cvforge.errors import CvforgeError, Problem, ProfileError, display_path
from cvforge.logs import collect_warnings
from cvforge.reader.read import load_profile
from cvforge.targets.letter import load_letter_file
from cvforge.targets.target import load_target


@dataclass(frozen=True)
class Checked:
    """One file's verdict: what `validate` prints as a line, or as one entry of its JSON."""

    path: str
    ok: bool
    name: str | None = None  # the person's name, when the file (or the profile a target names) loads
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    message: str = ""  # the problems as the CLI prints them

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("message")
        data["problems"], data["warnings"] = [asdict(p) for p in self.problems], list(self.warnings)
        return data


def check_job(job: Job, *, strict: bool) -> Checked:
    """A target or letter is valid when it and the profile it names both are, and so are the theme
    and options they ask for (what a build would refuse); with `strict`, a warning makes it invalid."""
    shown = display_path(job.path)
    with collect_warnings() as warned:
        try:
            if job.kind == "target":
                target = load_target(job.path)
                profile = load_profile(target.profile_path)
                theme = resolve_theme(profile, display_path(target.profile_path), target.target.theme, (), {})
                theme.with_options(target.target.options, f"{shown}: options")
            elif job.kind == "letter":
                letter = load_letter_file(job.path)
                profile = load_profile(letter.profile_path)
                theme = resolve_theme(profile, display_path(letter.profile_path), letter.theme, (), {})
                theme.with_options(dict(letter.options), f"{shown}: options")
            else:
                profile = load_profile(job.path)
                resolve_theme(profile, shown, None, (), {})
        except ProfileError as exc:
            return Checked(shown, False, problems=tuple(exc.problems), message=exc.format_message())
        except CvforgeError as exc:  # an unknown theme or a bad option value: no located problems to list
            return Checked(shown, False, message=exc.format_message())
    warnings = tuple(record.getMessage() for record in warned)
    return Checked(shown, not (strict and warnings), profile.person.name, warnings=warnings)
