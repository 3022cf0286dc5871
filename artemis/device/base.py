"""The async Device contract that the agent, the benchmarks and the CLI depend on.

`AdbDevice` is the production implementation. Tests and adapters (AndroidWorld) pass other
implementations through the same door.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from artemis.actions import Action, Key
from artemis.observation import Observation, UIElement


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What `artemis devices` prints about a device."""

    address: str
    model: str
    android_version: str
    sdk: int | None
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ForegroundApp:
    package: str | None
    activity: str | None


@runtime_checkable
class Device(Protocol):
    """An Android device the agent can observe and act on. All coordinates are device pixels."""

    async def observe(self, *, with_ui: bool = True) -> Observation:
        """A fresh screenshot, the UI tree (None when it cannot be had) and the foreground app."""
        ...

    async def execute(self, action: Action, *, ui: tuple[UIElement, ...] | None = None) -> None:
        """Carry out one action. Element targets resolve against `ui` (the observed tree).

        Memory-only actions (`note`, `answer`, `finish`) do nothing on the device.
        Raises `TargetError` for a target that does not resolve, `DeviceError` otherwise.
        """
        ...

    async def tap(self, x: int, y: int) -> None: ...

    async def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> None: ...

    async def type_text(self, text: str) -> None:
        """Type into the focused field. Any text is safe: it never reaches a shell unquoted."""
        ...

    async def press(self, key: Key) -> None: ...

    async def open_app(self, app: str) -> str:
        """Open an app by label or package; returns the package. `UnknownAppError` if none."""
        ...

    async def current_app(self) -> ForegroundApp: ...

    async def screen_size(self) -> tuple[int, int]: ...

    async def close(self) -> None: ...
