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


def _events(display: LiveDisplay) -> None:
    display(AgentEvent("episode", None, {"task": "t", "path": "p", "models": {}, "max_steps": 5}))
    for step, ok in enumerate((True, False)):
        display(AgentEvent("step", step, {}))
        display(AgentEvent("reflection", step, {"success": ok, "analysis": "a"}))
        display(AgentEvent("step_end", step, {"tokens": {}}))


def test_a_terminal_gets_a_live_step_line_and_a_log_does_not() -> None:
    import io

    drawn = io.StringIO()
    terminal = Console(file=drawn, force_terminal=True, width=120, color_system=None)
    live = LiveDisplay(terminal, progress=True)
    _events(live)
    assert live._tracker is not None
    live._tracker._bar.refresh()  # type: ignore[union-attr]  # now, not on rich's timer
    shown = drawn.getvalue()
    assert "2/5" in shown and "1 reflected a success" in shown
    live(AgentEvent("done", None, {}))
    assert live._tracker is None  # the line is taken away with the episode

    logged = io.StringIO()
    quiet = LiveDisplay(Console(file=logged, force_terminal=False, width=120), progress=True)
    _events(quiet)
    assert quiet._tracker is None
    assert "reflected a success" not in logged.getvalue() and "step 2" in logged.getvalue()
