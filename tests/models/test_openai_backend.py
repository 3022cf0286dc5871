"""The openai backend, through the real openai SDK, against the local chat service in memory
(the backend's transport seam): every path of a call, with no network and no real model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from artemis.errors import (
    ModelAuthError,
    ModelConfigError,
    ModelError,
    ModelResponseError,
    ModelServerError,
    ModelTimeoutError,
)
from artemis.models.base import Message, ModelResponse
from artemis.models.connection import resolve_connection
from artemis.models.fake_server import (
    ChatRequest,
    FakeChatServer,
    Reply,
    always,
    failing,
    garbage,
    hang,
    rejecting_response_format,
    replies,
)
from artemis.models.openai_backend import OpenAIModel
from artemis.models.structured import schema_text
from tests.models.conftest import FAKE_URL, SleepRecorder, png

MakeModel = Callable[..., OpenAIModel]


class Point(BaseModel):
    x: int
    y: int


async def test_a_call_returns_text_usage_latency_and_frames(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always(Reply(content="hello", usage=(123, 45)))
    model = make_model()
    r: ModelResponse[Any] = await model.complete(
        [Message.system("be brief"), Message.user("hi", png(200, 100))]
    )
    assert r.text == "hello" and r.parsed is None and r.model == "openai:fake-model"
    assert (r.usage.input_tokens, r.usage.output_tokens, r.usage.calls) == (123, 45, 1)
    assert r.latency_s > 0 and r.extra["attempts"] == 1
    assert [(f.sent_width, f.sent_height) for f in r.frames] == [(200, 100)]
    sent = server.chat_requests[0]
    assert sent.api_key == "test-key" and sent.model == "fake-model"
    assert sent.messages[0] == {"role": "system", "content": "be brief"}
    assert sent.image_urls[0].startswith("data:image/png;base64,")
    assert sent.body["max_tokens"] == 1024 and "response_format" not in sent.body
    await model.aclose()


async def test_images_are_resized_and_reply_points_map_back_through_the_sent_frame(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    # A Qwen2.5-VL-style model answers in pixels of the image it was sent.
    def click_centre_of_what_i_saw(request: ChatRequest) -> dict[str, int]:
        (w, h) = request.image_sizes()[0]
        return {"x": w // 2, "y": h // 4}

    server.handler = click_centre_of_what_i_saw
    model = make_model("qwen2.5-vl-72b-instruct", max_image_pixels=300_000)
    assert model.coords == "pixels" and model.image_rule.factor == 28
    r = await model.complete([Message.user("tap", png(1080, 2400))], output_schema=Point)
    (w, h) = server.chat_requests[0].image_sizes()[0]
    assert w * h <= 300_000 and w % 28 == 0 and h % 28 == 0
    frame = r.frames[0]
    assert (frame.sent_width, frame.sent_height) == (w, h)
    assert (frame.original_width, frame.original_height) == (1080, 2400)
    assert r.parsed is not None
    x, y = r.to_device(r.parsed.x, r.parsed.y)
    assert abs(x - 540) <= 1080 / w and abs(y - 600) <= 2400 / h


async def test_norm1000_models_map_back_without_the_frame_size(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always({"x": 500, "y": 250})
    model = make_model("ui-tars-7b-dpo", max_image_pixels=200_000)
    r = await model.complete([Message.user("tap", png(1080, 2400))], output_schema=Point)
    assert r.coords == "norm1000" and r.frames[0].sent_width % 28 == 0
    assert r.parsed is not None and r.to_device(r.parsed.x, r.parsed.y) == (540, 600)
    # Qwen3-VL's 0..999: 999 is the far edge.
    model = make_model("qwen3-vl-235b-a22b-instruct", max_image_pixels=200_000)
    server.handler = always({"x": 999, "y": 0})
    r = await model.complete([Message.user("tap", png(1080, 2400))], output_schema=Point)
    assert r.coords == "norm999" and r.frames[0].sent_width % 32 == 0
    assert r.parsed is not None and r.to_device(r.parsed.x, r.parsed.y) == (1079, 0)


async def test_json_schema_is_sent_strict_first(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always({"x": 1, "y": 2})
    model = make_model()
    r = await model.complete([Message.user("where?")], output_schema=Point)
    assert r.parsed == Point(x=1, y=2) and r.extra["structured"] == "json_schema"
    fmt = server.chat_requests[0].body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False


async def test_json_schema_refused_steps_down_to_json_mode_and_remembers(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = rejecting_response_format(always({"x": 3, "y": 4}), kinds=["json_schema"])
    model = make_model()
    r = await model.complete([Message.user("where?")], output_schema=Point)
    assert r.parsed == Point(x=3, y=4)
    assert r.extra["structured"] == "json_object" and r.extra["attempts"] == 2
    json_mode = server.chat_requests[1]
    assert json_mode.response_format == "json_object"
    assert schema_text(Point) in json_mode.text and "JSON" in json_mode.text  # DashScope
    r2 = await model.complete([Message.user("again")], output_schema=Point)
    assert r2.extra["attempts"] == 1 and model.structured_mode == "json_object"
    assert [q.response_format for q in server.chat_requests] == [
        "json_schema",
        "json_object",
        "json_object",
    ]


async def test_json_mode_refused_too_falls_back_to_text_extraction(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    fenced = 'Sure.\n```json\n{"x": 5, "y": 6}\n```'
    server.handler = rejecting_response_format(
        always(fenced), kinds=["json_schema", "json_object"], status=422
    )
    model = make_model()
    r = await model.complete([Message.user("where?")], output_schema=Point)
    assert r.parsed == Point(x=5, y=6) and r.extra["structured"] == "text"
    await model.complete([Message.user("again")], output_schema=Point)
    assert [q.response_format for q in server.chat_requests] == [
        "json_schema",
        "json_object",
        None,
        None,
    ]


async def test_the_schema_hint_is_not_repeated_when_the_prompt_has_it(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always({"x": 0, "y": 0})
    model = make_model(structured="text")
    await model.complete([Message.user(f"where?\n{schema_text(Point)}")], output_schema=Point)
    assert server.chat_requests[0].text.count(schema_text(Point)) == 1


async def test_a_400_about_something_else_is_not_a_step_down(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always(Reply.error(400, "image too large", param="messages"))
    model = make_model()
    with pytest.raises(ModelError, match="image too large") as info:
        await model.complete([Message.user("x")], output_schema=Point)
    assert not isinstance(info.value, ModelResponseError | ModelConfigError)
    assert model.structured_mode == "json_schema" and len(server.chat_requests) == 1


async def test_max_tokens_refused_switches_to_max_completion_tokens(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    def newer_openai_model(request: ChatRequest) -> Reply | str:
        if "max_tokens" in request.body:
            return Reply.error(400, "Unsupported parameter: 'max_tokens'", param="max_tokens")
        return "ok"

    server.handler = newer_openai_model
    model = make_model()
    assert (await model.complete([Message.user("x")])).text == "ok"
    await model.complete([Message.user("y")])
    assert [("max_completion_tokens" in q.body) for q in server.chat_requests] == [
        False,
        True,
        True,
    ]


async def test_429_is_retried_after_the_servers_retry_after(
    server: FakeChatServer, make_model: MakeModel, sleeps: SleepRecorder
) -> None:
    server.handler = failing(429, times=2, retry_after=7, then=always("finally"))
    r: ModelResponse[Any] = await make_model().complete([Message.user("x")])
    assert r.text == "finally" and r.extra["attempts"] == 3
    assert sleeps.waits == [7.0, 7.0]


@pytest.mark.parametrize("status", [408, 409, 502, 503])
async def test_transient_statuses_are_retried(
    server: FakeChatServer, make_model: MakeModel, status: int
) -> None:
    server.handler = failing(status, times=1, then=always("ok"))
    r: ModelResponse[Any] = await make_model().complete([Message.user("x")])
    assert r.text == "ok" and r.extra["attempts"] == 2


async def test_repeated_500_gives_up_after_bounded_attempts_with_backoff(
    server: FakeChatServer, make_model: MakeModel, sleeps: SleepRecorder
) -> None:
    server.handler = failing(500, times=-1, message="upstream exploded")
    with pytest.raises(ModelServerError, match=r"500: upstream exploded; 3 attempts"):
        await make_model(max_retries=2).complete([Message.user("x")])
    assert len(server.chat_requests) == 3
    assert len(sleeps.waits) == 2 and 0.375 <= sleeps.waits[0] <= 0.5 < sleeps.waits[1] <= 1.0


async def test_a_retry_after_beyond_the_limit_is_not_waited_for(
    server: FakeChatServer, make_model: MakeModel, sleeps: SleepRecorder
) -> None:
    server.handler = failing(429, times=-1, retry_after=3600)
    with pytest.raises(ModelServerError, match="rate limited"):
        await make_model().complete([Message.user("x")])
    assert sleeps.waits == [] and len(server.chat_requests) == 1


async def test_a_hanging_server_times_out_quickly(
    server: FakeChatServer, make_model: MakeModel, sleeps: SleepRecorder
) -> None:
    server.handler = hang()
    model = make_model(max_retries=1, timeout_s=30)
    with pytest.raises(ModelTimeoutError, match=r"within 0.2 s \(2 attempts\)"):
        await model.complete([Message.user("x")], timeout_s=0.2)
    assert len(server.chat_requests) == 2 and len(sleeps.waits) == 1


async def test_a_timeout_then_an_answer_succeeds(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = replies(Reply(hang=True), then=always("late but fine"))
    r: ModelResponse[Any] = await make_model(timeout_s=0.2).complete([Message.user("x")])
    assert r.text == "late but fine" and r.extra["attempts"] == 2


async def test_a_dropped_connection_is_retried(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = replies(Reply(drop=True), then=always("ok"))
    r: ModelResponse[Any] = await make_model().complete([Message.user("x")])
    assert r.text == "ok" and r.extra["attempts"] == 2


@pytest.mark.parametrize("kind", ["content", "body"])
async def test_garbage_replies_are_model_response_errors_with_the_raw_text(
    server: FakeChatServer, make_model: MakeModel, kind: str
) -> None:
    server.handler = garbage(kind)
    with pytest.raises(ModelResponseError) as info:
        await make_model().complete([Message.user("x")], output_schema=Point)
    assert ("teapot" if kind == "content" else "upstream garbage") in info.value.raw
    assert len(server.chat_requests) == 1  # not retried: the role re-asks with the error


async def test_a_reply_that_does_not_validate_keeps_its_usage(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always(Reply(content='{"x": "left"}', usage=(10, 3)))
    with pytest.raises(ModelResponseError, match="Point schema") as info:
        await make_model().complete([Message.user("x")], output_schema=Point)
    assert info.value.raw == '{"x": "left"}'
    spent = info.value.response
    assert isinstance(spent, ModelResponse) and spent.usage.input_tokens == 10


async def test_a_reply_cut_at_max_tokens_says_so(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    server.handler = always(Reply(content='{"x": 1, "y"', finish_reason="length"))
    with pytest.raises(ModelResponseError, match="cut at max_tokens=16"):
        await make_model(max_tokens=16).complete([Message.user("x")], output_schema=Point)


async def test_a_wrong_key_is_an_auth_error_saying_what_to_set(
    make_model: MakeModel,
) -> None:
    locked = FakeChatServer(api_key="the-right-key")
    wrong = resolve_connection(FAKE_URL, "wrong", env={})
    model = make_model(connection=wrong, transport=locked.transport())
    with pytest.raises(ModelAuthError, match=r"rejected the API key.*OPENAI_API_KEY"):
        await model.complete([Message.user("x")])
    keyless = make_model(
        connection=resolve_connection(FAKE_URL, env={}), transport=locked.transport()
    )
    with pytest.raises(ModelAuthError, match="wants an API key and none is set"):
        await keyless.complete([Message.user("x")])
    assert len(locked.requests) == 2  # never retried


async def test_a_local_server_needs_no_key(make_model: MakeModel) -> None:
    local = FakeChatServer(always("hi"))
    model = make_model(connection=resolve_connection(FAKE_URL, env={}), transport=local.transport())
    assert (await model.complete([Message.user("x")])).text == "hi"
    assert local.requests[0].api_key == "no-key-set"


async def test_a_wrong_path_is_a_404_config_error(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    model = make_model(connection=resolve_connection("http://chat.test/api", env={}))
    with pytest.raises(ModelConfigError, match=r"answered 404.*ending in /v1"):
        await model.complete([Message.user("x")])


async def test_a_call_through_an_injected_transport_is_no_real_call(
    server: FakeChatServer, make_model: MakeModel
) -> None:
    # This test is not marked real_model: the guard is on, and the in-memory call is allowed.
    server.handler = always("through the seam")
    r: ModelResponse[Any] = await make_model().complete([Message.user("x")])
    assert r.text == "through the seam" and len(server.chat_requests) == 1
