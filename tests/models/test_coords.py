"""Coordinate conventions: model space <-> original pixels, through the size actually sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artemis.models.coords import ImageFrame, fit_pixels
from artemis.models.dialects import detect, family_coords, family_image_rule

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
    ("name", "dialect", "space"),
    [
        ("Qwen/Qwen2.5-VL-72B-Instruct", "qwen2.5-vl", "pixels"),
        ("openai:qwen2.5-vl-72b-instruct", "qwen2.5-vl", "pixels"),
        ("ollama:qwen2.5vl:7b", "qwen2.5-vl", "pixels"),
        ("qwen3-vl-235b-a22b-instruct", "qwen3-vl", "norm999"),
        ("Qwen/Qwen3-VL-8B-Instruct", "qwen3-vl", "norm999"),
        ("ByteDance-Seed/UI-TARS-1.5-7B", "ui-tars-1.5", "pixels"),
        ("doubao-1.5-ui-tars-250328", "ui-tars-1.5", "norm1000"),
        ("bytedance-research/UI-TARS-7B-DPO", "ui-tars-1.0", "norm1000"),
        ("OS-Copilot/OS-Atlas-Base-7B", "os-atlas", "norm1000"),
        ("mPLUG/GUI-Owl-32B", "gui-owl", "pixels"),
        ("mPLUG/GUI-Owl-1.5-8B-Instruct", "qwen3-vl", "norm999"),
        ("Tongyi-MAI/MAI-UI-8B", "mai-ui", "norm999"),
        ("zai-org/AutoGLM-Phone-9B", "autoglm", "norm1000"),
        ("THUDM/cogagent-9b-20241220", "cogagent", "norm1000"),
        ("xlangai/Aguvis-7B-720P", "aguvis", "norm1"),
        ("cckevinn/SeeClick", "seeclick", "norm1"),
        ("showlab/ShowUI-2B", "showui", "norm1"),
    ],
)
def test_the_model_name_picks_the_dialect_and_its_space(
    name: str, dialect: str, space: str
) -> None:
    found = detect(name)
    assert found is not None and found.dialect.name == dialect
    assert family_coords(name) == space


@pytest.mark.parametrize("name", ["gpt-4o", "claude-sonnet-4", "llava-v1.6", "scripted"])
def test_names_of_no_known_family_answer_pixels_in_artemis_json(name: str) -> None:
    assert detect(name) is None
    assert family_coords(name) == "pixels"


@pytest.mark.parametrize(
    ("name", "budget", "multiple", "size"),
    [
        # Qwen2.5-VL's processor: 28-pixel patches; the default budget of 1,003,520 pixels.
        ("Qwen/Qwen2.5-VL-72B-Instruct", 1_003_520, None, (672, 1484)),
        ("qwen3-vl-235b-a22b-instruct", 1_003_520, None, (672, 1472)),
        ("ByteDance-Seed/UI-TARS-1.5-7B", 1_003_520, None, (672, 1484)),
        ("gpt-4o", 1_003_520, None, (672, 1493)),
        ("gpt-4o", 1_003_520, 28, (672, 1484)),
    ],
)
def test_images_are_sized_by_the_family_rule_within_the_budget(
    name: str, budget: int, multiple: int | None, size: tuple[int, int]
) -> None:
    rule = family_image_rule(name, budget, multiple)
    w, h = rule.size(1080, 2400)
    assert (w, h) == size
    assert w * h <= budget
    assert rule.size(w, h) == (w, h)  # a server with the same rule sends it as it is
