"""`AndroidWorldDevice`: our Device protocol over an android_world env.

Observing is `env.get_state()`; acting is `env.execute_action(JSONAction)` (plus adb key
events for the keys JSONAction cannot express). The env is synchronous and not meant for
concurrent use, so every call runs on one dedicated thread, under a deadline.

A call that fails or times out is followed by a liveness probe of the emulator: when the
emulator is gone, `EmulatorLostError` is raised (the runner stops that emulator cleanly);
otherwise the error is a `DeviceCommandError`, which the agent loop treats as a failed action.

Observations do not ask the env to wait for a stable screen (`wait_to_stabilize=False`): the
agent loop polls for a settled screen itself after each action.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from artemis.actions import Action, Key, OpenApp, PointTarget, Press, Swipe, Tap, TypeText
from artemis.bench.androidworld.convert import (
    AdbCommand,
    Foreground,
    JsonCommand,
    describe_command,
    state_to_observation,
    to_env_commands,
)
from artemis.device.base import ForegroundApp
from artemis.errors import ActionError, DeviceCommandError, DeviceError
from artemis.observation import Observation, UIElement

T = TypeVar("T")


class EmulatorLostError(DeviceError):
    """The emulator behind an android_world env stopped answering or went away."""


class AndroidWorldDevice:
    """A Device over an android_world `AsyncEnv`. All coordinates are device pixels.

    `json_action` is android_world's `env.json_action` module, `adb_utils` its
    `env.adb_utils` and `adb_pb2` android_env's `proto.adb_pb2` (passed in so that this module
    imports without android_world).
    `alive` tells whether the emulator still answers; it is asked after a failed call.
    """

    def __init__(
        self,
        env: Any,
        *,
        json_action: Any,
        adb_utils: Any,
        adb_pb2: Any,
        alive: Callable[[], bool] = lambda: True,
        call_timeout_s: float = 120.0,
        wait_to_stabilize: bool = False,
        name: str = "androidworld",
    ) -> None:
        self.env = env
        self._json_action = json_action
        self._adb_utils = adb_utils
        self._adb_pb2 = adb_pb2
        self._alive = alive
        self.call_timeout_s = call_timeout_s
        self.wait_to_stabilize = wait_to_stabilize
        self.name = name
        self.lost = False
        self.sent: list[str] = []  # commands sent since the last `take_sent()`
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"env-{name}")

    # -- plumbing -------------------------------------------------------------------------

    async def _call(self, what: str, fn: Callable[..., T], *args: Any) -> T:
        if self.lost:
            raise EmulatorLostError(f"{self.name} was lost earlier in this run")
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._pool, fn, *args), self.call_timeout_s
            )
        except TimeoutError:
            self.lost = True
            raise EmulatorLostError(
                f"{self.name}: {what} did not answer within {self.call_timeout_s:g} s"
            ) from None
        except ValueError as exc:
            # Their actuation raises ValueError for what it cannot carry out (an index that
            # does not resolve on the current screen, a missing app name): the model's to fix.
            raise ActionError(f"{what}: {exc}") from exc
        except Exception as exc:  # the env's failures are not typed; classify by liveness
            alive = await loop.run_in_executor(None, self._alive)
            if not alive:
                self.lost = True
                raise EmulatorLostError(f"{self.name} is gone ({what} failed: {exc})") from exc
            # A command that failed on a live emulator: the agent sees it as a failed action.
            raise DeviceCommandError(f"{self.name}: {what} failed: {exc}", command=what) from exc

    def check_alive(self) -> bool:
        """Ask whether the emulator still answers; marks the device lost when it does not."""
        if not self.lost and not self._alive():
            self.lost = True
        return not self.lost

    def take_sent(self) -> list[str]:
        sent, self.sent = self.sent, []
        return sent

    # -- Device protocol ------------------------------------------------------------------

    async def observe(self, *, with_ui: bool = True) -> Observation:
        state = await self._call(
            "get_state", lambda: self.env.get_state(wait_to_stabilize=self.wait_to_stabilize)
        )
        foreground = await self._foreground()
        return await asyncio.to_thread(
            state_to_observation, state, foreground=foreground, with_ui=with_ui
        )

    async def _foreground(self) -> Foreground:
        try:
            name = await self._call("foreground_activity_name", self._foreground_name)
        except EmulatorLostError:
            raise
        except DeviceError:
            return Foreground()  # the elements' packages stand in
        return Foreground.parse(name)

    def _foreground_name(self) -> str:
        return str(self.env.foreground_activity_name or "")

    async def execute(self, action: Action, *, ui: tuple[UIElement, ...] | None = None) -> None:
        for command in to_env_commands(action, ui):
            await self._send(command)

    async def _send(self, command: JsonCommand | AdbCommand) -> None:
        text = describe_command(command)
        self.sent.append(text)
        if isinstance(command, JsonCommand):
            json_action = self._json_action.JSONAction(**command.fields)
            await self._call(text, self.env.execute_action, json_action)
            return
        # Theirs builds an `AdbRequest` and returns the `AdbResponse` without raising: a
        # failed command shows only in its status.
        response = await self._call(
            text, self._adb_utils.issue_generic_request, command.adb_args(), self.env.controller
        )
        ok = self._adb_pb2.AdbResponse.Status.OK
        status = getattr(response, "status", ok)
        if status != ok:
            name = self._adb_pb2.AdbResponse.Status.Name(status)
            why = getattr(response, "error_message", "") or name
            raise DeviceCommandError(f"{self.name}: {text} failed: {why}", command=text)

    async def tap(self, x: int, y: int) -> None:
        await self.execute(Tap(target=PointTarget(x=x, y=y)))

    async def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int = 300) -> None:
        await self.execute(
            Swipe(
                start=PointTarget(x=x1, y=y1),
                end=PointTarget(x=x2, y=y2),
                duration_ms=duration_ms,
            )
        )

    async def type_text(self, text: str) -> None:
        await self.execute(TypeText(text=text))

    async def press(self, key: Key) -> None:
        await self.execute(Press(key=key))

    async def open_app(self, app: str) -> str:
        await self.execute(OpenApp(app=app))
        return (await self._foreground()).package or app

    async def current_app(self) -> ForegroundApp:
        fg = await self._foreground()
        return ForegroundApp(fg.package, fg.activity)

    async def screen_size(self) -> tuple[int, int]:
        w, h = await self._call("logical_screen_size", lambda: self.env.logical_screen_size)
        return int(w), int(h)

    async def close(self) -> None:
        """Release the worker thread; the env itself belongs to the runner."""
        self._pool.shutdown(wait=False, cancel_futures=True)
