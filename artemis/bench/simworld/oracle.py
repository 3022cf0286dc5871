"""`oracle`: a scripted policy that knows each SimWorld task's solution. Not a language model.

It implements the `ChatModel` contract and reads the typed request the agent's roles
pass, never the prompt. It must be bound to the task instance of its episode
(`bind_task`, which `artemis bench sim` calls); an unbound oracle refuses to answer.

- **Manager**: plays the task's `solution()`: each op looks for its target in the observed UI
  tree (by text, content description or resource id), scrolling when it is not on screen, and
  answers one action with element targets. When the ops run out it finishes with success
  (question tasks end with their `answer` op instead). A step that finds nothing to act on
  ends the episode with `finish(failure)` and says what was missing. When the agent's working
  memory shows that its last move did not run (the step was restarted after a device drop,
  the check rejected it, or it failed), it asks for the same move again.
- **TAC**: always "consistent" (its actions are the planned ones).
- **ACA**: keeps the action it is shown (`error_type: "none"`).
- **SRA**: always "success"; the oracle does not need reflections.

So every agent stage runs, but only the Manager's answers matter: the ablation switches change
which roles are called, not what the oracle does. Its token counts are zero.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from artemis.agent.guard import offline_reply
from artemis.bench.simworld.ops import Memory, Move, Op, OracleStuck, finish_move
from artemis.config import Settings
from artemis.errors import ModelConfigError, ModelResponseError
from artemis.models.base import ChatModel, Message, ModelRequest, ModelResponse, ToolSpec, Usage
from artemis.models.coords import NATIVE_SIZE, CoordSpace, ImageFrame, ImageRule
from artemis.models.images import png_size
from artemis.models.parsing import parse_reply
from artemis.models.registry import register_backend
from artemis.observation import Observation

if TYPE_CHECKING:
    from artemis.bench.simworld.task import AnyTask

T = TypeVar("T", bound=BaseModel)

NAME = "oracle"


@runtime_checkable
class TaskAware(Protocol):
    """A model that wants the task instance of its episode (the oracle)."""

    def bind_task(self, task: AnyTask) -> None: ...


class OracleModel:
    """See the module docstring. One instance serves one episode."""

    name = NAME
    coords: CoordSpace = "pixels"
    image_rule: ImageRule = NATIVE_SIZE
    dialect: str | None = "artemis"

    def __init__(self, task: AnyTask | None = None) -> None:
        self.task: AnyTask | None = None
        self.ops: list[Op] = []
        self.memory: Memory = {}
        self.finished = False
        self._lock = threading.Lock()
        # The last move handed out, and the newest step in the agent's memory at the time.
        self._last: tuple[Move, int] | None = None
        if task is not None:
            self.bind_task(task)

    def bind_task(self, task: AnyTask) -> None:
        self.task = task
        self.ops = list(task.solution())
        self.memory = {}
        self.finished = False
        self._last = None

    # --- the roles ---------------------------------------------------------------------------
    def plan(self, obs: Observation, agent_memory: Mapping[str, Any] | None = None) -> Move:
        """The next move for the screen `obs`; `agent_memory` is the loop's working memory
        (`PlanInput.memory`), which tells whether the last move ran."""
        if self.task is None:
            raise ModelConfigError(
                "the oracle knows only SimWorld tasks: it runs under `artemis bench sim`, "
                "which tells it the task of each episode"
            )
        with self._lock:
            newest, failed = _last_step(agent_memory)
            if self._last is not None and newest is not None:
                move, after = self._last
                if newest == after or failed:
                    return move
            move = self._next(obs)
            self._last = (move, newest if newest is not None else -1)
            return move

    def _next(self, obs: Observation) -> Move:
        try:
            while self.ops:
                move = self.ops[0].next(obs, self.memory)
                if move is not None:
                    return move
                self.ops.pop(0)
        except OracleStuck as exc:
            self.ops.clear()
            self.finished = True
            return finish_move("failure", str(exc))
        self.finished = True
        return finish_move()

    def reply(self, request: ModelRequest | None) -> dict[str, Any]:
        """The oracle's answer to a role's request, as artemis JSON."""
        from artemis.agent.correction import CorrectInput
        from artemis.agent.manager import PlanInput

        role = request.role if request is not None else None
        if isinstance(request, PlanInput):
            move = self.plan(request.observation, request.memory)
            return {"thought": move.thought, "action": move.action.model_dump(mode="json")}
        if role == "tac":
            return {"consistent": True, "reason": "oracle: the action is the planned step"}
        if isinstance(request, CorrectInput):
            return {
                "error_type": "none",
                "thought": request.thought or "Keep the planned action.",
                "action": request.action.model_dump(mode="json"),
            }
        if role == "sra":
            return {"success": True, "analysis": "oracle: the planned step was carried out"}
        if role == "guard":
            return offline_reply(request, "oracle")
        raise ModelResponseError(f"the oracle has no answer for the role {role!r}")

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        started = time.perf_counter()
        text = json.dumps(self.reply(request))
        parsed = parse_reply(text, output_schema) if output_schema is not None else None
        frames = []
        for m in messages:
            for img in m.images:
                w, h = png_size(img.png)
                frames.append(ImageFrame(w, h, w, h))
        return ModelResponse(
            text=text,
            model=NAME,
            parsed=parsed,
            usage=Usage(calls=1),
            latency_s=time.perf_counter() - started,
            frames=frames,
            coords=self.coords,
        )


def _last_step(memory: Mapping[str, Any] | None) -> tuple[int | None, bool]:
    """(the newest step in the agent's memory, whether it went wrong); (None, False) when
    the memory holds no steps (none yet, or a memory that keeps none)."""
    pairs = memory.get("pairs") if memory is not None else None
    if not pairs or not isinstance(pairs, list) or not isinstance(pairs[-1], Mapping):
        return None, False
    step = pairs[-1].get("step")
    if not isinstance(step, int):
        return None, False
    return step, pairs[-1].get("error") is not None


def _factory(rest: str, settings: Settings) -> ChatModel:
    """`oracle`: the oracle itself, answering artemis JSON in process; `oracle:<dialect>`:
    the oracle behind a loopback chat-completions server, answering in that dialect."""
    if not rest:
        return OracleModel()
    from artemis.bench.simworld.served import ServedOracle
    from artemis.models.dialects import get_dialect

    return ServedOracle(get_dialect(rest), settings)


def register() -> None:
    register_backend(
        NAME,
        _factory,
        form=f"{NAME}[:<dialect>]",
        help="SimWorld's scripted solver; with a dialect, served over HTTP in that model "
        "family's native format",
        replace=True,
        uses=("simworld",),
    )
