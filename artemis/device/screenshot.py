"""Screenshots: `screencap -p` (PNG made on the device) or raw `screencap` (PNG made here).

Raw `screencap` prints a little-endian header (width, height, pixel format, and on Android 9+
a colour space), then width x height RGBA pixels; the header length is what is left over.

A window with FLAG_SECURE (banking apps, password screens) cannot be captured: `screencap`
gives an all-black image, or nothing at all. Such a shot is `blank`: the observation carries a
black placeholder and says so, and the UI tree (which FLAG_SECURE does not hide) is what is
left to go by.
"""

from __future__ import annotations

import functools
import io
import struct
from typing import NamedTuple

from PIL import Image

from artemis.errors import DeviceError
from artemis.png import PNG_MAGIC, all_black, encode_png, png_dimensions

RGBA_8888 = 1
RGBX_8888 = 2
#: The last chunk of every PNG (length 0, type IEND, its CRC): a PNG without it was cut short.
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_MAX_SIDE = 16384


class Shot(NamedTuple):
    png: bytes  # empty when the device answered nothing
    width: int
    height: int
    blank: bool = False  # all black or empty: nothing of the screen was captured


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of `screencap -p` output (`artemis.png` reads the header);
    `DeviceError` when the device sent something else."""
    size = png_dimensions(data)
    if size is None:
        head = data[:80].decode("utf-8", "replace").strip()
        raise DeviceError(f"screencap did not return a PNG image: {head!r}")
    return size


def png_complete(data: bytes) -> bool:
    """Whether `screencap -p` output is whole: empty (nothing captured), not a PNG at all (an
    error message, reported as such), or a PNG that reaches its IEND chunk."""
    return not data.startswith(PNG_MAGIC) or data.endswith(PNG_END)


def raw_complete(raw: bytes) -> bool:
    """Whether raw `screencap` output holds as many pixels as its header says."""
    if len(raw) < 12:
        return len(raw) == 0
    width, height = struct.unpack("<2I", raw[:8])
    if not (0 < width <= _MAX_SIDE and 0 < height <= _MAX_SIDE):
        return True  # not a screencap header (an error message): reported when decoded
    return len(raw) - width * height * 4 >= 12


def _all_black(img: Image.Image) -> bool:
    bands: tuple[tuple[int, int], ...] = img.convert("RGB").getextrema()  # type: ignore[assignment]
    return all(high == 0 for _, high in bands)


def png_shot(data: bytes) -> Shot:
    """A `Shot` of `screencap -p` output. Whether it is all black is read from the PNG's
    compressed rows (`artemis.png.all_black`), decoded only when that cannot tell (a palette or
    interlaced PNG): CPU-bound then, so run it off the loop."""
    if not data:
        return Shot(b"", 0, 0, blank=True)
    width, height = png_size(data)
    blank = all_black(data)
    if blank is None:
        with Image.open(io.BytesIO(data)) as img:
            blank = _all_black(img)
    return Shot(data, width, height, blank)


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


def raw_shot(raw: bytes) -> Shot:
    """A `Shot` of raw `screencap` output (CPU-bound: run it off the loop)."""
    if not raw:
        return Shot(b"", 0, 0, blank=True)
    img = raw_to_image(raw)
    return Shot(encode_png(img), img.width, img.height, _all_black(img))


@functools.lru_cache(maxsize=4)
def blank_png(width: int, height: int) -> bytes:
    """A black PNG of the screen's size: the placeholder for a screen that was not captured."""
    return encode_png(Image.new("RGB", (width, height)))
