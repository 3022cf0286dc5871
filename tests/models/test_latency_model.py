"""`LatencyModel`: a fixed latency before every call, through the injected sleep."""

from __future__ import annotations

from typing import Any

from artemis.models.base import Message, ModelResponse
from artemis.models.testing import ScriptedModel
from artemis.models.wrappers import LatencyModel


async def test_every_call_waits_the_latency_first() -> None:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    inner = ScriptedModel(["one", "two"])
    model = LatencyModel(inner, 0.2, sleep=sleep)
    assert model.image_rule == inner.image_rule and model.name == inner.name
    first: ModelResponse[Any] = await model.complete([Message.user("hi")])
    second: ModelResponse[Any] = await model.complete([Message.user("hi")])
    assert (first.text, second.text) == ("one", "two")
    assert waited == [0.2, 0.2]
    inner.assert_exhausted()


def test_a_wrapper_reaches_what_only_the_wrapped_model_has() -> None:
    class Oracle(ScriptedModel):
        def bind_task(self, task: object) -> None:
            self.task = task

    wrapped = LatencyModel(Oracle([]), 0.0)
    wrapped.bind_task("t")
    assert wrapped.wrapped.task == "t"  # type: ignore[attr-defined]
    assert not hasattr(LatencyModel(ScriptedModel([]), 0.0), "bind_task")
