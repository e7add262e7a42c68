"""Other resume formats: JSON Resume and RenderCV in (recognised by shape), and out.

`convert_foreign` is what the loader calls: it returns None for a cvforge profile, or the
converted profile data with the trail back to the source for locating problems.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from cvforge.errors import CvforgeError, Problem, ProfileError, display_path
from cvforge.reader.interop.base import Converted
from cvforge.reader.interop.shapes import is_jsonresume, is_linkedin, is_rendercv
from cvforge.reader.source import Loc, read_document
from cvforge.reader.validation import validate
from cvforge.schema import Profile

__all__ = ["EXPORT_FORMATS", "Converted", "convert_foreign", "detect_format", "export_profile", "read_foreign"]

log = logging.getLogger("cvforge.reader.interop")


def detect_format(data: dict[str, Any]) -> str | None:
    """ "jsonresume", "rendercv", "linkedin" (an archive's tables), or None for cvforge's own format
    (a `person` key always means ours)."""
    if is_linkedin(data):
        return "linkedin"
    if is_jsonresume(data):
        return "jsonresume"
    if is_rendercv(data):
        return "rendercv"
    return None


def convert_foreign(data: dict[str, Any], shown: str) -> Converted | None:
    """Convert a JSON Resume or RenderCV document into profile data; None when it is already ours.

    Raises ProfileError (located in the foreign file) when the document is not valid in its format.
    Content the profile has no place for is logged as a located warning, never dropped silently.
    """
    kind = detect_format(data)
    if kind is None:
        return None
    from cvforge.reader.interop import jsonresume, linkedin, rendercv

    importers = {
        "jsonresume": jsonresume.import_resume,
        "rendercv": rendercv.import_cv,
        "linkedin": linkedin.import_linkedin,
    }
    converted = importers[kind](data, shown)
    complete_bare_hosts(converted, converted.data, ())
    if converted.problems:
        raise ProfileError(converted.problems + _profile_problems(converted, shown))
    for note in converted.skipped_problems(shown):
        log.warning("%s", note)
    return converted


# "missdirection.example.com", "www.example.com/x": an address written without its scheme.
_BARE_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?::\d+)?(?:[/?#]\S*)?$")
URL_KEYS = ("url", "website")


def complete_bare_hosts(converted: Converted, node: Any, loc: Loc) -> None:
    """Real resumes write a site as a bare host; an imported one is read as https://…, with a
    located notice naming the field. A dangerous scheme is still refused by validation."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(children):
        if key in URL_KEYS and isinstance(value, str) and _BARE_HOST.match(value.strip()):
            node[key] = f"https://{value.strip()}"
            where = _existing(converted.source, converted.relocate((*loc, key)))
            converted.skip(where, f"'{value.strip()}' has no scheme; read as {node[key]}")
        else:
            complete_bare_hosts(converted, value, (*loc, key))


def _existing(source: Any, loc: Loc) -> Loc:
    """The longest start of `loc` that is there in the source document (a link list is one field there)."""
    node, kept = source, 0
    for part in loc:
        present = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not present:
            break
        node = node[part]
        kept += 1
    return loc[:kept]


def _profile_problems(converted: Converted, shown: str) -> list[Problem]:
    """Problems only the profile's rules catch (an end before its start, a link's scheme), found in
    the valid parts of an invalid file, so one run reports everything."""
    try:
        validate(Profile, converted.data, shown, source=converted.source, relocate=converted.relocate)
    except ProfileError as exc:
        return [problem for problem in exc.problems if not converted.explains(problem)]
    return []


def read_foreign(path: Path) -> Converted:
    """Read a JSON Resume or RenderCV file and convert it, checking the result is a valid profile."""
    shown = display_path(path)
    data = read_document(path, shown)
    converted = convert_foreign(data, shown)
    if converted is None:
        raise CvforgeError(f"{shown} is already a cvforge profile (it has a 'person' key); nothing to import")
    validate(Profile, converted.data, shown, source=converted.source, relocate=converted.relocate)
    return converted


EXPORT_FORMATS = ("jsonresume", "rendercv")


def export_profile(profile: Profile, to: str) -> str:
    """The profile in another format, as the text of a file: JSON Resume (JSON) or RenderCV (YAML)."""
    if to == "jsonresume":
        from cvforge.reader.interop.jsonresume_export import export_losses, export_resume

        for lost in export_losses(profile):
            log.warning("%s", lost)
        return json.dumps(export_resume(profile), indent=2, ensure_ascii=False) + "\n"
    if to == "rendercv":
        from cvforge.reader.interop.rendercv_export import export_cv
        from cvforge.reader.interop.writer import dump_yaml

        header = "# RenderCV input exported by cvforge: render it with `rendercv render FILE`\n"
        return header + dump_yaml(export_cv(profile))
    raise CvforgeError(f"unknown export format '{to}' (use {' or '.join(EXPORT_FORMATS)})")
