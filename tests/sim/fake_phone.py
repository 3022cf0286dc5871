"""A small test double that satisfies `PhoneLike`, for testing the ADB side on its own.

It records every input, keeps one focused text field (typed text appends, DEL deletes, the
cursor stays at the end), draws a solid colour, and answers a tiny but valid uiautomator XML.
It is not the simulated phone (`artemis.sim.phone.Phone` is); it exists so the protocol,
shell and client can be tested without it.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from PIL import Image

from artemis.sim.fs import SimFS

PACKAGES = {
    "com.android.launcher3": ".Launcher",
    "com.android.settings": ".Settings",
    "com.android.contacts": ".activities.PeopleActivity",
    "com.android.deskclock": ".DeskClock",
    "net.gsantner.markor": ".activity.MainActivity",
    "com.android.messaging": ".ui.conversationlist.ConversationListActivity",
    "com.android.calendar": ".AllInOneActivity",
    "com.android.documentsui": ".files.FilesActivity",
    "com.arduia.expense": ".ui.MainActivity",
}
LAUNCHER = "com.android.launcher3"
KEY_HOME, KEY_BACK, KEY_DEL, KEY_MOVE_END, KEY_PASTE = 3, 4, 67, 123, 279

_png_cache: dict[tuple[int, int, tuple[int, int, int]], bytes] = {}


@dataclass
class FakePhone:
    width: int = 1080
    height: int = 2400
    color: tuple[int, int, int] = (30, 90, 160)
    fs: SimFS = field(default_factory=SimFS)
    props: dict[str, str] = field(
        default_factory=lambda: {
            "ro.product.name": "sdk_gphone64_x86_64",
            "ro.product.model": "sdk_gphone64_x86_64",
            "ro.product.device": "emu64x",
            "ro.build.version.release": "13",
            "ro.build.version.sdk": "33",
            "sys.boot_completed": "1",
        }
    )
    settings: dict[tuple[str, str], str] = field(default_factory=dict)
    wifi: bool = False  # as on the simulated phone: not connected yet
    foreground_app: tuple[str, str] = (LAUNCHER, ".Launcher")
    field_text: str = ""
    clipboard: str = ""
    taps: list[tuple[int, int]] = field(default_factory=list)
    swipes: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    drags: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    keys: list[tuple[int, bool]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    launches: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)

    # --- properties and settings ---------------------------------------------------------
    def getprop(self, name: str) -> str | None:
        return self.props.get(name)

    def all_props(self) -> dict[str, str]:
        return dict(self.props)

    def settings_get(self, namespace: str, key: str) -> str | None:
        if (namespace, key) == ("global", "wifi_on"):
            return "1" if self.wifi else "0"
        return self.settings.get((namespace, key))

    def settings_put(self, namespace: str, key: str, value: str) -> None:
        self.settings[(namespace, key)] = value

    def set_wifi(self, enabled: bool) -> None:
        self.wifi = enabled

    # --- input -----------------------------------------------------------------------------
    def tap(self, x: int, y: int) -> None:
        self.taps.append((x, y))

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        self.swipes.append((x1, y1, x2, y2, duration_ms))

    def drag_and_drop(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        self.drags.append((x1, y1, x2, y2, duration_ms))

    def input_text(self, text: str) -> None:
        self.texts.append(text)
        self.field_text += text

    def keyevent(self, keycode: int, *, longpress: bool = False) -> None:
        self.keys.append((keycode, longpress))
        if keycode == KEY_PASTE and self.clipboard:
            self.input_text(self.clipboard)
        elif keycode == KEY_DEL:
            self.field_text = self.field_text[:-1]
        elif keycode == KEY_HOME:
            self.foreground_app = (LAUNCHER, PACKAGES[LAUNCHER])

    def get_clipboard(self) -> str:
        return self.clipboard

    def set_clipboard(self, text: str) -> None:
        self.clipboard = text

    @property
    def typed(self) -> str:
        return "".join(self.texts)

    # --- screen ----------------------------------------------------------------------------
    def screencap_png(self) -> bytes:
        key = (self.width, self.height, self.color)
        if key not in _png_cache:
            buf = io.BytesIO()
            Image.new("RGB", (self.width, self.height), self.color).save(buf, "PNG")
            _png_cache[key] = buf.getvalue()
        return _png_cache[key]

    def screencap_raw(self) -> bytes:
        header = struct.pack("<4I", self.width, self.height, 1, 0)
        pixel = bytes((*self.color, 255))
        return header + pixel * (self.width * self.height)

    def ui_xml(self) -> str:
        pkg = self.foreground_app[0]
        text = quoteattr(self.field_text)

        def node(index: int, attrs: str, bounds: str, inner: str = "", naf: bool = False) -> str:
            head = 'NAF="true" ' if naf else ""
            return (
                f'<node {head}index="{index}" {attrs} bounds="{bounds}">{inner}</node>'
                if inner
                else f'<node {head}index="{index}" {attrs} bounds="{bounds}" />'
            )

        common = f'package="{pkg}" checkable="false" checked="false"'
        edit = node(
            0,
            f'text={text} resource-id="{pkg}:id/field" class="android.widget.EditText" {common} '
            'content-desc="" clickable="true" enabled="true" focusable="true" focused="true" '
            'scrollable="false" long-clickable="true" password="false" selected="false"',
            "[40,300][1040,420]",
        )
        button = node(
            1,
            f'text="OK" resource-id="{pkg}:id/ok" class="android.widget.Button" {common} '
            'content-desc="" clickable="true" enabled="true" focusable="true" focused="false" '
            'scrollable="false" long-clickable="false" password="false" selected="false"',
            "[40,500][540,620]",
        )
        icon = node(
            2,
            f'text="" resource-id="" class="android.widget.ImageView" {common} '
            'content-desc="" clickable="true" enabled="true" focusable="false" focused="false" '
            'scrollable="false" long-clickable="false" password="false" selected="false"',
            "[900,500][1040,620]",
            naf=True,
        )
        root = node(
            0,
            f'text="" resource-id="" class="android.widget.FrameLayout" {common} '
            'content-desc="" clickable="false" enabled="true" focusable="false" focused="false" '
            'scrollable="false" long-clickable="false" password="false" selected="false"',
            f"[0,0][{self.width},{self.height}]",
            inner=edit + button + icon,
        )
        return (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            f'<hierarchy rotation="0">{root}</hierarchy>'
        )

    # --- apps ------------------------------------------------------------------------------
    def foreground(self) -> tuple[str, str]:
        return self.foreground_app

    def packages(self) -> list[str]:
        return sorted(PACKAGES)

    def launch(self, package: str) -> bool:
        if package not in PACKAGES:
            return False
        self.launches.append(package)
        self.foreground_app = (package, PACKAGES[package])
        return True

    def start_activity(self, package: str, activity: str) -> bool:
        if PACKAGES.get(package) not in (activity, package + activity) and activity not in (
            package + PACKAGES.get(package, "?"),
        ):
            return False
        self.foreground_app = (package, PACKAGES[package])
        return True

    def force_stop(self, package: str) -> None:
        self.stopped.append(package)
        if self.foreground_app[0] == package:
            self.foreground_app = (LAUNCHER, PACKAGES[LAUNCHER])

    # --- state -----------------------------------------------------------------------------
    def snapshot(self) -> dict[str, object]:
        return {
            "foreground": list(self.foreground_app),
            "field": self.field_text,
            "wifi": self.wifi,
        }

    def reset(self, seed: int | None = None) -> None:
        self.foreground_app = (LAUNCHER, PACKAGES[LAUNCHER])
        self.field_text = ""
        self.texts.clear()
        self.taps.clear()
        self.keys.clear()
