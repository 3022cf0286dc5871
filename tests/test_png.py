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

HAS_ISAL = png._isal_compressobj is not None


@pytest.fixture(params=["isal", "zlib"])
def deflater(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with ISA-L doing level 1 (when installed), then with zlib alone."""
    if request.param == "isal" and not HAS_ISAL:
        pytest.skip("isal is not installed here")
    if request.param == "zlib":
        monkeypatch.setattr(png, "_isal_compressobj", None)
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
    real = png._isal_compressobj
    assert real is not None

    def spy(level: int) -> object:
        calls.append(level)
        return real(level)

    monkeypatch.setattr(png, "_isal_compressobj", spy)
    img = screen()
    assert decode(encode_png(img, 1)).tobytes() == img.tobytes()
    encode_png(img, 6)
    assert calls == [1]


@pytest.fixture(params=["streamed", "joined"])
def rows(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the rows streamed from Pillow's encoder, then with a Pillow that has
    no such encoder to drive (the rows copied out with `tobytes` and joined)."""
    if request.param == "joined":

        def missing(img: Image.Image, stride: int) -> None:
            raise AttributeError("module 'PIL.Image' has no attribute '_getencoder'")

        monkeypatch.setattr(png, "_raw_encoder", missing)
    else:

        def unexpected(img: Image.Image, stride: int) -> None:
            raise AssertionError("the rows were copied out, not streamed")

        monkeypatch.setattr(png, "_joined_rows", unexpected)
    return str(request.param)


@pytest.mark.parametrize(("mode", "width"), [("RGBA", 16385), ("RGB", 21846), ("RGBA", 1)])
def test_wide_and_narrow_rows_are_written_either_way(mode: str, width: int, rows: str) -> None:
    # `tobytes` cannot pad an RGBA row of more than 16384 pixels into one more byte (its
    # buffer is four bytes a pixel): such rows are then joined one by one.
    n = width * 3 * len(mode)
    img = Image.frombytes(mode, (width, 3), bytes(i * 7 % 251 for i in range(n)))
    parts = chunks(encode_png(img))
    data = zlib.decompress(parts[1][1])
    stride = 1 + width * len(mode)
    assert len(data) == 3 * stride
    assert {data[i] for i in range(0, len(data), stride)} == {0}
    assert decode(encode_png(img)).tobytes() == img.tobytes()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP"])
def test_an_image_opened_from_a_file_and_not_yet_read_is_written(fmt: str, rows: str) -> None:
    buf = io.BytesIO()
    screen().save(buf, format=fmt)
    with Image.open(io.BytesIO(buf.getvalue())) as opened:  # lazy: read on first use
        out = decode(encode_png(opened))
        opened.load()
        assert out.tobytes() == opened.convert("RGB").tobytes()


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_screen_spanning_many_blocks_of_rows_round_trips_either_way(mode: str, rows: str) -> None:
    img = screen(mode, (97, png._ROWS_AT_ONCE * 3 + 5))
    for level in (0, 1, 9):
        assert decode(encode_png(img, level)).tobytes() == img.tobytes()


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


# --- all_black: reading the compressed rows ---------------------------------------------------


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def filtered_png(img: Image.Image, filters: list[int], *, idat_chunks: int = 1) -> bytes:
    """`img` (L, LA, RGB or RGBA) as a PNG whose row r uses filter type filters[r % len]:
    every filter the PNG standard has, which the writers at hand do not all use."""
    colour = {"L": 0, "RGB": 2, "LA": 4, "RGBA": 6}[img.mode]
    bpp = len(img.mode)
    w, h = img.size
    raw = img.tobytes()
    stride = w * bpp
    out = bytearray()
    prev = bytes(stride)
    for y in range(h):
        row = raw[y * stride : (y + 1) * stride]
        kind = filters[y % len(filters)]
        out.append(kind)
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            pred = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
            out.append((x - pred) % 256)
        prev = row
    stream = zlib.compress(bytes(out))
    cut = -(-len(stream) // idat_chunks)
    chunks = [png._chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))]
    chunks += [png._chunk(b"IDAT", stream[i : i + cut]) for i in range(0, len(stream), cut)]
    return PNG_MAGIC + b"".join(chunks) + png._chunk(b"IEND", b"")


def truly_black(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as img:
        return img.convert("RGB").getbbox() is None  # no pixel that is not (0, 0, 0)


@pytest.mark.parametrize("mode", ["L", "RGB", "LA", "RGBA"])
@pytest.mark.parametrize("kind", [0, 1, 2, 3, 4])
def test_a_black_image_is_black_under_every_filter_whatever_its_alpha(mode: str, kind: int) -> None:
    black = Image.new(mode, (7, 5), (0,) * (len(mode) - ("A" in mode)) + (200,) * ("A" in mode))
    data = filtered_png(black, [kind], idat_chunks=3)
    assert truly_black(data)
    assert png.all_black(data) is True


@settings(max_examples=60, deadline=None)
@given(
    mode=st.sampled_from(["L", "RGB", "LA", "RGBA"]),
    filters=st.lists(st.integers(0, 4), min_size=1, max_size=4),
    spot=st.tuples(st.integers(0, 8), st.integers(0, 6), st.integers(0, 3), st.integers(1, 255)),
    alpha=st.integers(0, 255),
)
def test_all_black_agrees_with_decoding(
    mode: str, filters: list[int], spot: tuple[int, int, int, int], alpha: int
) -> None:
    """One sample somewhere set (a colour one, or only the alpha): black or not as Pillow's
    decoding says, under any mix of row filters."""
    img = Image.new(mode, (9, 7), (0,) * (len(mode) - ("A" in mode)) + (alpha,) * ("A" in mode))
    x, y, band, value = spot
    pixel = [0] * (len(mode) - ("A" in mode)) + [alpha] * ("A" in mode)
    pixel[band % len(mode)] = value
    img.putpixel((x, y), tuple(pixel) if len(pixel) > 1 else pixel[0])
    data = filtered_png(img, filters, idat_chunks=2)
    assert png.all_black(data) is truly_black(data)


def test_all_black_reads_the_common_writers_and_sixteen_bit_images() -> None:
    black = Image.new("RGBA", (64, 48), (0, 0, 0, 255))
    grey16 = Image.new("I;16", (64, 48), 0)
    for img in (black, black.convert("RGB"), grey16):
        for data in (encode_png(img) if img.mode != "I;16" else b"", pillow_png(img)):
            if data:
                assert png.all_black(data) is True
    lit = black.copy()
    lit.putpixel((63, 47), (0, 0, 1, 255))  # the very last sample
    assert png.all_black(encode_png(lit)) is False
    assert png.all_black(pillow_png(lit)) is False
    grey16.putpixel((10, 40), 1)
    assert png.all_black(pillow_png(grey16)) is False


def test_all_black_leaves_what_it_cannot_read_to_decoding() -> None:
    black = Image.new("RGB", (16, 16))
    whole = encode_png(black)
    ihdr = whole.index(b"IHDR") + 4
    interlaced = whole[: ihdr + 12] + b"\x01" + whole[ihdr + 13 :]  # Adam7 (CRC left stale)
    idat = whole.index(b"IDAT") + 4
    garbled = whole[:idat] + b"\xff\xff" + whole[idat + 2 :]  # not a zlib stream
    assert png.all_black(whole) is True
    assert png.all_black(pillow_png(black.convert("P"))) is None  # palette
    assert png.all_black(interlaced) is None
    assert png.all_black(whole[: len(whole) // 2]) is None  # cut short
    assert png.all_black(garbled) is None
    assert png.all_black(b"not a png at all, not even close to one") is None
