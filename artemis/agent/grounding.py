"""From a model's action to a device action: the one place where coordinates are converted.

A model answers points in its own space (pixels of the image it was sent, `[0,1000)`, `[0,1]`).
`to_device_action` checks each point lies on the screen *in that space* (converting first would
clamp an off-screen point silently), converts it through the response's image frame
(`ModelResponse.to_device`), validates the action, and checks element indices against the
observed tree. Every failure is a `ModelResponseError` or `TargetError` phrased for the model.

`model_point` goes the other way, for showing element positions to a model in its own space.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ValidationError

from artemis.actions import Action, ElementTarget, parse_action
from artemis.errors import ModelResponseError, TargetError
from artemis.models.base import ModelResponse
from artemis.models.coords import CoordSpace, ImageFrame, fit_pixels
from artemis.observation import Observation

_POINT_FIELDS = ("target", "start", "end", "anchor")


def coords_hint(coords: CoordSpace) -> str:
    """How a model should write points, for a prompt."""
    if coords == "norm1000":
        return "x and y are integers in [0, 1000) on each axis; (0, 0) is the top-left corner."
    if coords == "norm1":
        return "x and y are numbers in [0, 1] on each axis; (0, 0) is the top-left corner."
    return "x and y are pixels of the screenshot image you see; (0, 0) is the top-left corner."


def _limits(response: ModelResponse[Any], obs: Observation, image: int) -> tuple[float, float]:
    if response.coords == "norm1000":
        return (1000.0, 1000.0)
    if response.coords == "norm1":
        return (1.0, 1.0)
    if response.frames:
        frame = response.frames[image]
        return (float(frame.sent_width), float(frame.sent_height))
    return (float(obs.width), float(obs.height))


def _finite(value: Any) -> float | None:
    """`value` as a finite float, or None (not a number, NaN, infinite, or beyond a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def _convert_point(
    value: Any, response: ModelResponse[Any], obs: Observation, image: int
) -> dict[str, int]:
    x, y = _finite(value.get("x")), _finite(value.get("y"))
    if x is None or y is None:
        shown = repr(value)
        shown = shown if len(shown) <= 80 else shown[:80] + "..."
        raise ModelResponseError(f"a point needs finite numbers for x and y, got {shown}")
    w, h = _limits(response, obs, image)
    inclusive = response.coords == "norm1"
    on_x = 0 <= x <= w if inclusive else 0 <= x < w
    on_y = 0 <= y <= h if inclusive else 0 <= y < h
    if not (on_x and on_y):
        close = "]" if inclusive else ")"
        raise TargetError(
            f"the point ({x:g}, {y:g}) is off the screen: x must be in [0, {w:g}{close} and "
            f"y in [0, {h:g}{close} in your coordinates"
        )
    dx, dy = response.to_device(x, y, image)
    if not response.frames:  # no frame: the reply is in device pixels already
        dx, dy = min(dx, obs.width - 1), min(dy, obs.height - 1)
    return {"x": dx, "y": dy}


def to_device_action(
    action: BaseModel | dict[str, Any],
    response: ModelResponse[Any],
    obs: Observation,
    *,
    image: int = 0,
) -> Action:
    """The device-pixel action for a model's action (see the module docstring)."""
    data = action.model_dump() if isinstance(action, BaseModel) else dict(action)
    for name in _POINT_FIELDS:
        value = data.get(name)
        if isinstance(value, dict) and "index" not in value and ("x" in value or "y" in value):
            data[name] = _convert_point(value, response, obs, image)
    try:
        result = parse_action(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()[:6]
        )
        raise ModelResponseError(f"the action is not valid: {problems}") from exc
    check_targets(result, obs)
    return result


def check_targets(action: Action, obs: Observation) -> None:
    """Raise `TargetError` when an element index does not exist on the observed screen."""
    for name in _POINT_FIELDS:
        value = getattr(action, name, None)
        if isinstance(value, ElementTarget):
            obs.element(value.index)  # raises TargetError with the reason


def sent_frame(model: object, size: tuple[int, int], max_pixels: int) -> ImageFrame:
    """The frame a backend will send an image of `size` in: its own pixel budget and side
    multiple when it has them (the OpenAI-compatible backend does), else `max_pixels`."""
    w, h = size
    budget = getattr(model, "max_image_pixels", None) or max_pixels
    multiple = getattr(model, "image_multiple", None) or 1
    sw, sh = fit_pixels(w, h, int(budget), multiple=int(multiple))
    return ImageFrame(sw, sh, w, h)


def model_point(x: float, y: float, coords: CoordSpace, frame: ImageFrame) -> tuple[float, float]:
    """A device point in a model's space, for an image sent in `frame`."""
    return frame.to_model(x, y, coords)


def action_for_model(action: Action, coords: CoordSpace, frame: ImageFrame) -> dict[str, Any]:
    """An action as JSON data with its points in a model's space (to show it to that model)."""
    data = action.model_dump(mode="json")
    for name in _POINT_FIELDS:
        value = data.get(name)
        if isinstance(value, dict) and "x" in value:
            mx, my = model_point(value["x"], value["y"], coords, frame)
            if coords == "norm1":
                data[name] = {"x": round(mx, 4), "y": round(my, 4)}
            else:
                data[name] = {"x": int(mx), "y": int(my)}
    return data
