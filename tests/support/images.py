"""Pictures made with Pillow for the avatar tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF says where it was taken (and maybe which way is up)."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    if orientation is not None:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {
        1: "N",
        2: (52.0, 31.0, 12.0),  # Berlin
        3: "E",
        4: (13.0, 24.0, 36.0),
    }
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        icc_profile=b"\x00" * 128 + b"ICC-TEST-PROFILE",
        comment=b"secret comment",
    )
    return out.getvalue()


def picture(
    fmt: str,
    size: tuple[int, int] = (64, 48),
    mode: str = "RGB",
    colour: object = None,
    **params: object,
) -> bytes:
    if colour is None:
        colour = 1 if mode == "P" else "red"
    image = Image.new(mode, size, colour)  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 40), color) for color in ("blue", "green", "yellow")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (a decompression bomb:
    a few hundred bytes that would decode to gigabytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    data = zlib.compress(b"\x00" * 64)  # far too little, but it is never decoded
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks
