"""The locale of a file that does not say its language, from the script most of its text is in:
a JSON Resume in Japanese gets Japanese headings, not English ones (with a notice naming the choice)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

# The first word of a letter's Unicode name → the locale whose script it is. Han alone is Chinese;
# any kana makes it Japanese. Letters that only one language of a script uses decide among them.
SCRIPTS = {
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh-Hans",
    "HANGUL": "ko",
    "ARABIC": "ar",
    "HEBREW": "he",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "THAI": "th",
}
PERSIAN_LETTERS = set("پچژگی")
URDU_LETTERS = set("ٹڈڑںےھ")
UKRAINIAN_LETTERS = set("єіїґЄІЇҐ")
BULGARIAN_HINTS = set("ъЪ")
# Share of the letters a non-Latin script needs to be the file's language: Latin product names and
# acronyms fill a Japanese or Arabic resume too, so a plain majority would be too strict.
THRESHOLD = 0.25
NAMES = {
    "ja": "Japanese",
    "zh-Hans": "Chinese",
    "ko": "Korean",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "he": "Hebrew",
    "ru": "Russian",
    "uk": "Ukrainian",
    "bg": "Bulgarian",
    "el": "Greek",
    "hi": "Hindi",
    "th": "Thai",
}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def guess_locale(data: Any) -> str | None:
    """The locale of the dominant non-Latin script, or None (Latin text: English stays the default)."""
    counts: Counter[str] = Counter()
    letters = 0
    seen: set[str] = set()
    for text in _strings(data):
        for char in text:
            if not char.isalpha():
                continue
            letters += 1
            script = unicodedata.name(char, "").split(" ")[0]
            if script in SCRIPTS:
                counts[SCRIPTS[script]] += 1
                seen.add(char)
    if not counts or not letters:
        return None
    if counts["ja"]:  # kana anywhere: the Han characters are Japanese kanji
        counts["ja"] += counts.pop("zh-Hans", 0)
    tag, count = counts.most_common(1)[0]
    if count / letters < THRESHOLD:
        return None
    if tag == "ar":
        tag = "ur" if seen & URDU_LETTERS else "fa" if seen & PERSIAN_LETTERS else "ar"
    if tag == "ru":
        tag = "uk" if seen & UKRAINIAN_LETTERS else "ru"
    return tag


def locale_notice(tag: str, shown: str) -> str:
    return (
        f"{shown}: the file does not say its language; built in {NAMES.get(tag, tag)} ({tag}), the script "
        f"most of its text is in (`--locale en`, or another tag, overrides it; `locale:` in an imported profile)"
    )
