"""`Phone`: the simulated Android phone behind the ADB server (`artemis.sim.contract.PhoneLike`).

It keeps the user's data (`state`), files (`fs`), the clock, and the tasks and back stacks of
its apps (`nav`). Every screenshot and every `uiautomator dump` comes from one frame: a view
tree built from that state, so the pixels and the XML always agree. Input (taps, swipes, text,
key events) is dispatched to the frame's views the way Android dispatches touches.

Everything is synchronous and in memory; callers serialise access (the ADB server holds a lock).
See `artemis.sim.input` for the keys it understands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from PIL import Image, ImageDraw

from artemis.png import encode_png
from artemis.sim import props
from artemis.sim import widgets as w
from artemis.sim.apps import APPS, launcher
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.contract import PhoneLike
from artemis.sim.frame import (
    SYSTEMUI,
    Frame,
    Window,
    decor,
    finish,
    lay,
    nav_bar,
    status_bar,
)
from artemis.sim.fs import SimFS
from artemis.sim.input import InputMixin
from artemis.sim.keyboard import IME_PACKAGE, KEYBOARD_H, KeyboardActions, build_keyboard
from artemis.sim.nav import LAUNCHER, Nav, Task
from artemis.sim.render import paint_into, render
from artemis.sim.screencap import encode_raw
from artemis.sim.seed import generate
from artemis.sim.simtime import Clock, ManualClock, fmt_clock
from artemis.sim.state import NOTES_DIR, PhoneState
from artemis.sim.uixml import dump
from artemis.sim.views import FRAME, WRAP, View, fingerprint

SNAPSHOT_VERSION = 1

#: Packages `pm list packages` lists besides the apps.
SYSTEM_PACKAGES = (
    "android",
    "com.android.systemui",
    LAUNCHER,
    IME_PACKAGE,
    "com.android.providers.settings",
    "com.android.providers.contacts",
    "com.android.providers.telephony",
    "com.android.shell",
    "com.android.phone",
)


class Phone(InputMixin):
    """A Pixel 6 on Android 13, 1080x2400, with a launcher and eight apps."""

    width = w.W
    height = w.H

    def __init__(self, seed: int = 0, *, clock: Clock | None = None) -> None:
        self.clock: Clock = clock if clock is not None else ManualClock()
        self.seed = seed
        self.state: PhoneState
        self.fs: SimFS
        self.nav: Nav
        self.props: dict[str, str]
        self.kb_shift = False
        self.kb_symbols = False
        #: A finger that is down and not yet lifted (`touch_down`): its view draws pressed.
        self.touch: tuple[int, int] | None = None
        self._png: tuple[tuple[object, ...], bytes] | None = None
        self._last_image: Image.Image | None = None
        self._thumbs: dict[str, Image.Image] = {}
        self.reset(seed)

    # --- apps ------------------------------------------------------------------------------
    @property
    def apps(self) -> dict[str, App]:
        return APPS

    def packages(self) -> list[str]:
        return sorted({*SYSTEM_PACKAGES, *APPS})

    def launch(self, package: str) -> bool:
        if package == LAUNCHER:
            self.nav.go_home()
            return True
        app = APPS.get(package)
        if app is None:
            return False
        self._hide_ime()
        task = self.nav.task(package)
        if task is not None:
            self.nav.bring_to_front(task)
        else:
            self.nav.start(package, app.main())
        return True

    def start_activity(self, package: str, activity: str) -> bool:
        if package == LAUNCHER and activity in (".Launcher", f"{LAUNCHER}.Launcher"):
            self.nav.go_home()
            return True
        app = APPS.get(package)
        if app is None:
            return False
        factory = app.activity_screen(activity)
        if factory is None:
            return False
        if factory is app.main:  # as `am start` does: an existing task comes to the front
            return self.launch(package)
        self._hide_ime()
        self.nav.start(package, factory())
        return True

    def force_stop(self, package: str) -> None:
        self.nav.remove(package)

    def foreground(self) -> tuple[str, str]:
        if self.nav.recents_open or self.nav.front == LAUNCHER:
            return (LAUNCHER, ".Launcher")
        top = self.nav.top()
        return (top.package, top.activity)

    # --- properties and settings -----------------------------------------------------------
    def getprop(self, name: str) -> str | None:
        return self.props.get(name)

    def all_props(self) -> dict[str, str]:
        return dict(self.props)

    def settings_get(self, namespace: str, key: str) -> str | None:
        """Raises ValueError for a namespace other than system, secure or global."""
        return props.settings_get(self.state.settings, namespace, key)

    def settings_put(self, namespace: str, key: str, value: str) -> None:
        props.settings_put(self.state.settings, namespace, key, value)

    def set_wifi(self, enabled: bool) -> None:
        self.state.settings.wifi = enabled

    def get_clipboard(self) -> str:
        return self.state.clipboard

    def set_clipboard(self, text: str) -> None:
        self.state.clipboard = text

    # --- frames ----------------------------------------------------------------------------
    def ctx(self, screen: Screen) -> Ctx:
        return Ctx(self, screen)

    def frame(self) -> Frame:
        """Build and lay out what is on screen now."""
        nav = self.nav
        page = nav.page()
        dlg = nav.dialog()
        top = nav.top()
        s = self.state.settings
        ime_up = bool(top.ime and top.focus and not top.focus.startswith("#"))
        content_bottom = w.NAV_TOP - KEYBOARD_H if ime_up else w.NAV_TOP
        app_bottom = content_bottom if dlg is None else w.NAV_TOP
        windows: list[Window] = []

        content = page.build(self.ctx(page))
        pkg = LAUNCHER if nav.recents_open else page.package
        windows.append(
            Window("app", pkg, lay(decor(content, pkg, app_bottom), (0, 0, w.W, w.H)), page)
        )
        if dlg is not None:
            windows.append(self._dialog_window(dlg, content_bottom))
        if ime_up and not self._focused_field_exists(windows[-1].root, top):
            top.clear_focus()
            return self.frame()
        if ime_up:
            actions = KeyboardActions(
                type_text=self._type_from_keyboard,
                backspace=lambda: self._edit_key(67),
                enter=lambda: self.keyevent(66),
                toggle_shift=self._toggle_shift,
                toggle_symbols=self._toggle_symbols,
            )
            field = self._focused_view(windows[-1].root, top)
            enter_icon = "enter" if field is not None and field.multiline else "check"
            kb = build_keyboard(w.W, self.kb_shift, self.kb_symbols, actions, enter_icon)
            windows.append(Window("ime", IME_PACKAGE, lay(kb, (0, content_bottom, w.W, w.NAV_TOP))))
        dark = nav.front == LAUNCHER or nav.recents_open
        sb = status_bar(fmt_clock(self.clock.now()), s.wifi, s.bluetooth, s.airplane_mode, dark)
        windows.append(Window("status", SYSTEMUI, lay(sb, (0, 0, w.W, w.STATUS_H))))
        nb = nav_bar(
            lambda: self.keyevent(4),
            lambda: self.keyevent(3),
            lambda: self.keyevent(187),
            ime_up,
            dark,
        )
        windows.append(Window("nav", SYSTEMUI, lay(nb, (0, w.NAV_TOP, w.W, w.H))))
        self._mark_focus_and_press(Frame(windows, ()))
        return finish(windows, (dark,))

    def thumbnail(self, task: Task) -> tuple[str, Image.Image]:
        """A task's screen as recents shows it: its top page, without system bars."""
        page = next((s for s in reversed(task.stack) if not s.is_dialog), task.stack[0])
        root = lay(decor(page.build(self.ctx(page)), page.package, w.NAV_TOP), (0, 0, w.W, w.H))
        key = hashlib.sha1(repr(fingerprint(root)).encode()).hexdigest()[:16]
        img = self._thumbs.get(key)
        if img is None:
            img = render(root, (w.W, w.H)).crop((0, w.STATUS_H, w.W, w.NAV_TOP))
            if len(self._thumbs) > 16:
                self._thumbs.clear()
            self._thumbs[key] = img
        return key, img

    def _dialog_window(self, dlg: Screen, bottom: int) -> Window:
        panel = dlg.build(self.ctx(dlg))
        if dlg.is_popup:
            panel.w = panel.w or 620
            panel.gravity = "top-end"
            panel.offset = (24, w.STATUS_H + 24)
            area = (0, 0, w.W, w.H)
        else:
            panel.w = w.W - 2 * 84
            panel.gravity = "center"
            area = (0, w.STATUS_H, w.W, bottom)
        if panel.h is None:
            panel.h = WRAP
        lay(View(cls=FRAME, layout="stack", children=[panel]), area)
        # The dialog's window is as big as its panel; the phone draws the scrim around it.
        box = panel.bounds
        panel.gravity, panel.offset = "", (0, 0)
        root = lay(View(cls=FRAME, layout="stack", children=[panel]), box)
        return Window("dialog", dlg.package, root, dlg, panel.bounds)

    @staticmethod
    def _focused_view(root: View, screen: Screen) -> View | None:
        return root.find(lambda v: v.kind == "edit" and v.field == screen.focus)

    def _focused_field_exists(self, root: View, screen: Screen) -> bool:
        return self._focused_view(root, screen) is not None

    def _mark_focus_and_press(self, frame: Frame) -> None:
        top = self.nav.top()
        if top.focus.startswith("#"):
            items = frame.focusables()
            idx = int(top.focus[1:])
            if 0 <= idx < len(items):
                items[idx].focused = True
        if self.touch is not None:
            target = self._target(frame, *self.touch, long=False)
            if target is not None and target[1] is not None:
                target[1].pressed = True

    # --- screen ----------------------------------------------------------------------------
    def _encoded(self) -> tuple[Image.Image, bytes]:
        frame = self.frame()
        if self._png is not None and self._last_image is not None and self._png[0] == frame.key:
            return self._last_image, self._png[1]
        img = render(frame.windows[0].root, (w.W, w.H), (255, 255, 255))
        for win in frame.windows[1:]:
            if win.name == "dialog" and not (win.screen and win.screen.is_popup):
                ImageDraw.Draw(img, "RGBA").rectangle((0, 0, w.W, w.H), fill=(0, 0, 0, 100))
            paint_into(img, win.root)
        png = encode_png(img)
        self._png = (frame.key, png)
        self._last_image = img
        return img, png

    def screencap_png(self) -> bytes:
        return self._encoded()[1]

    def screenshot(self) -> Image.Image:
        """The current screen as a Pillow image (for tests and demos)."""
        return self._encoded()[0].copy()

    def screencap_raw(self) -> bytes:
        return encode_raw(self._encoded()[0])

    def ui_xml(self) -> str:
        active = self.frame().active
        return dump(active.root, active.package)

    # --- state -----------------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        if seed is not None:
            self.seed = seed
        state, fs = generate(self.seed, self.clock.now())
        # Keep the objects others hold (the ADB server keeps `phone.fs`); swap their contents.
        if hasattr(self, "fs"):
            self.fs.root = fs.root
        else:
            self.fs = fs
        if hasattr(self, "state"):
            for name in PhoneState.model_fields:
                setattr(self.state, name, getattr(state, name))
        else:
            self.state = state
        self.props = props.build_props(self.seed)
        self.nav = Nav(launcher.LauncherHome(), launcher.Recents())
        self.kb_shift = False
        self.kb_symbols = False
        self.touch = None
        self._png = None

    def snapshot(self) -> dict[str, object]:
        return {
            "version": SNAPSHOT_VERSION,
            "seed": self.seed,
            "clock": self.clock.now().isoformat(),
            "state": self.state.model_dump(mode="json"),
            "fs": self.fs.snapshot(),
            "nav": self.nav.dump(),
            "keyboard": {"shift": self.kb_shift, "symbols": self.kb_symbols},
            "props": dict(self.props),
        }

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any], *, clock: Clock | None = None) -> Phone:
        """A phone identical to the one `snapshot()` was taken of (the same screen, pixel for
        pixel).

        With no clock given, a manual clock starts at the snapshot's time.
        """
        if not isinstance(snap, dict) or snap.get("version") != SNAPSHOT_VERSION:
            version = snap.get("version") if isinstance(snap, dict) else None
            raise ValueError(f"unsupported phone snapshot version {version!r}")
        try:
            if clock is None:
                clock = ManualClock(dt.datetime.fromisoformat(str(snap["clock"])))
            phone = cls(int(snap["seed"]), clock=clock)
            phone.state = PhoneState.model_validate(snap["state"])
            phone.fs = SimFS.from_snapshot(snap["fs"])
            phone.nav = Nav.load(snap["nav"])
            kb = snap.get("keyboard", {})
            phone.kb_shift = bool(kb.get("shift", False))
            phone.kb_symbols = bool(kb.get("symbols", False))
            phone.props = {str(k): str(v) for k, v in dict(snap.get("props", phone.props)).items()}
        except (KeyError, TypeError, ValueError, AssertionError, AttributeError) as e:
            raise ValueError(f"malformed phone snapshot: {type(e).__name__}: {e}") from e
        return phone

    # --- conveniences for tests, task set-ups and checkers --------------------------------------
    def find(
        self,
        text: str | None = None,
        *,
        desc: str | None = None,
        rid: str | None = None,
        cls: str | None = None,
        contains: str | None = None,
    ) -> View | None:
        """The first visible view of the active window that matches every criterion given.

        `rid` matches a full id or its part after ":id/"; `contains` matches text or
        content-desc case-insensitively.
        """

        def ok(v: View) -> bool:
            if not v.visible:
                return False
            if text is not None and v.text != text:
                return False
            if desc is not None and v.desc != desc:
                return False
            if rid is not None and not (v.rid == rid or v.rid.endswith(":id/" + rid)):
                return False
            if cls is not None and v.cls != cls:
                return False
            if contains is not None:
                needle = contains.casefold()
                if needle not in v.text.casefold() and needle not in v.desc.casefold():
                    return False
            return True

        return self.frame().active.root.find(ok)

    def tap_on(self, text: str | None = None, **criteria: str) -> None:
        """Tap the centre of the view `find` returns; LookupError when there is none."""
        view = self.find(text, **criteria)
        if view is None:
            wanted = ", ".join(f"{k}={v!r}" for k, v in {"text": text, **criteria}.items() if v)
            raise LookupError(f"nothing on screen matches {wanted}")
        x1, y1, x2, y2 = view.clip
        self.tap((x1 + x2) // 2, (y1 + y2) // 2)

    def notes(self) -> dict[str, str]:
        """Markor's notes: path relative to the notebook folder -> text."""
        out: dict[str, str] = {}

        def walk(path: str, rel: str) -> None:
            for e in self.fs.listdir(path):
                sub, name = f"{path}/{e.name}", f"{rel}{e.name}"
                if e.is_dir:
                    walk(sub, name + "/")
                else:
                    out[name] = e.data.decode("utf-8", errors="replace")

        if self.fs.is_dir(NOTES_DIR):
            walk(NOTES_DIR, "")
        return out

    def file_paths(self, root: str = "/sdcard") -> list[str]:
        """Every file (not folder) under `root`, sorted."""
        out: list[str] = []

        def walk(path: str) -> None:
            for e in self.fs.listdir(path):
                sub = f"{path.rstrip('/')}/{e.name}"
                if e.is_dir:
                    walk(sub)
                else:
                    out.append(sub)

        if self.fs.is_dir(root):
            walk(root)
        return sorted(out)

    def state_digest(self) -> str:
        """A short hash of the whole snapshot: equal digests, equal phones."""
        blob = json.dumps(self.snapshot(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _satisfies_contract(p: Phone) -> PhoneLike:
    """Never called: mypy checks here that `Phone` satisfies `PhoneLike`."""
    return p
