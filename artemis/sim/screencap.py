"""The raw `screencap` format (no -p): a little header, then the pixels as RGBA.

PNG screenshots (`screencap -p`) are written by `artemis.png`.
"""

from __future__ import annotations

import functools
import struct

from PIL import Image

from artemis.png import encode_png

#: `screencap` pixel formats and data spaces (Android's HAL_PIXEL_FORMAT_RGBA_8888, sRGB).
FORMAT_RGBA_8888 = 1
DATASPACE_SRGB = 142671872


def encode_raw(img: Image.Image) -> bytes:
    """`screencap` without -p: width, height, format, data space (u32 LE each), then RGBA."""
    w, h = img.size
    header = struct.pack("<IIII", w, h, FORMAT_RGBA_8888, DATASPACE_SRGB)
    return header + img.convert("RGBA").tobytes()


@functools.lru_cache(maxsize=2)
def black_frame(width: int, height: int, png: bool) -> bytes:
    """What `screencap` gives for a window with FLAG_SECURE: a frame of opaque black."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    return encode_png(img.convert("RGB")) if png else encode_raw(img)
