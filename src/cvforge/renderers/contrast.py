"""Is the accent colour readable where the themes use it? It is drawn as text on white (headings,
links) and on its own pale tint (cards, chips), and behind white text (modern's band, badges), so
each pairing must reach WCAG AA's 4.5:1. Checked once per build job; a shortfall is a warning
(a build error with --strict) that names a darker shade of the same colour that passes."""

from __future__ import annotations

import logging
import re

from cvforge.renderers.themes import Theme

LOGGER = logging.getLogger(__name__)
AA_TEXT = 4.5
WHITE = "#ffffff"
SOFT_TINT = 0.09  # the `--accent-soft` wash the templates put behind accent text
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def channels(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""

    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` with `amount` of `other` mixed in."""
    return "#" + "".join(
        f"{round(c + (o - c) * amount):02x}" for c, o in zip(channels(colour), channels(other), strict=True)
    )


def worst_pairing(accent: str) -> tuple[float, str]:
    """The lowest contrast the accent makes with a colour it meets, and that colour's description."""
    soft = mix(accent, WHITE, 1 - SOFT_TINT)
    pairs = [(contrast(accent, WHITE), f"white ({WHITE})"), (contrast(accent, soft), f"its pale tint ({soft})")]
    return min(pairs)


def darker_passing(accent: str) -> str | None:
    """The same hue darkened just enough to pass everywhere it is used."""
    for step in range(1, 21):
        candidate = mix(accent, "#000000", step / 20)
        if worst_pairing(candidate)[0] >= AA_TEXT:
            return candidate
    return None


def check_accent(theme: Theme, source: str) -> None:
    """Warn when the theme's accent would make text unreadable (WCAG AA, 4.5:1)."""
    accent = str(theme.options.get("accent", ""))
    if not _HEX.match(accent):
        return
    ratio, against = worst_pairing(accent)
    if ratio >= AA_TEXT:
        return
    fix = darker_passing(accent)
    hint = f"; {fix} is the same colour dark enough (--option accent={fix})" if fix else ""
    LOGGER.warning(
        "%s: theme '%s': accent %s is hard to read: %.2f:1 against %s, where text needs %.1f:1 (WCAG AA)%s",
        source, theme.name, accent, ratio, against, AA_TEXT, hint,
    )  # fmt: skip
