"""What a published résumé page tells search engines and link previews about its person: a plain
description, and the facts of schema.org's Person. Pure, like the rest of the document stage."""

from __future__ import annotations

from dataclasses import dataclass

from cvforge.schema.markup import parse_inline
from cvforge.schema.profile import Profile

DESCRIPTION_LIMIT = 200  # link previews show about this much


@dataclass(frozen=True)
class PageFacts:
    description: str | None = None
    email: str | None = None
    telephone: str | None = None
    same_as: tuple[str, ...] = ()  # the person's other pages (website, GitHub, LinkedIn…)
    address: tuple[tuple[str, str], ...] = ()  # schema.org PostalAddress properties, in order


def plain(markdown: str) -> str:
    """Inline Markdown as the text a reader sees."""
    return " ".join("".join(span.text for span in parse_inline(markdown)).split())


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return cut + "…"


def page_facts(profile: Profile) -> PageFacts:
    person = profile.person
    parts = [person.headline, *(plain(p) for p in person.summary[:1])] if person.summary else [person.headline]
    if not person.summary and person.tagline:
        parts.append(plain(person.tagline))
    text = " — ".join(part for part in parts if part)
    address: list[tuple[str, str]] = []
    if person.address is not None:
        a = person.address
        fields = (
            ("streetAddress", ", ".join((a.street or "").split("\n")).strip(", ")),
            ("addressLocality", a.city or person.location or ""),
            ("addressRegion", a.region or ""),
            ("postalCode", a.postal_code or ""),
            ("addressCountry", a.country_code or ""),
        )
        address = [(key, value) for key, value in fields if value]
    elif person.location:
        address = [("addressLocality", person.location)]
    links = ([person.website] if person.website else []) + [link.url for link in person.links]
    return PageFacts(
        description=shorten(text) if text else None,
        email=person.email,
        telephone=person.phone,
        same_as=tuple(dict.fromkeys(url for url in links if url.lower().startswith(("http://", "https://")))),
        address=tuple(address),
    )
