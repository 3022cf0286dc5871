"""The seam between the simulated phone's ADB side and the phone itself.

The ADB server and the shell interpreter (`artemis.sim.adbd`, `artemis.sim.shell`) call into an
object that satisfies `PhoneLike`; `artemis.sim.phone.Phone` is the real one. Everything the
phone does is synchronous and in memory; the server runs CPU-heavy calls (rendering) off the
event loop and serialises access with a lock.
"""

from __future__ import annotations

from typing import Protocol

from artemis.sim.fs import SimFS


class PhoneLike(Protocol):
    #: Screen size in pixels (portrait: 1080 x 2400).
    width: int
    height: int
    #: The phone's files: shell builtins, push/pull and apps share it.
    fs: SimFS

    # --- properties and settings ---------------------------------------------------------
    def getprop(self, name: str) -> str | None:
        """`getprop NAME`: ro.product.model, ro.build.version.release, ... or None."""
        ...

    def all_props(self) -> dict[str, str]: ...

    def settings_get(self, namespace: str, key: str) -> str | None:
        """`settings get system|secure|global KEY`; None prints as `null`."""
        ...

    def settings_put(self, namespace: str, key: str, value: str) -> None: ...

    def set_wifi(self, enabled: bool) -> None:
        """`svc wifi enable|disable`."""
        ...

    # --- input -----------------------------------------------------------------------------
    def tap(self, x: int, y: int) -> None: ...

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        """A swipe; a swipe to the same point for >= 500 ms is a long press."""
        ...

    def drag_and_drop(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None: ...

    def input_text(self, text: str) -> None:
        """Text already decoded from `input text` (`%s` turned into spaces)."""
        ...

    def keyevent(self, keycode: int, *, longpress: bool = False) -> None: ...

    def get_clipboard(self) -> str:
        """The clipboard's text: what PASTE (key 279) inserts."""
        ...

    def set_clipboard(self, text: str) -> None:
        """Set the clipboard (what the Clipper app's `clipper.set` broadcast does)."""
        ...

    # --- screen ----------------------------------------------------------------------------
    def screencap_png(self) -> bytes: ...

    def screencap_raw(self) -> bytes:
        """Raw `screencap`: width, height, format (1 = RGBA_8888), dataspace, then RGBA."""
        ...

    def ui_xml(self) -> str:
        """`uiautomator dump` content: one line of XML, exactly as a device writes it."""
        ...

    # --- apps ------------------------------------------------------------------------------
    def foreground(self) -> tuple[str, str]:
        """(package, activity class) of the focused window; activity as `.Name` or full."""
        ...

    def packages(self) -> list[str]:
        """Installed packages, for `pm list packages`."""
        ...

    def launch(self, package: str) -> bool:
        """Open an app at its launcher activity (monkey). False when not installed."""
        ...

    def start_activity(self, package: str, activity: str) -> bool:
        """`am start -n PKG/ACT`. False when the component does not exist."""
        ...

    def force_stop(self, package: str) -> None: ...

    # --- state -----------------------------------------------------------------------------
    def snapshot(self) -> dict[str, object]:
        """The whole state, JSON-serialisable; `Phone.from_snapshot` restores it."""
        ...

    def reset(self, seed: int | None = None) -> None:
        """Back to the seeded initial state."""
        ...
