"""The SimWorld task templates by name, and the suite of instances a run is made of.

Templates register themselves with `@template` when their module is imported;
`templates()` imports every task module first. Each template belongs to a suite: SimWorld's
own tasks (`simworld`) or SimWorld-Safety's (`safety`, `artemis.bench.simworld.safety`). A
run's suite is `n` instances of each chosen template, with parameters drawn from a generator
seeded by (seed, template, instance number), so the same seed always gives the same suite
whatever else is chosen.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from artemis.errors import BenchmarkError

T = TypeVar("T", bound=type)

_TEMPLATES: dict[str, type[Any]] = {}


def template(cls: T) -> T:
    """Class decorator: register a `SimTask` subclass under its class name."""
    name = cls.__name__
    if name in _TEMPLATES and _TEMPLATES[name] is not cls:
        raise ValueError(f"two SimWorld templates named {name}")
    _TEMPLATES[name] = cls
    return cls


SUITES = ("simworld", "safety")


def templates(suite: str | None = "simworld") -> dict[str, type[Any]]:
    """The templates of a suite (every suite's with None), by name: app by app in the
    launcher's order, cross-app tasks last."""
    import artemis.bench.simworld.safety
    import artemis.bench.simworld.tasks  # noqa: F401  (both register their templates)
    from artemis.sim.apps import APPS

    order = list(APPS)

    def key(item: tuple[str, type[Any]]) -> tuple[bool, int]:
        cls = item[1]
        return ("cross_app" in cls.kinds, order.index(cls.apps[0]))

    chosen = {n: c for n, c in _TEMPLATES.items() if suite is None or c.suite == suite}
    return dict(sorted(chosen.items(), key=key))


def select(names: Sequence[str] | None, *, suite: str = "simworld") -> list[type[Any]]:
    """The templates `names` picks (all when empty); an unknown name raises with a suggestion.

    A name may also be a prefix shared by several templates ("Contacts" picks every Contacts
    template)."""
    if suite not in SUITES:
        raise BenchmarkError(f"no SimWorld suite is called {suite!r}: {', '.join(SUITES)}")
    known = templates(suite)
    if not names:
        return list(known.values())
    out: list[type[Any]] = []
    for name in names:
        hits = [cls for n, cls in known.items() if n == name] or [
            cls for n, cls in known.items() if n.startswith(name)
        ]
        if not hits:
            close = difflib.get_close_matches(name, list(known), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise BenchmarkError(f"no SimWorld task is called {name!r}.{hint}")
        out += [cls for cls in hits if cls not in out]
    return out


@dataclass(frozen=True)
class Case:
    """One episode to run: a template instance and the phone seed it starts from."""

    id: str
    template: str
    index: int
    params: dict[str, Any]
    phone_seed: int

    def task(self) -> Any:
        return templates(None)[self.template](self.params)


def case_rng(seed: int, name: str, index: int) -> random.Random:
    return random.Random(f"simworld-{seed}-{name}-{index}")


def build_suite(
    names: Sequence[str] | None = None,
    *,
    seed: int = 0,
    combinations: int = 1,
    suite: str = "simworld",
) -> list[Case]:
    """`combinations` instances of each template of `suite` that `names` picks, drawn from
    `seed`."""
    if combinations < 1:
        raise BenchmarkError("--n-task-combinations must be at least 1")
    cases: list[Case] = []
    for cls in select(names, suite=suite):
        name = cls.__name__
        for i in range(combinations):
            rng = case_rng(seed, name, i)
            params = cls.random_params(rng).model_dump(mode="json")
            cases.append(
                Case(
                    id=f"{name}-s{seed}-{i}",
                    template=name,
                    index=i,
                    params=params,
                    phone_seed=rng.randrange(1_000_000),
                )
            )
    return cases
