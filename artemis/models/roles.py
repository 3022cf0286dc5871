"""One model per agent role: the manager, the checker (TAC), the corrector (ACA), the reflector
(SRA) and the safety guard. Each role takes its own spec (`models.manager`, `models.tac`, ...)
or the default `model`; roles with the same spec share one backend instance, and so its
connection pool and what it learnt about the server's structured-output support.

The guard is the exception: its backend is built apart, bounded by `safety.guard_max_tokens`
and `safety.guard_timeout_s` with no retries of its own, since a guard that cannot answer in
time fails closed (`artemis.safety.gate`) rather than waiting."""

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
    #: None: the safety gate decides by its rules alone.
    guard: ChatModel | None = None

    def __getitem__(self, role: AgentRole) -> ChatModel:
        model: ChatModel | None = getattr(self, role) if role in ROLES else None
        if model is None:
            raise KeyError(role)
        return model

    def items(self) -> Iterator[tuple[AgentRole, ChatModel]]:
        """The roles that have a model, in role order."""
        for role in ROLES:
            model: ChatModel | None = getattr(self, role)
            if model is not None:
                yield role, model

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
    cache: dict[tuple[str | None, bool], ChatModel] = {}
    models: dict[AgentRole, ChatModel] = {}
    for role in ROLES:
        spec = settings.role_model(role)
        key = (spec.strip() if spec else None, role == "guard")
        if key not in cache:
            cache[key] = resolve(key[0], guard_settings(settings) if key[1] else settings)
        models[role] = cache[key]
    return RoleModels(**models)


def guard_settings(settings: Settings) -> Settings:
    """The settings the guard's backend is built from: the safety gate's token budget and
    time limit per call, and no retries (the gate fails closed to "confirm" instead)."""
    s = settings.safety
    models = settings.models.model_copy(
        update={
            "max_tokens": s.guard_max_tokens,
            "timeout_s": s.guard_timeout_s,
            "max_retries": 0,
        }
    )
    return settings.model_copy(update={"models": models})
