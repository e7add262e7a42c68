"""What a theme's page templates are given, as typed dictionaries: the names a template may use are
a contract that html.py fills and mypy checks, and docs/write-a-theme.md lists, key by key.

Every page (`PageContext`) gets the theme's options, the medium, the generator line, the stylesheet
slot, the photo and the locale; the résumé (`ResumeContext`) adds its document and link-preview
values, the cover letter (`LetterContext`) its document, signature and spacing step.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from markupsafe import Markup

from cvforge.document.letter import LetterDocument
from cvforge.document.locale import LocaleView
from cvforge.document.view import Document
from cvforge.renderers.themes import OptionValue

Media = Literal["screen", "print"]


class ShareContext(TypedDict):
    """What a shared link and a search engine read (`share.html.j2`)."""

    title: str  # "Name — Headline"
    description: str | None  # a plain sentence or two, for previews
    url: str | None  # the `site_url` option: canonical and og:url
    favicon: str  # the person's initials on the accent, as an inline SVG data: URI
    json_ld: Markup  # schema.org Person, escaped for a <script> block


class PageContext(TypedDict):
    """What every page template (résumé and letter, and the partials they include) may use."""

    options: dict[str, OptionValue]  # the theme's options, after the profile's and the command line's
    media: Media  # "print" for the PDF's page, "screen" for the HTML file
    generator: str  # "cvforge VERSION", for <meta name="generator">
    css: Markup  # where the stylesheets go, inside <style>; filled in after the page is rendered
    photo: str | None  # the profile's photo as a data: URI, or None
    locale: LocaleView  # the document's language: `tag`, `direction`, `labels`, `label(key, name=…)` (as `doc.locale`)


class ResumeContext(PageContext):
    """What `resume.html.j2` and its partials may use."""

    doc: Document
    share: ShareContext


class LetterContext(PageContext):
    """What `letter.html.j2` and its partials may use."""

    doc: LetterDocument
    signature: str | None  # the letter's signature image as a data: URI, or None
    fit: int  # the spacing step (0, 1, 2): letter.css tightens `.fit-1` and `.fit-2`
    lift: int  # steps of white space above a short letter (letter.css's `.lift-N`)
