"""Parsers for what Android's tools print: the foreground app, `wm size`, package lists."""

from __future__ import annotations

import re

from artemis.apps import is_package_name
from artemis.device.base import ForegroundApp

# `u0 com.pkg/.Act` inside Window{...} or ActivityRecord{...}, on every Android version.
_COMPONENT = re.compile(r"u\d+\s+([\w.]+)/([\w.$]+)")
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


def parse_foreground(text: str) -> ForegroundApp | None:
    """The foreground app from `dumpsys window` and/or `dumpsys activity activities` output.

    `mCurrentFocus` wins; it may be `null` or a window that is not an activity (the status
    bar, a popup), and then the focused or resumed activity records answer.
    """
    lines = text.splitlines()
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
