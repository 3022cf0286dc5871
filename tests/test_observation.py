"""Observation helpers: element lookup by index and by point."""

from __future__ import annotations

import pytest

from artemis.errors import TargetError
from artemis.observation import Observation, Rect, UIElement, element_at, screen_text

UI = (
    UIElement(0, Rect(0, 0, 1080, 2400), class_name="android.widget.FrameLayout"),
    UIElement(1, Rect(0, 200, 1080, 400), text="Wi-Fi", clickable=True, depth=1),
    UIElement(
        2,
        Rect(900, 250, 1050, 350),
        checkable=True,
        checked=False,
        depth=2,
        resource_id="android:id/switch_widget",
    ),
    UIElement(3, Rect(0, 400, 1080, 600), text="Bluetooth", depth=1),
)


def test_element_at_prefers_the_smallest_interactive_element() -> None:
    assert element_at(UI, 950, 300) == UI[2]
    assert element_at(UI, 100, 300) == UI[1]
    assert element_at(UI, 100, 500) == UI[3]
    assert element_at(UI, 5000, 5000) is None


def test_rect_edges_follow_android_exclusive_right_and_bottom() -> None:
    r = Rect(0, 0, 10, 10)
    assert r.contains(0, 0) and r.contains(9, 9) and not r.contains(10, 5)


def test_element_by_index_errors_are_recoverable_target_errors() -> None:
    obs = Observation(b"", 1080, 2400, ui=UI)
    assert obs.element(1).text == "Wi-Fi"
    with pytest.raises(TargetError, match="4 elements"):
        obs.element(4)
    with pytest.raises(TargetError, match="no UI tree"):
        Observation(b"", 1080, 2400).element(0)


def test_describe_and_screen_text() -> None:
    assert UI[1].describe() == '[1] View "Wi-Fi" (clickable) @(540,300)'
    assert UI[2].describe().startswith('[2] View "switch_widget" (unchecked)')
    assert screen_text(UI) == "Wi-Fi | Bluetooth"
