"""RenderCV's `locale` and `design` in: the settings that mean something to cvforge become the
profile's locale, labels and theme options; the rest is named in one notice, never dropped silently."""

from __future__ import annotations

import re
from typing import Any

from cvforge.reader.interop.base import Converted
from cvforge.reader.source import Loc

# RenderCV's language names (its `locale.language`) and the BCP 47 tags of cvforge's locale tables.
LANGUAGES: dict[str, str] = {
    "english": "en",
    "danish": "da",
    "dutch": "nl",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "indonesian": "id",
    "indonesia": "id",
    "japanese": "ja",
    "korean": "ko",
    "mandarin_chinese": "zh-Hans",
    "norwegian_bokmål": "nb",
    "norwegian_nynorsk": "nn",
    "portuguese": "pt",
    "russian": "ru",
    "spanish": "es",
    "turkish": "tr",
    "arabic": "ar",
    "hebrew": "he",
    "persian": "fa",
    "vietnamese": "vi",
    "hungarian": "hu",
}
TAGS: dict[str, str] = {tag: name for name, tag in LANGUAGES.items() if name != "indonesia"}
PAGE_SIZES = {"a4": "A4", "us-letter": "Letter", "letter": "Letter"}
# Faces every built-in theme ships; another font has no file here, so it cannot be honoured.
SHIPPED_FONTS = {"inter": "Inter", "noto serif": "Noto Serif"}
# RenderCV colours that stand for the accent, in the order of preference.
ACCENT_COLOURS = ("section_titles", "name", "headline", "links", "connections")
_RGB = re.compile(r"^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$")
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def apply_locale(out: Converted, locale: Any) -> None:
    """`language` → the profile's locale; `present` → its label; month names come from the locale's
    own CLDR data, so RenderCV's month lists and other phrases are named in a notice."""
    if not isinstance(locale, dict):
        return
    language = str(locale.get("language") or "english").strip().lower()
    tag = LANGUAGES.get(language)
    if tag is None:
        out.skip(("locale", "language"), f"RenderCV language '{language}' has no cvforge locale; built in English")
    elif tag != "en":
        out.data["locale"] = tag
        out.trace(("locale",), ("locale", "language"))
    if isinstance(locale.get("present"), str) and locale["present"].strip():
        out.data.setdefault("labels", {})["present"] = locale["present"].strip()
        out.trace(("labels", "present"), ("locale", "present"))
    rest = sorted(key for key in locale if key not in ("language", "present"))
    if rest:
        message = (
            f"{', '.join(rest)}: cvforge takes month names and date words from the locale's own CLDR data "
            "(set `date_format` or `labels` in the profile to change them)"
        )
        out.skip(("locale", rest[0]), message)


def apply_design(out: Converted, design: Any) -> None:
    """Page size, accent colour and a font cvforge ships become theme options; one notice lists the rest."""
    if not isinstance(design, dict):
        return
    options: dict[str, str] = {}
    used: set[str] = set()
    size = _at(design, "page", "size")
    if isinstance(size, str) and size.lower() in PAGE_SIZES:
        options["page_size"] = PAGE_SIZES[size.lower()]
        used.add("page.size")
    colours = design.get("colors")
    if isinstance(colours, dict):
        for name in ACCENT_COLOURS:
            hex_colour = to_hex(colours.get(name))
            if hex_colour:
                options["accent"] = hex_colour
                used.add(f"colors.{name}")
                break
    font = _font(design)
    if font:
        options["font"] = font
        used.add("typography.font_family")
    if options:
        out.data.setdefault("options", {}).update(options)
        for key in options:
            out.trace(("options", key), ("design",))
    ignored = [path for path in _leaves(design) if path not in used and not path.startswith(tuple(_prefixes(used)))]
    if ignored:
        where: Loc = ("design", *ignored[0].split(".")[:1])
        shown = ", ".join(ignored[:12]) + (f" and {len(ignored) - 12} more" if len(ignored) > 12 else "")
        out.skip(where, f"RenderCV design settings with no cvforge option (the theme decides): {shown}")


def to_hex(value: Any) -> str | None:
    """ "rgb(0, 79, 144)" or "#004f90" → "#004f90"; anything else (names, hsl) → None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _RGB.match(text):
        channels = [int(part) for part in match.groups()]
        return "#" + "".join(f"{min(c, 255):02x}" for c in channels)
    if match := _HEX.match(text):
        digits = match[1]
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()
    return None


def _font(design: dict[str, Any]) -> str | None:
    family = _at(design, "typography", "font_family")
    if isinstance(family, dict):
        family = family.get("body")
    return SHIPPED_FONTS.get(family.strip().lower()) if isinstance(family, str) else None


def _at(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def _leaves(data: Any, prefix: str = "") -> list[str]:
    if not isinstance(data, dict):
        return [prefix] if prefix else []
    paths: list[str] = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        paths.extend(_leaves(value, path) if isinstance(value, dict) else [path])
    return paths


def _prefixes(used: set[str]) -> list[str]:
    return [f"{path}." for path in used]
