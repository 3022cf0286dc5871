"""Settings (com.android.settings), laid out as AOSP Settings on Android 13.

Network & internet > Internet > Wi-Fi; Network & internet > Airplane mode; Connected devices >
Connection preferences > Bluetooth; Display > Brightness level, Adaptive brightness, Dark theme,
Screen timeout; About phone (model, Android version). A search screen finds any of these pages.
Pages that the phone does not simulate show their usual rows, not clickable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from artemis.sim import components as ui
from artemis.sim import props
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.state import SCREEN_TIMEOUTS_MS
from artemis.sim.views import FRAME, WRAP, View

PKG = "com.android.settings"
ACCENT = (11, 87, 208)
BG = (248, 250, 253)


def timeout_label(ms: int) -> str:
    s = ms // 1000
    if s < 60:
        return f"{s} seconds"
    m = s // 60
    return "1 minute" if m == 1 else f"{m} minutes"


class SettingsScreen(Screen):
    package = PKG
    activity = ".SubSettings"
    heading: ClassVar[str] = ""

    def title(self, ctx: Ctx) -> str:
        return self.heading

    def page(self, ctx: Ctx, rows: list[View]) -> View:
        bar = ui.app_bar("", back=ctx.cb(ctx.pop), bg=BG)
        head = w.text(
            self.title(ctx),
            size=80,
            h=WRAP,
            pad=(60, 20, 60, 50),
            max_lines=2,
            rid="collapsing_toolbar",
        )
        return w.column(
            bar,
            w.scroll_list(self, "list", [head, *rows], rid="recycler_view"),
            cls=FRAME,
            bg=BG,
        )


def _row(
    title: str,
    summary: str = "",
    *,
    go: Callable[[], None] | None = None,
    icon: str = "",
    h: int | None = None,
) -> View:
    return ui.list_row(title, summary, on_click=go, icon=icon, icon_fg=ACCENT, h=h, summary_lines=2)


def _switch(
    title: str, checked: bool, toggle: Callable[[], None], summary: str = "", icon: str = ""
) -> View:
    return ui.switch_row(title, checked, toggle, summary=summary, icon=icon, accent=ACCENT)


def _open(ctx: Ctx, screen: Screen) -> Callable[[], None]:
    return lambda: ctx.push(screen)


# --- the home page ----------------------------------------------------------------------


class SettingsHome(SettingsScreen):
    activity = ".homepage.SettingsHomepageActivity"
    heading: ClassVar[str] = "Settings"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings
        entries: list[tuple[str, str, str, Callable[[], Screen]]] = [
            ("Network & internet", "Mobile, Wi-Fi, hotspot", "wifi", NetworkInternet),
            ("Connected devices", "Bluetooth, pairing", "bluetooth", ConnectedDevices),
            ("Apps", "Assistant, recent apps, default apps", "apps", lambda: Static.of("Apps")),
            (
                "Notifications",
                "Notification history, conversations",
                "bell",
                lambda: Static.of("Notifications"),
            ),
            ("Battery", "100%", "battery", lambda: Static.of("Battery")),
            ("Storage", "34% used - 84.5 GB free", "storage", lambda: Static.of("Storage")),
            (
                "Sound & vibration",
                "Volume, haptics, Do Not Disturb",
                "sound",
                lambda: Static.of("Sound & vibration"),
            ),
            ("Display", "Dark theme, font size, brightness", "brightness", Display),
            (
                "Wallpaper & style",
                "Colors, themed icons, app grid",
                "palette",
                lambda: Static.of("Wallpaper & style"),
            ),
            (
                "Accessibility",
                "Display, interaction, audio",
                "accessibility",
                lambda: Static.of("Accessibility"),
            ),
            (
                "Security & privacy",
                "App security, device lock, permissions",
                "shield",
                lambda: Static.of("Security & privacy"),
            ),
            (
                "Location",
                "On - 3 apps have access to location",
                "location",
                lambda: Static.of("Location"),
            ),
            (
                "Safety & emergency",
                "Emergency SOS, medical info, alerts",
                "emergency",
                lambda: Static.of("Safety & emergency"),
            ),
            (
                "Passwords & accounts",
                "Saved passwords, autofill, synced accounts",
                "key",
                lambda: Static.of("Passwords & accounts"),
            ),
            ("System", "Languages, gestures, time, backup", "system", lambda: Static.of("System")),
            ("About phone", s.device_name, "phone", AboutPhone),
        ]
        search = View(
            cls=FRAME,
            text="Search settings",
            rid="search_action_bar",
            h=150,
            bg=(232, 238, 247),
            radius=75,
            pad=(60, 0, 40, 0),
            icon="search",
            icon_fg=w.TEXT_2,
            icon_size=56,
            clickable=True,
            focusable=True,
            on_click=_open(ctx, SettingsSearch(focus="q", ime=True)),
            fg=w.TEXT_2,
            size=42,
        )
        rows: list[View] = [
            w.text("Settings", size=92, h=WRAP, pad=(60, 90, 60, 60), rid="homepage_title"),
            w.column(search, pad=(42, 0, 42, 40), h=WRAP),
        ]
        for title, summary, icon, factory in entries:
            rows.append(_row(title, summary, go=ctx.cb(ctx.push, factory()), icon=icon))
        return w.column(w.scroll_list(self, "list", rows, rid="recycler_view"), cls=FRAME, bg=BG)


# --- Network & internet ------------------------------------------------------------------


class NetworkInternet(SettingsScreen):
    heading: ClassVar[str] = "Network & internet"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings
        internet = s.wifi_network if s.wifi else "Off"
        if s.airplane_mode and not s.wifi:
            internet = "Airplane mode is on"

        def toggle_airplane() -> None:
            props.set_airplane(s, not s.airplane_mode)

        return self.page(
            ctx,
            [
                _row("Internet", internet, go=_open(ctx, Internet()), icon="wifi"),
                _row("Calls & SMS", "T-Mobile", icon="call"),
                _row("SIMs", "T-Mobile", icon="signal"),
                _switch("Airplane mode", s.airplane_mode, toggle_airplane, icon="airplane"),
                _row("Hotspot & tethering", "Off", icon="wifi"),
                _row("Data Saver", "Off", icon="download"),
                _row("VPN", "None", icon="key"),
                _row("Private DNS", "Automatic", icon="lock"),
            ],
        )


NETWORKS = ("AndroidWifi", "Home-5G", "CoffeeShop Guest", "NETGEAR-2G", "Library Public")


class Internet(SettingsScreen):
    heading: ClassVar[str] = "Internet"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings

        def toggle() -> None:
            s.wifi = not s.wifi

        rows = [_switch("Wi-Fi", s.wifi, toggle)]
        if s.wifi:
            for name in sorted(NETWORKS, key=lambda n: (n != s.wifi_network, n)):
                connected = name == s.wifi_network
                rows.append(
                    ui.list_row(
                        name,
                        "Connected" if connected else ("Saved" if name == "Home-5G" else ""),
                        icon="wifi",
                        icon_fg=ACCENT,
                        on_click=ctx.cb(self._join, ctx, name),
                        bold=connected,
                    )
                )
            rows.append(_row("Add network", icon="add"))
        else:
            rows.append(
                w.text(
                    "To see available networks, turn Wi-Fi on",
                    fg=w.TEXT_2,
                    size=40,
                    h=WRAP,
                    pad=(60, 40, 60, 40),
                    max_lines=3,
                )
            )
        rows += [
            _row("Network preferences", "Wi-Fi turns back on automatically"),
            _row("Saved networks", "2 networks"),
        ]
        return self.page(ctx, rows)

    def _join(self, ctx: Ctx, name: str) -> None:
        ctx.state.settings.wifi_network = name


# --- Connected devices -------------------------------------------------------------------


class ConnectedDevices(SettingsScreen):
    heading: ClassVar[str] = "Connected devices"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings
        return self.page(
            ctx,
            [
                _row(
                    "Pair new device",
                    go=_open(ctx, Bluetooth()) if s.bluetooth else None,
                    icon="add",
                ),
                ui.section("Other devices", accent=ACCENT),
                _row(
                    "Connection preferences",
                    "Bluetooth, Android Auto, NFC",
                    go=_open(ctx, ConnectionPreferences()),
                    icon="phone",
                ),
            ],
        )


class ConnectionPreferences(SettingsScreen):
    heading: ClassVar[str] = "Connection preferences"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings
        return self.page(
            ctx,
            [
                _row(
                    "Bluetooth",
                    "On" if s.bluetooth else "Off",
                    go=_open(ctx, Bluetooth()),
                    icon="bluetooth",
                ),
                _row("Cast", "Not connected", icon="phone"),
                _row("Printing", "1 print service on", icon="file"),
                _row("Android Auto", "Use apps on your car display", icon="location"),
                _row("Nearby Share", "Off", icon="forward"),
            ],
        )


class Bluetooth(SettingsScreen):
    heading: ClassVar[str] = "Bluetooth"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings

        def toggle() -> None:
            s.bluetooth = not s.bluetooth

        bar = w.row(
            w.text("Use Bluetooth", size=46, h=WRAP),
            w.switch(s.bluetooth, accent=ACCENT),
            h=190,
            pad=(60, 0, 48, 0),
            align="center",
            bg=w.tint(ACCENT, 0.8),
            radius=60,
            clickable=True,
            focusable=True,
            on_click=toggle,
            rid="main_switch_bar",
        )
        rows = [w.column(bar, pad=(36, 0, 36, 30), h=WRAP)]
        if s.bluetooth:
            rows.append(_row("Device name", s.device_name))
            rows.append(_row("Pair new device", icon="add"))
        else:
            rows.append(
                w.text(
                    "When Bluetooth is turned on, your device can communicate with "
                    "other nearby Bluetooth devices.",
                    fg=w.TEXT_2,
                    size=38,
                    h=WRAP,
                    max_lines=4,
                    pad=(60, 30, 60, 30),
                )
            )
        return self.page(ctx, rows)


# --- Display -----------------------------------------------------------------------------


class Display(SettingsScreen):
    heading: ClassVar[str] = "Display"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings

        def flip(attr: str) -> Callable[[], None]:
            return lambda: setattr(s, attr, not getattr(s, attr))

        return self.page(
            ctx,
            [
                ui.section("Brightness", accent=ACCENT),
                _row(
                    "Brightness level",
                    f"{s.brightness_percent}%",
                    go=_open(ctx, BrightnessDialog()),
                ),
                _switch(
                    "Adaptive brightness",
                    s.adaptive_brightness,
                    flip("adaptive_brightness"),
                    summary="Optimize brightness level for available light",
                ),
                ui.section("Lock display", accent=ACCENT),
                _row(
                    "Screen timeout",
                    f"After {timeout_label(s.screen_timeout_ms)} of inactivity",
                    go=_open(ctx, ScreenTimeout()),
                ),
                ui.section("Appearance", accent=ACCENT),
                _switch("Dark theme", s.dark_theme, flip("dark_theme")),
                _row("Font size", "Default"),
                _row("Display size", "Default"),
                ui.section("Other display controls", accent=ACCENT),
                _row("Auto-rotate screen", "Off"),
                _row("Screen saver", "Clock"),
            ],
        )


class BrightnessDialog(SettingsScreen):
    is_dialog = True
    heading: ClassVar[str] = "Brightness level"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings

        def seek(frac: float) -> None:
            s.brightness = round(frac * 255)

        bar = w.seekbar(
            s.brightness / 255, seek, desc="Display brightness", accent=ACCENT, rid="slider"
        )
        return ui.dialog(
            "Brightness level",
            message=f"{s.brightness_percent}%",
            body=[bar],
            buttons=[("Done", ctx.cb(ctx.pop))],
            accent=ACCENT,
        )


class ScreenTimeout(SettingsScreen):
    heading: ClassVar[str] = "Screen timeout"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings

        def pick(ms: int) -> Callable[[], None]:
            def go() -> None:
                s.screen_timeout_ms = ms

            return go

        rows = [
            w.radio(timeout_label(ms), s.screen_timeout_ms == ms, pick(ms), accent=ACCENT)
            for ms in SCREEN_TIMEOUTS_MS
        ]
        return self.page(ctx, rows)


# --- About phone -------------------------------------------------------------------------


class AboutPhone(SettingsScreen):
    heading: ClassVar[str] = "About phone"

    def build(self, ctx: Ctx) -> View:
        s = ctx.state.settings
        p = ctx.phone.props
        return self.page(
            ctx,
            [
                _row("Device name", s.device_name),
                _row("Phone number (sim slot 1)", "+1 650-555-0100"),
                ui.section("Device details", accent=ACCENT),
                _row("Model", p.get("ro.product.model", "")),
                _row(
                    "Android version",
                    p.get("ro.build.version.release", ""),
                    go=_open(ctx, AndroidVersion()),
                ),
                _row("IP address", "10.0.2.16" if s.wifi else "Unavailable"),
                _row("Wi-Fi MAC address", "02:00:00:44:55:66"),
                _row("Bluetooth address", "3c:28:6d:11:22:33" if s.bluetooth else "Unavailable"),
                _row("Build number", p.get("ro.build.display.id", "")),
            ],
        )


class AndroidVersion(SettingsScreen):
    heading: ClassVar[str] = "Android version"

    def build(self, ctx: Ctx) -> View:
        p = ctx.phone.props
        return self.page(
            ctx,
            [
                _row("Android version", p.get("ro.build.version.release", "")),
                _row("Android security update", "September 5, 2023"),
                _row("Google Play system update", "July 1, 2023"),
                _row("Kernel version", "5.10.157-android13-4"),
                _row("Build number", p.get("ro.build.display.id", "")),
            ],
        )


# --- pages the phone only shows ------------------------------------------------------------

STATIC_PAGES: dict[str, list[tuple[str, str]]] = {
    "Apps": [
        ("Recently opened apps", ""),
        ("See all apps", ""),
        ("Default apps", "Chrome"),
        ("Screen time", ""),
    ],
    "Notifications": [
        ("App notifications", ""),
        ("Notification history", ""),
        ("Conversations", "No priority conversations"),
    ],
    "Battery": [
        ("Battery Saver", "Off"),
        ("Adaptive Battery", "On"),
        ("Battery percentage", "Show battery percentage in status bar"),
    ],
    "Storage": [
        ("System", "14 GB"),
        ("Apps", "9.1 GB"),
        ("Images", "2.3 GB"),
        ("Documents & other", "1.1 GB"),
        ("Trash", "0 B"),
    ],
    "Sound & vibration": [
        ("Media volume", ""),
        ("Call volume", ""),
        ("Ring volume", ""),
        ("Do Not Disturb", "Off"),
        ("Phone ringtone", "The Big Adventure"),
    ],
    "Wallpaper & style": [("Wallpaper", ""), ("Themed icons", "Off"), ("App grid", "4x5")],
    "Accessibility": [
        ("TalkBack", "Off"),
        ("Select to Speak", "Off"),
        ("Display size and text", ""),
        ("Color and motion", ""),
    ],
    "Security & privacy": [
        ("App security", "Scanned recently"),
        ("Device unlock", "Screen lock"),
        ("Privacy", "Permissions, account activity"),
    ],
    "Location": [("Use location", "On"), ("Recent access", ""), ("App location permissions", "")],
    "Safety & emergency": [
        ("Emergency SOS", "Off"),
        ("Medical information", ""),
        ("Crisis alerts", "On"),
    ],
    "Passwords & accounts": [("Passwords", "Google"), ("Accounts", "No accounts added")],
    "System": [
        ("Languages & input", "Gboard"),
        ("Gestures", ""),
        ("Date & time", "GMT-07:00 Pacific Daylight Time"),
        ("Backup", "Off"),
        ("System update", "Updated to Android 13"),
        ("Reset options", ""),
    ],
}


class Static(SettingsScreen):
    """A page listed as on a device; its rows show information and do nothing."""

    name: str

    @classmethod
    def of(cls, name: str) -> Static:
        return cls(name=name)

    def title(self, ctx: Ctx) -> str:
        return self.name

    def build(self, ctx: Ctx) -> View:
        rows = [_row(t, s) for t, s in STATIC_PAGES.get(self.name, [])]
        return self.page(ctx, rows)


# --- search ------------------------------------------------------------------------------

SEARCH_INDEX: list[tuple[str, str, Callable[[], Screen]]] = [
    ("Wi-Fi", "Network & internet > Internet", Internet),
    ("Internet", "Network & internet", Internet),
    ("Airplane mode", "Network & internet", NetworkInternet),
    ("Network & internet", "Settings", NetworkInternet),
    ("Bluetooth", "Connected devices > Connection preferences", Bluetooth),
    ("Connected devices", "Settings", ConnectedDevices),
    ("Connection preferences", "Connected devices", ConnectionPreferences),
    ("Display", "Settings", Display),
    ("Brightness level", "Display", Display),
    ("Adaptive brightness", "Display", Display),
    ("Dark theme", "Display", Display),
    ("Screen timeout", "Display", ScreenTimeout),
    ("About phone", "Settings", AboutPhone),
    ("Android version", "About phone", AndroidVersion),
    ("Model", "About phone", AboutPhone),
    ("Build number", "About phone", AboutPhone),
]


class SettingsSearch(SettingsScreen):
    activity = ".search.SearchActivity"
    heading: ClassVar[str] = "Search"

    def build(self, ctx: Ctx) -> View:
        q = self.text("q").strip().casefold()
        field = w.edit_text(
            self,
            "q",
            "Search settings",
            rid="search_src_text",
            h=130,
            underline=True,
            accent=ACCENT,
        )
        bar = w.row(
            w.icon_button("back", "Navigate up", ctx.cb(ctx.pop)),
            field,
            h=190,
            pad=(16, 30, 36, 30),
            align="center",
            bg=BG,
        )
        rows: list[View] = []
        if q:
            for title, path, factory in SEARCH_INDEX:
                if q in title.casefold():
                    rows.append(ui.list_row(title, path, on_click=ctx.cb(ctx.push, factory())))
            if not rows:
                rows.append(ui.empty_state("No results"))
        return w.column(
            bar, w.scroll_list(self, "results", rows, rid="recycler_view"), cls=FRAME, bg=BG
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.ime = False


APP = App(
    package=PKG,
    label="Settings",
    icon="settings",
    color=(95, 99, 104),
    main=SettingsHome,
    launcher_activity=".Settings",
    activities={
        ".homepage.SettingsHomepageActivity": SettingsHome,
        ".Settings$NetworkDashboardActivity": NetworkInternet,
        ".Settings$NetworkProviderSettingsActivity": Internet,
        ".Settings$WifiSettingsActivity": Internet,
        ".Settings$ConnectedDeviceDashboardActivity": ConnectedDevices,
        ".Settings$BluetoothDashboardActivity": Bluetooth,
        ".Settings$DisplaySettingsActivity": Display,
        ".Settings$MyDeviceInfoActivity": AboutPhone,
    },
)
