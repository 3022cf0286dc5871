"""The ablation rows of D-Artemis's table, as agent switches.

| name | what runs | paper's row |
|---|---|---|
| `manager` | the Manager alone | manager alone |
| `+sra` | + status reflection (SRA) | + SRA |
| `+aca` | + SRA + action correction (ACA; with no TAC it reviews every action) | + ACA |
| `+tac` | + SRA + ACA + the consistency check (TAC) | + TAC |
| `full` | + SRA + ACA + TAC + app tips | full system |
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from artemis.config import Settings
from artemis.errors import BenchmarkError

Ablation: TypeAlias = Literal["manager", "+sra", "+aca", "+tac", "full"]

SWITCHES: dict[Ablation, dict[str, bool]] = {
    "manager": {"use_sra": False, "use_aca": False, "use_tac": False, "use_tips": False},
    "+sra": {"use_sra": True, "use_aca": False, "use_tac": False, "use_tips": False},
    "+aca": {"use_sra": True, "use_aca": True, "use_tac": False, "use_tips": False},
    "+tac": {"use_sra": True, "use_aca": True, "use_tac": True, "use_tips": False},
    "full": {"use_sra": True, "use_aca": True, "use_tac": True, "use_tips": True},
}
ABLATIONS: tuple[Ablation, ...] = tuple(SWITCHES)


def check_ablation(name: str) -> Ablation:
    if name not in SWITCHES:
        raise BenchmarkError(f"unknown ablation {name!r}: choose one of {', '.join(ABLATIONS)}")
    return name


def with_ablation(settings: Settings, name: Ablation, **agent: object) -> Settings:
    """`settings` with the ablation's switches (and any other `agent` fields) applied."""
    update = {**SWITCHES[name], **agent}
    return settings.model_copy(update={"agent": settings.agent.model_copy(update=update)})
