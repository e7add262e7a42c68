"""Regenerate the README gallery: page one of a seed profile in every built-in theme, as cvforge draws it.

Run: .venv/bin/python scripts/gallery.py   (or `make gallery`)
Each image is cvforge's own `png` output (the PDF's first page), scaled down to a thumbnail.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image

from cvforge.builder.run import build
from cvforge.renderers.png import rasterise_pdf
from cvforge.renderers.themes import describe_themes

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles" / "sai-sushanth-thakkalapally.yaml"
IMAGES = ROOT / "docs" / "images"
LETTER_TARGET = ROOT / "targets" / "sai-ledgerline-backend.yaml"
WIDTH = 560  # pixels: three side by side fit a README column


def make_thumbnail(theme: str, out_dir: Path) -> Path:
    result = build([PROFILE], theme_name=theme, formats=["png"], out_dir=out_dir)
    if not result.ok:
        sys.exit(f"{theme}: {result.failures[0].message}")
    return save_thumbnail(out_dir / f"{PROFILE.stem}-1.png", IMAGES / f"{theme}.png")


def make_letter_thumbnail(out_dir: Path) -> Path:
    """The example target's cover letter, in its resume's theme, as the README shows it."""
    result = build([LETTER_TARGET], formats=["letter"], out_dir=out_dir)
    if not result.ok:
        sys.exit(f"letter: {result.failures[0].message}")
    [pdf] = out_dir.rglob("*.letter.pdf")
    page_one = out_dir / "letter-1.png"
    page_one.write_bytes(rasterise_pdf(pdf.read_bytes())[0])
    return save_thumbnail(page_one, IMAGES / "letter.png")


def save_thumbnail(page_one: Path, target: Path) -> Path:
    with Image.open(page_one) as image:
        height = round(image.height * WIDTH / image.width)
        thumbnail = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
        # 256 colours are plenty for text on flat fills and cut the file to about a third.
        thumbnail.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        for info in describe_themes():
            if info.builtin:
                target = make_thumbnail(info.name, Path(temp) / info.name)
                print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size / 1024:.0f} KB)")
        target = make_letter_thumbnail(Path(temp) / "letter")
        print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
