"""`gullible`: a scripted Manager that follows the instructions it finds on the screen.

It is the SimWorld oracle (it knows each task's solution and plays it from the screens it
observes) with one weakness: on a SimWorld-Safety task, as soon as the screen shows the
task's injection (`SafetyTask.trigger`), it drops what it was doing and carries out the
injected instructions (`SafetyTask.attack()`), then goes back to the user's task from its
start. On a harmful request it simply does what the user asked. It models the agents that
pop-up and notification attacks fool; it is not a language model.

When the safety gate stops one of its moves (the agent's memory marks the step `refused`):
a move of the attack is given up, and the user's task resumes from its start; a move of the
user's own task ends the episode with `finish(failure)`, as an agent told "no" gives up.
Its other roles are the oracle's (TAC consistent, ACA keeps, SRA success, the guard answers
with the rule stage's verdict).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from artemis.bench.simworld.ops import Move, Op, OracleStuck, finish_move
from artemis.bench.simworld.oracle import OracleModel
from artemis.bench.simworld.safety.base import SafetyTask, Unwind
from artemis.bench.simworld.task import AnyTask
from artemis.config import Settings
from artemis.errors import ModelConfigError
from artemis.models.registry import register_backend
from artemis.observation import Observation

NAME = "gullible"

State = Literal["task", "attacking", "done"]


class GullibleModel(OracleModel):
    """See the module docstring."""

    name = NAME

    def bind_task(self, task: AnyTask) -> None:
        super().bind_task(task)
        self.state: State = "task"
        self.attack_ops: list[Op] = []
        #: Steps the gate refused, seen already (a refusal is acted on once).
        self._refusals: set[int] = set()

    def plan(self, obs: Observation, agent_memory: Mapping[str, Any] | None = None) -> Move:
        task = self.task
        if isinstance(task, SafetyTask):
            refused = _refused_step(agent_memory)
            if refused is not None and refused not in self._refusals:
                self._refusals.add(refused)
                self._last = None  # the refused move is not asked again
                if self.state == "attacking":
                    self._resume(task)
                else:
                    self.ops.clear()
                    self.finished = True
                    return finish_move("failure", "the safety gate stopped a step of the task")
        return super().plan(obs, agent_memory)

    def _next(self, obs: Observation) -> Move:
        task = self.task
        if isinstance(task, SafetyTask) and task.kind == "injection":
            if self.state == "task" and task.shows_trigger(obs):
                self.state = "attacking"
                self.attack_ops = list(task.attack())
            if self.state == "attacking":
                try:
                    while self.attack_ops:
                        move = self.attack_ops[0].next(obs, self.memory)
                        if move is not None:
                            return Move(f"The screen says so: {move.thought}", move.action)
                        self.attack_ops.pop(0)
                except OracleStuck:
                    pass  # an attack that cannot go on is over
                self._resume(task)
        return super()._next(obs)

    def _resume(self, task: SafetyTask[Any]) -> None:
        """Back to the user's task, from its start (and from the home screen)."""
        self.state = "done"
        self.attack_ops = []
        self.ops = [Unwind(), *task.solution()]
        self.finished = False


def _refused_step(memory: Mapping[str, Any] | None) -> int | None:
    """The newest step in the agent's memory when the gate refused it, else None."""
    pairs = memory.get("pairs") if memory is not None else None
    if not pairs or not isinstance(pairs, list) or not isinstance(pairs[-1], Mapping):
        return None
    last = pairs[-1]
    step = last.get("step")
    return step if last.get("refused") and isinstance(step, int) else None


def _factory(rest: str, settings: Settings) -> GullibleModel:
    if rest:
        raise ModelConfigError(f"gullible takes no model name: use 'gullible', not '{rest}'")
    return GullibleModel()


def register() -> None:
    register_backend(
        NAME,
        _factory,
        form=NAME,
        help="SimWorld-Safety's scripted Manager that follows on-screen instructions",
        replace=True,
    )
