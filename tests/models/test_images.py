"""`resize_for_model`: the image a model is sent, at its pixel budget, with the same pixels
Pillow's PNG would carry."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from artemis.models.coords import ImageFrame
from artemis.models.images import png_size, resize_for_model


def encoded(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return img.copy()


def screen(mode: str, size: tuple[int, int] = (540, 1200)) -> Image.Image:
    img = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(img)
    for y in range(0, size[1], 60):
        draw.rectangle((10, y + 5, size[0] - 10, y + 50), outline=(90, 90, 90), width=3)
        draw.text((20, y + 20), f"Setting {y}: Network & internet", fill=(10, 10, 10))
    draw.ellipse((100, 100, 300, 300), fill=(200, 30, 60))
    if mode == "RGBA":
        out = img.convert("RGBA")
        out.putalpha(Image.linear_gradient("L").resize(size))
        return out
    return img.convert(mode)


def reference(data: bytes, size: tuple[int, int]) -> Image.Image:
    """What the model was sent before: Pillow converts to RGB, resizes bilinearly, writes PNG."""
    with Image.open(io.BytesIO(data)) as img:
        out = img.convert("RGB")
        if out.size != size:
            out = out.resize(size, Image.Resampling.BILINEAR)
        return decoded(encoded(out))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
@pytest.mark.parametrize("budget", [200_000, 10**9])  # resized; within budget
def test_same_pixels_as_pillows_resize_and_png(mode: str, budget: int) -> None:
    src = encoded(screen(mode), "PNG" if mode != "L" else "JPEG")
    out, frame = resize_for_model(src, budget, multiple=28 if budget < 10**9 else 1)
    if budget == 10**9 and mode != "L":
        assert out is src  # a PNG already within budget is sent as it is
        return
    sent = decoded(out)
    assert out.startswith(b"\x89PNG\r\n\x1a\n") and sent.mode == "RGB"
    assert sent.size == (frame.sent_width, frame.sent_height) and png_size(out) == sent.size
    assert (frame.original_width, frame.original_height) == (540, 1200)
    if budget < 10**9:
        assert frame.sent_width % 28 == 0 and frame.sent_height % 28 == 0
        assert frame.sent_width * frame.sent_height <= budget
    assert sent.tobytes() == reference(src, sent.size).tobytes()


def test_a_png_already_within_budget_comes_back_untouched() -> None:
    src = encoded(screen("RGB"))
    out, frame = resize_for_model(src, 10**9)
    assert out is src
    assert frame == ImageFrame(540, 1200, 540, 1200)


@pytest.mark.parametrize("level", [0, 1, 6, 9])
def test_compress_level_changes_size_not_pixels(level: int) -> None:
    src = encoded(screen("RGB"))
    out, _ = resize_for_model(src, 200_000, multiple=28, compress_level=level)
    base, _ = resize_for_model(src, 200_000, multiple=28)
    assert decoded(out).tobytes() == decoded(base).tobytes()
    if level == 0:
        assert len(out) > len(base)


def test_other_formats_still_go_through_pillow() -> None:
    src = encoded(screen("RGB"))
    out, frame = resize_for_model(src, 200_000, multiple=28, fmt="JPEG")
    with Image.open(io.BytesIO(out)) as img:
        assert img.format == "JPEG" and img.size == (frame.sent_width, frame.sent_height)
