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
