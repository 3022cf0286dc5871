"""The fake emulator behind the stand-in env, and how tests script it.

A scenario maps a console port to how that emulator behaves:
`{"5556": {"die_after_actions": 2, "setup_fails": false, "action_error_on": "Broken",
"adb_error_on": "keyevent 67", "secure": true, "on_die_touch": "/path/made/on/death"}}`.
Tests in this process set `SCENARIO` directly; spawned workers read the JSON file named by
`$ANDROID_WORLD_STANDIN_SCENARIO`.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from android_env.proto import adb_pb2

from android_world.env.interface import State
from android_world.env.json_action import JSONAction
from android_world.env.representation_utils import BoundingBox, UIElement

SCENARIO: dict[str, dict[str, Any]] = {}
ON_DIE: dict[int, Callable[[], None]] = {}  # console port -> what "dying" does (in-process)
ENVS: dict[int, FakeEnv] = {}

WIDTH, HEIGHT = 270, 600
APP = "com.example.fake"


def scenario(console_port: int) -> dict[str, Any]:
    path = os.environ.get("ANDROID_WORLD_STANDIN_SCENARIO")
    data = SCENARIO
    if path:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    return dict(data.get(str(console_port), {}))


def _wait_until_closed(port: int, timeout_s: float = 60.0) -> None:
    """Return once nothing listens on `port` (the test closes it when told of the death)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return
        time.sleep(0.02)  # polling an observable state, bounded by the deadline


def _el(text: str, box: tuple[int, int, int, int], **flags: Any) -> UIElement:
    x1, y1, x2, y2 = box
    return UIElement(
        text=text,
        class_name=flags.pop("class_name", "android.widget.TextView"),
        bbox_pixels=BoundingBox(x1, x2, y1, y2),
        package_name=flags.pop("package_name", APP),
        is_enabled=True,
        **flags,
    )


def screen() -> list[UIElement]:
    return [
        _el("Battery 80%", (0, 0, 270, 20), package_name="com.android.systemui"),
        _el("Fake app", (0, 20, 270, 60)),
        _el("OK", (20, 100, 120, 140), class_name="android.widget.Button", is_clickable=True),
        _el("", (20, 160, 250, 200), class_name="android.widget.EditText", is_editable=True,
            is_clickable=True, hint_text="Name", resource_name=f"{APP}:id/name"),
        _el("", (0, 220, 270, 600), class_name="android.widget.ListView", is_scrollable=True),
    ]  # fmt: skip


class EmulatorGone(ConnectionError):
    pass


@dataclass
class FakeController:
    """android_env's side of `execute_adb_call`: an `AdbRequest` in, an `AdbResponse` out."""

    env: FakeEnv
    adb_calls: list[list[str]] = field(default_factory=list)

    def execute_adb_call(self, request: adb_pb2.AdbRequest) -> adb_pb2.AdbResponse:
        self.env.act()
        assert isinstance(request, adb_pb2.AdbRequest), f"not an AdbRequest: {request!r}"
        assert request.generic is not None
        argv = list(request.generic.args)
        self.adb_calls.append(argv)
        failing = self.env.script.get("adb_error_on")
        if failing and failing in " ".join(argv):
            return adb_pb2.AdbResponse(
                status=adb_pb2.AdbResponse.Status.ADB_ERROR, error_message="error: closed"
            )
        return adb_pb2.AdbResponse(status=adb_pb2.AdbResponse.Status.OK)


class FakeEnv:
    """A synchronous env like theirs: `get_state`, `execute_action`, `reset`, `close`."""

    def __init__(self, console_port: int, grpc_port: int) -> None:
        self.console_port, self.grpc_port = console_port, grpc_port
        self.script = scenario(console_port)
        self.controller = FakeController(self)
        self.interaction_cache = ""
        self.actions: list[JSONAction] = []
        self.clicked: list[str] = []
        self.typed: dict[str, str] = {}
        self.package = "com.google.android.apps.nexuslauncher"
        self.resets = 0
        self.closed = False
        self.dead = False
        self.current_task = ""
        ENVS[console_port] = self

    # -- liveness ----------------------------------------------------------------------------

    def act(self) -> None:
        if self.dead:
            raise EmulatorGone("emulator went away")
        limit = self.script.get("die_after_actions")
        if limit is not None and len(self.actions) >= int(limit):
            self.dead = True
            ON_DIE.pop(self.console_port, lambda: None)()
            if "on_die_touch" in self.script:  # another process's way to learn of it
                open(self.script["on_die_touch"], "a").close()
                _wait_until_closed(self.console_port)
            raise EmulatorGone("emulator went away")

    # -- their interface ---------------------------------------------------------------------

    def reset(self, go_home: bool = False) -> State:
        if self.dead:
            raise EmulatorGone("emulator went away")
        self.resets += 1
        if go_home:
            self.package = "com.google.android.apps.nexuslauncher"
        self.interaction_cache = ""
        return self.get_state()

    def get_state(self, wait_to_stabilize: bool = False) -> State:
        del wait_to_stabilize
        if self.dead:
            raise EmulatorGone("emulator went away")
        pixels = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
        if not self.script.get("secure"):  # a FLAG_SECURE window is captured all black
            pixels[:, :, 0] = 200
        return State(pixels=pixels, forest=None, ui_elements=screen())

    @property
    def reward(self) -> bool:
        """A MiniWoB page's reward: the OK button was clicked in a MiniWoB task."""
        return self.current_task.startswith("MiniWob") and "OK" in self.clicked

    @property
    def foreground_activity_name(self) -> str:
        return f"{self.package}/.Main"

    @property
    def logical_screen_size(self) -> tuple[int, int]:
        return (WIDTH, HEIGHT)

    def execute_action(self, action: JSONAction) -> None:
        if action.action_type == "answer":
            self.interaction_cache = action.text or ""
            self.actions.append(action)
            return
        if action.action_type == "status":
            self.actions.append(action)
            return
        self.act()
        if self.script.get("action_error_on") and self.script["action_error_on"] in (
            self.current_task
        ):
            raise RuntimeError("adb: device offline")
        self.actions.append(action)
        ui = screen()
        target = None
        if action.index is not None:
            if not 0 <= int(action.index) < len(ui):
                raise ValueError(f"Invalid element index: {action.index}")
            target = ui[int(action.index)]
        elif action.x is not None and action.y is not None:
            for el in reversed(ui):
                b = el.bbox_pixels
                if b and b.x_min <= action.x < b.x_max and b.y_min <= action.y < b.y_max:
                    target = el
                    break
        label = target and (target.text or target.hint_text or "")
        if action.action_type == "click" and label:
            self.clicked.append(label)
        elif action.action_type == "input_text" and action.text:
            key = label or "focused"
            old = "" if action.clear_text else self.typed.get(key, "")
            self.typed[key] = old + action.text
        elif action.action_type == "open_app":
            self.package = APP

    def close(self) -> None:
        self.closed = True
