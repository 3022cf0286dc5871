"""Parsers for what Android's tools print: the foreground app, `wm size`, package lists."""

from __future__ import annotations

import re

from artemis.apps import is_package_name
from artemis.device.base import ForegroundApp

# `com.pkg/.Act` inside Window{...} or ActivityRecord{...}: after the user (`u0 `) on Android
# 4.2 and later, straight after the record's hex id before that (no users yet).
_COMPONENT = re.compile(r"(?:^|[\s{])(?:u\d+\s+)?([A-Za-z][\w]*(?:\.[\w]+)+)/([\w.$]+)")
#: `dumpsys window` section headers, e.g. `WINDOW MANAGER WINDOWS (dumpsys window windows)`.
_SECTION = "WINDOW MANAGER "
_LAST_ANR = "WINDOW MANAGER LAST ANR"
_ANR_CONTINUED = "Last ANR continued"
#: Lines that name the foreground, most telling first.
_FOREGROUND_KEYS = (
    "mCurrentFocus",  # dumpsys window
    "mFocusedApp",  # dumpsys window
    "topResumedActivity",  # dumpsys activity activities, Android 10+
    "ResumedActivity",  # Android 12+
    "mResumedActivity",  # Android 9 and earlier
)
_SIZE = re.compile(r"(Physical|Override) size:\s*(\d+)\s*x\s*(\d+)")


def full_activity(package: str, activity: str) -> str:
    """`.Settings` of `com.android.settings` is `com.android.settings.Settings`."""
    return package + activity if activity.startswith(".") else activity


def without_last_anr(lines: list[str]) -> list[str]:
    """`dumpsys window` without its LAST ANR section, a snapshot of the windows when the last
    ANR happened: it comes first and holds the focus of that moment. Since Android 12 the
    snapshot ends with `Last ANR continued` and a copy of the DISPLAY CONTENTS section, header
    included, so the section runs to the second header after that line."""
    out: list[str] = []
    in_anr = continued = False
    for line in lines:
        head = line.strip()
        if head.startswith(_LAST_ANR):
            in_anr, continued = True, False
            continue
        if in_anr:
            if head.startswith(_ANR_CONTINUED):
                continued = True
                continue
            if not head.startswith(_SECTION):
                continue
            if continued:  # the snapshot's copy of a live section's header
                continued = False
                continue
            in_anr = False
        out.append(line)
    return out


def parse_foreground(text: str) -> ForegroundApp | None:
    """The foreground app from `dumpsys window` and/or `dumpsys activity activities` output.

    `mCurrentFocus` wins; it may be `null` or a window that is not an activity (the status
    bar, a popup, an "Application Not Responding" dialog), and then the focused or resumed
    activity records answer. The LAST ANR section of `dumpsys window` is left out.
    """
    lines = without_last_anr(text.splitlines())
    for key in _FOREGROUND_KEYS:
        pattern = re.compile(rf"(?<![\w]){re.escape(key)}[=:]")
        for line in lines:
            if not pattern.search(line):
                continue
            m = _COMPONENT.search(line)
            if m is not None:
                package, activity = m.group(1), m.group(2)
                return ForegroundApp(package, full_activity(package, activity))
    return None


def parse_wm_size(text: str) -> tuple[int, int] | None:
    """`wm size` output as (width, height); an override size wins over the physical one."""
    sizes = {kind: (int(w), int(h)) for kind, w, h in _SIZE.findall(text)}
    return sizes.get("Override") or sizes.get("Physical")


def parse_packages(text: str) -> list[str]:
    """`cmd package list packages` / `pm list packages`: lines of `package:NAME`."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("package:"):
            name = line[len("package:") :]
            # `pm list packages -f` prints package:/path/base.apk=NAME
            name = name.rsplit("=", 1)[-1]
            if is_package_name(name):
                out.append(name)
    return out
