"""Coordinate conventions of model families, and the image resize rules behind them.

A model sees an image of `sent` size (after resizing) and answers points in one of these
spaces:

- `pixels`: absolute pixels of the image it was sent (Qwen2.5-VL, UI-TARS-1.5, GUI-Owl);
- `norm1000`: 0..1000 on both axes (UI-TARS-1.0, OS-Atlas, AutoGLM, CogAgent);
- `norm999`: 0..999 on both axes, 999 being the far edge (the Qwen3-VL and MAI-UI cookbooks
  rescale with `x / 999 * width`);
- `norm1`: 0..1 on both axes (SeeClick, ShowUI, Aguvis).

`ImageFrame` records both sizes and converts either way. `ImageRule` is a family's resize rule
(the smart-resize of the Qwen-VL processors): it says which size an image is sent at. Agent
roles, the dialects and the ScreenSpot runner use this module and nothing else for either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, TypeAlias, get_args

CoordSpace: TypeAlias = Literal["pixels", "norm1000", "norm999", "norm1"]
COORD_SPACES: tuple[CoordSpace, ...] = get_args(CoordSpace)

_SCALE: dict[str, float] = {"norm1000": 1000.0, "norm999": 999.0, "norm1": 1.0}


def space_limit(space: CoordSpace) -> float | None:
    """The far edge of a normalised space (1000, 999, 1); None for pixels."""
    return _SCALE.get(space)


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


@dataclass(frozen=True, slots=True)
class ImageRule:
    """How a model family's processor sizes an image: each side a multiple of `factor`, the
    area within [`min_pixels`, `max_pixels`], the aspect ratio kept.

    This is the smart-resize of the Qwen-VL processors: round each side to the nearest
    multiple, then scale down (flooring) when the area is over the budget, or up (ceiling)
    when under. An image already at a size this rule maps to itself is not resized again by a
    server with the same rule, so pixel answers refer to the image artemis sent.
    """

    factor: int = 1
    min_pixels: int = 0
    max_pixels: int = 1_003_520

    def __post_init__(self) -> None:
        if self.factor < 1 or self.max_pixels < self.factor * self.factor:
            raise ValueError(f"bad image rule {self}")

    def size(self, width: int, height: int) -> tuple[int, int]:
        """The size an image of `width` x `height` is sent at."""
        if width <= 0 or height <= 0:
            raise ValueError(f"bad image size {width}x{height}")
        f = self.factor
        w = max(f, round(width / f) * f)
        h = max(f, round(height / f) * f)
        if w * h > self.max_pixels:
            beta = math.sqrt(width * height / self.max_pixels)
            w = max(f, _floor(width / beta / f) * f)
            h = max(f, _floor(height / beta / f) * f)
        elif w * h < self.min_pixels:
            beta = math.sqrt(self.min_pixels / (width * height))
            w = math.ceil(width * beta / f - 1e-9) * f
            h = math.ceil(height * beta / f - 1e-9) * f
        return (w, h)

    def frame(self, width: int, height: int) -> ImageFrame:
        """The frame of an image of `width` x `height` sent under this rule."""
        w, h = self.size(width, height)
        return ImageFrame(w, h, width, height)

    def capped(self, max_pixels: int) -> ImageRule:
        """This rule with its budget lowered to `max_pixels` (never raised)."""
        budget = max(min(self.max_pixels, max_pixels), self.factor * self.factor)
        return ImageRule(self.factor, min(self.min_pixels, budget), budget)


def _floor(v: float) -> int:
    # 1080 / 1.607142857 is 671.9999999 in floating point; the exact value is 672.
    return math.floor(v + 1e-9)


#: Images sent at their own size (scripted and offline models).
NATIVE_SIZE = ImageRule(1, 0, 1 << 62)


def fit_pixels(
    width: int, height: int, max_pixels: int, *, multiple: int = 1, min_pixels: int = 0
) -> tuple[int, int]:
    """`ImageRule(multiple, min_pixels, max_pixels).size(width, height)`."""
    return ImageRule(multiple, min_pixels, max(max_pixels, multiple * multiple)).size(width, height)
