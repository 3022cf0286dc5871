"""Raw `screencap` output made into PNG on the host: the same pixels the device had."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageDraw

from artemis.device.screenshot import png_size, raw_to_png
from artemis.errors import DeviceError


def raw_screencap(img: Image.Image, header: int = 16) -> bytes:
    w, h = img.size
    head = struct.pack("<III", w, h, 1) + (struct.pack("<I", 0) if header == 16 else b"")
    return head + img.convert("RGBA").tobytes()


@pytest.mark.parametrize("header", [12, 16])  # before and since Android 9's colour space
def test_raw_to_png_keeps_every_pixel(header: int) -> None:
    img = Image.new("RGB", (90, 200), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((5, 5), "Wi-Fi", fill=(0, 0, 0))
    draw.rectangle((10, 50, 80, 120), fill=(30, 140, 250))
    png, w, h = raw_to_png(raw_screencap(img, header))
    assert (w, h) == png_size(png) == (90, 200)
    with Image.open(io.BytesIO(png)) as out:
        assert out.format == "PNG" and out.convert("RGB").tobytes() == img.tobytes()


def test_raw_that_does_not_add_up_is_a_device_error() -> None:
    with pytest.raises(DeviceError, match="does not add up"):
        raw_to_png(struct.pack("<III", 10, 10, 1) + b"\0" * 7)
