"""How a benchmark run sets the gate up: `benchmark` (the default), `on` or `off`.

- `benchmark`: the `benchmark` preset (what a task asks for runs, confirmations are let
  through, harmful content and on-screen instructions are still blocked) with the rule stage
  alone, so the gate adds no model call and never stops a benchmark's own tasks;
- `on`: the gate exactly as the settings say (`safety.*`): for runs that measure the gate,
  such as SimWorld-Safety;
- `off`: no gate.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from artemis.config import Settings
from artemis.errors import ConfigError

GateMode: TypeAlias = Literal["benchmark", "on", "off"]
GATE_MODES: tuple[GateMode, ...] = ("benchmark", "on", "off")


def check_gate_mode(name: str) -> GateMode:
    if name not in GATE_MODES:
        raise ConfigError(f"unknown gate mode {name!r}: choose one of {', '.join(GATE_MODES)}")
    return name


def with_gate(settings: Settings, mode: GateMode) -> Settings:
    """`settings` with the gate of a benchmark run (see the module docstring)."""
    s = settings.safety
    match mode:
        case "off":
            safety = s.model_copy(update={"enabled": False})
        case "benchmark":
            safety = s.model_copy(
                update={"enabled": True, "preset": "benchmark", "deliberate": False}
            )
        case "on":
            safety = s.model_copy(update={"enabled": True})
    return settings.model_copy(update={"safety": safety})
