"""Stand-in for `android_world.agents.base_agent`: the agent base class and step result."""

from __future__ import annotations

import abc
import dataclasses
from typing import Any


@dataclasses.dataclass()
class AgentInteractionResult:
    done: bool
    data: dict[str, Any]


class EnvironmentInteractingAgent(abc.ABC):
    def __init__(self, env: Any, name: str = "", transition_pause: float | None = 1.0) -> None:
        if transition_pause is not None and transition_pause < 0:
            raise ValueError("transition_pause must be non-negative")
        self._env = env
        self._name = name
        self._transition_pause = transition_pause
        self._max_steps: int | None = None

    @property
    def env(self) -> Any:
        return self._env

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, name: str) -> None:
        self._name = name

    @property
    def transition_pause(self) -> float | None:
        return self._transition_pause

    def set_max_steps(self, max_steps: int) -> None:
        self._max_steps = max_steps

    def reset(self, go_home: bool = False) -> None:
        self.env.reset(go_home=go_home)

    @abc.abstractmethod
    def step(self, goal: str) -> AgentInteractionResult: ...
