"""Our actions to android_world's JSONAction fields, and their State to our Observation."""

from __future__ import annotations

import io
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from PIL import Image

from artemis.actions import (
    Action,
    Answer,
    ClearText,
    DoubleTap,
    ElementTarget,
    Finish,
    LongPress,
    Note,
    OpenApp,
    PointTarget,
    Press,
    Scroll,
    Swipe,
    Tap,
    TypeText,
    Wait,
)
from artemis.bench.androidworld.convert import (
    Foreground,
    HoldCommand,
    JsonCommand,
    KeyCommand,
    describe_command,
    package_from_elements,
    state_to_observation,
    swipe_direction,
    to_env_commands,
    ui_elements,
)
from artemis.errors import ActionError, TargetError
from artemis.observation import Rect, UIElement

P = PointTarget
E = ElementTarget


def fields(action: Action, ui: tuple[UIElement, ...] | None = None) -> list[dict[str, Any]]:
    out = []
    for cmd in to_env_commands(action, ui):
        assert isinstance(cmd, JsonCommand)
        out.append(dict(cmd.fields))
    return out


def el(index: int, box: tuple[int, int, int, int], **kw: Any) -> UIElement:
    return UIElement(index=index, bounds=Rect(*box), **kw)


UI = (
    el(0, (0, 0, 1080, 2400)),
    el(1, (0, 300, 1080, 2000), scrollable=True),
    el(2, (100, 400, 500, 500), text="Row", clickable=True),
    el(3, (0, 2000, 1080, 2400), scrollable=True),
)


@pytest.mark.parametrize(
    ("action", "want"),
    [
        (Tap(target=E(index=2)), {"action_type": "click", "index": 2}),
        (Tap(target=P(x=10, y=20)), {"action_type": "click", "x": 10, "y": 20}),
        (DoubleTap(target=E(index=3)), {"action_type": "double_tap", "index": 3}),
        (DoubleTap(target=P(x=5, y=6)), {"action_type": "double_tap", "x": 5, "y": 6}),
        (LongPress(target=E(index=1), duration_ms=1000), {"action_type": "long_press", "index": 1}),
        (
            LongPress(target=P(x=7, y=8), duration_ms=1000),
            {"action_type": "long_press", "x": 7, "y": 8},
        ),
        (OpenApp(app="Contacts"), {"action_type": "open_app", "app_name": "Contacts"}),
        (Press(key="back"), {"action_type": "navigate_back"}),
        (Press(key="home"), {"action_type": "navigate_home"}),
        (Press(key="enter"), {"action_type": "keyboard_enter"}),
        (Answer(text="42"), {"action_type": "answer", "text": "42"}),
        (Finish(status="success"), {"action_type": "status", "goal_status": "complete"}),
        (Finish(status="infeasible"), {"action_type": "status", "goal_status": "infeasible"}),
        (Finish(status="failure"), {"action_type": "status", "goal_status": "infeasible"}),
    ],
)
def test_one_to_one_actions(action: Action, want: dict[str, Any]) -> None:
    assert fields(action) == [want]


@pytest.mark.parametrize("ms", [500, 800, 2500])
def test_a_long_press_of_another_length_keeps_its_duration(ms: int) -> None:
    # Their `long_press` always holds 1000 ms (`input swipe x y x y 1000`); other lengths go
    # through adb with the same gesture, at the element's centre for an element target.
    assert to_env_commands(LongPress(target=P(x=7, y=8), duration_ms=ms)) == (
        HoldCommand(7, 8, ms),
    )
    (hold,) = to_env_commands(LongPress(target=E(index=2), duration_ms=ms), UI)
    assert hold == HoldCommand(300, 450, ms)
    assert hold.adb_args() == ["shell", "input", "swipe", "300", "450", "300", "450", str(ms)]
    with pytest.raises(TargetError, match="no UI tree"):
        to_env_commands(LongPress(target=E(index=2), duration_ms=ms))


def test_targets_are_index_or_point_never_both() -> None:
    for action in (Tap(target=E(index=2)), TypeText(text="a", target=E(index=2))):
        (f,) = fields(action)
        assert "index" in f and "x" not in f and "y" not in f
    for action in (Tap(target=P(x=1, y=2)), TypeText(text="a", target=P(x=1, y=2))):
        (f,) = fields(action)
        assert "index" not in f and (f["x"], f["y"]) == (1, 2)


def test_an_index_beyond_the_observed_screen_is_a_target_error() -> None:
    with pytest.raises(TargetError, match="#9 does not exist"):
        to_env_commands(Tap(target=E(index=9)), UI)
    assert fields(Tap(target=E(index=9))) == [{"action_type": "click", "index": 9}]  # no ui


def test_type_becomes_input_text_with_target_and_clear_flag() -> None:
    assert fields(TypeText(text="Ada", target=E(index=2), clear_first=True)) == [
        {"action_type": "input_text", "text": "Ada", "clear_text": True, "index": 2}
    ]
    assert fields(TypeText(text="x y", target=P(x=3, y=4))) == [
        {"action_type": "input_text", "text": "x y", "clear_text": False, "x": 3, "y": 4}
    ]
    assert fields(TypeText(text="focused")) == [
        {"action_type": "input_text", "text": "focused", "clear_text": False}
    ]


@pytest.mark.parametrize("direction", ["up", "down", "left", "right"])
def test_scroll_keeps_its_direction_they_mean_the_same(direction: str) -> None:
    # ours: "down" reveals what is below; theirs: `scroll down` swipes the finger up.
    assert fields(Scroll(direction=direction)) == [
        {"action_type": "scroll", "direction": direction}
    ]


def test_scroll_anchor_becomes_an_index() -> None:
    assert fields(Scroll(direction="down", anchor=E(index=3)), UI) == [
        {"action_type": "scroll", "direction": "down", "index": 3}
    ]
    # A point inside the list and inside a row scrolls the list (the scrollable one).
    assert fields(Scroll(direction="up", anchor=P(x=200, y=450)), UI) == [
        {"action_type": "scroll", "direction": "up", "index": 1}
    ]
    # Without a tree a point cannot be resolved: the whole screen scrolls.
    assert fields(Scroll(direction="up", anchor=P(x=200, y=450))) == [
        {"action_type": "scroll", "direction": "up"}
    ]


@pytest.mark.parametrize(
    ("start", "end", "theirs"),
    [
        ((540, 1800), (540, 600), "up"),  # finger up (our scroll down)
        ((540, 600), (540, 1800), "down"),  # finger down
        ((900, 1200), (100, 1200), "right"),  # finger left: their "right" goes right-to-left
        ((100, 1200), (900, 1200), "left"),  # finger right: their "left" goes left-to-right
        ((500, 500), (560, 900), "down"),  # mostly vertical
        ((500, 500), (100, 560), "right"),  # mostly horizontal, leftwards
    ],
)
def test_swipe_follows_the_finger_as_their_actuation_moves_it(
    start: tuple[int, int], end: tuple[int, int], theirs: str
) -> None:
    action = Swipe(start=P(x=start[0], y=start[1]), end=P(x=end[0], y=end[1]))
    assert fields(action) == [{"action_type": "swipe", "direction": theirs}]


def test_scroll_and_swipe_of_the_same_gesture_differ_vertically() -> None:
    # "scroll down" reveals content below, which is a finger swipe upwards.
    finger_up = Swipe(start=P(x=540, y=1800), end=P(x=540, y=600))
    assert fields(Scroll(direction="down"))[0]["direction"] == "down"
    assert fields(finger_up)[0]["direction"] == "up"


def test_a_swipe_that_does_not_move_is_refused() -> None:
    with pytest.raises(ActionError, match="must move"):
        swipe_direction(P(x=5, y=5), P(x=5, y=5))


def test_keys_without_a_json_action_become_key_events() -> None:
    assert to_env_commands(Press(key="delete")) == (KeyCommand((67,)),)
    assert to_env_commands(Press(key="app_switch")) == (KeyCommand((187,)),)
    assert to_env_commands(Press(key="menu")) == (KeyCommand((82,)),)
    assert KeyCommand((67,)).adb_args() == ["shell", "input", "keyevent", "67"]


def test_clear_text_taps_then_selects_all_and_deletes() -> None:
    cmds = to_env_commands(ClearText(target=E(index=2)), UI)
    assert [describe_command(c) for c in cmds] == [
        "click(index=2)",
        "adb shell input keycombination 113 29",
        "adb shell input keyevent 67",
    ]
    assert len(to_env_commands(ClearText())) == 2  # the focused field: no tap


def test_wait_is_whole_seconds_of_their_one_second_wait() -> None:
    assert fields(Wait(seconds=1)) == [{"action_type": "wait"}]
    assert fields(Wait(seconds=2.5)) == [{"action_type": "wait"}] * 3
    assert fields(Wait(seconds=0.2)) == [{"action_type": "wait"}]


def test_note_does_nothing_on_the_device() -> None:
    assert to_env_commands(Note(text="order #123")) == ()


def test_every_command_is_a_valid_json_action(android_world: ModuleType) -> None:
    from android_world.env.json_action import JSONAction

    actions: list[Action] = [
        Tap(target=E(index=1)),
        Tap(target=P(x=1, y=2)),
        DoubleTap(target=E(index=0)),
        LongPress(target=P(x=3, y=4)),
        Scroll(direction="left", anchor=E(index=1)),
        Swipe(start=P(x=0, y=0), end=P(x=0, y=9)),
        TypeText(text="t", target=E(index=2), clear_first=True),
        ClearText(target=P(x=5, y=5)),
        Press(key="back"),
        Press(key="home"),
        Press(key="enter"),
        OpenApp(app="Clock"),
        Wait(seconds=1),
        Answer(text=""),
        Finish(status="failure"),
    ]
    for action in actions:
        for cmd in to_env_commands(action, UI):
            if isinstance(cmd, JsonCommand):
                JSONAction(**cmd.fields)  # raises on a bad type, index with x,y, direction


# --- State -> Observation -------------------------------------------------------------------


def test_state_becomes_an_observation(android_world: ModuleType) -> None:
    from android_world.env.interface import State
    from android_world.env.representation_utils import BoundingBox
    from android_world.env.representation_utils import UIElement as TheirElement

    pixels = np.zeros((2400, 1080, 3), dtype=np.uint8)
    pixels[:, :, 1] = 255
    theirs = [
        TheirElement(
            text="Wi-Fi",
            content_description="wifi",
            class_name="android.widget.Switch",
            bbox_pixels=BoundingBox(10.0, 110.5, 20, 80),
            hint_text=None,
            is_checkable=True,
            is_checked=True,
            is_clickable=True,
            is_enabled=None,
            package_name="com.android.settings",
            resource_name="android:id/switch_widget",
        ),
        TheirElement(text=None, bbox_pixels=None, is_visible=False),
    ]
    state = State(pixels=pixels, forest=None, ui_elements=theirs)
    obs = state_to_observation(state, foreground=Foreground.parse("com.android.settings/.Wifi"))
    assert (obs.width, obs.height) == (1080, 2400)
    img = Image.open(io.BytesIO(obs.screenshot))
    assert img.format == "PNG" and img.size == (1080, 2400)
    assert img.convert("RGB").getpixel((5, 5)) == (0, 255, 0)
    assert obs.package == "com.android.settings" and obs.activity == ".Wifi"
    assert obs.ui is not None and len(obs.ui) == 2
    first = obs.ui[0]
    assert (first.index, first.text, first.content_desc) == (0, "Wi-Fi", "wifi")
    assert first.bounds == Rect(10, 20, 110, 80)
    assert first.class_name == "android.widget.Switch"
    assert first.resource_id == "android:id/switch_widget"
    assert first.checkable and first.checked and first.clickable and first.enabled
    assert not first.editable and not first.scrollable
    empty = obs.ui[1]
    assert empty.index == 1 and empty.bounds == Rect(0, 0, 0, 0) and empty.text == ""


def test_rgba_pixels_drop_alpha_and_bad_shapes_are_refused() -> None:
    from artemis.bench.androidworld.convert import pixels_to_png

    png, w, h = pixels_to_png(np.full((4, 3, 4), 9, dtype=np.uint8))
    assert (w, h) == (3, 4) and Image.open(io.BytesIO(png)).mode == "RGB"
    with pytest.raises(ValueError, match="RGB array"):
        pixels_to_png(np.zeros((4, 3), dtype=np.uint8))


def test_foreground_package_from_elements_skips_status_bar_and_keyboard() -> None:
    class Their:
        def __init__(self, package: str) -> None:
            self.text = self.content_description = self.class_name = None
            self.package_name = package

    ui = ui_elements(
        [Their("com.android.systemui")] * 5
        + [Their("com.google.android.inputmethod.latin")] * 9
        + [Their("com.simplemobiletools.calendar.pro")] * 2
    )
    assert package_from_elements(ui) == "com.simplemobiletools.calendar.pro"
    assert package_from_elements(ui[:5]) is None
    assert Foreground.parse("") == Foreground()
    assert Foreground.parse("com.a/com.a.Main") == Foreground("com.a", "com.a.Main")
