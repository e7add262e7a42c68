"""A letter's signature: a local PNG or JPEG, checked and cleaned like the profile photo.

Unlike the photo it keeps its shape (signatures are wide) and its transparency; it is shrunk to
at most SIGNATURE_WIDTH × SIGNATURE_HEIGHT pixels and re-encoded, so no camera or editor
metadata reaches the outputs. A remote signature is refused when the letter is validated.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from cvforge.reader.photo import MAX_PIXELS, Photo, PhotoError, locate_image, read_image

SIGNATURE_WIDTH = 900
SIGNATURE_HEIGHT = 300


def read_signature(folder: Path, reference: str) -> Photo:
    """Read, check and shrink the signature at `reference` inside `folder`."""
    path, stat = locate_image(folder, reference, "signature", "the letter")
    return _prepared(str(path), stat.st_mtime_ns, stat.st_size, reference)


@lru_cache(maxsize=4)
def _prepared(path: str, mtime_ns: int, size: int, reference: str) -> Photo:
    from PIL import Image, ImageOps, UnidentifiedImageError
    from PIL.Image import DecompressionBombError

    data = read_image(Path(path), "signature", reference)
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError(f"signature '{reference}' is {width}×{height} pixels; too large")
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except (UnidentifiedImageError, DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise PhotoError(f"signature '{reference}' is not a readable PNG or JPEG image ({exc})") from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    upright.thumbnail((SIGNATURE_WIDTH, SIGNATURE_HEIGHT), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if has_alpha:
        upright.save(buffer, "PNG", optimize=True)
        return Photo(buffer.getvalue(), "image/png")
    upright.save(buffer, "JPEG", quality=90, optimize=True)
    return Photo(buffer.getvalue(), "image/jpeg")
