"""`oracle:<dialect>`: SimWorld's oracle behind a real chat-completions server, answering in a
model family's native dialect.

The oracle decides the move; a loopback `FakeChatServer` of its own writes it the way the
family writes actions (its text or tool calls, in its coordinate space, for the image size the
server actually received), and the real openai client and the dialect's parser read it back.
`artemis bench sim --model oracle:ui-tars-1.5` so exercises a dialect end to end: prompt,
image sizing, serving, parsing and the conversion to device pixels.

A family's action set is narrower than artemis's, so a move it cannot write is carried out the
way a model of that family would: an element index becomes the element's centre; text typed
into a field not yet focused is a tap on the field, then the typing; a field to clear is
selected by a long press, which typing replaces; an app the family cannot open by name is
found on the home screen; a scroll it cannot write is a swipe; a note, which only the agent's
memory keeps, is skipped (the oracle keeps its own). A move still inexpressible is answered as
the model would answer it, in words without an action, and the step fails: the benchmark
shows where a family's action space falls short.

TAC and SRA answer as the plain oracle does: they speak artemis JSON in every dialect.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from artemis.actions import (
    Action,
    ElementTarget,
    LongPress,
    Note,
    OpenApp,
    PointTarget,
    Press,
    Scroll,
    Swipe,
    Tap,
    TypeText,
)
from artemis.bench.simworld.oracle import OracleModel
from artemis.config import Settings
from artemis.device.gestures import scroll_swipe
from artemis.errors import ModelResponseError
from artemis.models.base import Message, ModelRequest, ModelResponse, ToolSpec
from artemis.models.coords import CoordSpace, ImageFrame, ImageRule
from artemis.models.dialects import ARTEMIS, Dialect, role_coords
from artemis.models.dialects.convert import action_for_model
from artemis.models.fake_replies import Reply
from artemis.models.fake_server import ChatRequest, FakeChatServer
from artemis.observation import Observation, Rect, UIElement

T = TypeVar("T", bound=BaseModel)

#: Moves computed from the screen the agent sees when it asks.
Deferred = Callable[[Observation], Action]


@dataclass
class _Pending:
    thought: str
    action: Action
    obs: Observation
    role: str


class ServedOracle:
    """SimWorld's oracle as a model served over HTTP in `dialect` (see the module docstring)."""

    def __init__(self, dialect: Dialect, settings: Settings) -> None:
        from artemis.models.connection import resolve_connection
        from artemis.models.openai_backend import OpenAIModel

        self.speaks = dialect
        self.oracle = OracleModel()
        self.server = FakeChatServer(self._handle, models=[f"oracle-{dialect.name}"]).start()
        m = settings.models
        coords: CoordSpace = dialect.coords or "pixels"
        self.inner = OpenAIModel(
            f"oracle-{dialect.name}",
            connection=resolve_connection(self.server.base_url, "sk-local", env={}),
            coords=coords,
            max_image_pixels=m.max_image_pixels,
            image_multiple=(dialect.image.factor if dialect.image else None),
            timeout_s=m.timeout_s,
            structured="json_schema",
            prefix="oracle",
        )
        self.name = f"oracle:{dialect.name}"
        self.coords: CoordSpace = self.inner.coords
        self.image_rule: ImageRule = self.inner.image_rule
        self.dialect: str | None = dialect.name
        self._settings = settings
        self._lock = asyncio.Lock()
        self._pending: _Pending | None = None
        self._pending_lock = threading.Lock()
        self._queue: list[Deferred] = []

    def bind_task(self, task: Any) -> None:
        self.oracle.bind_task(task)
        self._queue = []

    async def aclose(self) -> None:
        await self.inner.aclose()
        await asyncio.to_thread(self.server.stop)

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        from artemis.agent.correction import CorrectInput
        from artemis.agent.manager import PlanInput

        if isinstance(request, PlanInput):
            thought, action = self._plan(request)
            pending = _Pending(thought, action, request.observation, "manager")
        elif isinstance(request, CorrectInput):  # keep the planned action
            pending = _Pending(request.thought, request.action, request.observation, "aca")
        else:  # TAC, SRA: artemis JSON, as the plain oracle answers
            return await self.oracle.complete(
                messages, output_schema=output_schema, timeout_s=timeout_s, request=request
            )
        async with self._lock:  # one move on the wire at a time
            with self._pending_lock:
                self._pending = pending
            return await self.inner.complete(
                messages,
                output_schema=output_schema,
                tools=tools,
                timeout_s=timeout_s,
                request=request,
            )

    # --- the move --------------------------------------------------------------------------

    def _plan(self, request: Any) -> tuple[str, Action]:
        obs: Observation = request.observation
        if self._queue:
            return "Go on with the same step.", self._queue.pop(0)(obs)
        move = self.oracle.plan(obs, request.memory)
        while isinstance(move.action, Note) and not self._can(move.action, obs):
            move = self.oracle.plan(obs, None)  # only the agent's memory keeps a note
        steps = self._rewrite(move.action, obs)
        first = steps[0](obs)
        self._queue = steps[1:]
        return move.thought, first

    def _can(self, action: Action, obs: Observation) -> bool:
        return self.speaks.can_express(self._for_model(action, obs, None))

    def _rewrite(self, action: Action, obs: Observation) -> list[Deferred]:
        """`action` as steps this dialect can write (see the module docstring)."""
        if self._can(action, obs):
            return [_now(action)]
        match action:
            case TypeText(target=ElementTarget() as target):
                return self._typing(action, target, obs)
            case OpenApp(app=app):
                if _find_label(obs, app) is not None:
                    return [lambda o: _launcher_tap(o, app)]
                return [_now(Press(key="home")), lambda o: _launcher_tap(o, app)]
            case Scroll(direction=direction, anchor=anchor):
                whole = Scroll(direction=direction)
                if anchor is not None and self._can(whole, obs):
                    return [_now(whole)]  # families that scroll only the whole screen
                region = (
                    obs.element(anchor.index).bounds
                    if isinstance(anchor, ElementTarget)
                    else Rect(0, 0, obs.width, obs.height)
                )
                x1, y1, x2, y2 = scroll_swipe(direction, region)
                return [_now(Swipe(start=PointTarget(x=x1, y=y1), end=PointTarget(x=x2, y=y2)))]
        return [_now(action)]

    def _typing(self, action: TypeText, target: ElementTarget, obs: Observation) -> list[Deferred]:
        """Typing into an element, for families whose `type` goes to the focused field: focus
        it (a tap; a long press when its text must go, which selects it all), then type. A
        family whose typing replaces the field's text (AutoGLM) types the text alone: it
        cannot add to a field (an empty field shows its hint as its text, so what a field
        holds cannot be told from the screen)."""
        e = obs.element(target.index)
        appending = TypeText(text=action.text)
        replacing = TypeText(text=action.text, clear_first=True)
        steps: list[Deferred] = []
        typed: TypeText
        if self._can(appending, obs) or not self._can(replacing, obs):
            if action.clear_first and e.text:
                steps.append(_now(LongPress(target=target)))  # selects what typing replaces
            elif not e.focused:
                steps.append(_now(Tap(target=target)))
            typed = appending
        else:
            if not e.focused:
                steps.append(_now(Tap(target=target)))
            typed = replacing
        submitted = typed.model_copy(update={"submit": True})
        if not action.submit:
            steps.append(_now(typed))
        elif self._can(submitted, obs):
            steps.append(_now(submitted))
        else:
            steps += [_now(typed), _now(Press(key="enter"))]
        return steps

    # --- the server's side -----------------------------------------------------------------

    def _handle(self, request: ChatRequest) -> Reply:
        with self._pending_lock:
            pending, self._pending = self._pending, None
        if pending is None:
            return Reply.error(400, "the served oracle answers only the agent's own calls")
        sizes = request.image_sizes()
        obs = pending.obs
        frame = (
            ImageFrame(sizes[-1][0], sizes[-1][1], obs.width, obs.height)
            if sizes
            else ImageFrame(obs.width, obs.height, obs.width, obs.height)
        )
        data = self._for_model(pending.action, obs, frame)
        if self.speaks is ARTEMIS:
            body: dict[str, Any] = {"thought": pending.thought, "action": data}
            if pending.role == "aca":
                body["error_type"] = "none"
            return Reply(content=json.dumps(body))
        try:
            rendered = self.speaks.render(pending.thought, data)
        except (ModelResponseError, KeyError, ValueError) as exc:
            return Reply(content=f"{pending.thought} (I cannot do that here: {exc})")
        calls = [{"name": c.name, "arguments": c.arguments} for c in rendered.tool_calls]
        return Reply(content=rendered.text or None, tool_calls=calls)

    def _for_model(
        self, action: Action, obs: Observation, frame: ImageFrame | None
    ) -> dict[str, Any]:
        """`action` as data in the model's space; element targets become their centres for
        dialects that point rather than index."""
        if self.speaks.coords is not None:  # a native dialect: no element indices
            action = _with_points(action, obs)
        coords = role_coords(self.speaks, self, self._settings)
        frame = frame or self.image_rule.frame(obs.width, obs.height)
        return action_for_model(action, coords, frame)


def _centre(obs: Observation, target: Any) -> Any:
    if isinstance(target, ElementTarget):
        x, y = obs.element(target.index).bounds.center
        return PointTarget(x=x, y=y)
    return target


def _with_points(action: Action, obs: Observation) -> Action:
    updates = {
        name: _centre(obs, getattr(action, name))
        for name in ("target", "anchor")
        if isinstance(getattr(action, name, None), ElementTarget)
    }
    return action.model_copy(update=updates) if updates else action


def _now(action: Action) -> Deferred:
    """A step that is `action` whatever the screen."""

    def step(obs: Observation) -> Action:
        return action

    return step


def _launcher_tap(obs: Observation, app: str) -> Action:
    """A tap on `app`'s icon on the home screen (home again when it is not there)."""
    icon = _find_label(obs, app)
    return Tap(target=ElementTarget(index=icon.index)) if icon else Press(key="home")


def _find_label(obs: Observation, label: str) -> UIElement | None:
    want = label.strip().lower()
    for e in obs.ui or ():
        if e.clickable and want in (e.text.strip().lower(), e.content_desc.strip().lower()):
            return e
    return None
