"""The oracle's solutions over the real ADB path: each phone of a `DevicePool` is served by its
own adbd (in this process, or in the phones' own process) and driven by the production
`AdbDevice` (tap, text input with shell quoting, clearing, scrolling, opening apps by label).
Observations skip the screenshot here; the agent loop's full path is tested in test_runner."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from artemis.actions import Answer, Finish
from artemis.bench.simworld.oracle import OracleModel
from artemis.bench.simworld.pool import DevicePool, SimSlot
from artemis.bench.simworld.registry import Case, build_suite
from artemis.bench.simworld.task import initialize_task, score_task
from artemis.config import Settings
from artemis.observation import Observation
from artemis.sim.phone import Phone


async def _play(slot: SimSlot, case: Case) -> float:
    await slot.reset(case.phone_seed)
    task = await slot.run(initialize_task, case.task())
    oracle = OracleModel(task)
    answer: str | None = None
    for _ in range(task.max_steps):
        fg = await slot.device.current_app()
        ui = await slot.device.ui_tree()
        move = oracle.plan(Observation(b"", 1080, 2400, ui, fg.package, fg.activity))
        if isinstance(move.action, Finish):
            assert move.action.status == "success", f"{case.id}: {move.action.reason}"
            break
        if isinstance(move.action, Answer):
            answer = move.action.text
            break
        await slot.device.execute(move.action, ui=ui)
    return await slot.run(score_task, task, answer)


def phone_id(phone: Phone) -> tuple[int, int]:
    import os

    return os.getpid(), id(phone)


def mess_up(phone: Phone) -> None:
    phone.state.contacts.clear()
    phone.clock.advance(3600)  # type: ignore[attr-defined]


def state_and_time(phone: Phone) -> tuple[Any, Any]:
    return phone.state, phone.clock.now()


@pytest.mark.parametrize("separate", [False, True], ids=["here", "own-process"])
async def test_every_template_is_solved_through_adb_on_two_phones(separate: bool) -> None:
    import os

    cases = build_suite(seed=5)
    scores: dict[str, float] = {}
    async with DevicePool(2, Settings(), separate_process=separate) as pool:
        ids = {await s.run(phone_id) for s in pool.slots}
        assert len(ids) == 2 and ({pid for pid, _ in ids} == {os.getpid()}) is not separate

        async def worker(slot: SimSlot, mine: list[Case]) -> None:
            for case in mine:
                scores[case.id] = await _play(slot, case)

        async with asyncio.TaskGroup() as tg:
            for i, slot in enumerate(pool.slots):
                tg.create_task(worker(slot, cases[i::2]))
    assert scores == {c.id: 1.0 for c in cases}


@pytest.mark.parametrize("separate", [False, True], ids=["here", "own-process"])
async def test_a_slot_resets_its_phone_to_the_case_seed(separate: bool) -> None:
    async with (
        DevicePool(1, Settings(), separate_process=separate) as pool,
        pool.lease() as slot,
    ):
        await slot.run(mess_up)
        await slot.reset(11)
        fresh = Phone(11)
        assert await slot.run(state_and_time) == (fresh.state, fresh.clock.now())
        assert (await slot.device.current_app()).package == "com.android.launcher3"


async def test_phones_whose_process_cannot_start_are_a_one_line_benchmark_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from artemis.errors import BenchmarkError

    monkeypatch.setattr("artemis.sim.host.sys.executable", "/nonexistent/python3")
    with pytest.raises(BenchmarkError, match="simulated phones' process: cannot start"):
        async with DevicePool(2, Settings(), separate_process=True):
            pass
