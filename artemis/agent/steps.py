"""A step as explicit types: what it decided to do next, and what it recorded.

`NextStep` is `Continue`, `Finished` (the agent ended the episode with `finish` or `answer`),
or `Stopped` (the loop ended it: too many failed steps, or an unrecoverable error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from artemis.agent.types import RoleCost, RoleName
from artemis.agent.ui import name_of
from artemis.observation import Observation, UIElement

Outcome: TypeAlias = Literal[
    "success",
    "failure",
    "infeasible",
    "answered",
    "step_budget",
    "step_failures",
    "time_budget",
    "error",
]


@dataclass(frozen=True, slots=True)
class Continue:
    pass


@dataclass(frozen=True, slots=True)
class Finished:
    outcome: Literal["success", "failure", "infeasible", "answered"]
    reason: str = ""
    answer: str | None = None


@dataclass(frozen=True, slots=True)
class Stopped:
    outcome: Literal["step_budget", "step_failures", "error"]
    reason: str


NextStep: TypeAlias = Continue | Finished | Stopped


@dataclass
class StepLog:
    """What one step did, filled in stage by stage; `record()` is its steps.jsonl line."""

    step: int
    started: str
    app: str | None = None
    screen: str | None = None
    #: The screenshot showed nothing of the screen (all black or empty: FLAG_SECURE).
    screen_blank: bool = False
    tips: list[str] = field(default_factory=list)
    thought: str | None = None
    action: dict[str, Any] | None = None
    #: The Manager's action as its model wrote it, in a native dialect (and the actions after
    #: it in the same reply, not executed).
    native: dict[str, Any] | None = None
    tac: dict[str, Any] | None = None
    correction: dict[str, Any] | None = None
    executed: dict[str, Any] | None = None
    reflection: dict[str, Any] | None = None
    ui_diff: str | None = None
    settle: dict[str, Any] | None = None
    #: The safety gate's verdict (`artemis.safety.verdict.GateVerdict.as_dict`), when it ran.
    safety: dict[str, Any] | None = None
    #: Whether the plan was started beside the last reflection, and kept or made again.
    speculation: dict[str, Any] | None = None
    status: Literal["ok", "failed", "rejected", "blocked", "done"] = "ok"
    timings: dict[str, float] = field(default_factory=dict)
    costs: dict[RoleName, RoleCost] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    device_retries: int = 0
    #: The tree the step's actions refer to; only the elements they name are recorded.
    ui: tuple[UIElement, ...] | None = None

    def add_cost(self, role: RoleName, cost: RoleCost) -> None:
        """Costs of one role add up across a step's device retries."""
        old = self.costs.get(role)
        if old is None:
            self.costs[role] = cost
            return
        old.usage = old.usage + cost.usage
        old.calls.extend(cost.calls)
        old.latency_s += cost.latency_s
        old.attempts += cost.attempts
        old.errors.extend(cost.errors)

    def time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = round(self.timings.get(stage, 0.0) + seconds, 6)

    def record(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "started": self.started,
            "app": self.app,
            "screen": self.screen,
            "screen_blank": self.screen_blank,
            "tips": self.tips,
            "thought": self.thought,
            "action": self.action,
            "native": self.native,
            "tac": self.tac,
            "correction": self.correction,
            "safety": self.safety,
            "executed": self.executed,
            "reflection": self.reflection,
            "ui_diff": self.ui_diff,
            "settle": self.settle,
            "speculation": self.speculation,
            "status": self.status,
            "timings": self.timings,
            "tokens": {role: cost.as_dict() for role, cost in self.costs.items()},
            "errors": self.errors,
            "device_retries": self.device_retries,
            "elements": self.elements(),
        }

    def elements(self) -> dict[str, dict[str, Any]]:
        """The UI elements the planned, corrected and executed actions name by index, so that
        a viewer can draw them: index -> `bounds` [x1, y1, x2, y2], `class`, `name`."""
        out: dict[str, dict[str, Any]] = {}
        if self.ui is None:
            return out
        corrected = (self.correction or {}).get("action")
        for action in (self.action, corrected, self.executed):
            if not isinstance(action, dict):
                continue
            for key in ("target", "anchor"):
                ref = action.get(key)
                i = ref.get("index") if isinstance(ref, dict) else None
                if isinstance(i, int) and 0 <= i < len(self.ui):
                    e = self.ui[i]
                    b = e.bounds
                    out[str(i)] = {
                        "bounds": [b.x1, b.y1, b.x2, b.y2],
                        "class": e.class_name.rsplit(".", 1)[-1],
                        "name": name_of(e, self.ui),
                    }
        return out


@dataclass
class StepResult:
    log: StepLog
    next: NextStep
    observation: Observation | None = None
