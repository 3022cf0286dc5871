"""Coordinate conventions of model families, converted in one place.

A model sees an image of `sent` size (after resizing to its pixel budget) and answers points
in one of these spaces:

- `pixels`: absolute pixels of the image it was sent (Qwen2.5-VL, UI-TARS-1.5, GUI-Owl);
- `norm1000`: `[0, 1000)` on both axes (Qwen3-VL, UI-TARS-1.0, OS-Atlas);
- `norm1`: `[0, 1]` on both axes.

`ImageFrame` records both sizes and converts either way. Agent roles and the ScreenSpot runner
use this module and nothing else for the conversion.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

CoordSpace: TypeAlias = Literal["pixels", "norm1000", "norm1"]

_SCALE: dict[str, float] = {"norm1000": 1000.0, "norm1": 1.0}


@dataclass(frozen=True, slots=True)
class ImageFrame:
    """The size of an image as sent to a model, and of the original it came from."""

    sent_width: int
    sent_height: int
    original_width: int
    original_height: int

    def to_original(self, x: float, y: float, space: CoordSpace) -> tuple[int, int]:
        """A point in the model's space -> original-image pixels, clamped to the image."""
        if space == "pixels":
            ox = x * self.original_width / self.sent_width
            oy = y * self.original_height / self.sent_height
        else:
            scale = _SCALE[space]
            ox = x / scale * self.original_width
            oy = y / scale * self.original_height
        return (
            _clamp(math.floor(ox), self.original_width),
            _clamp(math.floor(oy), self.original_height),
        )

    def to_model(self, x: float, y: float, space: CoordSpace) -> tuple[float, float]:
        """An original-image point -> the model's space (for showing points to a model)."""
        # Use the pixel centre so that to_original(to_model(p)) == p after flooring.
        cx, cy = x + 0.5, y + 0.5
        if space == "pixels":
            return (
                round(cx * self.sent_width / self.original_width, 1),
                round(cy * self.sent_height / self.original_height, 1),
            )
        scale = _SCALE[space]
        return (cx / self.original_width * scale, cy / self.original_height * scale)


def _clamp(v: int, size: int) -> int:
    return max(0, min(size - 1, v))


def fit_pixels(
    width: int, height: int, max_pixels: int, *, multiple: int = 1, min_pixels: int = 0
) -> tuple[int, int]:
    """The size to resize to: aspect kept, area at most `max_pixels` (at least `min_pixels`),
    each side a multiple of `multiple` (28 for Qwen-VL's patching). Never upscales beyond
    what `min_pixels` asks for."""
    if width <= 0 or height <= 0:
        raise ValueError(f"bad image size {width}x{height}")
    scale = 1.0
    if width * height > max_pixels:
        scale = math.sqrt(max_pixels / (width * height))
    elif min_pixels and width * height < min_pixels:
        scale = math.sqrt(min_pixels / (width * height))
    w = max(multiple, int(width * scale) // multiple * multiple)
    h = max(multiple, int(height * scale) // multiple * multiple)
    return (w, h)


# Families whose coordinate convention is known from their model cards. Matched in order,
# case-insensitively, against the model name.
_FAMILY_RULES: list[tuple[str, CoordSpace]] = [
    (r"qwen3[-_.]?vl", "norm1000"),
    (r"ui[-_]?tars[-_]?1\.5|ui[-_]?tars[-_]?(7b|72b)?[-_]?dpo-1\.5", "pixels"),
    (r"ui[-_]?tars", "norm1000"),
    (r"os[-_]?atlas", "norm1000"),
    (r"qwen2\.5[-_]?vl|qwen2_5_vl", "pixels"),
    (r"gui[-_]?owl", "pixels"),
    (r"qwen[-_]?vl", "pixels"),
]


def guess_coords(model_name: str) -> CoordSpace:
    """The coordinate space a model family uses; `pixels` when the name says nothing."""
    name = model_name.lower()
    for pattern, space in _FAMILY_RULES:
        if re.search(pattern, name):
            return space
    return "pixels"


# Side multiples of families whose processors cut images into merged patches (Qwen2-VL and
# Qwen2.5-VL: 14-pixel patches merged 2x2; Qwen3-VL: 16-pixel patches merged 2x2). An image
# sent at such a multiple, within the server's pixel limits, is not resized again by the
# server, so the model's pixel coordinates refer to the image we sent.
_MULTIPLE_RULES: list[tuple[str, int]] = [
    (r"qwen3[-_.]?vl", 32),
    (r"qwen2(\.5)?[-_]?vl|qwen2_5_vl|qwen[-_]?vl|ui[-_]?tars|gui[-_]?owl|os[-_]?atlas", 28),
]


def guess_patch_multiple(model_name: str) -> int:
    """The side multiple a model family's image processor works in; 1 when unknown."""
    name = model_name.lower()
    for pattern, multiple in _MULTIPLE_RULES:
        if re.search(pattern, name):
            return multiple
    return 1
