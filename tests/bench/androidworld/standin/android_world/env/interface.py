"""Stand-in for `android_world.env.interface`: the frozen `State`."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class State:
    pixels: Any  # RGB array, height x width x 3
    forest: Any
    ui_elements: list[Any]
    auxiliaries: dict[str, Any] | None = None
