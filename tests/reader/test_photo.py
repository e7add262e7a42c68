"""The profile photo: embedded small and clean when it sits next to the profile, never fetched when remote."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from cvforge.builder.run import build
from cvforge.cli import main
from cvforge.document.view import view_document
from cvforge.errors import ProfileError
from cvforge.logs import collect_warnings
from cvforge.reader import photo as photo_module
from cvforge.reader.photo import PHOTO_PIXELS, read_photo
from cvforge.reader.read import load_profile
from tests.helpers.hostile_files import fifo_unblocked_after
from tests.helpers.inert import inert_problems
from tests.helpers.project import SCENARIOS

SCENARIO = SCENARIOS / "photo-profile"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("photo")
    result = build([SCENARIO / "profile.yaml"], out_dir=out)
    assert result.ok, result.failures
    return {fmt: out / f"profile.{fmt}" for fmt in ("html", "pdf", "docx")}


def write_profile(folder: Path, photo: str) -> Path:
    path = folder / "profile.yaml"
    path.write_text(f"person:\n  name: Jane Doe\n  photo: '{photo}'\n", encoding="utf-8")
    return path


def photo_problem(path: Path) -> str:
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    (problem,) = info.value.problems
    return str(problem)


def test_html_embeds_the_photo_inline_as_a_small_square_jpeg(built: dict[str, Path]) -> None:
    html = built["html"].read_text("utf-8")
    sources = re.findall(r'<img class="photo" src="data:image/jpeg;base64,([^"]+)"', html)
    assert len(sources) == 1
    image = Image.open(io.BytesIO(base64.b64decode(sources[0])))
    assert (image.format, image.size) == ("JPEG", (PHOTO_PIXELS, PHOTO_PIXELS))
    assert inert_problems(html) == []


def test_pdf_draws_the_photo_from_the_inline_copy(built: dict[str, Path]) -> None:
    images = PdfReader(built["pdf"]).pages[0].images
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.size == (PHOTO_PIXELS, PHOTO_PIXELS)


def test_docx_leaves_the_photo_out(built: dict[str, Path]) -> None:
    # The Word file is the copy parsers read; a picture adds nothing they can use (see README).
    with zipfile.ZipFile(built["docx"]) as package:
        assert not [name for name in package.namelist() if name.startswith("word/media/")]


def test_camera_metadata_is_dropped_and_orientation_applied(tmp_path: Path) -> None:
    # Left half red, right half blue; EXIF says "rotate 90° clockwise to view", so upright the red is on top.
    original = Image.new("RGB", (200, 100), "blue")
    original.paste("red", (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x8825] = {1: "N", 2: (38.0, 42.0, 0.0)}  # GPSInfo: where the photo was taken
    exif[0x010F] = "PhoneMaker"  # Make
    original.save(tmp_path / "me.jpg", exif=exif)
    prepared = read_photo(tmp_path, "me.jpg")
    image = Image.open(io.BytesIO(prepared.data))
    assert not image.getexif()
    assert b"PhoneMaker" not in prepared.data
    red, blue = image.getpixel((PHOTO_PIXELS // 2, 5)), image.getpixel((PHOTO_PIXELS // 2, PHOTO_PIXELS - 5))
    assert isinstance(red, tuple) and isinstance(blue, tuple)
    assert red[0] > 200 and red[2] < 60, red
    assert blue[2] > 200 and blue[0] < 60, blue


def test_transparent_png_stays_png(tmp_path: Path) -> None:
    Image.new("RGBA", (50, 80), (10, 20, 30, 0)).save(tmp_path / "me.png")
    prepared = read_photo(tmp_path, "me.png")
    assert prepared.mime == "image/png"
    assert Image.open(io.BytesIO(prepared.data)).mode == "RGBA"


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ("missing.jpg", "photo file 'missing.jpg' not found next to the profile"),
        ("not-an-image.jpg", "is not a readable PNG or JPEG image"),
        ("../outside.jpg", "leads outside the profile's folder"),
        ("/etc/passwd.jpg", "is an absolute path"),
        ("file:///etc/passwd", "is not a photo"),
        ("javascript:alert(1)", "is not a photo"),
        ("data:image/png;base64,AAAA", "is not a photo"),
        ("photo.gif", "is not a PNG or JPEG file"),
        ("ftp://example.com/me.jpg", "is not a photo"),
    ],
)
def test_bad_photos_are_located_errors(tmp_path: Path, photo: str, message: str) -> None:
    (tmp_path / "not-an-image.jpg").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    problem = photo_problem(write_profile(tmp_path, photo))
    assert ":3:10: person.photo: " in problem
    assert message in problem


def test_a_symlink_out_of_the_profile_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    Image.new("RGB", (10, 10)).save(secret / "private.jpg")
    folder = tmp_path / "profile"
    folder.mkdir()
    (folder / "me.jpg").symlink_to(secret / "private.jpg")
    assert "leads outside the profile's folder" in photo_problem(write_profile(folder, "me.jpg"))


def test_huge_images_are_refused_before_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Image.new("RGB", (40, 30)).save(tmp_path / "me.png")
    monkeypatch.setattr(photo_module, "MAX_PIXELS", 1000)
    photo_module._prepared.cache_clear()
    assert "is 40×30 pixels; the limit is 0.001 megapixels" in photo_problem(write_profile(tmp_path, "me.png"))
    monkeypatch.setattr(photo_module, "MAX_PHOTO_BYTES", 50)
    assert "photo 'me.png' is 0.0 MiB; the limit is " in photo_problem(write_profile(tmp_path, "me.png"))


def test_a_photo_that_is_not_a_regular_file_is_refused_without_waiting(tmp_path: Path) -> None:
    """Issue 24.10: a FIFO named as the photo would block the read for ever; it is refused, by name."""
    with fifo_unblocked_after(tmp_path / "me.png", 5):
        problem = photo_problem(write_profile(tmp_path, "me.png"))
    assert "photo 'me.png' is a FIFO, not a regular file" in problem, problem


def test_a_remote_photo_warns_with_its_location_and_is_left_out(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "https://example.com/me.jpg")
    with collect_warnings() as warned:
        profile = load_profile(path)
    (record,) = [r for r in warned if "person.photo" in r.getMessage()]
    assert ":3:10: person.photo: 'https://example.com/me.jpg' is a remote image" in record.getMessage()
    assert view_document(profile).person.photo is None


def test_cli_prints_the_warning_and_strict_makes_it_fatal(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "https://example.com/me.jpg")
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(path), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "is a remote image" in result.output
    assert (out / "profile.html").is_file()
    strict_out = tmp_path / "strict"
    result = runner.invoke(main, ["build", str(path), "--format", "html", "--out", str(strict_out), "--strict"])
    assert result.exit_code == 1
    assert "warnings are errors with --strict" in result.output
    assert not strict_out.exists()
    result = runner.invoke(main, ["validate", "--strict", str(path)])
    assert result.exit_code == 1 and "is a remote image" in result.output


def test_a_photo_name_with_a_nul_byte_is_an_error_not_a_crash(tmp_path: Path) -> None:
    # Profiles cannot carry control characters (limits.py), but the library API can be handed anything.
    with pytest.raises(photo_module.PhotoError, match="contains control characters"):
        read_photo(tmp_path, "me\x00.jpg")


def test_a_photo_hard_linked_to_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    """Issue 24.13: a hard link passes the path check (it is inside the folder) but is the other file."""
    import os

    secret = tmp_path / "secret"
    secret.mkdir()
    Image.new("RGB", (10, 10)).save(secret / "private.jpg")
    folder = tmp_path / "profile"
    folder.mkdir()
    os.link(secret / "private.jpg", folder / "me.jpg")
    problem = photo_problem(write_profile(folder, "me.jpg"))
    assert ":3:10: person.photo: " in problem
    assert "photo 'me.jpg' has 2 hard links; cvforge reads only files that are not linked elsewhere" in problem
