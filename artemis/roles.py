"""The agent's roles: the one list that settings, model wiring, the loop and reports read.

A role is a model call with its own job in a step, in the order a step makes them: the
Manager plans, the checker (TAC) judges the plan, the corrector (ACA) fixes it, the safety
guard judges what the gate's rules are unsure of, the reflector (SRA) judges the outcome. A
new role is added here (its name in `AgentRole`, its title in `TITLES`), then given a field
in `artemis.config.ModelSettings` and `artemis.models.roles.RoleModels`; tests check that
all of them agree.
"""

from __future__ import annotations

from typing import Literal, TypeAlias, get_args

AgentRole: TypeAlias = Literal["manager", "tac", "aca", "sra", "guard"]

#: Every role, in the order a step calls them.
ROLES: tuple[AgentRole, ...] = get_args(AgentRole)

#: How each role is named for people (reports, tables); read with `.get(name, name)`, since
#: a recorded trajectory may name a role this version does not have.
TITLES: dict[str, str] = {
    "manager": "manager",
    "tac": "checker (TAC)",
    "aca": "corrector (ACA)",
    "sra": "reflector (SRA)",
    "guard": "safety guard",
}
