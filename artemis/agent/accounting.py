"""Token accounting for one episode: per call, per role, per episode.

Kept small and in one place on purpose: a shared usage tracker with prices can replace it
without touching the roles (they report a `RoleCost` per step; only this module sums them).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from artemis.agent.types import RoleCost
from artemis.models.base import Usage


class UsageLedger:
    def __init__(self) -> None:
        self._by_role: dict[str, Usage] = defaultdict(Usage)
        self._models: dict[str, str] = {}

    def add(self, role: str, cost: RoleCost) -> None:
        for usage, _latency in cost.calls:
            self._by_role[role] = self._by_role[role] + usage
        if cost.model:
            self._models[role] = cost.model

    def role(self, role: str) -> Usage:
        return self._by_role.get(role, Usage())

    @property
    def total(self) -> Usage:
        total = Usage()
        for usage in self._by_role.values():
            total = total + usage
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_role": {
                role: {"model": self._models.get(role, ""), **usage.as_dict()}
                for role, usage in sorted(self._by_role.items())
            },
            "total": self.total.as_dict(),
        }
