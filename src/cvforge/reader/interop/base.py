"""What every converter shares: the converted result with its trail back to the source, and small helpers.

A converter turns a foreign document into plain profile data (dicts and lists, the shape a cvforge
YAML file has) and records, for each part it writes, the path of the part it came from. The loader
validates that data with the normal Pydantic path and uses the trail to report any problem at its
line and column in the foreign file, under the foreign format's own field names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from cvforge.errors import Problem
from cvforge.reader.source import Loc, position
from cvforge.schema.base import PartialDate, parse_partial_date
from cvforge.schema.markup import parse_inline, plain_text

PRESENT = "present"

# Where a network's profile lives, for entries that give a username but no URL (RenderCV always
# does; JSON Resume sometimes). Keys are lower-case network names.
NETWORK_URLS: dict[str, str] = {
    "linkedin": "https://linkedin.com/in/",
    "github": "https://github.com/",
    "gitlab": "https://gitlab.com/",
    "imdb": "https://imdb.com/name/",
    "instagram": "https://instagram.com/",
    "orcid": "https://orcid.org/",
    "stackoverflow": "https://stackoverflow.com/users/",
    "researchgate": "https://researchgate.net/profile/",
    "youtube": "https://youtube.com/@",
    "google scholar": "https://scholar.google.com/citations?user=",
    "telegram": "https://t.me/",
    "whatsapp": "https://wa.me/",
    "leetcode": "https://leetcode.com/u/",
    "x": "https://x.com/",
    "twitter": "https://twitter.com/",
    "bluesky": "https://bsky.app/profile/",
    "reddit": "https://reddit.com/user/",
    "facebook": "https://facebook.com/",
    "medium": "https://medium.com/@",
    "dev.to": "https://dev.to/",
    "codepen": "https://codepen.io/",
    "dribbble": "https://dribbble.com/",
    "behance": "https://behance.net/",
    "kaggle": "https://kaggle.com/",
    "hackerrank": "https://hackerrank.com/profile/",
}


@dataclass
class Converted:
    """A foreign document as profile data, with the source path of every part it wrote."""

    format: str
    data: dict[str, Any]
    source: Any
    origins: dict[Loc, Loc] = field(default_factory=dict)
    # (source path, message) for content the profile has no place for; the loader logs them.
    skipped: list[tuple[Loc, str]] = field(default_factory=list)
    # Problems found in the foreign file, and the paths of the parts that were left out for them.
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def explains(self, problem: Problem) -> bool:
        """True when `problem` lies in a part already reported and left out of the conversion."""
        return any(problem.path == path or problem.path.startswith((f"{path}.", f"{path}[")) for path in self.failed)

    def relocate(self, loc: Loc) -> Loc:
        """The source path of `loc`: the longest recorded prefix, with the rest of `loc` after it."""
        for cut in range(len(loc), 0, -1):
            origin = self.origins.get(loc[:cut])
            if origin is not None:
                return origin + loc[cut:]
        return loc

    def trace(self, target: Loc, source: Loc, fields: Mapping[str, str] | None = None) -> None:
        """Record that `target` came from `source`, and each target field from its source field."""
        self.origins[target] = source
        for ours, theirs in (fields or {}).items():
            self.origins[(*target, ours)] = (*source, theirs)

    def skip(self, loc: Loc, message: str) -> None:
        self.skipped.append((loc, message))

    def skipped_problems(self, shown: str) -> list[Problem]:
        """The skipped parts as located notes, in the same form as errors."""
        notes = []
        for loc, message in self.skipped:
            line, column = position(self.source, loc, key=True)
            notes.append(Problem(shown, line, column, format_loc(loc), message))
        return notes


def format_loc(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class ForeignModel(BaseModel):
    """A foreign format's record: keys it does not define are kept (and reported), not refused."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True, populate_by_name=False)


def _blank_to_none(value: Any) -> Any:
    """Other tools write "" for "not given" (JSON Resume's own sample does)."""
    return None if isinstance(value, str) and not value.strip() else value


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _foreign_date(value: Any) -> PartialDate | str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD (or a YAML date); "present" for ongoing; blank for not given."""
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == PRESENT:
        return PRESENT
    return parse_partial_date(value)


def _foreign_start(value: Any) -> PartialDate | None:
    value = _blank_to_none(value)
    return None if value is None else parse_partial_date(value)


Text = Annotated[str | None, BeforeValidator(_blank_to_none)]
ForeignStart = Annotated[PartialDate | None, BeforeValidator(_foreign_start)]
Texts = Annotated[list[str], BeforeValidator(_none_to_list), Field(default_factory=list)]
ForeignDate = Annotated[PartialDate | str | None, BeforeValidator(_foreign_date)]


def split_paragraphs(text: str | None) -> list[str]:
    """Blank lines separate paragraphs, as in Markdown; single newlines stay inside a paragraph."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def join_paragraphs(paragraphs: Iterable[str | None]) -> str | None:
    return "\n\n".join(p for p in paragraphs if p) or None


def dates(start: PartialDate | str | None, end: PartialDate | str | None, *, open_ended: bool) -> dict[str, Any]:
    """start/end for a profile entry; a start with no end is ongoing when the format says so."""
    out: dict[str, Any] = {}
    if isinstance(start, PartialDate):
        out["start"] = start
    if end is not None:
        out["end"] = end
    elif open_ended and "start" in out:
        out["end"] = PRESENT
    return out


_LINK_ONLY = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)$")


def text_and_link(value: str | None) -> tuple[str | None, str | None]:
    """A plain-text field written in Markdown: "[FlashInfer](https://…)" → ("FlashInfer", "https://…").

    Fields such as names and titles are shown as written, so their Markdown is flattened to text;
    the first link's address is returned so the caller can keep it where the profile has a URL slot.
    """
    if not value:
        return value, None
    match = _LINK_ONLY.match(value.strip())
    if match:
        return match["text"].strip(), match["url"]
    spans = parse_inline(value)
    url = next((span.href for span in spans if span.href), None)
    return plain_text(spans).strip() or value, url


def network_url(network: str | None, username: str | None) -> str | None:
    """A profile URL from a network name and username, for the networks whose URLs are predictable."""
    if not (network and username):
        return None
    name = network.strip().lower()
    if name == "mastodon" and username.count("@") == 2:
        _, user, domain = username.split("@")
        return f"https://{domain}/@{user}"
    prefix = NETWORK_URLS.get(name)
    return prefix + username.strip().lstrip("@") if prefix else None


def url_username(url: str) -> str | None:
    """The last path segment of a profile URL, the username on most networks."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE).split("?")[0].strip("/")
    last = path.rsplit("/", 1)[-1] if path else ""
    return last.lstrip("@") or None


def known_username(network: str | None, url: str) -> str | None:
    """The username a profile URL stands for, only when the URL is that network's profile URL
    ("https://github.com/jane" → "jane", a Mastodon "https://hachyderm.io/@lena" → "@lena@hachyderm.io");
    any other address ("https://example.com/x.css") has no username to give."""
    name = (network or "").strip().lower()
    clean = re.sub(r"^https?://(www\.)?", "https://", url.strip(), flags=re.IGNORECASE).rstrip("/")
    if name == "mastodon":
        match = re.match(r"^https://([^/\s]+)/@([\w.-]+)$", clean)
        return f"@{match[2]}@{match[1]}" if match else None
    prefix = NETWORK_URLS.get(name)
    if prefix is None:
        return None
    prefix = re.sub(r"^https?://(www\.)?", "https://", prefix)
    if not clean.lower().startswith(prefix.lower()):
        return None
    rest = clean[len(prefix) :]
    return rest if rest and re.fullmatch(r"[\w.@-]+", rest) else None


def link_from_profile(network: str | None, username: str | None, url: str | None) -> dict[str, Any] | None:
    """A profile link: its URL (built from the username when missing), with the username as the
    label only when the URL does not already end with it, so exporting gives the username back."""
    url = url or network_url(network, username)
    if url is None:
        return None
    link: dict[str, Any] = {"network": network} if network else {}
    link["url"] = url
    # The label keeps a username the URL does not give back (an export reads only known profile URLs).
    if username and (known_username(network, url) or "").lstrip("@") != username.lstrip("@"):
        link["label"] = username
    return link


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out keys with nothing in them, so converted data reads like a hand-written profile."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def skip_extras(converted: Converted, model: BaseModel, loc: Loc, what: Callable[[str], str]) -> None:
    """Report every key of `model` its format does not define: kept out of the profile, never silently."""
    for key in model.model_extra or {}:
        converted.skip((*loc, key), what(key))


def validate_partly(out: Converted, model: type[BaseModel], raw: Any, path: str) -> Any:
    """`raw` validated as `model`, leaving out the fields that are invalid; None if that fails too."""
    if not isinstance(raw, dict):
        out.failed.append(path)
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
    out.failed.extend(f"{path}.{field}" for field in sorted(bad))
    try:
        return model.model_validate({key: value for key, value in raw.items() if key not in bad})
    except ValidationError:
        out.failed.append(path)
        return None
