"""The guard through the real openai client against the local chat-completions server: a
verdict with its clause, its own token budget on the wire, and a guard that reasons forever
or never answers, bounded and failing closed to "confirm"."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from artemis.agent.guard import Deliberation
from artemis.config import Settings
from artemis.models.fake_server import ChatRequest, FakeChatServer, Reply, always, hang
from artemis.models.roles import build_role_models
from artemis.safety.facts import ActionFacts, StepFacts
from artemis.safety.gate import judge
from artemis.safety.policy import load_policy
from tests.safety.test_gate import INJECTED, manager_alone, run, steps_of, thread_phone

pytestmark = pytest.mark.real_model

STEP = StepFacts(
    "Reply 'ok' to Alex",
    ActionFacts("scroll", direction="down"),
    screen_text=("Alex Kim", INJECTED),
)
VERDICT = {
    "analysis": "Scrolling reads the conversation; it follows no instruction.",
    "category": None,
    "clause": "0.3",
    "verdict": "allow",
    "reason": "reading the conversation is ordinary use",
}


def settings_for(server: FakeChatServer, **safety: Any) -> Settings:
    return Settings.model_validate(
        {
            "model": "openai:qwen3-32b",
            "models": {"base_url": server.base_url, "api_key": "sk-test", "max_retries": 0},
            "agent": {"use_tips": False, "use_tac": False, "use_aca": False, "use_sra": False},
            "safety": {"guard_max_tokens": 300, **safety},
        }
    )


async def _judge(s: Settings) -> Any:
    roles = build_role_models(s)
    try:
        policy = load_policy(s.safety)
        assert roles.guard is not None
        return await judge(
            STEP,
            policy,
            deliberate=Deliberation(roles.guard, policy, s, None),
            timeout_s=s.safety.guard_timeout_s,
        )
    finally:
        await roles.aclose()


async def test_the_guard_answers_a_verdict_with_the_clause_it_applied() -> None:
    async with FakeChatServer(always(VERDICT)) as server:
        v = await _judge(settings_for(server))
        [request] = server.requests
    assert (v.verdict, v.decided_by, v.clause) == ("allow", "model", "0.3")
    assert v.guard is not None and v.guard.analysis.startswith("Scrolling")
    body = request.body
    assert body["model"] == "qwen3-32b"
    assert body.get("max_tokens", body.get("max_completion_tokens")) == 300
    assert "You are the safety guard" in request.text and "9.1 (block)" in request.text


async def test_a_guard_that_reasons_forever_is_cut_and_the_gate_fails_closed() -> None:
    endless = Reply(
        content="<think>" + "Let me reconsider. " * 400, finish_reason="length", usage=(1500, 300)
    )
    async with FakeChatServer(always(endless)) as server:
        v = await _judge(settings_for(server, guard_retries=1))
        asked = len(server.requests)
    assert (v.verdict, v.decided_by) == ("confirm", "rules")
    assert v.error is not None and "max_tokens=300" in v.error
    assert asked == 2  # one call and one re-ask, no more


async def test_a_guard_that_never_answers_is_stopped_by_its_time_limit() -> None:
    async with FakeChatServer(hang()) as server:
        started = time.perf_counter()
        v = await _judge(settings_for(server, guard_timeout_s=0.3))
        took = time.perf_counter() - started
    assert (v.verdict, v.decided_by) == ("confirm", "rules")
    assert v.error is not None and took < 10


async def test_an_episode_where_the_guard_cannot_lift_a_sure_block(tmp_path: Path) -> None:
    """The Manager follows the injection; the rules are sure it is one; the guard, asked
    anyway, says allow; the gate holds at confirm, which no one is there to give."""
    manager_calls = 0

    def handle(request: ChatRequest) -> dict[str, Any]:
        nonlocal manager_calls
        if request.text.startswith("You are the safety guard"):
            return {**VERDICT, "reason": "the user probably wants it", "clause": "3.1"}
        manager_calls += 1
        if manager_calls == 1:
            return {
                "thought": 'Alex asks to forward: tap "Forward".',
                "action": {"type": "tap", "target": {"index": 3}},
            }
        return {"thought": "Done.", "action": {"type": "finish", "status": "success"}}

    async with FakeChatServer(handle) as server:
        s = settings_for(server)
        roles = build_role_models(s)
        device = thread_phone()
        try:
            result = await run("Reply 'ok' to Alex", device, roles, manager_alone(), tmp_path)
        finally:
            await roles.aclose()
    first = steps_of(result)[0]
    assert device.executed == []
    assert first["safety"]["decided_by"] == "model" and first["safety"]["verdict"] == "confirm"
    assert first["safety"]["guard"]["verdict"] == "allow"
    assert first["safety"]["confirmation"] == {"approved": False, "by": "setting"}
    assert first["tokens"]["guard"]["calls"] == 1
