"""Coordinate conventions: model space <-> original pixels, through the size actually sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artemis.models.coords import ImageFrame, fit_pixels, guess_coords

FRAME = ImageFrame(sent_width=540, sent_height=1200, original_width=1080, original_height=2400)


def test_pixels_scale_by_the_resize_ratio() -> None:
    assert FRAME.to_original(270, 600, "pixels") == (540, 1200)


def test_norm1000_and_norm1() -> None:
    assert FRAME.to_original(500, 500, "norm1000") == (540, 1200)
    assert FRAME.to_original(0.25, 0.75, "norm1") == (270, 1800)


def test_points_are_clamped_to_the_image() -> None:
    assert FRAME.to_original(5000, -3, "pixels") == (1079, 0)
    assert FRAME.to_original(1000, 1000, "norm1000") == (1079, 2399)


@given(st.integers(0, 1079), st.integers(0, 2399), st.sampled_from(["pixels", "norm1000", "norm1"]))
def test_round_trip_lands_on_the_same_pixel_or_its_cell(x: int, y: int, space: str) -> None:
    mx, my = FRAME.to_model(x, y, space)  # type: ignore[arg-type]
    ox, oy = FRAME.to_original(mx, my, space)  # type: ignore[arg-type]
    # Downscaled 2x, a model point addresses a 2x2 cell; norm spaces are finer than pixels.
    assert abs(ox - x) <= 1 and abs(oy - y) <= 1


def test_fit_pixels_keeps_aspect_and_budget() -> None:
    w, h = fit_pixels(1080, 2400, 1_003_520, multiple=28)
    assert w * h <= 1_003_520 and w % 28 == 0 and h % 28 == 0
    assert abs(w / h - 1080 / 2400) < 0.03
    assert fit_pixels(100, 100, 1_000_000) == (100, 100)
    with pytest.raises(ValueError):
        fit_pixels(0, 10, 100)


@pytest.mark.parametrize(
    ("name", "space"),
    [
        ("Qwen/Qwen2.5-VL-72B-Instruct", "pixels"),
        ("qwen3-vl-235b-a22b-instruct", "norm1000"),
        ("ByteDance-Seed/UI-TARS-1.5-7B", "pixels"),
        ("bytedance-research/UI-TARS-7B-DPO", "norm1000"),
        ("OS-Copilot/OS-Atlas-Base-7B", "norm1000"),
        ("mPLUG/GUI-Owl-32B", "pixels"),
        ("gpt-4o", "pixels"),
    ],
)
def test_guess_coords_by_family(name: str, space: str) -> None:
    assert guess_coords(name) == space


@pytest.mark.parametrize(
    ("name", "multiple"),
    [
        ("Qwen/Qwen2.5-VL-72B-Instruct", 28),
        ("qwen2-vl-7b", 28),
        ("qwen3-vl-235b-a22b-instruct", 32),
        ("ByteDance-Seed/UI-TARS-1.5-7B", 28),
        ("gui-owl-32b", 28),
        ("gpt-4o", 1),
    ],
)
def test_patch_multiple_per_family(name: str, multiple: int) -> None:
    from artemis.models.coords import guess_patch_multiple

    assert guess_patch_multiple(name) == multiple
