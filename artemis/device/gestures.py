"""Gesture geometry: where fingers go for scrolls, and where targets are.

"scroll down" reveals what is below, so the finger moves up; "scroll right" reveals what is to
the right, so the finger moves left (AndroidWorld's convention, and people's).
"""

from __future__ import annotations

from collections.abc import Sequence

from artemis.actions import Direction, ElementTarget, PointTarget, Target
from artemis.errors import TargetError
from artemis.observation import Rect, UIElement, element_by_index

#: How far the finger travels, as a share of the scrolled region on each side of its centre.
SCROLL_REACH = 0.25


def region_around(x: int, y: int, width: int, height: int) -> Rect:
    """Half the screen in each direction around a point, clipped to the screen."""
    hw, hh = width // 4, height // 4
    return Rect(max(0, x - hw), max(0, y - hh), min(width, x + hw), min(height, y + hh))


def scroll_swipe(direction: Direction, region: Rect) -> tuple[int, int, int, int]:
    """The finger's (x1, y1, x2, y2) that scrolls `region`'s content in `direction`."""
    cx, cy = region.center
    dx = max(1, int(region.width * SCROLL_REACH))
    dy = max(1, int(region.height * SCROLL_REACH))
    if direction == "down":
        return cx, cy + dy, cx, cy - dy
    if direction == "up":
        return cx, cy - dy, cx, cy + dy
    if direction == "right":
        return cx + dx, cy, cx - dx, cy
    return cx - dx, cy, cx + dx, cy


def check_point(x: int, y: int, size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    if not (0 <= x < width and 0 <= y < height):
        raise TargetError(f"point ({x},{y}) is off the screen, which is {width}x{height} pixels")
    return x, y


def resolve_target(
    target: Target, ui: Sequence[UIElement] | None, size: tuple[int, int]
) -> tuple[tuple[int, int], UIElement | None]:
    """The device point of a target (an element's centre), and the element if it was one."""
    if isinstance(target, PointTarget):
        return check_point(target.x, target.y, size), None
    assert isinstance(target, ElementTarget)
    element = element_by_index(ui, target.index)
    if element.bounds.area <= 0:
        raise TargetError(f"element #{target.index} has no area on the screen")
    cx, cy = element.bounds.center
    try:
        point = check_point(cx, cy, size)
    except TargetError as exc:
        raise TargetError(f"element #{target.index} is off the screen ({exc})") from exc
    return point, element
