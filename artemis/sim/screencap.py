"""The raw `screencap` format (no -p): a little header, then the pixels as RGBA.

PNG screenshots (`screencap -p`) are written by `artemis.png`.
"""

from __future__ import annotations

import struct

from PIL import Image

#: `screencap` pixel formats and data spaces (Android's HAL_PIXEL_FORMAT_RGBA_8888, sRGB).
FORMAT_RGBA_8888 = 1
DATASPACE_SRGB = 142671872


def encode_raw(img: Image.Image) -> bytes:
    """`screencap` without -p: width, height, format, data space (u32 LE each), then RGBA."""
    w, h = img.size
    header = struct.pack("<IIII", w, h, FORMAT_RGBA_8888, DATASPACE_SRGB)
    return header + img.convert("RGBA").tobytes()
