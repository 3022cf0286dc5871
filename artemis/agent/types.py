"""The data that flows between the stages of a step: the reply schemas of TAC and SRA, and
stage results. The Manager's and ACA's replies are read by their dialect
(`artemis.models.dialects`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from artemis.actions import Action
from artemis.models.base import Usage
from artemis.models.dialects.artemis_json import ErrorType as ErrorType
from artemis.roles import AgentRole

RoleName: TypeAlias = AgentRole


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TacReply(_Reply):
    consistent: bool
    reason: str = ""


class SraReply(_Reply):
    success: bool
    analysis: str = ""
    guidance: str = ""
    lesson: str | None = Field(
        default=None, description="a reusable tip about this app learnt from this step, if any"
    )


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
    """A thought and a device action; `native` is the action as the model wrote it in its
    own dialect, `rest` the further actions of the same reply (recorded, not executed)."""

    thought: str
    action: Action
    native: str = ""
    rest: list[str] = field(default_factory=list)
    dialect: str = "artemis"

    def native_record(self) -> dict[str, Any] | None:
        """What a native dialect's model wrote, for steps.jsonl (None for artemis JSON)."""
        if self.dialect == "artemis" or not self.native:
            return None
        return {"dialect": self.dialect, "action": self.native, "rest": list(self.rest)}

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

    def text(self) -> str:
        """One line for a prompt: the verdict, the analysis and the guidance."""
        verdict = "succeeded" if self.success else "FAILED"
        out = f"the previous action {verdict}. {self.analysis}".rstrip()
        return f"{out} Guidance: {self.guidance}" if self.guidance else out


@dataclass
class ReflectionResult:
    reflection: Reflection | None
    diff: str | None
    cost: RoleCost
