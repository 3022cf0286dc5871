from __future__ import annotations

import pytest

from artemis.device.base import ForegroundApp
from artemis.device.parsing import parse_foreground, parse_packages, parse_wm_size

# Lines as `dumpsys window` / `dumpsys activity activities` print them on each version.
ANDROID_9_WINDOW = """
  mCurrentFocus=Window{8a1b2c3 u0 com.android.chrome/org.chromium.chrome.browser.ChromeTabbedActivity}
  mFocusedApp=AppWindowToken{1d2e3f4 token=Token{5a6b7c8 ActivityRecord{9d0e1f2 u0 com.android.chrome/org.chromium.chrome.browser.ChromeTabbedActivity t42}}}
"""  # noqa: E501
ANDROID_9_ACTIVITIES = """
    mResumedActivity: ActivityRecord{9d0e1f2 u0 com.android.chrome/org.chromium.chrome.browser.ChromeTabbedActivity t42}
"""  # noqa: E501
ANDROID_10_ACTIVITIES = """
ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)
Display #0 (activities from top to bottom):
  Stack #12: type=standard mode=fullscreen
    mResumedActivity: ActivityRecord{3c4d5e6 u0 com.google.android.deskclock/com.android.deskclock.DeskClock t12}
  topResumedActivity=ActivityRecord{3c4d5e6 u0 com.google.android.deskclock/com.android.deskclock.DeskClock t12}
"""  # noqa: E501
ANDROID_12_ACTIVITIES = """
  * Task{2b3c4d5 #23 type=standard A=10123:com.android.settings U=0 visible=true mode=fullscreen}
  ResumedActivity: ActivityRecord{7f8e9d0 u0 com.android.settings/.SubSettings t23}
"""
ANDROID_13_WINDOW_NULL_FOCUS = """
  mCurrentFocus=null
  mFocusedApp=ActivityRecord{7f8e9d0 u0 net.gsantner.markor/.activity.MainActivity t31}
"""
STATUS_BAR_FOCUS = """
  mCurrentFocus=Window{1a2b3c4 u0 NotificationShade}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ANDROID_9_WINDOW,
            ("com.android.chrome", "org.chromium.chrome.browser.ChromeTabbedActivity"),
        ),
        (
            ANDROID_9_ACTIVITIES,
            ("com.android.chrome", "org.chromium.chrome.browser.ChromeTabbedActivity"),
        ),
        (
            ANDROID_10_ACTIVITIES,
            ("com.google.android.deskclock", "com.android.deskclock.DeskClock"),
        ),
        (ANDROID_12_ACTIVITIES, ("com.android.settings", "com.android.settings.SubSettings")),
        (
            ANDROID_13_WINDOW_NULL_FOCUS,
            ("net.gsantner.markor", "net.gsantner.markor.activity.MainActivity"),
        ),
    ],
    ids=["android9-window", "android9-activities", "android10", "android12", "null-focus"],
)
def test_foreground_across_android_versions(text: str, expected: tuple[str, str]) -> None:
    assert parse_foreground(text) == ForegroundApp(*expected)


def test_top_resumed_wins_over_paused_stack_records() -> None:
    text = (
        "    mResumedActivity: ActivityRecord{1 u0 com.old/.Old t1}\n"
        "  topResumedActivity=ActivityRecord{2 u0 com.new/.New t2}\n"
    )
    assert parse_foreground(text) == ForegroundApp("com.new", "com.new.New")


def test_focus_on_a_system_window_is_not_an_app() -> None:
    assert parse_foreground(STATUS_BAR_FOCUS) is None
    assert parse_foreground("") is None


def test_activity_names_with_dollar_signs() -> None:
    text = "  mCurrentFocus=Window{a u0 com.discord/com.discord.app.AppActivity$Main}"
    assert parse_foreground(text) == ForegroundApp(
        "com.discord", "com.discord.app.AppActivity$Main"
    )


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Physical size: 1080x2400\n", (1080, 2400)),
        ("Physical size: 1080x2400\nOverride size: 720x1600\n", (720, 1600)),
        ("Physical size: 1440x3120\r\n", (1440, 3120)),
        ("garbage", None),
    ],
)
def test_wm_size_honours_override(text: str, size: tuple[int, int] | None) -> None:
    assert parse_wm_size(text) == size


def test_package_lists() -> None:
    text = (
        "package:com.android.settings\npackage:/data/app/x/base.apk=net.gsantner.markor\n"
        "junk\npackage:not a package\n"
    )
    assert parse_packages(text) == ["com.android.settings", "net.gsantner.markor"]


# Android 4.1 and earlier had no users, so records carry no `u0`. From appium/appium-adb
# @9ee5b9251fb15cc2c0ae3e86b6d1659d6aa576cf:test/unit/apk-utils-specs.js (its fixture of an old
# device's `dumpsys window windows`).
OLD_ANDROID_WINDOW = (
    "mCurrentFocus=Window{4330b6c0 com.android.settings/com.android.settings.SubSettings "
    "paused=false}"
)
OLD_ANDROID_FOCUSED_APP = (
    "  mFocusedApp=AppWindowToken{41f4ff58 token=Token{41b8b8b0 "
    "ActivityRecord{41d2f8b8 com.android.launcher/com.android.launcher2.Launcher}}}"
)


def test_foreground_on_old_android_without_the_user_prefix() -> None:
    assert parse_foreground(OLD_ANDROID_WINDOW) == ForegroundApp(
        "com.android.settings", "com.android.settings.SubSettings"
    )
    assert parse_foreground(OLD_ANDROID_FOCUSED_APP) == ForegroundApp(
        "com.android.launcher", "com.android.launcher2.Launcher"
    )


# `dumpsys window` after an ANR, as published parser tests record it from Android 14 devices:
# the LAST ANR section comes first with the focus of that moment, then `Last ANR continued` and
# a copy of DISPLAY CONTENTS, header included; the live sections follow. Android writes the
# snapshot in WindowManagerService.saveANRStateLocked, which AnrController.dumpAnrStateAsync
# calls (aosp-mirror/platform_frameworks_base@22d35f5ab502ee50ad7dc25597c21f7cc5951f55:
# services/core/java/com/android/server/wm/AnrController.java).
AFTER_AN_ANR = """\
WINDOW MANAGER LAST ANR (dumpsys window lastanr)
  ANR time: 28 Sep 2026 19:58:10
  Application at fault: ActivityRecord{1b2c3d4 u0 com.instagram.android/.activity.MainTabActivity t42}
  Reason: Input dispatching timed out
  mCurrentFocus=Window{9f8e7d6 u0 com.instagram.android/com.instagram.android.activity.MainTabActivity}

Last ANR continued
WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)
  Display: mDisplayId=0 rootTasks=2
  mCurrentFocus=Window{9f8e7d6 u0 com.instagram.android/com.instagram.android.activity.MainTabActivity}
  mFocusedApp=ActivityRecord{1b2c3d4 u0 com.instagram.android/.activity.MainTabActivity t42}

WINDOW MANAGER POLICY STATE (dumpsys window policy)
    isKeyguardShowing=false
WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)
  Display: mDisplayId=0 rootTasks=2
  mCurrentFocus=Window{1a2b3c4 u0 com.google.android.apps.nexuslauncher/com.google.android.apps.nexuslauncher.NexusLauncherActivity}
  mFocusedApp=ActivityRecord{5e6f7a8 u0 com.google.android.apps.nexuslauncher/.NexusLauncherActivity t1}
WINDOW MANAGER WINDOWS (dumpsys window windows)
"""  # noqa: E501
LAUNCHER = ForegroundApp(
    "com.google.android.apps.nexuslauncher",
    "com.google.android.apps.nexuslauncher.NexusLauncherActivity",
)


def test_the_last_anr_snapshot_is_not_the_foreground() -> None:
    assert parse_foreground(AFTER_AN_ANR) == LAUNCHER
    # The same through `grep -E '^WINDOW MANAGER |^Last ANR|mCurrentFocus|mFocusedApp'`.
    kept = [
        line
        for line in AFTER_AN_ANR.splitlines()
        if line.startswith(("WINDOW MANAGER ", "Last ANR"))
        or "mCurrentFocus" in line
        or "mFocusedApp" in line
    ]
    assert parse_foreground("\n".join(kept)) == LAUNCHER


def test_an_anr_snapshot_without_its_continuation_ends_at_the_next_section() -> None:
    # Before Android 12 the snapshot had no copy of DISPLAY CONTENTS.
    start = AFTER_AN_ANR.index("Last ANR continued")
    end = AFTER_AN_ANR.index("WINDOW MANAGER POLICY")
    before_12 = AFTER_AN_ANR[:start] + AFTER_AN_ANR[end:]
    assert "Last ANR" not in before_12.split("(dumpsys window lastanr)")[1]
    assert parse_foreground(before_12) == LAUNCHER


def test_an_anr_dialog_in_focus_leaves_the_app_behind_it() -> None:
    text = (
        "  mCurrentFocus=Window{c343781 u0 Application Not Responding: com.example.app}\n"
        "  mFocusedApp=ActivityRecord{e4594ea u0 com.example.app/.MainActivity t10}\n"
    )
    assert parse_foreground(text) == ForegroundApp(
        "com.example.app", "com.example.app.MainActivity"
    )
