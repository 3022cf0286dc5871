"""The apps artemis knows by package name: the simulated phone's and AndroidWorld's.

A tip for a package outside this table is accepted with a warning (a user may well write tips
for an app of their own); a string that cannot be an Android package name is rejected.
"""

from __future__ import annotations

import re

from artemis.tips.base import GENERAL_APP

SIM_APPS: dict[str, str] = {
    "com.android.settings": "Settings",
    "com.android.contacts": "Contacts",
    "com.android.deskclock": "Clock",
    "net.gsantner.markor": "Markor",
    "com.android.messaging": "Messages",
    "com.android.calendar": "Calendar",
    "com.android.documentsui": "Files",
    "com.arduia.expense": "Pro Expense",
    "com.android.launcher3": "Launcher",
}

# The 20 apps of AndroidWorld's task suite, by the package its emulator image runs.
ANDROIDWORLD_APPS: dict[str, str] = {
    "com.android.settings": "Settings",
    "com.google.android.contacts": "Contacts",
    "com.google.android.deskclock": "Clock",
    "net.gsantner.markor": "Markor",
    "com.simplemobiletools.calendar.pro": "Simple Calendar Pro",
    "com.simplemobiletools.smsmessenger": "Simple SMS Messenger",
    "com.google.android.documentsui": "Files",
    "com.arduia.expense": "Pro Expense",
    "com.flauschcode.broccoli": "Broccoli",
    "org.tasks": "Tasks",
    "com.dimowner.audiorecorder": "Audio Recorder",
    "com.android.camera2": "Camera",
    "com.android.chrome": "Chrome",
    "net.osmand": "OsmAnd",
    "org.videolan.vlc": "VLC",
    "code.name.monkey.retromusic": "Retro Music",
    "net.cozic.joplin": "Joplin",
    "com.simplemobiletools.gallery.pro": "Simple Gallery Pro",
    "com.simplemobiletools.draw.pro": "Simple Draw Pro",
    "de.dennisguse.opentracks": "OpenTracks",
}

KNOWN_APPS: dict[str, str] = {**SIM_APPS, **ANDROIDWORLD_APPS}

_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")


def is_package_name(app: str) -> bool:
    """Whether `app` is shaped like an Android package name (or is the general key '*')."""
    return app == GENERAL_APP or bool(_PACKAGE.match(app))


def is_known_app(app: str) -> bool:
    return app == GENERAL_APP or app in KNOWN_APPS
