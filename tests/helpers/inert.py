"""Reading outputs back the way a browser, a PDF reader and Word would, to check they are inert.

The HTML checks use tinyhtml5 (a WHATWG parser, the one WeasyPrint uses), not the standard
library's parser that cvforge's own guard uses, so a parsing difference cannot hide a problem.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import docx
import tinyhtml5
from pypdf import PdfReader

from cvforge.document.view import Document
from cvforge.renderers.safety import CONTENT_SECURITY_POLICY
from cvforge.schema.markup import Span, plain_text

SAFE_LINK = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)
# Elements that run, load, submit or re-base, plus the odd ones only an injected payload would bring.
DANGEROUS_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "input", "button",
    "textarea", "select", "link", "portal", "animate", "set", "noscript", "marquee", "blink", "keygen", "xmp",
}  # fmt: skip
REMOTE_CSS_URL = re.compile(r"""url\(\s*['"]?(?!data:|#)""", re.IGNORECASE)
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href"}


def is_page_data(element: Element, name: str, in_body: bool) -> bool:
    """In <head>: JSON-LD that parses as JSON (a data block: never run), a canonical http(s) address
    (never fetched) and a data: favicon. Anything else of those elements is still a problem."""
    attributes = {key.rsplit("}", 1)[-1].lower(): value for key, value in element.attrib.items()}
    if in_body:
        return False
    if name == "script" and attributes == {"type": "application/ld+json"}:
        try:
            json.loads(element.text or "")
        except ValueError:
            return False
        return True
    if name == "link" and set(attributes) == {"rel", "href"}:
        rel, href = attributes["rel"].lower(), attributes["href"]
        canonical = rel == "canonical" and bool(SAFE_LINK.match(href))
        return canonical or (rel == "icon" and href.startswith("data:image/"))
    return False


def local_name(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""


_BASE64 = re.compile(r"base64,[A-Za-z0-9+/=]{200,}")


def parse(html: str) -> Element:
    """The page as a browser builds it; embedded fonts and photos are shortened first (4× faster)."""
    return tinyhtml5.parse(_BASE64.sub("base64,AAAA", html))


def body_text(root: Element) -> str:
    """The text a reader sees in <body> (style contents excluded)."""
    body = next(e for e in root.iter() if local_name(e) == "body")
    parts: list[str] = []

    def walk(element: Element) -> None:
        if local_name(element) in ("style", "script"):
            return
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(body)
    return "".join(parts)


def inert_problems(html: str) -> list[str]:
    """Everything in `html` that could run, load or navigate unsafely; [] for an inert page."""
    root = parse(html)
    problems: list[str] = []
    head = next(e for e in root.iter() if local_name(e) == "head")
    first = head[0] if len(head) else None
    if first is None or first.get("http-equiv", "").lower() != "content-security-policy":
        problems.append("the first element in <head> is not the Content-Security-Policy")
    elif first.get("content") != CONTENT_SECURITY_POLICY:
        problems.append(f"unexpected policy {first.get('content')!r}")
    in_body = False
    for element in root.iter():
        name = local_name(element)
        in_body = in_body or name == "body"
        if name in DANGEROUS_ELEMENTS and not is_page_data(element, name, in_body):
            problems.append(f"<{name}> element")
        if in_body and name == "style":
            problems.append("<style> in the body")
        if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            problems.append("<meta refresh>")
        for attribute, value in element.attrib.items():
            attribute = attribute.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on"):
                problems.append(f"{attribute}= on <{name}>")
            if attribute in LOADING_ATTRIBUTES and not value.startswith(("data:image/", "#")):
                problems.append(f"{attribute}={value!r} on <{name}>")
            if attribute == "style" and REMOTE_CSS_URL.search(value):
                problems.append(f"style attribute loading {value!r}")
        if name in ("a", "area") and element.get("href") is not None:
            href = element.get("href", "")
            if not (SAFE_LINK.match(href) or href.startswith("#")):
                problems.append(f"link to {href!r}")
            if href.lower().startswith("http") and "noopener" not in (element.get("rel") or "").split():
                problems.append(f"link to {href!r} without rel=noopener")
    return problems


def squash(text: str) -> str:
    """Text without whitespace or invisible format characters (bidi marks, zero-width joiners).

    Line wrapping differs between outputs, and a PDF's text layer holds only what is drawn.
    """
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_link_targets(path: Path) -> list[str]:
    """The target of every link annotation, and the kind of every other action, in the PDF."""
    targets: list[str] = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            targets.append(str(action.get("/URI")) if action.get("/S") == "/URI" else f"action {action.get('/S')}")
    return targets


def docx_text(path: Path) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)


def docx_external_targets(path: Path) -> list[tuple[str, str]]:
    """(relationship type, target) of every relationship pointing outside the package."""
    found: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith(".rels"):
                continue
            xml = package.read(name).decode("utf-8")
            for match in re.finditer(r"<Relationship [^>]*>", xml):
                tag = match.group()
                if 'TargetMode="External"' in tag:
                    kind = re.search(r'Type="([^"]+)"', tag)
                    target = re.search(r'Target="([^"]*)"', tag)
                    found.append((kind.group(1) if kind else "", target.group(1) if target else ""))
    return found


SKIPPED_FIELDS = {"href", "kind", "key", "photo", "before", "after"}


def visible_texts(document: Document) -> list[str]:
    """Every text the Document asks renderers to show (links' targets, keys and kinds are not shown)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, Span) for v in value):
            found.append(plain_text(value))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                if field.name not in SKIPPED_FIELDS:
                    walk(getattr(value, field.name))

    walk(document.person)
    walk(document.sections)
    return [text for text in found if text.strip()]
