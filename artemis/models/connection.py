"""Where an OpenAI-compatible server is and which key it gets.

Artemis settings (`models.base_url`, `models.api_key`, i.e. `ARTEMIS_MODELS__BASE_URL`,
`ARTEMIS_MODELS__API_KEY` or the config file) win over `OPENAI_BASE_URL` and `OPENAI_API_KEY`.
Without a base URL the server is OpenAI's. Without a key:

- against api.openai.com, it is an error that says what to set;
- against any other server, a placeholder key is sent, since local and self-hosted servers
  (vLLM, Ollama, llama.cpp) usually need none; a server that does answers 401, which becomes
  a `ModelAuthError` that says no key was set.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from artemis.errors import ModelConfigError

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "no-key-set"

KEY_HELP = "set OPENAI_API_KEY, or models.api_key in the config file (ARTEMIS_MODELS__API_KEY)"
URL_HELP = (
    "set OPENAI_BASE_URL, or models.base_url in the config file (ARTEMIS_MODELS__BASE_URL), "
    "to the server's OpenAI-compatible root, usually ending in /v1"
)


@dataclass(frozen=True, slots=True)
class Connection:
    base_url: str
    api_key: str = PLACEHOLDER_KEY
    url_source: Literal["settings", "env", "default"] = "default"
    key_source: Literal["settings", "env", "placeholder"] = "placeholder"

    def __repr__(self) -> str:  # never show the key
        return (
            f"Connection(base_url={self.base_url!r}, url_source={self.url_source!r}, "
            f"key_source={self.key_source!r})"
        )

    @property
    def is_openai(self) -> bool:
        return (urlsplit(self.base_url).hostname or "") == "api.openai.com"

    @property
    def is_local(self) -> bool:
        return is_local_url(self.base_url)


def is_local_url(url: str) -> bool:
    """Loopback, private-network and `localhost` hosts."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def resolve_connection(
    base_url: str | None = None,
    api_key: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Connection:
    """The connection for explicit settings (`base_url`, `api_key`) over the environment."""
    env = os.environ if env is None else env
    url_source: Literal["settings", "env", "default"]
    if base_url:
        url, url_source = base_url, "settings"
    elif env.get("OPENAI_BASE_URL"):
        url, url_source = env["OPENAI_BASE_URL"], "env"
    else:
        url, url_source = OPENAI_BASE_URL, "default"
    url = url.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelConfigError(f"the model base URL {url!r} is not an http(s) URL; {URL_HELP}")

    if api_key:
        return Connection(url, api_key, url_source, "settings")
    if env.get("OPENAI_API_KEY"):
        return Connection(url, env["OPENAI_API_KEY"], url_source, "env")
    conn = Connection(url, PLACEHOLDER_KEY, url_source, "placeholder")
    if conn.is_openai:
        raise ModelConfigError(
            f"no API key for {url}: {KEY_HELP}; for a local OpenAI-compatible server "
            f"(vLLM, Ollama), {URL_HELP}"
        )
    return conn
