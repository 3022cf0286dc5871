"""The scripted test models: strictness, schema parsing, usage estimates."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from artemis.errors import ModelResponseError, ScriptError
from artemis.models.base import Message, ModelRequest, ModelResponse, ToolCall
from artemis.models.dialects import Rendered
from artemis.models.parsing import extract_json
from artemis.models.testing import Call, Expect, FunctionModel, ScriptedModel


class Verdict(BaseModel):
    ok: bool


async def test_scripted_model_replies_in_order_and_fails_when_used_up() -> None:
    model = ScriptedModel(["hello", Verdict(ok=True)])
    r1: ModelResponse[Any] = await model.complete([Message.user("hi")])
    assert r1.text == "hello" and r1.parsed is None
    r2 = await model.complete([Message.user("check")], output_schema=Verdict)
    assert r2.parsed == Verdict(ok=True)
    assert r2.usage.calls == 1 and r2.usage.input_tokens == 1
    model.assert_exhausted()
    with pytest.raises(ScriptError, match="unexpected call #3"):
        await model.complete([Message.user("again")])


async def test_scripted_model_reports_leftover_script() -> None:
    model = ScriptedModel(["a", "b"])
    await model.complete([Message.user("x")])
    with pytest.raises(ScriptError, match="1 scripted replies were not used"):
        model.assert_exhausted()


async def test_expect_checks_the_role_and_exceptions_are_raised() -> None:
    model = ScriptedModel([Expect("x", role="tac"), TimeoutError("slow")])
    with pytest.raises(ScriptError, match="expected role 'tac'"):
        await model.complete([Message.user("x")], request=ModelRequest(role="manager"))
    with pytest.raises(TimeoutError):
        await model.complete([Message.user("x")])


async def test_a_reply_that_does_not_fit_the_schema_is_a_model_response_error() -> None:
    model = ScriptedModel(['{"ok": "perhaps"}', "no json here"])
    with pytest.raises(ModelResponseError, match="Verdict schema: ok"):
        await model.complete([Message.user("x")], output_schema=Verdict)
    with pytest.raises(ModelResponseError, match="no JSON"):
        await model.complete([Message.user("x")], output_schema=Verdict)


async def test_a_rejected_reply_carries_its_response_and_the_tokens_it_spent() -> None:
    reply = "no json here, " * 4  # 56 characters: 14 output tokens
    for model in (ScriptedModel([reply]), FunctionModel(lambda call: reply)):
        with pytest.raises(ModelResponseError) as caught:
            await model.complete([Message.user("x" * 40)], output_schema=Verdict)
        spent = caught.value.response
        assert isinstance(spent, ModelResponse), model.name
        assert spent.text == reply and spent.parsed is None and spent.model == model.name
        assert (spent.usage.input_tokens, spent.usage.output_tokens, spent.usage.calls) == (
            10,
            14,
            1,
        )


async def test_function_model_sees_the_request() -> None:
    async def reply(call: Call) -> dict[str, bool]:
        return {"ok": call.role == "tac" and call.input(ModelRequest).attempt == 2}

    model = FunctionModel(reply)
    r = await model.complete(
        [Message.user("x")], output_schema=Verdict, request=ModelRequest(role="tac", attempt=2)
    )
    assert r.parsed == Verdict(ok=True) and len(model.calls) == 1
    with pytest.raises(ScriptError, match="expected a Verdict"):
        model.calls[0].input(Verdict)  # type: ignore[type-var]


async def test_a_scripted_reply_can_be_tool_calls() -> None:
    calls = (ToolCall("mobile_use", '{"action": "key", "text": "back"}', "c1"),)
    model = ScriptedModel([Rendered("", calls)])
    r = await model.complete([Message.user("x")], output_schema=Verdict)
    assert r.tool_calls == list(calls) and r.parsed is None


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        'Sure! ```json\n{"a": 1}\n```',
        '<think>maybe {"a": 2}</think> answer: {"a": 1} done',
        'prefix {"a": 1} {"b": 2}',
    ],
)
def test_extract_json_finds_the_object(text: str) -> None:
    assert extract_json(text) == {"a": 1}
