"""One episode from start to end: the step loop, the trajectory, and learnt tips.

`run_episode` is the boundary where expected failures become an outcome: it returns an
`EpisodeResult` for every `ArtemisError` (the trajectory says what happened). An interruption
(Ctrl-C, or the task cancelled) is recorded in `episode.json` as `interrupted`, anything else
(a bug) as `crashed`; both are re-raised.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.agent.events import OnEvent
from artemis.agent.loop import Agent, Lesson
from artemis.agent.steps import Finished, Outcome, Stopped
from artemis.agent.trajectory import TrajectoryWriter, now_iso
from artemis.config import Settings
from artemis.device.base import Device
from artemis.errors import AgentError, ArtemisError
from artemis.models.roles import RoleModels
from artemis.safety.confirm import Confirmer
from artemis.tips.base import Tip, TipSource, TipStore


@dataclass
class EpisodeResult:
    episode_id: str
    task: str
    outcome: Outcome
    reason: str
    steps: int
    path: Path
    answer: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    duration_s: float = 0.0
    lessons: list[str] = field(default_factory=list)
    #: How the plans started beside a reflection ended: kept, replanned, dropped.
    speculation: dict[str, int] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return self.outcome in ("success", "answered")


def check_task(task: str) -> str:
    """The task, stripped; `AgentError` when there is nothing to do."""
    text = task.strip()
    if not text:
        raise AgentError('the task is empty: say what to do, e.g. "Turn on Wi-Fi"')
    return text


def role_names(roles: RoleModels) -> dict[str, str]:
    return {role: model.name for role, model in roles.items()}


def episode_config(settings: Settings, roles: RoleModels) -> dict[str, Any]:
    return {
        "agent": settings.agent.model_dump(mode="json"),
        "safety": settings.safety.model_dump(mode="json"),
        "models": role_names(roles),
        "device": settings.device.address,
        "log_screens": settings.log_screens,
        "log_typed_text": settings.log_typed_text,
    }


async def run_episode(
    task: str,
    device: Device,
    roles: RoleModels,
    tips: TipStore | None,
    settings: Settings,
    out_dir: Path,
    *,
    on_event: OnEvent | None = None,
    episode_id: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    confirm: Confirmer | None = None,
) -> EpisodeResult:
    """Run `task` until `finish`/`answer`, the step budget, too many failed steps, or an
    unrecoverable error; the trajectory goes to `out_dir/<episode id>/`. `confirm` answers
    the safety gate's "confirm" verdicts (default: the setting `safety.on_confirm`)."""
    task = check_task(task)
    started = time.perf_counter()
    writer = await TrajectoryWriter.create(
        out_dir,
        task=task,
        config=episode_config(settings, roles),
        episode_id=episode_id,
        log_screens=settings.log_screens,
        log_typed_text=settings.log_typed_text,
    )
    agent = Agent(
        task,
        device,
        roles,
        settings=settings,
        tips=tips,
        recorder=writer,
        on_event=on_event,
        clock=clock,
        sleep=sleep,
        confirm=confirm,
    )
    agent.emit(
        "episode",
        None,
        id=writer.id,
        task=task,
        path=str(writer.root),
        models=role_names(roles),
        max_steps=settings.agent.max_steps,
    )
    outcome: Outcome = "step_budget"
    reason = f"the step budget of {settings.agent.max_steps} ran out"
    answer: str | None = None
    errors: list[str] = []
    loop = asyncio.get_running_loop()
    budget = settings.agent.episode_timeout_s
    deadline = None if budget is None else loop.time() + budget
    try:
        for _ in range(settings.agent.max_steps):
            left = None if deadline is None else deadline - loop.time()
            nxt = (await agent.step(deadline_s=left)).next
            if isinstance(nxt, Finished):
                outcome, reason, answer = nxt.outcome, nxt.reason, nxt.answer
                break
            if deadline is not None and loop.time() >= deadline:
                outcome = "time_budget"
                reason = f"the episode ran longer than {budget:g} s (agent.episode_timeout_s)"
                break
            if isinstance(nxt, Stopped):
                outcome, reason = nxt.outcome, nxt.reason
                break
    except ArtemisError as exc:
        outcome, reason = "error", str(exc)
        errors.append(f"{type(exc).__name__}: {exc}")
    except BaseException as exc:
        # Finished steps are on disk; a Ctrl-C says the episode was stopped, not that it broke.
        stopped = isinstance(exc, asyncio.CancelledError | KeyboardInterrupt)
        writer.update_now(
            status="interrupted" if stopped else "crashed",
            ended=now_iso(),
            errors=[
                f"interrupted during step {agent.steps_done}"
                if stopped
                else f"{type(exc).__name__}: {exc}"
            ],
            usage=agent.usage.to_dict(),
        )
        raise
    finally:
        await agent.aclose()

    if agent.last_observation is not None:
        await writer.screen("final", agent.last_observation.screenshot)
    lessons = await propose_lessons(tips, agent.lessons, writer.id, errors)
    duration = time.perf_counter() - started
    await writer.update(
        status="done",
        ended=now_iso(),
        outcome={"status": outcome, "reason": reason, "answer": answer},
        usage=agent.usage.to_dict(),
        timings={
            "total_s": round(duration, 4),
            "by_stage": {k: round(v, 4) for k, v in agent.stage_totals.items()},
        },
        lessons=lessons,
        errors=errors,
        speculation={k: v for k, v in agent.speculation.items()},
    )
    result = EpisodeResult(
        episode_id=writer.id,
        task=task,
        outcome=outcome,
        reason=reason,
        steps=agent.steps_done,
        path=writer.root,
        answer=answer,
        usage=agent.usage.to_dict(),
        duration_s=duration,
        lessons=[str(x["text"]) for x in lessons],
        speculation={k: v for k, v in agent.speculation.items()},
    )
    agent.emit(
        "done",
        None,
        outcome=outcome,
        reason=reason,
        path=str(writer.root),
        steps=result.steps,
        usage=result.usage,
    )
    return result


async def propose_lessons(
    store: TipStore | None, lessons: list[Lesson], episode_id: str, errors: list[str]
) -> list[dict[str, Any]]:
    """Offer each lesson of the reflector to the tip store as a learnt candidate tip; returns
    what was proposed (for `episode.json`). Failures of the store land in `errors`."""
    out: list[dict[str, Any]] = []
    if store is None:
        return out
    today = dt.datetime.now(dt.UTC).date()
    for lesson in lessons:
        tip = Tip(
            app=lesson.app or "*",
            text=lesson.text[:1000],
            source=TipSource(kind="learnt", episode=episode_id, step=lesson.step, date=today),
            status="candidate",
        )
        try:
            proposed = await store.propose(tip)
        except ArtemisError as exc:
            errors.append(f"proposing a learnt tip failed: {exc}")
            continue
        out.append(
            {
                "step": lesson.step,
                "app": tip.app,
                "text": tip.text,
                "id": None if proposed is None else proposed.id,
                "duplicate": proposed is None,
            }
        )
    return out
