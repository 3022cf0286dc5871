"""Screenshots: `screencap -p` (PNG made on the device) or raw `screencap` (PNG made here).

Raw `screencap` prints a little-endian header (width, height, pixel format, and on Android 9+
a colour space), then width x height RGBA pixels; the header length is what is left over.
"""

from __future__ import annotations

import struct

from PIL import Image

from artemis.errors import DeviceError
from artemis.png import encode_png, png_dimensions

RGBA_8888 = 1
RGBX_8888 = 2


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of `screencap -p` output (`artemis.png` reads the header);
    `DeviceError` when the device sent something else."""
    size = png_dimensions(data)
    if size is None:
        head = data[:80].decode("utf-8", "replace").strip()
        raise DeviceError(f"screencap did not return a PNG image: {head!r}")
    return size


def raw_to_image(raw: bytes) -> Image.Image:
    """Decode raw `screencap` output; `DeviceError` when it does not add up."""
    if len(raw) < 12:
        raise DeviceError(f"raw screencap output is too short ({len(raw)} bytes)")
    width, height, fmt = struct.unpack("<3I", raw[:12])
    pixels = width * height * 4
    header = len(raw) - pixels
    if width == 0 or height == 0 or header not in (12, 16):
        raise DeviceError(
            f"raw screencap output does not add up: {width}x{height}, {len(raw)} bytes"
        )
    if fmt not in (RGBA_8888, RGBX_8888):
        raise DeviceError(f"raw screencap pixel format {fmt} is not supported")
    img = Image.frombuffer("RGBA", (width, height), raw[header:], "raw", "RGBA", 0, 1)
    return img.convert("RGB")


def raw_to_png(raw: bytes, compress_level: int = 1) -> tuple[bytes, int, int]:
    """PNG bytes and size from raw `screencap` output (CPU-bound: run it off the loop)."""
    img = raw_to_image(raw)
    return encode_png(img, compress_level), img.width, img.height
