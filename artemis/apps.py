"""The apps artemis knows: how each is named, its Android packages, and where it runs.

One table, read by every part that names apps: `open_app` resolution (`artemis.device.apps`),
the tip corpus's checks (`artemis.tips.apps`), the heuristic baseline's app choice, and the
SimWorld tasks. An app has a label (as on its launcher icon), candidate packages (preferred
first: the simulated phone's stock apps and their AOSP, Google and AndroidWorld counterparts
share names such as "Clock"), and other names people and models use for it.

`sim` marks the simulated phone's apps (their first package is the phone's); `androidworld`
is the package AndroidWorld's emulator image runs, for the 20 apps of its task suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Android's rule (PackageParser.validateName in AOSP): segments separated by dots, each
# starting with a letter, digits and underscores allowed after it; at least two segments.
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")


def is_package_name(text: str) -> bool:
    """Whether `text` is shaped like an Android package name: two or more dot-separated
    segments, each a letter then letters, digits or underscores."""
    return bool(_PACKAGE.fullmatch(text))


@dataclass(frozen=True, slots=True)
class App:
    label: str
    packages: tuple[str, ...]
    names: tuple[str, ...] = ()
    sim: bool = False
    androidworld: str | None = None

    @property
    def package(self) -> str:
        """The preferred package (the simulated phone's, for its apps)."""
        return self.packages[0]


APPS: tuple[App, ...] = (
    # The simulated phone's apps, with their AOSP / Google / AndroidWorld counterparts.
    App("Settings", ("com.android.settings",), ("system settings",), sim=True,
        androidworld="com.android.settings"),
    App("Contacts", ("com.android.contacts", "com.google.android.contacts"), sim=True,
        androidworld="com.google.android.contacts"),
    App("Clock", ("com.android.deskclock", "com.google.android.deskclock"), ("alarm", "alarms"),
        sim=True, androidworld="com.google.android.deskclock"),
    App("Markor", ("net.gsantner.markor",), ("notes",), sim=True,
        androidworld="net.gsantner.markor"),
    App("Messages", ("com.android.messaging", "com.google.android.apps.messaging"),
        ("messaging", "sms"), sim=True),
    App("Calendar", ("com.android.calendar", "com.google.android.calendar",
                     "com.simplemobiletools.calendar.pro"), sim=True),
    App("Files", ("com.android.documentsui", "com.google.android.documentsui"),
        ("file manager",), sim=True, androidworld="com.google.android.documentsui"),
    App("Pro Expense", ("com.arduia.expense",), ("pro expense app", "expenses", "expense"),
        sim=True, androidworld="com.arduia.expense"),
    App("Launcher", ("com.android.launcher3", "com.google.android.apps.nexuslauncher"),
        ("home",), sim=True),
    # AndroidWorld's apps and the Google apps its tasks mention.
    App("Chrome", ("com.android.chrome",), ("google chrome",), androidworld="com.android.chrome"),
    App("Google Chat", ("com.google.android.apps.dynamite",)),
    App("YouTube", ("com.google.android.youtube",), ("yt",)),
    App("Google Play", ("com.android.vending",), ("play store",)),
    App("Gmail", ("com.google.android.gm",), ("google mail",)),
    App("Google Maps", ("com.google.android.apps.maps",), ("maps", "gmaps")),
    App("Google Photos", ("com.google.android.apps.photos",), ("photos", "gphotos")),
    App("Google Calendar", ("com.google.android.calendar",), ("gcal",)),
    App("Camera", ("com.android.camera2",), androidworld="com.android.camera2"),
    App("Audio Recorder", ("com.dimowner.audiorecorder",),
        androidworld="com.dimowner.audiorecorder"),
    App("Google Drive", ("com.google.android.apps.docs",), ("drive", "gdrive")),
    App("Google Keep", ("com.google.android.keep",), ("keep",)),
    App("Google Docs", ("com.google.android.apps.docs.editors.docs",), ("docs",)),
    App("Google Sheets", ("com.google.android.apps.docs.editors.sheets",), ("sheets",)),
    App("Google Slides", ("com.google.android.apps.docs.editors.slides",), ("slides",)),
    App("Google Search", ("com.google.android.googlequicksearchbox",), ("google",)),
    App("Clipper", ("ca.zgrs.clipper",)),
    App("Simple SMS Messenger", ("com.simplemobiletools.smsmessenger",), ("simple sms",),
        androidworld="com.simplemobiletools.smsmessenger"),
    App("Phone", ("com.google.android.dialer", "com.android.dialer"), ("dialer",)),
    App("Simple Calendar Pro", ("com.simplemobiletools.calendar.pro",), ("simple calendar",),
        androidworld="com.simplemobiletools.calendar.pro"),
    App("Simple Gallery Pro", ("com.simplemobiletools.gallery.pro",),
        ("simple gallery", "gallery"), androidworld="com.simplemobiletools.gallery.pro"),
    App("Simple Draw Pro", ("com.simplemobiletools.draw.pro",), ("simple draw",),
        androidworld="com.simplemobiletools.draw.pro"),
    App("Broccoli", ("com.flauschcode.broccoli",), ("broccoli recipe app", "recipe app"),
        androidworld="com.flauschcode.broccoli"),
    App("OsmAnd", ("net.osmand",), androidworld="net.osmand"),
    App("Tasks", ("org.tasks",), ("tasks.org",), androidworld="org.tasks"),
    App("OpenTracks", ("de.dennisguse.opentracks",), ("open tracks", "activity tracker"),
        androidworld="de.dennisguse.opentracks"),
    App("Joplin", ("net.cozic.joplin",), androidworld="net.cozic.joplin"),
    App("VLC", ("org.videolan.vlc",), ("vlc player",), androidworld="org.videolan.vlc"),
    App("Retro Music", ("code.name.monkey.retromusic",), ("retro",),
        androidworld="code.name.monkey.retromusic"),
    App("MiniWoB", ("com.google.androidenv.miniwob",)),
    App("Android World", ("com.example.androidworld",)),
)  # fmt: skip

#: The simulated phone's apps: package -> label.
SIM_APPS: dict[str, str] = {a.package: a.label for a in APPS if a.sim}
#: The apps of AndroidWorld's task suite, by the package its emulator image runs: -> label.
ANDROIDWORLD_APPS: dict[str, str] = {a.androidworld: a.label for a in APPS if a.androidworld}
#: Every app a tip may name without a warning: package -> label.
KNOWN_APPS: dict[str, str] = {**SIM_APPS, **ANDROIDWORLD_APPS}
