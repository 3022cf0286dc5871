"""The shared PNG writer: standard PNGs that decode to the pixels they were made from."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from artemis import png
from artemis.png import PNG_MAGIC, encode_png

HAS_ISAL = png._isal_compress is not None


@pytest.fixture(params=["isal", "zlib"])
def deflater(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with ISA-L doing level 1 (when installed), then with zlib alone."""
    if request.param == "isal" and not HAS_ISAL:
        pytest.skip("isal is not installed here")
    if request.param == "zlib":
        monkeypatch.setattr(png, "_isal_compress", None)
    return str(request.param)


def decode(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as img:
        img.load()
        assert img.format == "PNG"
        return img.copy()


def pillow_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk, checking each CRC on the way."""
    assert png.startswith(PNG_MAGIC)
    out, pos = [], len(PNG_MAGIC)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, payload = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + payload) & 0xFFFFFFFF, kind
        out.append((kind, payload))
        pos += 12 + length
    return out


def screen(mode: str = "RGB", size: tuple[int, int] = (270, 600)) -> Image.Image:
    """A small screen-like picture: flat areas, text, a gradient, a translucent patch."""
    img = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, size[1], 40):
        draw.rectangle((8, y + 4, size[0] - 8, y + 34), outline=(120, 120, 120), width=2)
        draw.text((14, y + 12), f"Row {y}: Wi-Fi, Bluetooth", fill=(20, 20, 20))
    for x in range(size[0]):
        draw.line((x, size[1] - 30, x, size[1]), fill=(x % 256, 255 - x % 256, 90, 128))
    return img


@pytest.mark.parametrize("level", [0, 1, 6, 9])
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_decodes_to_the_same_pixels_as_pillows_png(mode: str, level: int, deflater: str) -> None:
    img = screen(mode)
    ours, theirs = decode(encode_png(img, level)), decode(pillow_png(img))
    assert ours.mode == theirs.mode == mode
    assert ours.size == theirs.size == img.size
    assert ours.tobytes() == theirs.tobytes() == img.tobytes()


@pytest.mark.parametrize("mode", ["L", "P", "1", "LA", "CMYK"])
def test_other_modes_are_written_as_rgb(mode: str, deflater: str) -> None:
    img = screen("RGB").convert(mode)
    out = decode(encode_png(img))
    assert out.mode == "RGB"
    assert out.tobytes() == img.convert("RGB").tobytes()


def test_structure_is_ihdr_idat_iend_with_unfiltered_rows(deflater: str) -> None:
    img = screen("RGBA", (33, 7))
    parts = chunks(encode_png(img))
    assert [k for k, _ in parts] == [b"IHDR", b"IDAT", b"IEND"]
    assert parts[0][1] == struct.pack(">IIBBBBB", 33, 7, 8, 6, 0, 0, 0)
    rows = zlib.decompress(parts[1][1])
    stride = 1 + 33 * 4
    assert len(rows) == 7 * stride
    assert {rows[i] for i in range(0, len(rows), stride)} == {0}  # filter type 0, every row
    assert parts[2][1] == b""


def test_higher_levels_are_smaller_and_level_zero_stores(deflater: str) -> None:
    img = screen()
    sizes = {level: len(encode_png(img, level)) for level in (0, 1, 9)}
    assert sizes[9] < sizes[1] < sizes[0]
    assert sizes[0] > 270 * 600 * 3  # stored: no smaller than the pixels


def test_rejects_empty_images_and_levels_outside_zlibs() -> None:
    with pytest.raises(ValueError, match="empty"):
        encode_png(Image.new("RGB", (0, 5)))
    for level in (-1, 10):
        with pytest.raises(ValueError, match="0-9"):
            encode_png(screen(), level)


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(1, 40),
    height=st.integers(1, 12),
    alpha=st.booleans(),
    seed=st.binary(min_size=1, max_size=64),
)
def test_any_pixels_round_trip(width: int, height: int, alpha: bool, seed: bytes) -> None:
    mode = "RGBA" if alpha else "RGB"
    n = width * height * len(mode)
    img = Image.frombytes(mode, (width, height), (seed * (n // len(seed) + 1))[:n])
    for level in (1, 6):  # level 1 through ISA-L when installed, 6 through zlib
        assert decode(encode_png(img, level)).tobytes() == img.tobytes()


@pytest.mark.skipif(not HAS_ISAL, reason="isal is not installed here")
def test_level_one_goes_through_isal_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = png._isal_compress
    assert real is not None

    def spy(data: bytes, level: int) -> bytes:
        calls.append(level)
        return real(data, level)

    monkeypatch.setattr(png, "_isal_compress", spy)
    img = screen()
    assert decode(encode_png(img, 1)).tobytes() == img.tobytes()
    encode_png(img, 6)
    assert calls == [1]


def test_png_dimensions_come_from_the_header_alone() -> None:
    from artemis.device.screenshot import png_size as screencap_size
    from artemis.errors import DeviceError
    from artemis.models.images import png_size
    from artemis.png import png_dimensions

    png = encode_png(Image.new("RGB", (90, 200)), 1)
    assert png_dimensions(png) == png_dimensions(png[:24]) == (90, 200)
    assert png_dimensions(b"GIF89a" + bytes(30)) is None
    assert png_size(png) == screencap_size(png) == (90, 200)
    with pytest.raises(DeviceError, match="did not return a PNG"):
        screencap_size(b"/system/bin/sh: screencap: not found")
