"""The profile photo: where it may come from, and the small clean image that goes into a resume.

A photo is a PNG or JPEG file inside the profile's folder. It is decoded with Pillow, turned
upright, cropped square, shrunk and re-encoded, so what reaches the outputs is a few dozen KB
without the camera's metadata (GPS position, device, date). A remote photo is never fetched.
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from cvforge.errors import CvforgeError
from cvforge.reader.limits import FileTooLargeError, RefusedFileError, read_capped
from cvforge.reader.unlinked import UnsafeInputError, open_unlinked
from cvforge.schema.links import is_remote, reference_problem

MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a phone's full-size JPEG fits; a decoded bomb does not
MAX_PIXELS = 50_000_000  # checked from the header, before any pixel is decoded
PHOTO_PIXELS = 400  # side of the square written to outputs: sharp at 3 cm and 300 dpi


class PhotoError(CvforgeError):
    """Raised when a profile's photo file is missing, outside its folder, or not a usable image."""


@dataclass(frozen=True)
class Photo:
    """A photo ready to embed: encoded bytes and their media type."""

    data: bytes
    mime: str

    def data_uri(self) -> str:
        """The photo as a data: URI, so no output ever points at a file or a server."""
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def read_photo(folder: Path, reference: str) -> Photo:
    """Read, check and shrink the photo at `reference` inside `folder`; PhotoError says what is wrong."""
    path, stat = locate_image(folder, reference, "photo", "the profile")
    return _prepared(str(path), stat.st_mtime_ns, stat.st_size, reference)


def locate_image(folder: Path, reference: str, noun: str, owner: str) -> tuple[Path, os.stat_result]:
    """The local image file `reference` names inside `folder` (no remote image, no way out of the
    folder, a regular file with one link, not over MAX_PHOTO_BYTES), and the opened file's stat,
    which keys the decoded copy; `noun` and `owner` word the errors. Judged again when it is read."""
    problem = reference_problem(reference)
    if problem or is_remote(reference):
        raise PhotoError(problem or f"'{reference}' is a remote image; cvforge does not fetch it")
    root = folder.resolve()
    path = (root / reference).resolve()
    if not path.is_relative_to(root):
        raise PhotoError(f"'{reference}' leads outside {owner}'s folder (through a symbolic link)")
    try:
        path.stat()
    except OSError:
        raise PhotoError(f"{noun} file '{reference}' not found next to {owner}") from None
    with open_image(path, f"{noun} '{reference}'") as handle:
        stat = os.fstat(handle.fileno())
    if stat.st_size > MAX_PHOTO_BYTES:
        size, limit = stat.st_size / 1024 / 1024, MAX_PHOTO_BYTES / 1024 / 1024
        raise PhotoError(f"{noun} '{reference}' is {size:.1f} MiB; the limit is {limit:g} MiB")
    return path, stat


def open_image(path: Path, shown: str) -> BinaryIO:
    """The image file opened, when it is a regular file with one link (a hard link passes the folder
    check above and still is the file it links to, wherever that is: see `reader.unlinked`)."""
    try:
        return open_unlinked(path, shown)
    except UnsafeInputError as exc:
        raise PhotoError(exc.message) from None
    except OSError as exc:
        raise PhotoError(f"{shown} cannot be read ({exc.strerror})") from None


def read_image(path: Path, noun: str, reference: str) -> bytes:
    """The image file's bytes, read as every user-named file is (`read_capped`): a regular file with
    one link, within MAX_PHOTO_BYTES, judged on the opened file; anything else is a PhotoError naming it."""
    try:
        return read_capped(path, MAX_PHOTO_BYTES, one_link=True)
    except FileTooLargeError as exc:
        limit = MAX_PHOTO_BYTES / 1024 / 1024
        raise PhotoError(f"{noun} '{reference}' {exc.message}; the limit is {limit:g} MiB") from None
    except RefusedFileError as exc:
        raise PhotoError(f"{noun} '{reference}' {exc.message}") from None
    except OSError as exc:
        raise PhotoError(f"{noun} '{reference}' cannot be read ({exc.strerror})") from None


@lru_cache(maxsize=8)
def _prepared(path: str, mtime_ns: int, size: int, reference: str) -> Photo:
    """Decode and re-encode once per file version: the loader and each renderer ask for the same photo."""
    from PIL import Image, ImageOps, UnidentifiedImageError
    from PIL.Image import DecompressionBombError

    data = read_image(Path(path), "photo", reference)
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                limit = MAX_PIXELS / 1_000_000
                raise PhotoError(f"photo '{reference}' is {width}×{height} pixels; the limit is {limit:g} megapixels")
            image.draft("RGB", (PHOTO_PIXELS * 2, PHOTO_PIXELS * 2))  # JPEG only: decode at a fraction of full size
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
            source_format = image.format
    except (UnidentifiedImageError, DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        # Pillow reports truncated or malformed files as OSError, ValueError or SyntaxError.
        raise PhotoError(f"photo '{reference}' is not a readable PNG or JPEG image ({exc})") from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    # Faces sit in the upper part of a portrait, so a tall picture is cropped a little above centre.
    square = ImageOps.fit(upright, (PHOTO_PIXELS, PHOTO_PIXELS), Image.Resampling.LANCZOS, centering=(0.5, 0.35))
    buffer = io.BytesIO()
    if has_alpha or source_format == "PNG":
        square.save(buffer, "PNG", optimize=True, icc_profile=icc)
        return Photo(buffer.getvalue(), "image/png")
    square.save(buffer, "JPEG", quality=85, optimize=True, icc_profile=icc)
    return Photo(buffer.getvalue(), "image/jpeg")
