"""`AdbDevice`: the production `Device`, over any route to adbd (`artemis.device.link`).

The route is the link's: adbd directly over TCP or USB (no `adb` binary involved), or a running
adb server's host protocol.
Every command line is built here from quoted words (`artemis.device.text`); nothing a model
wrote reaches the device shell unquoted.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar

from artemis.actions import (
    Action,
    Answer,
    ClearText,
    DoubleTap,
    Finish,
    Key,
    LongPress,
    Note,
    OpenApp,
    Press,
    Scroll,
    Swipe,
    Tap,
    Target,
    TypeText,
    Wait,
)
from artemis.config import DeviceSettings
from artemis.device.apps import resolve_app
from artemis.device.base import DeviceInfo, ForegroundApp
from artemis.device.gestures import check_point, region_around, resolve_target, scroll_swipe
from artemis.device.link import Link, ShellResult, Sleep
from artemis.device.parsing import parse_foreground, parse_packages, parse_wm_size
from artemis.device.screenshot import (
    Shot,
    blank_png,
    png_complete,
    png_shot,
    raw_complete,
    raw_shot,
)
from artemis.device.text import (
    CLIPPER_OK,
    adb_keyboard_command,
    clipper_set_command,
    command,
    input_text_commands,
    paste_command,
    typeable,
)
from artemis.device.uiautomator import extract_xml, parse_ui_xml
from artemis.errors import (
    DeviceCommandError,
    DeviceConnectionError,
    DeviceError,
    DeviceTimeoutError,
    UIDumpError,
    UnknownAppError,
)
from artemis.observation import Observation, Rect, UIElement, UITree

log = logging.getLogger(__name__)

KEYCODES: dict[str, int] = {
    "home": 3,
    "back": 4,
    "enter": 66,
    "delete": 67,
    "menu": 82,
    "app_switch": 187,
}
KEYCODE_DEL = 67
KEYCODE_MOVE_END = 123
UIDUMP_PATH = "/sdcard/window_dump.xml"
#: DEL presses when clearing a field whose text is unknown.
CLEAR_UNKNOWN = 80
SCROLL_MS = 400
ScreenshotMethod = Literal["png", "raw"]
SignalMethod = Literal["frame", "ui"]
SIGNAL_METHODS: tuple[SignalMethod, ...] = ("frame", "ui")
#: How many times `auto` times each signal method before it chooses.
SIGNAL_TRIALS = 2
#: The frame's hash, computed on the device: 32 hex digits cross the link, not 10 MB.
FRAME_HASH = "screencap | md5sum"
#: How fingerprints of the UI dump begin; a dump that failed gives one that matches nothing.
UI_SIGNAL = "ui:"
UNSETTLED_SIGNAL = "ui:unsettled:"


class AdbDevice:
    """An Android device over ADB. Build it with `artemis.device.connect.open_device`."""

    def __init__(
        self,
        connection: Link,
        settings: DeviceSettings | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.conn = connection
        self.settings = settings or DeviceSettings()
        self._sleep = sleep
        self._size: tuple[int, int] | None = None
        self._packages: list[str] | None = None
        choice = self.settings.screenshot
        self.screenshot_method: ScreenshotMethod | None = None if choice == "auto" else choice
        #: Seconds each method took when `auto` measured them.
        self.screenshot_timings: dict[str, float] = {}
        signal = self.settings.settle_signal
        if signal == "auto" and self.settings.settle_quiet_dump:
            signal = "ui"  # one dump settles the screen, and the observation reuses it
        self.signal_method: SignalMethod | None = signal if signal in ("frame", "ui") else None
        self.signal_timings: dict[str, float] = {}
        #: The fingerprint and the dump of the last poll that read the UI dump.
        self._last_dump: tuple[str, str] | None = None

    @property
    def address(self) -> str:
        return self.conn.address

    @property
    def route(self) -> str:
        """How the device is reached: "direct", "adb server" or "usb"."""
        return self.conn.route

    # --- plumbing --------------------------------------------------------------------------
    async def shell(self, cmd: str, *, timeout_s: float | None = None) -> ShellResult:
        """Run a command line (already quoted) and return output and exit status."""
        return await self.conn.shell(cmd, timeout_s=timeout_s)

    async def _run(self, cmd: str) -> ShellResult:
        return await self.conn.shell(cmd, check=True)

    async def close(self) -> None:
        await self.conn.close()

    # --- observing ---------------------------------------------------------------------------
    async def screen_signal(self) -> str:
        """A cheap fingerprint of what the screen shows, for waiting until it settles: the
        hash of the frame (computed on the device) or of the UI dump. `auto` takes the UI
        dump's where one dump settles the screen (`settle_quiet_dump`: the frame's would
        need two polls and then the dump as well), else whichever it measured faster;
        without `md5sum` on the device, the UI dump's. A dump that fails (an animating
        screen) gives a fingerprint that matches nothing."""
        method = self.signal_method
        if method is None:
            return await self._choose_signal()
        got = await self._signal(method)
        if got is None:  # no md5sum after all: the UI dump it is
            self.signal_method = "ui"
            got = await self._signal("ui")
        assert got is not None
        return got

    async def _choose_signal(self) -> str:
        """Time each method `SIGNAL_TRIALS` times, in turn, and keep the one with the better
        best time: one timing alone is at the mercy of whatever else the device (or, for a
        simulated phone, this machine) was busy with. Returns the chosen method's last
        fingerprint."""
        found: dict[SignalMethod, str] = {}
        missing: set[SignalMethod] = set()
        for _ in range(SIGNAL_TRIALS):
            for name in SIGNAL_METHODS:
                if name in missing:
                    continue
                start = time.perf_counter()
                got = await self._signal(name)
                took = time.perf_counter() - start
                if got is None:
                    missing.add(name)
                    continue
                found[name] = got
                self.signal_timings[name] = min(self.signal_timings.get(name, took), took)
        best = min(found, key=lambda m: self.signal_timings[m])
        self.signal_method = best
        log.info(
            "%s: settling polls the %s (best of %d: %s)",
            self.address,
            best,
            SIGNAL_TRIALS,
            ", ".join(f"{m} {1000 * t:.1f} ms" for m, t in self.signal_timings.items()),
        )
        return found[best]

    async def _signal(self, method: SignalMethod) -> str | None:
        if method == "frame":
            result = await self.shell(FRAME_HASH)
            digest = result.text.split(" ", 1)[0].strip()
            ok = result.exit_code == 0 and len(digest) == 32
            return f"frame:{digest}" if ok else None
        cmd = f"rm -f {UIDUMP_PATH}; uiautomator dump {UIDUMP_PATH} >/dev/null && cat {UIDUMP_PATH}"
        result = await self.conn.shell(cmd, timeout_s=self.settings.uidump_timeout_s)
        xml = extract_xml(result.text)
        if xml is None:
            return f"{UNSETTLED_SIGNAL}{time.perf_counter_ns()}"
        signal = UI_SIGNAL + hashlib.sha1(xml.encode("utf-8", "replace")).hexdigest()
        self._last_dump = (signal, xml)
        return signal

    def read_quiet(self, signal: str) -> bool:
        """Whether `signal` was read from a screen that had been still for a while: a UI
        dump's, as `uiautomator dump` waits for a second without accessibility events before
        it reads the tree (and fails with `could not get idle state` when none comes). Settling
        takes such a fingerprint as stable at once (`settle_quiet_dump`)."""
        return (
            self.settings.settle_quiet_dump
            and signal.startswith(UI_SIGNAL)
            and not signal.startswith(UNSETTLED_SIGNAL)
        )

    async def observe(self, *, with_ui: bool = True) -> Observation:
        """Screenshot, UI tree and foreground app: asked for together when the link runs calls
        side by side (`Link.parallel`), else in turn (a failure then stops the rest)."""
        return await self._observe(self.ui_tree if with_ui else _none)

    async def observe_polled(self, signal: str) -> Observation:
        """`observe`, taking the UI tree from the settling poll that returned `signal` when
        that poll read the UI dump: a screen that has not changed since is not dumped twice
        (on a phone, `uiautomator dump` is the slowest part of an observation)."""
        dump = self._last_dump
        if dump is None or dump[0] != signal:
            return await self.observe()
        xml = dump[1]

        async def polled() -> UITree | None:
            try:
                return parse_ui_xml(xml)
            except UIDumpError:
                return await self.ui_tree()

        return await self._observe(polled)

    async def _observe(self, ui_tree: Callable[[], Awaitable[UITree | None]]) -> Observation:
        if self.conn.parallel > 1:
            shot, ui, fg = await _together(self.screenshot(), ui_tree(), self.current_app())
        else:
            shot = await self.screenshot()
            ui = await ui_tree()
            fg = await self.current_app()
        return Observation(
            shot.png, shot.width, shot.height, ui, fg.package, fg.activity, blank=shot.blank
        )

    async def screenshot(self) -> Shot:
        """The screen as PNG. `auto` times both methods once and keeps the faster.

        A screen that cannot be captured (FLAG_SECURE: all black, or no output at all) is a
        `blank` shot with a black placeholder of the screen's size. An empty answer is asked
        for once more first: through the adb server, a device that dropped before sending
        anything answers nothing too.
        """
        shot = await self._capture()
        if not shot.png:
            shot = await self._capture()
        if not shot.png:
            width, height = await self.screen_size()
            shot = Shot(blank_png(width, height), width, height, blank=True)
        elif shot.blank:
            log.info("%s: the screenshot is all black (a FLAG_SECURE window?)", self.address)
        self._size = (shot.width, shot.height)
        return shot

    async def _capture(self) -> Shot:
        method = self.screenshot_method
        if method is None:
            return await self._measure_screenshots()
        return await (self._screenshot_png() if method == "png" else self._screenshot_raw())

    async def _measure_screenshots(self) -> Shot:
        results: dict[str, Shot] = {}
        errors: dict[str, DeviceError] = {}
        for name, fn in (("png", self._screenshot_png), ("raw", self._screenshot_raw)):
            start = time.perf_counter()
            try:
                results[name] = await fn()
            except (DeviceTimeoutError, DeviceConnectionError):
                raise
            except DeviceError as exc:  # this method does not work here: try the other
                errors[name] = exc
                continue
            self.screenshot_timings[name] = time.perf_counter() - start
        if not results:
            raise errors["png"]
        if not any(shot.png for shot in results.values()):
            return results.get("png") or results["raw"]  # nothing captured: measure next time
        best: ScreenshotMethod = min(
            ("png", "raw"),
            key=lambda m: self.screenshot_timings[m] if m in results and results[m].png else 1e9,
        )
        self.screenshot_method = best
        log.info(
            "%s: screenshots by %s (%s)",
            self.address,
            best,
            ", ".join(f"{m} {1000 * t:.1f} ms" for m, t in self.screenshot_timings.items()),
        )
        return results[best]

    async def _screenshot_png(self) -> Shot:
        data = await self.conn.exec_out("screencap -p", complete=png_complete)
        return await asyncio.to_thread(png_shot, data)

    async def _screenshot_raw(self) -> Shot:
        raw = await self.conn.exec_out("screencap", complete=raw_complete)
        return await asyncio.to_thread(raw_shot, raw)

    async def ui_tree(self) -> UITree | None:
        """The accessibility tree, or None when uiautomator cannot give one.

        `could not get idle state` (an animating screen) and other failures are retried with
        backoff, `device.uidump_retries` times; a dump that hangs past its deadline is not.
        """
        cmd = f"rm -f {UIDUMP_PATH}; uiautomator dump {UIDUMP_PATH} && cat {UIDUMP_PATH}"
        attempts = self.settings.uidump_retries + 1
        last = ""
        for attempt in range(attempts):
            if attempt:
                await self._sleep(min(0.5 * 2 ** (attempt - 1), 4.0))
            try:
                result = await self.conn.shell(cmd, timeout_s=self.settings.uidump_timeout_s)
            except DeviceTimeoutError as exc:
                log.warning("%s: UI dump timed out: %s", self.address, exc)
                return None
            xml = extract_xml(result.text)
            if xml is None:
                last = result.text.strip()[:200]
                continue
            try:
                return parse_ui_xml(xml)
            except UIDumpError as exc:
                last = str(exc)
        log.warning("%s: no UI tree after %d attempts: %s", self.address, attempts, last)
        return None

    async def current_app(self) -> ForegroundApp:
        # The section headers come along, so that the LAST ANR section can be left out.
        result = await self.shell(
            "dumpsys window | grep -E '^WINDOW MANAGER |^Last ANR|mCurrentFocus|mFocusedApp'"
        )
        if result.exit_code == 127:  # no grep on this device: read it all
            result = await self.shell("dumpsys window")
        fg = parse_foreground(result.text)
        if fg is None:
            result = await self.shell("dumpsys activity activities")
            fg = parse_foreground(result.text)
        return fg or ForegroundApp(None, None)

    async def screen_size(self) -> tuple[int, int]:
        """The last screenshot's size, else `wm size` (an override size wins)."""
        if self._size is None:
            result = await self._run("wm size")
            size = parse_wm_size(result.text)
            if size is None:
                raise DeviceCommandError(f"cannot read the screen size from {result.text!r}")
            self._size = size
        return self._size

    async def packages(self, *, refresh: bool = False) -> list[str]:
        if self._packages is None or refresh:
            result = await self.shell("cmd package list packages")
            names = parse_packages(result.text) if result.exit_code == 0 else []
            if not names:
                names = parse_packages((await self._run("pm list packages")).text)
            self._packages = names
        return self._packages

    async def info(self) -> DeviceInfo:
        props = (
            "getprop ro.product.model; getprop ro.build.version.release; "
            "getprop ro.build.version.sdk"
        )
        lines = (await self._run(props)).text.split("\n")
        model, release, sdk = [*lines, "", "", ""][:3]
        width, height = await self.screen_size()
        return DeviceInfo(
            address=self.address,
            model=model.strip(),
            android_version=release.strip(),
            sdk=int(sdk) if sdk.strip().isdigit() else None,
            width=width,
            height=height,
        )

    # --- acting ------------------------------------------------------------------------------
    async def tap(self, x: int, y: int) -> None:
        await self._run(command("input", "tap", x, y))

    async def double_tap(self, x: int, y: int) -> None:
        tap = command("input", "tap", x, y)
        await self._run(f"{tap} && {tap}")

    async def long_press(self, x: int, y: int, duration_ms: int = 800) -> None:
        await self.swipe(x, y, x, y, duration_ms)

    async def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> None:
        await self._run(command("input", "swipe", x1, y1, x2, y2, duration_ms))

    async def press(self, key: Key) -> None:
        await self._run(command("input", "keyevent", KEYCODES[key]))

    async def type_text(self, text: str) -> None:
        """Type into the focused field: `input text` for printable ASCII, else the fallback."""
        # A NUL would end the command line early on the device (adbd reads a C string).
        text = text.replace("\0", "")
        if not text:
            return
        if typeable(text):
            await self._run(" && ".join(input_text_commands(text)))
        elif self.settings.text_fallback == "adbkeyboard":
            await self._run(adb_keyboard_command(text))
        else:
            result = await self._run(clipper_set_command(text))
            if CLIPPER_OK not in result.text:
                raise DeviceCommandError(
                    "typing non-ASCII text needs the Clipper app (ca.zgrs.clipper) on the device; "
                    "or install ADB Keyboard and set device.text_fallback = 'adbkeyboard'",
                    command="am broadcast -a clipper.set",
                    output=result.text,
                )
            await self._run(paste_command())

    async def clear_text(self, element: UIElement | None = None) -> None:
        """Clear the focused field: cursor to the end, then one DEL per character."""
        count = len(element.text) if element is not None else CLEAR_UNKNOWN
        codes = [KEYCODE_MOVE_END, *([KEYCODE_DEL] * max(count, 1))]
        await self._run(command("input", "keyevent", *codes))

    async def scroll(self, direction: Literal["up", "down", "left", "right"], region: Rect) -> None:
        x1, y1, x2, y2 = scroll_swipe(direction, region)
        await self.swipe(x1, y1, x2, y2, SCROLL_MS)

    async def open_app(self, app: str) -> str:
        try:
            package = resolve_app(app, await self.packages())
        except UnknownAppError:
            package = resolve_app(app, await self.packages(refresh=True))
        result = await self.shell(
            command("monkey", "-p", package, "-c", "android.intent.category.LAUNCHER", "1")
        )
        if "Events injected: 1" not in result.text:
            raise DeviceCommandError(
                f"could not open {package}: {result.text.strip()[-300:]}",
                command="monkey",
                exit_code=result.exit_code,
                output=result.text,
            )
        return package

    async def execute(self, action: Action, *, ui: tuple[UIElement, ...] | None = None) -> None:
        match action:
            case Note() | Answer() | Finish():
                return
            case Tap(target=t):
                (x, y), _ = await self._resolve(t, ui)
                await self.tap(x, y)
            case DoubleTap(target=t):
                (x, y), _ = await self._resolve(t, ui)
                await self.double_tap(x, y)
            case LongPress(target=t, duration_ms=d):
                (x, y), _ = await self._resolve(t, ui)
                await self.long_press(x, y, d)
            case Swipe(start=s, end=e, duration_ms=d):
                size = await self.screen_size()
                x1, y1 = check_point(s.x, s.y, size)
                x2, y2 = check_point(e.x, e.y, size)
                await self.swipe(x1, y1, x2, y2, d)
            case Scroll(direction=direction, anchor=anchor):
                await self.scroll(direction, await self._scroll_region(anchor, ui))
            case TypeText(text=text, target=t, clear_first=clear, submit=submit):
                element = await self._focus(t, ui)
                if clear:
                    await self.clear_text(element)
                await self.type_text(text)
                if submit:
                    await self.press("enter")
            case ClearText(target=t):
                await self.clear_text(await self._focus(t, ui))
            case Press(key=key):
                await self.press(key)
            case OpenApp(app=app):
                await self.open_app(app)
            case Wait(seconds=seconds):
                await self._sleep(seconds)
            case _:  # pragma: no cover - the union is closed
                raise AssertionError(f"unhandled action {action!r}")

    async def _resolve(
        self, target: Target, ui: tuple[UIElement, ...] | None
    ) -> tuple[tuple[int, int], UIElement | None]:
        return resolve_target(target, ui, await self.screen_size())

    async def _focus(
        self, target: Target | None, ui: tuple[UIElement, ...] | None
    ) -> UIElement | None:
        """Tap `target` when given; the element that will take the text, when known."""
        if target is not None:
            (x, y), element = await self._resolve(target, ui)
            await self.tap(x, y)
            if element is not None or ui is None:
                return element
            hits = [e for e in ui if e.editable and e.bounds.contains(x, y)]
            return min(hits, key=lambda e: e.bounds.area) if hits else None
        if ui is None:
            return None
        return next((e for e in ui if e.editable and e.focused), None)

    async def _scroll_region(self, anchor: Target | None, ui: tuple[UIElement, ...] | None) -> Rect:
        width, height = await self.screen_size()
        if anchor is None:
            return Rect(0, 0, width, height)
        (x, y), element = await self._resolve(anchor, ui)
        if element is not None:
            return element.bounds
        return region_around(x, y, width, height)


A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


async def _none() -> None:
    return None


async def _together(a: Awaitable[A], b: Awaitable[B], c: Awaitable[C]) -> tuple[A, B, C]:
    """All three results; when one fails, the others are let finish (a call cut off mid-way
    would leave the link in an unknown state) and the first failure is raised as it is."""
    got = await asyncio.gather(a, b, c, return_exceptions=True)
    for item in got:
        if isinstance(item, BaseException):
            raise item
    return got[0], got[1], got[2]  # type: ignore[return-value]
