"""A small fake phone for agent tests: screens of hand-built UI elements, links between them,
switches that flip, fields that take text, and faults on demand. It implements the `Device`
protocol; screenshots are real (tiny) PNGs whose pixels change with the screen's state."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PIL import Image

from artemis.actions import (
    Action,
    ClearText,
    ElementTarget,
    Key,
    OpenApp,
    Press,
    Scroll,
    Swipe,
    Tap,
    TypeText,
)
from artemis.device.base import ForegroundApp
from artemis.errors import TargetError, UnknownAppError
from artemis.observation import Observation, Rect, UIElement

W, H = 270, 600


def el(
    y: int,
    text: str = "",
    *,
    x1: int = 0,
    x2: int = W,
    h: int = 50,
    **kw: object,
) -> UIElement:
    """An element on a row starting at `y` (index assigned by `Screen`)."""
    kw.setdefault("clickable", bool(text))
    kw.setdefault("class_name", "android.widget.TextView")
    return UIElement(0, Rect(x1, y, x2, y + h), text=text, depth=1, **kw)  # type: ignore[arg-type]


def switch(y: int, *, checked: bool = False, h: int = 50) -> UIElement:
    return UIElement(
        0,
        Rect(W - 60, y + 5, W - 10, y + h - 5),
        class_name="android.widget.Switch",
        resource_id="android:id/switch_widget",
        checkable=True,
        checked=checked,
        clickable=True,
        depth=2,
    )


@dataclass
class Screen:
    name: str
    package: str
    elements: list[UIElement]

    def tree(self) -> tuple[UIElement, ...]:
        root = UIElement(
            0, Rect(0, 0, W, H), class_name="android.widget.FrameLayout", package=self.package
        )
        items = [root] + [replace(e, package=self.package) for e in self.elements]
        return tuple(replace(e, index=i) for i, e in enumerate(items))


def settings_phone(*, wifi_on: bool = False) -> dict[str, Screen]:
    """A launcher and an AOSP-like Settings: home → Network & internet → Internet → Wi-Fi."""
    return {
        "launcher": Screen(
            "launcher",
            "com.android.launcher3",
            [el(100, "Clock", x2=120), el(100, "Settings", x1=140), el(200, "Contacts", x2=120)],
        ),
        "settings": Screen(
            "settings",
            "com.android.settings",
            [
                el(20, "Search settings", clickable=True),
                el(100, "Network & internet"),
                el(150, "Mobile, Wi\u2011Fi, hotspot", clickable=False, h=30),
                el(200, "Connected devices"),
                el(300, "Battery"),
                el(400, "Display"),
            ],
        ),
        "network": Screen(
            "network",
            "com.android.settings",
            [
                el(100, "Internet"),
                el(200, "Airplane mode", x2=200),
                switch(200),
                el(300, "Hotspot & tethering"),
            ],
        ),
        "internet": Screen(
            "internet",
            "com.android.settings",
            [
                el(100, "Wi\u2011Fi", x2=200, clickable=False),
                switch(100, checked=wifi_on),
                el(200, "AndroidWifi"),
            ],
        ),
        "clock": Screen("clock", "com.android.deskclock", [el(100, "Alarm"), el(200, "Timer")]),
    }


SETTINGS_LINKS = {
    ("launcher", "Settings"): "settings",
    ("launcher", "Clock"): "clock",
    ("settings", "Network & internet"): "network",
    ("settings", "Mobile, Wi\u2011Fi, hotspot"): "network",
    ("network", "Internet"): "internet",
}
APPS = {
    "Settings": "settings",
    "com.android.settings": "settings",
    "Clock": "clock",
    "com.android.deskclock": "clock",
}


@dataclass
class FakeDevice:
    screens: dict[str, Screen] = field(default_factory=settings_phone)
    current: str = "launcher"
    links: dict[tuple[str, str], str] = field(default_factory=lambda: dict(SETTINGS_LINKS))
    apps: dict[str, str] = field(default_factory=lambda: dict(APPS))
    #: Called before each observe/execute with the call's name: raise to inject a fault.
    fault: Callable[[str, int], None] | None = None
    executed: list[Action] = field(default_factory=list)
    observes: int = 0
    calls: int = 0
    history: list[str] = field(default_factory=list)

    def _maybe_fail(self, what: str) -> None:
        self.calls += 1
        if self.fault is not None:
            self.fault(what, self.calls)

    @property
    def screen(self) -> Screen:
        return self.screens[self.current]

    async def observe(self, *, with_ui: bool = True) -> Observation:
        self._maybe_fail("observe")
        self.observes += 1
        ui = self.screen.tree()
        return Observation(
            screenshot=self._png(ui),
            width=W,
            height=H,
            ui=ui if with_ui else None,
            package=self.screen.package,
            activity=f".{self.current}",
        )

    def _png(self, ui: tuple[UIElement, ...]) -> bytes:
        digest = hashlib.sha1(repr([(e.text, e.checked, e.bounds) for e in ui]).encode()).digest()
        img = Image.new("RGB", (W, H), (digest[0], digest[1], digest[2]))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue()

    async def execute(self, action: Action, *, ui: tuple[UIElement, ...] | None = None) -> None:
        self._maybe_fail("execute")
        self.executed.append(action)
        match action:
            case Tap(target=t):
                self._tap(self._point(t, ui))
            case TypeText(text=text, target=t):
                field_ = self._field(t, ui)
                self._set(field_, text=field_.text + text if not action.clear_first else text)
            case ClearText(target=t):
                self._set(self._field(t, ui), text="")
            case OpenApp(app=app):
                await self.open_app(app)
            case Press(key=key):
                await self.press(key)
            case Scroll() | Swipe():
                pass

    def _point(self, target: object, ui: tuple[UIElement, ...] | None) -> tuple[int, int]:
        if isinstance(target, ElementTarget):
            tree = ui if ui is not None else self.screen.tree()
            if not 0 <= target.index < len(tree):
                raise TargetError(f"element #{target.index} does not exist")
            return tree[target.index].bounds.center
        return (target.x, target.y)  # type: ignore[attr-defined]

    def _field(self, target: object, ui: tuple[UIElement, ...] | None) -> UIElement:
        tree = self.screen.tree()
        if target is None:
            focused = [e for e in tree if e.focused and e.editable]
            if not focused:
                raise TargetError("no field has focus")
            return focused[0]
        x, y = self._point(target, ui)
        hits = [e for e in tree if e.editable and e.bounds.contains(x, y)]
        if not hits:
            raise TargetError("no text field there")
        return hits[0]

    def _set(self, element: UIElement, **changes: object) -> None:
        i = element.index - 1  # the screen's list has no root
        self.screen.elements[i] = replace(self.screen.elements[i], **changes)  # type: ignore[arg-type]

    def _tap(self, point: tuple[int, int]) -> None:
        tree = self.screen.tree()
        hits = [e for e in tree[1:] if e.bounds.contains(*point)]
        if not hits:
            return
        target = min(hits, key=lambda e: e.bounds.area)
        if target.checkable:
            self._set(target, checked=not target.checked)
            return
        for e in sorted(hits, key=lambda e: e.bounds.area):
            nxt = self.links.get((self.current, e.text))
            if nxt is not None:
                self.history.append(self.current)
                self.current = nxt
                return
        if target.editable:
            for i, other in enumerate(self.screen.elements):
                self.screen.elements[i] = replace(
                    other, focused=other.text == target.text and other.editable
                )

    async def tap(self, x: int, y: int) -> None:
        self._tap((x, y))

    async def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> None:
        return None

    async def type_text(self, text: str) -> None:
        await self.execute(TypeText(text=text))

    async def press(self, key: Key) -> None:
        if key == "back" and self.history:
            self.current = self.history.pop()
        elif key == "home":
            self.history.append(self.current)
            self.current = "launcher"

    async def open_app(self, app: str) -> str:
        screen = self.apps.get(app)
        if screen is None:
            raise UnknownAppError(f"no app called {app!r}")
        self.history.append(self.current)
        self.current = screen
        return self.screens[screen].package

    async def current_app(self) -> ForegroundApp:
        return ForegroundApp(self.screen.package, f".{self.current}")

    async def screen_size(self) -> tuple[int, int]:
        return (W, H)

    async def close(self) -> None:
        return None


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def idx(screen: Screen, text: str) -> int:
    """The index of the element with `text` on `screen`."""
    for e in screen.tree():
        if e.text == text:
            return e.index
    raise KeyError(text)


def switch_index(screen: Screen) -> int:
    return next(e.index for e in screen.tree() if e.checkable)
