"""A fast PNG writer for screens, shared by the simulated phone and the client side.

Screens are mostly flat colour, so PNG's row filters buy little: every row is written with
filter type 0 (none) and the whole image deflated once, at level 1 by default. Level 1 goes
through ISA-L (the `isal` package, installed with artemis on the platforms it has wheels for)
when it is importable, other levels and everything without it through zlib. Either way the
output is a standard PNG that decodes to the same pixels as Pillow's. ISA-L does not always
give the same bytes for the same pixels (here, about one screen in a thousand of the simulated
phone's came out in other, equally valid bytes): compare screens by their pixels.

Measured (`benchmarks/phone_render.py`, `benchmarks/screenspot_overhead.py`): on the simulated
phone's screens, 17-25x faster than Pillow's writer at level 1, for
files about as large; on ScreenSpot's screenshots (web pages, pictures), files about a fifth
larger than Pillow's level 1 and a third larger than its default level 6.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from PIL import Image

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, without decoding; None when `data` does not
    start as a PNG does."""
    if len(data) < 24 or not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


#: Samples per pixel, and how many of them carry colour (the rest is alpha), by colour type:
#: grey, RGB, grey and alpha, RGBA. Palette images (type 3) are not read here.
_SAMPLES = {0: (1, 1), 2: (3, 3), 4: (2, 1), 6: (4, 3)}
#: How much inflated image data `all_black` reads first, and at most at once after that.
_INFLATE_FIRST, _INFLATE_STEP = 1 << 16, 1 << 20


def _idat(data: bytes) -> Iterator[memoryview]:
    """The payloads of a PNG's IDAT chunks, in order (the CRCs are not checked)."""
    view = memoryview(data)
    pos = len(PNG_MAGIC)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", view[pos : pos + 4])
        kind = bytes(view[pos + 4 : pos + 8])
        if kind == b"IEND":
            return
        if kind == b"IDAT":
            yield view[pos + 8 : pos + 8 + length]
        pos += 12 + length


def all_black(data: bytes) -> bool | None:
    """Whether a PNG shows only black (every colour sample 0, whatever its alpha), read from
    its compressed rows without decoding the image; None when this cannot tell (a palette or
    interlaced image, or data that is not a whole PNG): decode it then.

    Every PNG row filter predicts a byte from the same sample of neighbouring pixels, so an
    image is all black exactly when every filtered colour byte is 0. The rows are inflated a
    piece at a time and reading stops at the first colour byte that is not 0: a screen with
    anything on it costs a few rows, an all-black one a pass over its inflated data.
    """
    if len(data) < 33 or not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR":
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if colour not in _SAMPLES or depth not in (8, 16) or interlace or not width or not height:
        return None
    samples, colours = _SAMPLES[colour]
    step = samples * depth // 8  # bytes per pixel
    colour_bytes = colours * depth // 8
    stride = 1 + width * step  # the filter type byte, then the row
    inflater = zlib.decompressobj()
    pending = b""
    rows = 0
    limit = _INFLATE_FIRST
    try:
        for chunk in _idat(data):
            tail: bytes | memoryview = chunk
            while tail and rows < height:
                pending += inflater.decompress(tail, limit)
                tail = inflater.unconsumed_tail
                limit = min(limit * 4, _INFLATE_STEP)
                whole = min(len(pending) // stride, height - rows)
                for r in range(whole):
                    row = pending[r * stride + 1 : (r + 1) * stride]
                    if step == colour_bytes:  # no alpha: the whole row
                        if row.count(0) != len(row):
                            return False
                    elif any(row[k::step].count(0) != width for k in range(colour_bytes)):
                        return False
                rows += whole
                pending = pending[whole * stride :]
    except zlib.error:
        return None
    return True if rows >= height else None


_isal_compressobj: Callable[[int], Any] | None
try:
    from isal.isal_zlib import compressobj as _isal_compressobj
except ImportError:  # no wheel for this platform: zlib does every level
    _isal_compressobj = None


def _compressor(level: int) -> Any:
    """A zlib stream compressor at `level`; level 1 through ISA-L if present."""
    if level == 1 and _isal_compressobj is not None:
        return _isal_compressobj(1)
    return zlib.compressobj(level)


def deflate(parts: Iterable[bytes | memoryview], level: int) -> bytes:
    """`parts`, joined, as one zlib stream (what a PNG's IDAT holds), without joining them
    first; level 1 through ISA-L if present."""
    stream = _compressor(level)
    out = [stream.compress(part) for part in parts]
    out.append(stream.flush())
    return b"".join(out)


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def encode_png(img: Image.Image, level: int = 1) -> bytes:
    """`img` as PNG bytes: 8-bit RGB, or RGBA when it is RGBA; any other mode is converted to
    RGB. `level` is zlib's deflate level (0 stores, 9 compresses hardest).

    CPU-bound: call it through `asyncio.to_thread` from async code.
    """
    if not 0 <= level <= 9:
        raise ValueError(f"PNG deflate level must be 0-9, not {level}")
    if img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGB")
    w, h = img.size
    if w == 0 or h == 0:
        raise ValueError(f"an empty image ({w}x{h}) cannot be a PNG")
    channels = 3 if img.mode == "RGB" else 4
    stride = w * channels
    color_type = 2 if channels == 3 else 6
    ihdr = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
    return (
        PNG_MAGIC
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", deflate(_unfiltered_rows(img, stride), level))
        + _chunk(b"IEND", b"")
    )


#: Rows handed to the compressor at a time: a few hundred kB, so the pixels pass through the
#: cache instead of being copied whole into a buffer of their own first.
_ROWS_AT_ONCE = 64


def _unfiltered_rows(img: Image.Image, stride: int) -> Iterator[bytes | memoryview]:
    """The image's rows, each after its filter type byte (0), in parts to deflate in order.

    Pillow's raw encoder writes each row into `stride + 1` bytes, zero-padded at the end: one
    zero byte before the first row makes each padding byte the next row's filter type, and
    the last one is dropped. The encoder is driven a block of rows at a time, as
    `Image.tobytes` drives it, without joining the blocks into one copy of the pixels.
    """
    try:
        encoder = _raw_encoder(img, stride + 1)
    except (AttributeError, TypeError, ValueError):  # a Pillow without these: one copy
        yield from _joined_rows(img, stride)
        return
    try:
        yield b"\x00"
        pad = b""  # the last padding byte seen: the next row's filter type, if one follows
        while True:
            _, status, block = encoder.encode(_ROWS_AT_ONCE * (stride + 1))
            if status < 0:
                raise RuntimeError(f"Pillow's raw encoder failed ({status})")
            if block:
                yield pad
                yield memoryview(block)[:-1]
                pad = block[-1:]
            if status:
                return
    finally:
        encoder.cleanup()


def _raw_encoder(img: Image.Image, stride: int) -> Any:
    """Pillow's raw encoder over `img`, writing rows of `stride` bytes (what `tobytes` uses)."""
    img.load()  # an image opened from a file is read on first use
    encoder = Image._getencoder(img.mode, "raw", (img.mode, stride))
    encoder.setimage(img.im, (0, 0, *img.size))
    return encoder


def _joined_rows(img: Image.Image, stride: int) -> Iterator[bytes | memoryview]:
    try:
        padded = memoryview(img.tobytes("raw", img.mode, stride + 1))
        yield b"\x00"
        yield padded[:-1]
    except RuntimeError:  # a row longer than tobytes's buffer (RGBA wider than 16384)
        raw = memoryview(img.tobytes())
        for i in range(0, len(raw), stride):
            yield b"\x00"
            yield raw[i : i + stride]
