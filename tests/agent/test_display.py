"""The live display prints each stage of a run and a final line; the heuristic is labelled as
the offline baseline."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from artemis.agent import RoleModels, run_episode
from artemis.agent.display import LiveDisplay, final_line
from artemis.agent.events import AgentEvent
from artemis.agent.heuristic import HeuristicPolicy
from tests.agent.fakes import FakeClock, FakeDevice
from tests.agent.helpers import make_settings


async def test_the_display_shows_steps_actions_verdicts_and_the_final_line(tmp_path: Path) -> None:
    console = Console(record=True, width=160, color_system=None)
    clock = FakeClock()
    result = await run_episode(
        "Turn on Wi-Fi",
        FakeDevice(),
        RoleModels.same(HeuristicPolicy()),
        None,
        make_settings(),
        tmp_path,
        on_event=LiveDisplay(console),
        clock=clock,
        sleep=clock.sleep,
    )
    console.print(final_line(result.outcome, result.reason, result.steps, str(result.path), 0))
    out = console.export_text()
    assert "heuristic (offline baseline, not an LLM)" in out
    assert "step 1" in out and "open_app 'Settings'" in out
    assert "check    ✓ (precheck)" in out
    assert "reflect  ✓" in out
    assert f"✓ success · {result.steps} steps · 0 tokens · trajectory {result.path}" in out


def test_the_final_line_gives_the_reason_of_a_failure() -> None:
    console = Console(record=True, width=200, color_system=None)
    console.print(final_line("step_failures", "3 steps failed in a row", 3, "runs/x", 120))
    assert (
        "✗ step_failures: 3 steps failed in a row · 3 steps · 120 tokens" in console.export_text()
    )


def test_a_blank_screen_is_announced() -> None:
    console = Console(record=True, width=160, color_system=None)
    LiveDisplay(console)(AgentEvent("blank_screen", 2))
    assert "screen not captured (all black or empty, as for a FLAG_SECURE window)" in (
        console.export_text()
    )
