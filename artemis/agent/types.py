"""The data that flows between the stages of a step: reply schemas and stage results.

Reply schemas are what a model must answer (validated by `parse_reply`). Points in a reply
are in the model's own coordinate space; `artemis.agent.grounding` turns them into device
pixels. A model that answers in `[0,1]` cannot fit the integer points of the action union, so
its reply schemas carry the action as a plain object, converted before validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from artemis.actions import Action
from artemis.models.base import Usage
from artemis.models.coords import CoordSpace
from artemis.roles import AgentRole

#: ACA's error types; "none" is for review mode (ACA without TAC), when the action is right.
ErrorType: TypeAlias = Literal["action_type", "parameters_or_target", "invalid_action", "none"]
RoleName: TypeAlias = AgentRole


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ManagerReply(_Reply):
    thought: str = Field(min_length=1, description="what you see, what you do next and why")
    action: Action


class ManagerReplyNorm1(_Reply):
    thought: str = Field(min_length=1)
    action: dict[str, Any]


class TacReply(_Reply):
    consistent: bool
    reason: str = ""


class AcaReply(_Reply):
    error_type: ErrorType
    thought: str = Field(min_length=1)
    action: Action


class AcaReplyNorm1(_Reply):
    error_type: ErrorType
    thought: str = Field(min_length=1)
    action: dict[str, Any]


class SraReply(_Reply):
    success: bool
    analysis: str = ""
    guidance: str = ""
    lesson: str | None = Field(
        default=None, description="a reusable tip about this app learnt from this step, if any"
    )


def manager_schema(coords: CoordSpace) -> type[ManagerReply] | type[ManagerReplyNorm1]:
    return ManagerReplyNorm1 if coords == "norm1" else ManagerReply


def aca_schema(coords: CoordSpace) -> type[AcaReply] | type[AcaReplyNorm1]:
    return AcaReplyNorm1 if coords == "norm1" else AcaReply


# --- stage results ---------------------------------------------------------------------------


@dataclass
class RoleCost:
    """What a role's calls cost in one step: tokens, calls, attempts and rejected replies."""

    model: str = ""
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    attempts: int = 0
    errors: list[str] = field(default_factory=list)
    #: One (usage, latency) per call that got a reply, for per-call accounting.
    calls: list[tuple[Usage, float]] = field(default_factory=list)

    def count(self, usage: Usage, latency_s: float) -> None:
        self.usage = self.usage + usage
        self.calls.append((usage, latency_s))

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            **self.usage.as_dict(),
            "latency_s": round(self.latency_s, 4),
            "attempts": self.attempts,
            "errors": list(self.errors),
        }


@dataclass
class Plan:
    thought: str
    action: Action

    def as_dict(self) -> dict[str, Any]:
        return {"thought": self.thought, "action": self.action.model_dump(mode="json")}


@dataclass(frozen=True)
class Precheck:
    """The UI-tree pre-check: `consistent` is None when it cannot tell."""

    consistent: bool | None
    reason: str
    element: str | None = None
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "consistent": self.consistent,
            "reason": self.reason,
            "element": self.element,
            "score": round(self.score, 1),
        }


@dataclass
class Verdict:
    """TAC's verdict. `decided_by` says who decided: the pre-check, the model, or nobody
    (the model's replies were unusable, so the action goes ahead unchecked)."""

    consistent: bool
    reason: str
    decided_by: Literal["precheck", "model", "unchecked"]
    precheck: Precheck | None
    cost: RoleCost
    annotated: bytes | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "consistent": self.consistent,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "precheck": None if self.precheck is None else self.precheck.as_dict(),
        }


@dataclass
class Correction:
    error_type: ErrorType
    thought: str
    action: Action

    def as_dict(self) -> dict[str, Any]:
        return {
            "error_type": self.error_type,
            "thought": self.thought,
            "action": self.action.model_dump(mode="json"),
        }


@dataclass(frozen=True)
class Reflection:
    success: bool
    analysis: str
    guidance: str = ""
    lesson: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "analysis": self.analysis,
            "guidance": self.guidance,
            "lesson": self.lesson,
        }


@dataclass
class ReflectionResult:
    reflection: Reflection | None
    diff: str | None
    cost: RoleCost
