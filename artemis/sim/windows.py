"""The simulated phone's window manager: what `dumpsys window|activity` print, and which
windows cannot be captured.

Real devices give clients a few surprises that the sim reproduces:

- **FLAG_SECURE.** An app that sets it on its windows (banking, passwords) cannot be captured:
  `screencap` gives an all-black frame (the default here) or, on some builds, no output at
  all. The accessibility tree is not affected. `secure(package)` marks an app.
- **The last ANR.** After an app stops responding, `dumpsys window` *starts* with a
  `WINDOW MANAGER LAST ANR` section, a snapshot of the windows at that moment, focus included.
  Since Android 12 it ends with `Last ANR continued` and a copy of the DISPLAY CONTENTS section
  (header and all). The live sections follow. `record_anr(package, activity)` leaves one.
- **Old Android.** Before Android 4.2 (SDK 17) there were no users, so records read
  `Window{41f0a3c8 com.pkg/com.pkg.Act paused=false}`, with no `u0`. The format follows the
  phone's `ro.build.version.sdk`.

The shapes follow published `dumpsys window` output (the device layer's parser tests name the
sources).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Literal

from artemis.sim.contract import PhoneLike

CaptureMode = Literal["black", "empty"]
NO_ANR = "  <no ANR has occurred since boot>\n"
HEADERS = {
    "lastanr": "WINDOW MANAGER LAST ANR (dumpsys window lastanr)",
    "policy": "WINDOW MANAGER POLICY STATE (dumpsys window policy)",
    "displays": "WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)",
    "windows": "WINDOW MANAGER WINDOWS (dumpsys window windows)",
}


def _hash(text: str) -> str:
    return f"{zlib.crc32(text.encode()) & 0xFFFFFFF:07x}"


def full_activity(package: str, activity: str) -> str:
    return package + activity if activity.startswith(".") else activity


def short_component(package: str, activity: str) -> str:
    """`pkg/.Act` when the activity lives in the package, as Android prints components."""
    full = full_activity(package, activity)
    if full.startswith(package + "."):
        return f"{package}/{full[len(package) :]}"
    return f"{package}/{full}"


@dataclass(frozen=True, slots=True)
class _Records:
    """How one activity is named in dumps on one Android version."""

    window: str
    activity: str
    focused_app: str

    @classmethod
    def of(cls, package: str, activity: str, sdk: int) -> _Records:
        full = f"{package}/{full_activity(package, activity)}"
        short = short_component(package, activity)
        if sdk < 17:  # no users yet: no `u0`, and the window says whether it is paused
            rec = f"ActivityRecord{{{_hash(short)} {short}}}"
            return cls(
                window=f"Window{{{_hash(full)} {full} paused=false}}",
                activity=rec,
                focused_app=f"AppWindowToken{{{_hash(rec)} token=Token{{{_hash(full)} {rec}}}}}",
            )
        rec = f"ActivityRecord{{{_hash(short)} u0 {short} t12}}"
        return cls(window=f"Window{{{_hash(full)} u0 {full}}}", activity=rec, focused_app=rec)


@dataclass
class WindowManager:
    """Window state that lives outside the apps: secure windows, the last ANR."""

    secure_packages: set[str] = field(default_factory=set)
    capture: CaptureMode = "black"
    last_anr: tuple[str, str, str] | None = None  # package, activity, reason

    def secure(self, package: str, on: bool = True) -> None:
        """`package`'s windows set FLAG_SECURE (or no longer do)."""
        if on:
            self.secure_packages.add(package)
        else:
            self.secure_packages.discard(package)

    def is_secure(self, package: str) -> bool:
        return package in self.secure_packages

    def record_anr(
        self, package: str, activity: str, reason: str = "Input dispatching timed out"
    ) -> None:
        """Leave a LAST ANR snapshot naming `package` as it was focused then."""
        self.last_anr = (package, activity, reason)

    # --- dumpsys --------------------------------------------------------------------------
    def dumpsys_window(self, phone: PhoneLike, section: str | None = None) -> str:
        """`dumpsys window [lastanr|policy|displays|windows]`; other sections print nothing."""
        sdk = _sdk(phone)
        package, activity = phone.foreground()
        parts = {
            "lastanr": lambda: self._last_anr(sdk),
            "policy": lambda: "    mSafeMode=false mSystemReady=true mSystemBooted=true\n",
            "displays": lambda: _displays(package, activity, sdk),
            "windows": lambda: _windows(package, activity, sdk),
        }
        names = list(parts) if section is None else [section] if section in parts else []
        return "".join(f"{HEADERS[name]}\n{parts[name]()}" for name in names)

    def _last_anr(self, sdk: int) -> str:
        if self.last_anr is None:
            return NO_ANR
        package, activity, reason = self.last_anr
        rec = _Records.of(package, activity, sdk)
        out = (
            "  ANR time: 14 Mar 2024 09:41:07\n"
            f"  Application at fault: {rec.activity}\n"
            f"  Reason: {reason}\n\n" + _windows(package, activity, sdk)
        )
        if sdk >= 31:
            out += f"\nLast ANR continued\n{HEADERS['displays']}\n" + _displays(
                package, activity, sdk
            )
        return out

    def dumpsys_activities(self, phone: PhoneLike) -> str:
        """`dumpsys activity activities`: the resumed activity, named as the version does."""
        sdk = _sdk(phone)
        package, activity = phone.foreground()
        rec = _Records.of(package, activity, sdk).activity
        if sdk >= 31:
            resumed = f"  ResumedActivity: {rec}\n\n  topResumedActivity={rec}\n"
        elif sdk >= 29:
            resumed = f"  mResumedActivity: {rec}\n  topResumedActivity={rec}\n"
        else:
            resumed = f"  mResumedActivity: {rec}\n"
        return (
            "ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)\n"
            "Display #0 (activities from top to bottom):\n"
            f"  * Task{{{_hash(package)} #12 type=standard A=10090:{package} U=0 visible=true "
            "visibleRequested=true mode=fullscreen translucent=false sz=1}\n"
            "    mLastPausedActivity: null\n"
            f"    * Hist  #0: {rec}\n"
            f"      packageName={package} processName={package}\n"
            "\n" + resumed + f"  mFocusedApp={rec}\n"
        )


def _sdk(phone: PhoneLike) -> int:
    text = phone.getprop("ro.build.version.sdk") or ""
    return int(text) if text.isdigit() else 33


def _displays(package: str, activity: str, sdk: int) -> str:
    rec = _Records.of(package, activity, sdk)
    out = (
        "  Display: mDisplayId=0 rootTasks=3\n"
        "    init=1080x2400 420dpi cur=1080x2400 app=1080x2337\n"
    )
    if sdk >= 29:  # the focus moved into each display's dump in Android 10
        out += f"  mCurrentFocus={rec.window}\n  mFocusedApp={rec.focused_app}\n"
    return out


def _windows(package: str, activity: str, sdk: int) -> str:
    rec = _Records.of(package, activity, sdk)
    status_bar = "Window{1a2b3c4 StatusBar}" if sdk < 17 else "Window{1a2b3c4 u0 StatusBar}"
    return (
        f"  Window #0 {rec.window}:\n"
        "    mDisplayId=0 rootTaskId=12 mSession=Session{5b4c3d2 1234:u0a10090}"
        " mClient=android.os.BinderProxy@8f7e6d5\n"
        f"    mOwnerUid=10090 showForAllUsers=false package={package} appop=NONE\n"
        "    mAttrs={(0,0)(fillxfill) sim=adjust_pan ty=BASE_APPLICATION fmt=TRANSPARENT}\n"
        f"  Window #1 {status_bar}:\n"
        "    mDisplayId=0 rootTaskId=1 mSession=Session{9e8d7c6 987:u0a10110}\n"
        "\n"
        "  mGlobalConfiguration={1.0 ?mcc?mnc [en_US] ldltr sw411dp w411dp h914dp 420dpi"
        " nrml long port}\n"
        "  mHasPermanentDpad=false\n"
        "  mTopFocusedDisplayId=0\n"
        f"  mInputMethodTarget in display# 0 {rec.window}\n"
    ) + (
        # Before Android 10 the focus closed this section; since, each display's dump has it.
        f"  mCurrentFocus={rec.window}\n  mFocusedApp={rec.focused_app}\n" if sdk < 29 else ""
    )
