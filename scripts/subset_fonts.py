"""Make the CJK, Arabic, Devanagari, Thai and serif web fonts the built-in themes ship, as small woff2 subsets.

Run: .venv/bin/python scripts/subset_fonts.py SOURCE_ROOT
where SOURCE_ROOT holds the Debian packages `fonts-noto-cjk` (1:20220127) and `fonts-noto-core`
(20201225) unpacked (`apt-get download fonts-noto-cjk fonts-noto-core; dpkg -x PKG.deb SOURCE_ROOT`).
The full Noto Sans CJK is about 20 MB a weight; a resume needs names and a few phrases, so each
script gets the characters its national standard lists as common (coverage in themes/classic/static/fonts/FONTS.md).
The monochrome emoji face comes from npm's `@expo-google-fonts/noto-emoji` 0.4.7 (Noto Emoji
3.006): `npm pack @expo-google-fonts/noto-emoji@0.4.7`, and put its `400Regular/NotoEmoji_400Regular.ttf`
in SOURCE_ROOT/noto-emoji/ (every emoji kept, with the ligatures that make flags and ZWJ sequences).
The script is kept so the files can be remade or widened; the build itself never runs it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FONTS_DIR = Path(__file__).resolve().parents[1] / "themes" / "classic" / "static" / "fonts"
CJK_DIR = "usr/share/fonts/opentype/noto"
NOTO_DIR = "usr/share/fonts/truetype/noto"
TTC_FACES = {"JP": 0, "KR": 1, "SC": 2, "TC": 3}  # face index inside NotoSansCJK-*.ttc


def charset_rows(codec: str, first_lead: int, last_lead: int) -> set[int]:
    """Every character an EUC double-byte codec maps from lead bytes first..last (rows of the standard)."""
    found: set[int] = set()
    for lead in range(first_lead, last_lead + 1):
        for trail in range(0xA1, 0xFF):
            try:
                text = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


def big5_level1() -> set[int]:
    """Big5's frequently used hanzi (0xA440–0xC67E, 5,401): the everyday traditional characters."""
    found: set[int] = set()
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (lead, trail) > (0xC6, 0x7E):
                break
            try:
                text = bytes([lead, trail]).decode("big5")
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


def block(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


# Spaces, so a space between two Hangul or Arabic words gets the width the script's own font gives it.
SPACES = {0x20, 0xA0}
# Punctuation every CJK text uses: ideographic space, brackets, full-width forms, middle dots.
CJK_PUNCTUATION = block(0x3000, 0x303F) | block(0xFF01, 0xFF60) | block(0xFFE0, 0xFFEE) | {0x30FB} | SPACES
COVERAGE: dict[str, set[int]] = {
    # JIS X 0208 level 1 kanji (rows 16–47, 2,965) + hiragana, katakana and their extensions.
    "JP": charset_rows("euc_jp", 0xB0, 0xCF) | block(0x3040, 0x30FF) | block(0x31F0, 0x31FF) | CJK_PUNCTUATION,
    # GB 2312 level 1 hanzi (rows 16–55, 3,755), the everyday simplified characters.
    "SC": charset_rows("gb2312", 0xB0, 0xD7) | CJK_PUNCTUATION,
    # Big5 level 1 hanzi (5,401), for Taiwanese and Hong Kong names and text.
    "TC": big5_level1() | CJK_PUNCTUATION,
    # KS X 1001 Hangul syllables (rows 16–40, 2,350) + compatibility jamo.
    "KR": charset_rows("euc_kr", 0xB0, 0xC8) | block(0x3130, 0x318F) | CJK_PUNCTUATION,
    # The Arabic block and its supplement (Arabic, Persian, Urdu letters), plus the joiners and marks.
    "Arabic": block(0x0600, 0x06FF) | block(0x0750, 0x077F) | block(0x200C, 0x200F) | {0x061C} | SPACES,
    # Devanagari (Hindi, Marathi, Nepali), its extension and Vedic marks, the danda, joiners; all
    # shaping features kept (conjuncts, reph, matra reordering are GSUB work).
    "Devanagari": block(0x0900, 0x097F)
    | block(0xA8E0, 0xA8FF)
    | block(0x1CD0, 0x1CFF)
    | block(0x200C, 0x200D)
    | {0x25CC}
    | SPACES,
    # Thai letters, vowels, tone marks and digits; shaping kept (mark positioning, sara am).
    "Thai": block(0x0E00, 0x0E7F) | block(0x200B, 0x200D) | {0x25CC} | SPACES,
    # Latin, Latin-1, Latin Extended-A/B, Greek, Cyrillic and typographic punctuation: an alternative text face.
    "Serif": block(0x20, 0x7E)
    | block(0xA0, 0x24F)
    | block(0x370, 0x3FF)
    | block(0x400, 0x4FF)
    | block(0x2000, 0x206F)
    | block(0x20A0, 0x20BF)
    | {0x2122, 0x2190, 0x2192, 0x2212, 0x2713},
}


def subset_to_woff2(font: TTFont, codepoints: Iterable[int], target: Path, *, all_features: bool) -> None:
    """Keep only `codepoints` (and the glyphs their shaping reaches); drop hinting, which screens and PDFs ignore."""
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence in the file
    options.layout_features = ["*"] if all_features else [*subset.Options().layout_features]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)
    print(f"{target.name}: {target.stat().st_size / 1024:,.0f} KB, {len(font.getBestCmap()):,} characters")


def main(source_root: Path) -> None:
    for weight in ("Regular", "Bold"):
        collection = TTCollection(source_root / CJK_DIR / f"NotoSansCJK-{weight}.ttc")
        for region, index in TTC_FACES.items():
            font = collection.fonts[index]
            target = FONTS_DIR / f"NotoSansCJK{region.lower()}-{weight}.subset.woff2"
            subset_to_woff2(font, COVERAGE[region], target, all_features=False)
            collection = TTCollection(source_root / CJK_DIR / f"NotoSansCJK-{weight}.ttc")  # subsetting mutates
        arabic = TTFont(source_root / NOTO_DIR / f"NotoSansArabic-{weight}.ttf")
        subset_to_woff2(
            arabic, COVERAGE["Arabic"], FONTS_DIR / f"NotoSansArabic-{weight}.subset.woff2", all_features=True
        )
        for script in ("Devanagari", "Thai"):
            face = TTFont(source_root / NOTO_DIR / f"NotoSans{script}-{weight}.ttf")
            target = FONTS_DIR / f"NotoSans{script}-{weight}.subset.woff2"
            subset_to_woff2(face, COVERAGE[script], target, all_features=True)
    emoji = source_root / "noto-emoji" / "NotoEmoji_400Regular.ttf"
    if emoji.is_file():
        face = TTFont(emoji)
        every = set(face.getBestCmap()) - block(0x20, 0x7E)  # digits and # stay the text face's
        subset_to_woff2(face, every | SPACES, FONTS_DIR / "NotoEmoji-Regular.subset.woff2", all_features=True)
    for style in ("Regular", "Italic", "Bold", "BoldItalic"):
        serif = TTFont(source_root / NOTO_DIR / f"NotoSerif-{style}.ttf")
        subset_to_woff2(serif, COVERAGE["Serif"], FONTS_DIR / f"NotoSerif-{style}.subset.woff2", all_features=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
