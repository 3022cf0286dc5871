"""Model specs: resolution, extension, helpful errors; per-role models."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from artemis.config import ModelSettings, Settings
from artemis.errors import ModelConfigError
from artemis.models.base import ChatModel
from artemis.models.openai_backend import OpenAIModel
from artemis.models.registry import (
    known_backends,
    register_backend,
    resolve_model,
    unregister_backend,
)
from artemis.models.roles import RoleModels, build_role_models
from artemis.models.testing import ScriptedModel

LOCAL = Settings(models=ModelSettings(base_url="http://127.0.0.1:9/v1"))


@pytest.fixture
def scripted_backend() -> Iterator[list[str]]:
    made: list[str] = []

    def factory(name: str, settings: Settings) -> ChatModel:
        made.append(name)
        return ScriptedModel([], name=f"scripted:{name}")

    register_backend("scripted", factory, form="scripted[:<name>]", help="for tests")
    yield made
    unregister_backend("scripted")


def test_openai_specs_resolve_with_settings_applied() -> None:
    settings = LOCAL.model_copy(
        update={"models": LOCAL.models.model_copy(update={"coords": "norm1", "timeout_s": 7.0})}
    )
    model = resolve_model("openai:qwen2.5-vl-72b-instruct", settings)
    assert isinstance(model, OpenAIModel)
    assert (
        model.name == "openai:qwen2.5-vl-72b-instruct" and model.model == "qwen2.5-vl-72b-instruct"
    )
    assert model.coords == "norm1" and model.timeout_s == 7.0
    assert resolve_model("openai:qwen3-vl-8b", LOCAL).coords == "norm999"  # auto


def test_no_spec_says_how_to_configure_one_and_mentions_heuristic() -> None:
    with pytest.raises(ModelConfigError) as info:
        resolve_model(None, LOCAL)
    message = str(info.value)
    for needle in ("--model", "ARTEMIS_MODEL", "config file", "--model heuristic", "offline"):
        assert needle in message


@pytest.mark.parametrize(
    ("spec", "suggestion"),
    [("opnai:gpt-4o", "'openai:gpt-4o'"), ("gpt-4o", "'openai:gpt-4o'")],
)
def test_a_typo_gets_the_closest_spec_and_the_known_forms(spec: str, suggestion: str) -> None:
    with pytest.raises(ModelConfigError) as info:
        resolve_model(spec, LOCAL)
    assert f"Did you mean {suggestion}?" in str(info.value)
    assert "openai:<model>" in str(info.value)


def test_openai_without_a_model_name_is_refused() -> None:
    with pytest.raises(ModelConfigError, match="openai:<model>"):
        resolve_model("openai:", LOCAL)


def test_backends_of_other_modules_load_when_a_spec_first_names_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from artemis.models import registry

    for prefix in ("heuristic", "oracle", "gullible"):
        monkeypatch.delitem(registry._BACKENDS, prefix, raising=False)
    assert resolve_model("heuristic", LOCAL).name == "heuristic"
    assert "oracle" not in registry._BACKENDS
    # The use check loads the provider too, so it cannot be skipped by a cold registry.
    with pytest.raises(ModelConfigError, match="cannot run agent episodes"):
        resolve_model("oracle", LOCAL, use="agent")
    assert {"heuristic", "oracle", "gullible"} <= {b.prefix for b in known_backends()}


def test_a_phones_host_process_does_not_load_the_agent() -> None:
    """The task functions a phone's host runs import neither the agent nor the models."""
    code = (
        "import sys, artemis.sim.host, artemis.bench.simworld.task, "
        "artemis.bench.simworld.safety.base; "
        "print(sorted(m for m in ('artemis.agent', 'artemis.models.registry', 'openai', "
        "'chromadb') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_registered_backends_resolve_and_are_suggested(scripted_backend: list[str]) -> None:
    assert resolve_model("scripted:abc", LOCAL).name == "scripted:abc"
    assert resolve_model("scripted", LOCAL).name == "scripted:"
    assert scripted_backend == ["abc", ""]
    with pytest.raises(ModelConfigError, match="Did you mean 'scripted:x'"):
        resolve_model("scriptd:x", LOCAL)
    with pytest.raises(ValueError, match="already registered"):
        register_backend("scripted", lambda n, s: ScriptedModel([]))


def test_role_models_share_one_instance_per_spec(scripted_backend: list[str]) -> None:
    settings = Settings(model="scripted:big", models=ModelSettings(tac="scripted:small"))
    roles = build_role_models(settings)
    assert roles.manager is roles.aca is roles.sra
    assert roles.tac is not roles.manager and roles["tac"].name == "scripted:small"
    # The guard's backend is its own, bounded by the safety settings.
    assert roles.guard is not roles.manager and roles["guard"].name == "scripted:big"
    assert sorted(scripted_backend) == ["big", "big", "small"]
    assert [m.name for m in roles.distinct()] == ["scripted:big", "scripted:small", "scripted:big"]
    assert [r for r, _ in roles.items()] == ["manager", "tac", "aca", "sra", "guard"]


def test_role_models_without_any_spec_fail_clearly() -> None:
    with pytest.raises(ModelConfigError, match="no model is configured"):
        build_role_models(Settings(models=ModelSettings(tac="openai:x")))


async def test_role_models_close_their_backends() -> None:
    closed: list[str] = []

    class Closable(ScriptedModel):
        async def aclose(self) -> None:
            closed.append(self.name)

    shared = Closable([], name="one")
    await RoleModels.same(shared).aclose()
    assert closed == ["one"]


def test_named_servers_are_spec_prefixes_with_their_own_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-secret")
    monkeypatch.setenv("ARTEMIS_MODELS__SERVERS__OLLAMA__BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("ARTEMIS_MODELS__SERVERS__DASH__BASE_URL", "https://dash.example/v1")
    monkeypatch.setenv("ARTEMIS_MODELS__SERVERS__DASH__API_KEY", "dash-key")
    from artemis.config import load_settings

    settings = load_settings()
    local = resolve_model("ollama:qwen2.5vl:7b", settings)
    assert isinstance(local, OpenAIModel)
    assert (local.name, local.model) == ("ollama:qwen2.5vl:7b", "qwen2.5vl:7b")
    assert local.connection.base_url == "http://localhost:11434/v1"
    assert local.connection.key_source == "placeholder"  # never the OpenAI key
    dash = resolve_model("dash:qwen-vl-max", settings)
    assert isinstance(dash, OpenAIModel) and dash.connection.api_key == "dash-key"
    with pytest.raises(ModelConfigError, match="Did you mean 'ollama:x'") as info:
        resolve_model("olama:x", settings)
    assert "ollama:<model> (the server at http://localhost:11434/v1)" in str(info.value)
    with pytest.raises(ModelConfigError, match="needs a model"):
        resolve_model("ollama", settings)
