"""Events the loop emits while it runs, for the live display and for callers who log.

`kind` is one of: `episode` (started), `step` (started), `stage` (a stage finished, with its
duration), `plan`, `verdict`, `correction`, `safety` (the safety gate's verdict), `execute`,
`reflection`, `failure` (a recoverable problem: a rejected reply, an action that did not
resolve, an action the gate stopped), `reconnect`, `blank_screen` (the screenshot came back all
black or empty, as for a FLAG_SECURE window), `step_end`, `done`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

EventKind: TypeAlias = Literal[
    "episode",
    "step",
    "stage",
    "plan",
    "verdict",
    "correction",
    "safety",
    "execute",
    "reflection",
    "speculation",
    "failure",
    "reconnect",
    "blank_screen",
    "step_end",
    "done",
]


@dataclass(frozen=True, slots=True)
class AgentEvent:
    kind: EventKind
    step: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


OnEvent: TypeAlias = Callable[[AgentEvent], None]
