"""The screenshot with the action drawn on it, for the consistency checker and the corrector.

D-Artemis found that the checker judges far better when it sees what the action will touch: a
marker at a tap point, an arrow for a swipe or scroll, a box round the target element. The
drawing is CPU work; call `annotate` through `asyncio.to_thread` from async code.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from artemis.actions import Action, LongPress, Scroll, Swipe
from artemis.agent.ui import action_target, gesture_points, target_element
from artemis.observation import Observation, Rect
from artemis.png import encode_png

MARK = (255, 0, 64)
BOX = (0, 200, 255)


def annotate(obs: Observation, action: Action, base: bytes | None = None) -> bytes:
    """PNG bytes of `obs.screenshot` (or of `base`, the same screen already prepared for a
    model: `artemis.models.images.prepare`) with `action` drawn on it (unchanged copy when
    the action touches nothing, such as a key press)."""
    with Image.open(io.BytesIO(base if base is not None else obs.screenshot)) as src:
        img = src.convert("RGB")
    sx = img.width / obs.width if obs.width else 1.0
    sy = img.height / obs.height if obs.height else 1.0
    draw = ImageDraw.Draw(img)
    unit = max(4, round(min(img.width, img.height) / 60))

    element = target_element(action_target(action), obs)
    if element is not None:
        _box(draw, element.bounds, sx, sy, unit)

    points = [(x * sx, y * sy) for x, y in gesture_points(action, obs)]
    if isinstance(action, Swipe | Scroll) and len(points) == 2:
        _arrow(draw, points[0], points[1], unit)
    elif points:
        _marker(draw, points[0], unit, ring=isinstance(action, LongPress))

    return encode_png(img)


def _box(draw: ImageDraw.ImageDraw, r: Rect, sx: float, sy: float, unit: int) -> None:
    draw.rectangle(
        (r.x1 * sx, r.y1 * sy, max(r.x1, r.x2 - 1) * sx, max(r.y1, r.y2 - 1) * sy),
        outline=BOX,
        width=max(2, unit // 3),
    )


def _marker(draw: ImageDraw.ImageDraw, p: tuple[float, float], unit: int, *, ring: bool) -> None:
    x, y = p
    r = unit * 2
    draw.ellipse((x - r, y - r, x + r, y + r), outline=MARK, width=max(2, unit // 2))
    draw.ellipse((x - unit / 2, y - unit / 2, x + unit / 2, y + unit / 2), fill=MARK)
    if ring:  # a long press: a second ring
        r2 = r + unit
        draw.ellipse((x - r2, y - r2, x + r2, y + r2), outline=MARK, width=max(1, unit // 3))


def _arrow(
    draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float], unit: int
) -> None:
    draw.line((a, b), fill=MARK, width=max(3, unit // 2))
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    head = unit * 3
    left = (b[0] - head * math.cos(angle - 0.5), b[1] - head * math.sin(angle - 0.5))
    right = (b[0] - head * math.cos(angle + 0.5), b[1] - head * math.sin(angle + 0.5))
    draw.polygon((b, left, right), fill=MARK)
    r = unit
    draw.ellipse((a[0] - r, a[1] - r, a[0] + r, a[1] + r), fill=MARK)
