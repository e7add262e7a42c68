"""A résumé page ready to be published and shared: the values the theme's `share.html.j2` writes
(description, Open Graph and Twitter cards, canonical address, favicon) and schema.org Person data
as JSON-LD. JSON-LD is a data block, which browsers never run, so the page's CSP stays as strict."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from cvforge.document.view import Document
from cvforge.renderers.context import ShareContext
from cvforge.renderers.themes import Theme


def share_context(document: Document, theme: Theme) -> ShareContext:
    person, facts = document.person, document.page
    title = f"{person.name} — {person.headline}" if person.headline else person.name
    url = str(theme.options.get("site_url") or "") or None
    return {
        "title": title,
        "description": facts.description,
        "url": url,
        "favicon": favicon(person.name, str(theme.options.get("accent", "#444444"))),
        "json_ld": json_ld(document, url),
    }


def json_ld(document: Document, url: str | None) -> Markup:
    """schema.org Person, as JSON safe inside <script>: `<`, `>` and `&` are written as escapes."""
    person, facts = document.person, document.page
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "name": person.name}
    optional: dict[str, Any] = {
        "jobTitle": person.headline,
        "description": facts.description,
        "url": url,
        "email": f"mailto:{facts.email}" if facts.email else None,
        "telephone": facts.telephone,
        "address": {"@type": "PostalAddress", **dict(facts.address)} if facts.address else None,
        "sameAs": list(facts.same_as) or None,
        "knowsAbout": list(document.keywords) or None,
    }
    data.update({key: value for key, value in optional.items() if value})
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0] for w in (words[:1] + words[1:][-1:])).upper() or "CV"


def favicon(name: str, accent: str) -> str:
    """The person's initials on the accent colour: an inline SVG, so the page still loads nothing."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="14" fill="{accent}"/>'
        '<text x="32" y="42" font-family="sans-serif" font-size="28" font-weight="700" '
        f'text-anchor="middle" fill="#ffffff">{initials(name)}</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg, safe=" /:=\"'#,")
