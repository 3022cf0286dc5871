"""Every SimWorld template: seeded parameters, set-up, checker, and the oracle's solution played
through the phone's UI in process (the ADB path is tested in test_runner)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from artemis.bench.simworld.ops import LongPressOn, Op, TapOn, TypeInto
from artemis.bench.simworld.registry import Case, build_suite, case_rng, select, templates
from artemis.bench.simworld.task import AnyTask
from artemis.bench.simworld.tasks.common import LABELS
from artemis.errors import BenchmarkError
from artemis.sim.apps import APPS
from artemis.sim.phone import Phone
from tests.bench.simworld.driver import play

NAMES = list(templates())


def _start(case: Case) -> tuple[AnyTask, Phone]:
    task = case.task()
    phone = Phone(case.phone_seed)
    task.initialize(phone)
    return task, phone


def test_forty_templates_or_more_cover_every_app_and_kind() -> None:
    ts = templates().values()
    assert len(ts) >= 40
    assert {pkg for t in ts for pkg in t.apps} == set(APPS) == set(LABELS)
    kinds = {k for t in ts for k in t.kinds}
    assert kinds >= {"toggle", "navigation", "form", "search", "edit", "cross_app", "question"}
    traps = {k for t in ts for k in t.traps}
    assert traps >= {"confirm_dialog", "clear_field", "below_fold"}


@pytest.mark.parametrize("name", NAMES)
def test_params_are_seeded(name: str) -> None:
    cls = templates()[name]
    first = [cls.random_params(case_rng(7, name, i)) for i in range(4)]
    again = [cls.random_params(case_rng(7, name, i)) for i in range(4)]
    assert first == again
    goal = cls(first[0]).goal
    assert goal and "{" not in goal and "}" not in goal
    assert cls(first[0]).max_steps == round(10 * cls.complexity)


def test_suite_is_the_same_for_a_seed_and_differs_across_seeds() -> None:
    a = build_suite(seed=3, combinations=2)
    assert a == build_suite(seed=3, combinations=2)
    b = build_suite(seed=4, combinations=2)
    assert [c.params for c in a] != [c.params for c in b]
    assert len({c.id for c in a}) == len(a) == 2 * len(NAMES)
    # a template's instances do not depend on which other templates are chosen
    only = build_suite(["ClockTimer"], seed=3, combinations=2)
    assert only == [c for c in a if c.template == "ClockTimer"]


def test_unknown_task_names_get_a_suggestion_and_prefixes_pick_groups() -> None:
    with pytest.raises(BenchmarkError, match="ClockTimer"):
        select(["ClockTimr"])
    assert {c.__name__ for c in select(["Files"])} == {n for n in NAMES if n.startswith("Files")}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_checker_fails_before_and_passes_after_the_oracle(name: str, seed: int) -> None:
    for case in build_suite([name], seed=seed, combinations=2):
        task, phone = _start(case)
        assert task.is_successful(phone, None) == 0.0, "already solved before anything ran"
        status, answer, steps = play(phone, task)
        assert status in ("success", "answered"), status
        assert steps <= task.max_steps
        assert task.is_successful(phone, answer) == 1.0
        if task.is_question:
            assert task.is_successful(phone, "I do not know") == 0.0
            assert task.is_successful(phone, None) == 0.0


def _naive(task: AnyTask, change: Callable[[list[Op]], list[Op]]) -> AnyTask:
    ops = change(list(task.solution()))
    task.solution = lambda: ops  # type: ignore[method-assign]
    return task


def _without_clearing(ops: list[Op]) -> list[Op]:
    return [dataclasses.replace(o, clear=False) if isinstance(o, TypeInto) else o for o in ops]


def _without_confirming(ops: list[Op]) -> list[Op]:
    last = max(i for i, o in enumerate(ops) if isinstance(o, TapOn))
    return ops[:last]


def _trapped(trap: str) -> list[str]:
    return [n for n, t in templates().items() if trap in t.traps]


@pytest.mark.parametrize("name", _trapped("clear_field"))
def test_typing_into_a_filled_field_without_clearing_fails(name: str) -> None:
    (case,) = build_suite([name], seed=0)
    task, phone = _start(case)
    _, answer, _ = play(phone, _naive(task, _without_clearing))
    assert task.is_successful(phone, answer) == 0.0


@pytest.mark.parametrize("name", _trapped("confirm_dialog"))
def test_leaving_the_confirmation_dialog_unanswered_fails(name: str) -> None:
    (case,) = build_suite([name], seed=0)
    task, phone = _start(case)
    _, answer, _ = play(phone, _naive(task, _without_confirming))
    assert task.is_successful(phone, answer) == 0.0


@pytest.mark.parametrize("name", _trapped("below_fold"))
def test_below_the_fold_targets_need_a_scroll(name: str) -> None:
    for case in build_suite([name], seed=0, combinations=2):
        task, phone = _start(case)
        ops = list(task.solution())
        _naive(task, lambda _, ops=ops: ops)  # type: ignore[misc]
        play(phone, task)
        assert any(isinstance(o, TapOn | LongPressOn) and o.scrolls > 0 for o in ops)
