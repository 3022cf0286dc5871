"""Between a model's space and device pixels: the one place where action points are converted.

`to_device` takes artemis action data whose points are in the model's space, checks that each
point is a finite number on the screen *in that space* (converting first would clamp an
off-screen point silently), converts it through the frame the image was sent in, and validates
the action. `action_for_model` goes the other way, to show an action to a model. Every failure
is a `ModelResponseError` or `TargetError` phrased for the model.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from artemis.actions import Action, parse_action
from artemis.errors import ModelResponseError, TargetError
from artemis.models.coords import CoordSpace, ImageFrame, space_limit

POINT_FIELDS = ("target", "start", "end", "anchor")


def _limits(coords: CoordSpace, frame: ImageFrame) -> tuple[float, float, bool]:
    """(width, height, whether the far edge is allowed) of the model's space."""
    limit = space_limit(coords)
    if limit is not None:
        return (limit, limit, True)
    return (float(frame.sent_width), float(frame.sent_height), False)


def _finite(value: Any) -> float | None:
    """`value` as a finite float, or None (not a number, NaN, infinite, or beyond a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def point_to_device(x: Any, y: Any, coords: CoordSpace, frame: ImageFrame) -> tuple[int, int]:
    """A point of the model's space -> device pixels; raises when it is not on the screen."""
    fx, fy = _finite(x), _finite(y)
    if fx is None or fy is None:
        shown = f"({x!r}, {y!r})"
        shown = shown if len(shown) <= 80 else shown[:80] + "..."
        raise ModelResponseError(f"a point needs finite numbers for x and y, got {shown}")
    x, y = fx, fy
    w, h, inclusive = _limits(coords, frame)
    on_x = 0 <= x <= w if inclusive else 0 <= x < w
    on_y = 0 <= y <= h if inclusive else 0 <= y < h
    if not (on_x and on_y):
        close = "]" if inclusive else ")"
        raise TargetError(
            f"the point ({x:g}, {y:g}) is off the screen: x must be in [0, {w:g}{close} and "
            f"y in [0, {h:g}{close} in your coordinates"
        )
    return frame.to_original(float(x), float(y), coords)


def to_device(data: dict[str, Any], coords: CoordSpace, frame: ImageFrame) -> Action:
    """The device-pixel action for action data in the model's space."""
    out = dict(data)
    for name in POINT_FIELDS:
        value = out.get(name)
        if isinstance(value, dict) and "index" not in value and ("x" in value or "y" in value):
            dx, dy = point_to_device(value.get("x"), value.get("y"), coords, frame)
            out[name] = {"x": dx, "y": dy}
    try:
        return parse_action(out)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()[:6]
        )
        raise ModelResponseError(f"the action is not valid: {problems}") from exc


def action_for_model(action: Action, coords: CoordSpace, frame: ImageFrame) -> dict[str, Any]:
    """An action as JSON data with its points in a model's space (to show it to that model)."""
    data = action.model_dump(mode="json")
    for name in POINT_FIELDS:
        value = data.get(name)
        if isinstance(value, dict) and "x" in value:
            mx, my = frame.to_model(value["x"], value["y"], coords)
            if coords == "norm1":
                data[name] = {"x": round(mx, 4), "y": round(my, 4)}
            else:
                data[name] = {"x": int(mx), "y": int(my)}
    return data


def same_action(got: dict[str, Any], want: dict[str, Any]) -> bool:
    """Whether action data `got` (as read back) carries out `want`: the same type, points
    within a pixel (rounding), and every parameter `want` sets. A press duration a family
    cannot write and the length of a wait are let go; "failure" and "infeasible" both end a
    task not done."""
    if got.get("type") != want.get("type"):
        return False
    for key, value in want.items():
        have = got.get(key)
        if key in POINT_FIELDS and isinstance(value, dict):
            if not isinstance(have, dict) or set(have) != set(value):
                return False
            if any(
                not isinstance(have[k], int | float)
                or not math.isclose(float(have[k]), float(value[k]), abs_tol=1.01)
                for k in value
            ):
                return False
        elif (
            key == "duration_ms"
            or key == "seconds"
            or (key == "reason" and not value)
            or (key == "status" and {have, value} <= {"failure", "infeasible"})
            or (key in ("clear_first", "submit") and not value and not have)
        ):
            continue
        elif have != value:
            return False
    return all(
        k in want or not v or k in ("duration_ms", "seconds", "reason") for k, v in got.items()
    )
