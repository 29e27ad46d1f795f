"""Avatar pictures: bytes from a member in, a clean small WebP out.

Nothing the member sent is passed on: the picture is decoded (only JPEG, PNG, WebP
and GIF decoders are tried, whatever the Content-Type said), turned upright by its
EXIF orientation, scaled to fit 512x512 and encoded afresh from its pixels alone, so
no EXIF (GPS!), XMP, ICC profile or comment survives.

Decompression bombs: Pillow refuses images over ``2 * MAX_IMAGE_PIXELS`` with an
error and only *warns* between one and two times the limit. The limit is set here
on purpose, the warning is made an error for the whole process (a filter installed
once: ``warnings.catch_warnings`` is not thread-safe, and this code runs in worker
threads), and the pixel count is checked again explicitly, so the refusal does not
depend on the warnings configuration at all.

CPU- and memory-bound: the server runs :func:`reencode` in a worker process of its
own for each picture (``avatar_worker.py``).
"""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from teahouse.errors import BadRequest, ErrorCode, TooLarge

MAX_BYTES: Final = 5 * 1024 * 1024
MAX_PIXELS: Final = 40_000_000
SIZE: Final = 512
CONTENT_TYPE: Final = "image/webp"
FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")
QUALITY: Final = 85

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

# Modes that scale well as they are; others (palettes, 16-bit) are converted first.
_SCALED_AS_DECODED: Final = frozenset({"RGB", "RGBA", "L", "LA"})

# Magic numbers of the accepted formats: a cheap first look before Pillow's own.
_SIGNATURES: Final = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"GIF87a",
    b"GIF89a",
)


def not_an_image() -> BadRequest:
    return BadRequest(
        "That is not a picture Teahouse can read (JPEG, PNG, WebP or GIF).",
        ErrorCode.AVATAR_NOT_AN_IMAGE,
    )


def too_many_pixels() -> BadRequest:
    return BadRequest(
        f"That picture is too large: at most {MAX_PIXELS:,} pixels.",
        ErrorCode.AVATAR_TOO_MANY_PIXELS,
    )


def too_large() -> TooLarge:
    return TooLarge(
        f"Pictures are at most {MAX_BYTES // (1024 * 1024)} MiB.", ErrorCode.AVATAR_TOO_LARGE
    )


def sniff(data: bytes) -> bool:
    """Do the first bytes say JPEG, PNG, GIF or WebP?"""
    is_webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return is_webp or data.startswith(_SIGNATURES)


def reencode(data: bytes) -> bytes:
    """The avatar as WebP (at most 512x512, no metadata), or a :class:`TeahouseError`."""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not sniff(data):
        raise not_an_image()
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise too_many_pixels()
            if image.format == "JPEG":
                # Let libjpeg decode at a reduced scale: a 6000x4000 photo never
                # needs to exist at full size in memory to make a 512 px avatar.
                image.draft("RGB", (SIZE * 2, SIZE * 2))
            image.seek(0)  # the first frame of an animation
            image.load()
            if image.mode in _SCALED_AS_DECODED:
                # Scaled down before anything else copies it: a copy of 40 million
                # pixels (turning it upright, converting it) is 160 MB more.
                image.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(image)
            return _encode(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image() from None


def _encode(image: Image.Image) -> bytes:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    pixels = image.convert(mode)
    pixels.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: no info dict, so nothing to leak into the
    # encoder (exif, icc_profile, xmp, comments).
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=QUALITY, method=4)
    return out.getvalue()
