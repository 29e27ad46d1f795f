"""Avatar pictures: what comes in is decoded, checked and re-encoded from pixels only."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from teahouse.errors import TeahouseError
from teahouse.social import avatar_image
from tests.support import images


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_no_metadata(data: bytes) -> None:
    image = decoded(data)
    assert image.format == "WEBP"
    for key in ("exif", "icc_profile", "xmp", "comment"):
        assert key not in image.info
    assert len(image.getexif()) == 0
    for marker in (b"Exif", b"EXIF", b"GPS", b"ICCP", b"XMP", b"PhoneMaker", b"secret comment"):
        assert marker not in data


def test_a_photo_with_gps_loses_every_bit_of_metadata() -> None:
    photo = images.jpeg_with_gps()
    source = decoded(photo)
    assert source.getexif().get_ifd(images.GPS_IFD)  # the test photo does carry GPS
    assert b"GPS" in photo or b"Exif" in photo

    avatar = avatar_image.reencode(photo)
    assert_no_metadata(avatar)
    assert decoded(avatar).size == (512, 384)


def test_exif_orientation_is_applied_then_dropped() -> None:
    # Orientation 6: the camera was turned; the picture must come out upright (tall).
    avatar = avatar_image.reencode(images.jpeg_with_gps((800, 600), orientation=6))
    assert decoded(avatar).size == (384, 512)
    assert_no_metadata(avatar)


@pytest.mark.parametrize(
    ("data", "size", "mode"),
    [
        (images.picture("PNG", (64, 48)), (64, 48), "RGB"),
        (images.picture("PNG", (2000, 1000), "RGBA", (255, 0, 0, 128)), (512, 256), "RGBA"),
        (images.picture("PNG", (30, 30), "LA", (90, 128)), (30, 30), "RGBA"),
        (images.picture("PNG", (30, 30), "P", 0, transparency=0), (30, 30), "RGBA"),
        (images.picture("PNG", (30, 30), "RGBA"), (30, 30), "RGB"),  # opaque: no alpha
        (images.picture("PNG", (30, 30), "I;16"), (30, 30), "RGB"),
        (images.picture("JPEG", (100, 700), "CMYK"), (73, 512), "RGB"),
        (images.picture("JPEG", (100, 100), "L"), (100, 100), "RGB"),
        (images.picture("WEBP", (600, 600)), (512, 512), "RGB"),
        (images.picture("GIF", (20, 10), "P"), (20, 10), "RGB"),
        (images.animated_gif(), (40, 40), "RGB"),
        (images.picture("PNG", (1, 1)), (1, 1), "RGB"),
    ],
)
def test_accepted_formats_become_small_webp(data: bytes, size: tuple[int, int], mode: str) -> None:
    avatar = decoded(avatar_image.reencode(data))
    assert avatar.size == size
    assert avatar.mode == mode
    assert_no_metadata(avatar_image.reencode(data))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "avatar_not_an_image"),
        (b"hello, this is text", "avatar_not_an_image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "avatar_not_an_image"),
        (images.picture("BMP"), "avatar_not_an_image"),
        (images.picture("TIFF"), "avatar_not_an_image"),
        (b"%PDF-1.4\n", "avatar_not_an_image"),
        (images.picture("PNG")[:40], "avatar_not_an_image"),  # truncated
        (images.jpeg_with_gps()[:400], "avatar_not_an_image"),  # truncated
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "avatar_not_an_image"),  # right magic, junk
        (b"RIFF\x00\x00\x00\x00WEBPjunk", "avatar_not_an_image"),
        (images.png_declaring(30000, 30000), "avatar_too_many_pixels"),  # Pillow's error
        (images.png_declaring(7000, 7000), "avatar_too_many_pixels"),  # Pillow only warns
        (images.png_declaring(40_000_001, 1), "avatar_too_many_pixels"),
        (b"\xff\xd8\xff" + b"\x00" * (avatar_image.MAX_BYTES + 1), "avatar_too_large"),
    ],
)
def test_refused_pictures(data: bytes, code: str) -> None:
    with pytest.raises(TeahouseError) as error:
        avatar_image.reencode(data)
    assert error.value.code == code


def test_the_pixel_limit_holds_without_the_warnings_filter() -> None:
    # Even if something resets warnings to "ignore", the explicit check refuses.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TeahouseError) as error:
            avatar_image.reencode(images.png_declaring(7000, 7000))
    assert error.value.code == "avatar_too_many_pixels"
    assert Image.MAX_IMAGE_PIXELS == avatar_image.MAX_PIXELS
