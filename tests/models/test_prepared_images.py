"""One prepared image per screen and rule, shared by every caller."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image

from artemis.models import images
from artemis.models.coords import ImageRule


def _png(w: int, h: int, colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), colour).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[ImageRule]:
    """The rules of every resize made from now on."""
    made: list[ImageRule] = []
    real = images.resize_for_model

    def counting(png: bytes, rule: ImageRule) -> tuple[bytes, object]:
        made.append(rule)
        return real(png, rule)

    monkeypatch.setattr(images, "resize_for_model", counting)
    return made


async def test_a_screen_is_resized_once_per_rule_however_many_ask(calls: list[ImageRule]) -> None:
    shot = _png(1080, 2400, (10, 20, 30))
    small, big = ImageRule(28, 0, 400_000), ImageRule(28, 0, 1_000_000)
    first = await asyncio.gather(*(images.prepare(shot, small) for _ in range(4)))
    again = await images.prepare(shot, small)
    other = await images.prepare(shot, big)
    assert len(calls) == 2 and set(calls) == {small, big}
    assert all(r == first[0] for r in first) and again == first[0]
    assert images.png_size(first[0][0]) == (first[0][1].sent_width, first[0][1].sent_height)
    assert other[1].sent_width > first[0][1].sent_width


async def test_the_cache_keeps_a_bounded_number_of_screens() -> None:
    rule = ImageRule(28, 0, 100_000)
    for i in range(images.PREPARED_KEPT + 5):
        await images.prepare(_png(56, 56, (i, 0, 0)), rule)
    assert len(images._prepared) <= images.PREPARED_KEPT


async def test_a_screen_prepared_soon_is_ready_for_whoever_asks_later(
    calls: list[ImageRule],
) -> None:
    shot = _png(1080, 2400, (40, 50, 60))
    rule = ImageRule(28, 0, 400_000)
    images.prepare_soon(shot, rule)  # starts, does not wait
    assert len(images._warming) == 1
    asked = await images.prepare(shot, rule)  # joins the work in flight, or finds it done
    assert calls == [rule]
    assert images.png_size(asked[0]) == (asked[1].sent_width, asked[1].sent_height)
    warming = len(images._warming)
    images.prepare_soon(shot, ImageRule(1, 0, 10**8))  # kept as it is: nothing to start
    assert len(images._warming) == warming and calls == [rule]
