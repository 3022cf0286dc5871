"""App names to packages: the label table and the resolution `open_app` uses.

A name resolves, in order: to itself when it is an installed package; through the label table
to the first of its candidate packages that is installed (the simulated phone's stock apps
and AndroidWorld's apps share names such as "Clock" and "Contacts"); to the one installed
package whose last component is the name ("markor" -> net.gsantner.markor). Otherwise it is
an `UnknownAppError` that suggests close names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import process

from artemis.device.parsing import is_package_name
from artemis.errors import UnknownAppError

# label (lower case) -> candidate packages, preferred first
_TABLE: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    # The simulated phone's apps (and their AOSP / AndroidWorld counterparts).
    (("settings", "system settings"), ("com.android.settings",)),
    (("contacts",), ("com.android.contacts", "com.google.android.contacts")),
    (("clock", "alarm", "alarms"), ("com.android.deskclock", "com.google.android.deskclock")),
    (("markor", "notes"), ("net.gsantner.markor",)),
    (
        ("messages", "messaging", "sms"),
        ("com.android.messaging", "com.google.android.apps.messaging"),
    ),
    (
        ("calendar",),
        (
            "com.android.calendar",
            "com.google.android.calendar",
            "com.simplemobiletools.calendar.pro",
        ),
    ),
    (("files", "file manager"), ("com.android.documentsui", "com.google.android.documentsui")),
    (("pro expense", "pro expense app", "expenses", "expense"), ("com.arduia.expense",)),
    (("launcher", "home"), ("com.android.launcher3", "com.google.android.apps.nexuslauncher")),
    # AndroidWorld's apps.
    (("chrome", "google chrome"), ("com.android.chrome",)),
    (("google chat",), ("com.google.android.apps.dynamite",)),
    (("youtube", "yt"), ("com.google.android.youtube",)),
    (("google play", "play store"), ("com.android.vending",)),
    (("gmail", "google mail"), ("com.google.android.gm",)),
    (("google maps", "maps", "gmaps"), ("com.google.android.apps.maps",)),
    (("google photos", "photos", "gphotos"), ("com.google.android.apps.photos",)),
    (("google calendar", "gcal"), ("com.google.android.calendar",)),
    (("camera",), ("com.android.camera2",)),
    (("audio recorder",), ("com.dimowner.audiorecorder",)),
    (("google drive", "drive", "gdrive"), ("com.google.android.apps.docs",)),
    (("google keep", "keep"), ("com.google.android.keep",)),
    (("google docs", "docs"), ("com.google.android.apps.docs.editors.docs",)),
    (("google sheets", "sheets"), ("com.google.android.apps.docs.editors.sheets",)),
    (("google slides", "slides"), ("com.google.android.apps.docs.editors.slides",)),
    (("google search", "google"), ("com.google.android.googlequicksearchbox",)),
    (("clipper",), ("ca.zgrs.clipper",)),
    (("simple sms messenger", "simple sms"), ("com.simplemobiletools.smsmessenger",)),
    (("dialer", "phone"), ("com.google.android.dialer", "com.android.dialer")),
    (("simple calendar pro", "simple calendar"), ("com.simplemobiletools.calendar.pro",)),
    (("simple gallery pro", "simple gallery", "gallery"), ("com.simplemobiletools.gallery.pro",)),
    (("simple draw pro", "simple draw"), ("com.simplemobiletools.draw.pro",)),
    (("broccoli", "broccoli recipe app", "recipe app"), ("com.flauschcode.broccoli",)),
    (("osmand",), ("net.osmand",)),
    (("tasks", "tasks.org"), ("org.tasks",)),
    (("opentracks", "open tracks", "activity tracker"), ("de.dennisguse.opentracks",)),
    (("joplin",), ("net.cozic.joplin",)),
    (("vlc", "vlc player"), ("org.videolan.vlc",)),
    (("retro music", "retro"), ("code.name.monkey.retromusic",)),
    (("miniwob",), ("com.google.androidenv.miniwob",)),
    (("android world",), ("com.example.androidworld",)),
]

LABELS: dict[str, tuple[str, ...]] = {
    name: packages for names, packages in _TABLE for name in names
}


def normalize(name: str) -> str:
    """Lower case, one space between words, no surrounding punctuation ("Pro Expense!")."""
    words = re.findall(r"[\w.]+", name.lower())
    return " ".join(words).strip(".")


def resolve_app(name: str, installed: Sequence[str]) -> str:
    """The installed package `name` refers to; `UnknownAppError` when there is none."""
    have = set(installed)
    clean = name.strip()
    if is_package_name(clean):
        if clean in have:
            return clean
        raise UnknownAppError(f"package {clean!r} is not installed on the device")
    key = normalize(clean)
    for package in LABELS.get(key, ()):
        if package in have:
            return package
    compact = key.replace(" ", "")
    tail = [p for p in installed if p.rsplit(".", 1)[-1].lower() == compact]
    if len(tail) == 1:
        return tail[0]
    raise UnknownAppError(_unknown_message(name, have))


def _unknown_message(name: str, installed: set[str]) -> str:
    labels = [label for label, pkgs in LABELS.items() if any(p in installed for p in pkgs)]
    near = process.extract(normalize(name), labels, limit=3, score_cutoff=60)
    hint = f"; did you mean {', '.join(repr(m[0]) for m in near)}?" if near else ""
    return f"no installed app is called {name!r}{hint}"
