"""`artemis models list` and `artemis models check` against the local chat service (in
memory)."""

from __future__ import annotations

from typer.testing import CliRunner

from artemis.cli import app
from artemis.errors import ModelConfigError
from artemis.models.fake_server import (
    ChatRequest,
    FakeChatServer,
    Reply,
    garbage,
    rejecting_response_format,
)
from artemis.models.fake_transport import openai_specs_served_by

runner = CliRunner()
FAKE_URL = "http://chat.test/v1"


def test_list_shows_the_openai_form() -> None:
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0 and "openai:<model>" in result.output


def _vision_server(request: ChatRequest) -> Reply | dict[str, bool] | str:
    return "white" if request.image_urls else {"ok": True}


def test_check_reports_the_step_that_works_and_image_support() -> None:
    with openai_specs_served_by(FakeChatServer(rejecting_response_format(_vision_server))):
        env = {"ARTEMIS_MODELS__BASE_URL": FAKE_URL, "ARTEMIS_MODEL": "openai:qwen2.5-vl"}
        result = runner.invoke(app, ["models", "check"], env=env)
    assert result.exit_code == 0, result.output
    assert "openai:qwen2.5-vl (manager, tac, aca, sra, guard)" in result.output
    assert (
        "key from placeholder" in result.output
        and "dialect qwen2.5-vl; points in pixels" in result.output
    )
    assert "structured output: ok via json_object" in result.output
    assert "image input: ok ('white')" in result.output


def test_check_fails_with_exit_1_on_a_garbage_server() -> None:
    with openai_specs_served_by(FakeChatServer(garbage())):
        env = {"ARTEMIS_MODELS__BASE_URL": FAKE_URL}
        result = runner.invoke(app, ["models", "check", "--model", "openai:m"], env=env)
    assert result.exit_code == 1
    assert "structured output: failed: the reply contains no JSON" in result.output


def test_check_without_a_model_says_how_to_configure_one() -> None:
    result = runner.invoke(app, ["models", "check"])
    assert isinstance(result.exception, ModelConfigError)
    assert "--model heuristic" in str(result.exception)
