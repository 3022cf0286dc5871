"""One model per agent role: the manager, the checker (TAC), the corrector (ACA), the reflector
(SRA). Each role takes its own spec (`models.manager`, `models.tac`, ...) or the default
`model`; roles with the same spec share one backend instance, and so its connection pool and
what it learnt about the server's structured-output support."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from artemis.config import Settings
from artemis.models.base import ChatModel
from artemis.models.registry import Use, check_use, resolve_model
from artemis.roles import ROLES, AgentRole

__all__ = ["ROLES", "AgentRole", "Resolver", "RoleModels", "build_role_models"]

Resolver = Callable[[str | None, Settings], ChatModel]


@dataclass(frozen=True, slots=True)
class RoleModels:
    manager: ChatModel
    tac: ChatModel
    aca: ChatModel
    sra: ChatModel

    def __getitem__(self, role: AgentRole) -> ChatModel:
        if role not in ROLES:
            raise KeyError(role)
        model: ChatModel = getattr(self, role)
        return model

    def items(self) -> Iterator[tuple[AgentRole, ChatModel]]:
        for role in ROLES:
            yield role, self[role]

    def distinct(self) -> list[ChatModel]:
        """Each backend instance once, in role order."""
        seen: dict[int, ChatModel] = {}
        for _, model in self.items():
            seen.setdefault(id(model), model)
        return list(seen.values())

    @classmethod
    def same(cls, model: ChatModel) -> RoleModels:
        """Every role on one model (tests, demos)."""
        return cls(**dict.fromkeys(ROLES, model))

    async def aclose(self) -> None:
        """Close the backends that hold connections."""
        for model in self.distinct():
            close = getattr(model, "aclose", None)
            if close is not None:
                await close()


def build_role_models(
    settings: Settings, *, resolve: Resolver = resolve_model, use: Use = "agent"
) -> RoleModels:
    """Resolve each role's spec (`settings.role_model(role)`), one instance per distinct spec.

    Raises `ModelConfigError` when a role has no spec at all, saying how to configure one, or
    names a model that cannot serve `use` (the agent on any task, by default).
    """
    for role in ROLES:
        check_use(settings.role_model(role), use)
    cache: dict[str | None, ChatModel] = {}
    models: dict[AgentRole, ChatModel] = {}
    for role in ROLES:
        spec = settings.role_model(role)
        key = spec.strip() if spec else None
        if key not in cache:
            cache[key] = resolve(key, settings)
        models[role] = cache[key]
    return RoleModels(**models)
