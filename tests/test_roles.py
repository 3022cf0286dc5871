"""The one list of agent roles, and everything that must agree with it."""

from __future__ import annotations

import dataclasses

from artemis.agent.types import RoleName
from artemis.config import ModelSettings, Settings
from artemis.models.registry import HOW_TO_CONFIGURE
from artemis.models.roles import RoleModels
from artemis.models.testing import ScriptedModel
from artemis.roles import ROLES, TITLES, AgentRole


def test_every_part_names_the_same_roles_in_the_same_order() -> None:
    assert ROLES == ("manager", "tac", "aca", "sra", "guard")
    assert list(TITLES) == list(ROLES)
    assert [f.name for f in dataclasses.fields(RoleModels)] == list(ROLES)
    assert [name for name in ModelSettings.model_fields if name in TITLES] == list(ROLES)
    assert RoleName is AgentRole
    assert all(f"models.{role}" in HOW_TO_CONFIGURE for role in ROLES)


def test_each_role_takes_its_own_model_or_the_default() -> None:
    settings = Settings(model="openai:big", models=ModelSettings(tac="openai:small"))
    assert {role: settings.role_model(role) for role in ROLES} == {
        "manager": "openai:big",
        "tac": "openai:small",
        "aca": "openai:big",
        "sra": "openai:big",
        "guard": "openai:big",
    }
    model = ScriptedModel([])
    assert [m for _, m in RoleModels.same(model).items()] == [model] * len(ROLES)
