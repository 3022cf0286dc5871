"""Where the server is and which key it gets: settings over environment, clear errors."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from artemis.config import ModelSettings, Settings, load_settings
from artemis.errors import ModelConfigError
from artemis.models.connection import PLACEHOLDER_KEY, is_local_url, resolve_connection
from artemis.models.openai_backend import OpenAIModel

ENV = {"OPENAI_BASE_URL": "http://env-host:8000/v1", "OPENAI_API_KEY": "env-key"}


def test_environment_is_used_when_settings_say_nothing() -> None:
    conn = resolve_connection(env=ENV)
    assert (conn.base_url, conn.api_key) == ("http://env-host:8000/v1", "env-key")
    assert (conn.url_source, conn.key_source) == ("env", "env")


def test_settings_override_the_environment() -> None:
    conn = resolve_connection("http://settings-host/v1/", "settings-key", env=ENV)
    assert (conn.base_url, conn.api_key) == ("http://settings-host/v1", "settings-key")
    assert (conn.url_source, conn.key_source) == ("settings", "settings")


def test_from_settings_reads_models_settings_over_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ARTEMIS_MODELS__BASE_URL", "http://artemis-host:1234/v1")
    model = OpenAIModel.from_settings("m", load_settings())
    assert model.connection.base_url == "http://artemis-host:1234/v1"
    assert model.connection.api_key == "env-key"  # no artemis key: the environment's
    settings = Settings(models=ModelSettings(api_key=SecretStr("s3cret"), max_retries=1))
    model = OpenAIModel.from_settings("m", settings)
    assert model.connection.api_key == "s3cret" and model.retry.max_retries == 1
    assert "s3cret" not in repr(model)


def test_openai_without_a_key_says_what_to_set() -> None:
    with pytest.raises(ModelConfigError, match=r"no API key for https://api\.openai\.com/v1.*"):
        resolve_connection(env={})
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        resolve_connection("https://api.openai.com/v1", env={})


@pytest.mark.parametrize(
    "url",
    ["http://localhost:11434/v1", "http://127.0.0.1:8000/v1", "http://192.168.1.20:8000/v1"],
)
def test_local_servers_get_a_placeholder_key(url: str) -> None:
    conn = resolve_connection(url, env={})
    assert conn.api_key == PLACEHOLDER_KEY and conn.key_source == "placeholder"
    assert conn.is_local


def test_remote_non_openai_servers_also_get_a_placeholder() -> None:
    conn = resolve_connection("https://dashscope.aliyuncs.com/compatible-mode/v1", env={})
    assert conn.key_source == "placeholder" and not conn.is_local
    assert not is_local_url("https://api.openai.com/v1")


def test_a_base_url_that_is_not_a_url_is_refused() -> None:
    with pytest.raises(ModelConfigError, match="not an http"):
        resolve_connection("localhost:8000", env={})
