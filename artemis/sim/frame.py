"""Compose one frame of the phone: the windows on screen, each a laid-out view tree.

Bottom to top: the app window (an app's top screen, the launcher or recents), a dialog window
when a dialog is up, the keyboard when a text field has focus, then the status bar and the
navigation bar. The app window is resized above the keyboard, as `adjustResize` apps are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from artemis.sim import widgets as w
from artemis.sim.apps.base import Screen
from artemis.sim.layout import layout
from artemis.sim.views import FRAME, LINEAR, TEXT, VIEW, Box, View, box_contains, fingerprint

SYSTEMUI = "com.android.systemui"
SCREEN: Box = (0, 0, w.W, w.H)


@dataclass
class Window:
    name: str  # app | dialog | ime | status | nav
    package: str
    root: View
    screen: Screen | None = None
    #: Dialogs: the panel; a touch outside it dismisses a cancelable dialog.
    panel: Box | None = None


@dataclass
class Frame:
    windows: list[Window]  # bottom to top
    key: tuple[object, ...]

    def window(self, name: str) -> Window | None:
        return next((win for win in self.windows if win.name == name), None)

    @property
    def active(self) -> Window:
        """The window `uiautomator dump` reads: the dialog when one is up, else the app."""
        return self.window("dialog") or self.windows[0]

    def focusables(self) -> list[View]:
        """Views TAB moves between, in document order, in the active window."""
        return [
            v
            for v in self.active.root.walk()
            if v.visible and v.enabled and (v.clickable or v.kind == "edit") and v.focusable
        ]


def decor(content: View, package: str, bottom: int) -> View:
    """An activity window as uiautomator sees it: decor, content frame, bar backgrounds."""
    body = View(cls=LINEAR, layout="column", pad=(0, w.STATUS_H, 0, w.H - bottom))
    body.add(View(cls=FRAME, layout="stack", rid="android:id/content", children=[content]))
    # The window's background shows behind the bars, as an edge-to-edge window's does.
    root = View(cls=FRAME, layout="stack", bg=content.bg)
    root.add(
        body,
        View(cls=VIEW, rid="android:id/statusBarBackground", h=w.STATUS_H, gravity="top"),
        View(cls=VIEW, rid="android:id/navigationBarBackground", h=w.NAV_H, gravity="bottom"),
    )
    return root


def status_bar(time_text: str, wifi: bool, bluetooth: bool, airplane: bool, dark: bool) -> View:
    fg = (255, 255, 255) if dark else w.TEXT_1
    bar = View(cls=FRAME, layout="row", pad=(60, 20, 48, 20), align="center", bg=None)
    bar.add(
        View(
            cls=TEXT, text=time_text, size=40, fg=fg, bold=True, h=70, w=None, rid="clock", desc=""
        )
    )
    icons: list[tuple[str, str]] = []
    if bluetooth:
        icons.append(("bluetooth", "Bluetooth on."))
    if airplane:
        icons.append(("airplane", "Airplane mode."))
    elif wifi:
        icons.append(("wifi", "Wifi signal full."))
    if not airplane:
        icons.append(("signal", "Phone signal full."))
    icons.append(("battery", "Battery 100 percent."))
    for name, desc in icons:
        bar.add(
            View(
                cls="android.widget.ImageView",
                icon=name,
                icon_size=44,
                icon_fg=fg,
                w=64,
                h=64,
                desc=desc,
            )
        )
    bar.add(View(cls=TEXT, text="100%", size=38, fg=fg, h=70, w=100, talign="right"))
    return bar


def nav_bar(
    back: Callable[[], None],
    home: Callable[[], None],
    recents: Callable[[], None],
    ime: bool,
    dark: bool,
) -> View:
    fg = (255, 255, 255) if dark else (60, 64, 67)
    bar = View(cls=FRAME, layout="row")
    specs = (
        ("back", "chevron_down" if ime else "nav_back", "Back", back),
        ("home", "nav_home", "Home", home),
        ("recent_apps", "nav_recents", "Overview", recents),
    )
    for rid, icon, desc, cb in specs:
        bar.add(
            View(
                cls="android.widget.ImageView",
                rid=f"{SYSTEMUI}:id/{rid}",
                icon=icon,
                icon_size=54,
                icon_fg=fg,
                desc=desc,
                clickable=True,
                long_clickable=True,
                on_click=cb,
            )
        )
    return bar


def finish(windows: list[Window], extra_key: tuple[object, ...] = ()) -> Frame:
    key: list[object] = list(extra_key)
    for win in windows:
        key.append((win.name, fingerprint(win.root)))
    return Frame(windows, tuple(key))


def lay(root: View, box: Box) -> View:
    layout(root, box, SCREEN)
    return root


def find_target(root: View, x: float, y: float, wants: Callable[[View], bool]) -> View | None:
    """The view a touch at (x, y) goes to: the deepest view under the point that `wants` it,
    trying later (upper) siblings first, as Android dispatches touches."""
    if not root.visible or not box_contains(root.clip, x, y):
        return None
    for c in reversed(root.children):
        found = find_target(c, x, y, wants)
        if found is not None:
            return found
    return root if wants(root) else None
