"""Model specs -> ChatModel instances, and the extension point for new backends.

A spec is `<backend>` or `<backend>:<name>`: `openai:qwen2.5-vl-72b-instruct`, `heuristic`.
Backends register a factory under their prefix with `register_backend`; `openai` is built in.
Named OpenAI-compatible servers in settings (`models.servers.<name>.base_url`) are prefixes
too: `ollama:qwen2.5vl:7b` reaches the server named `ollama`; registered backends come first.
Backends of other artemis modules (`heuristic`, SimWorld's `oracle` and `gullible`) are
loaded the first time a spec names them or the backends are listed: this module imports none
of them before that, so a process that never resolves them (a phone's host process, say)
never pays for the agent and benchmark imports they pull in.

A backend says what it can be used for (`Use`): the agent's roles on any task, SimWorld
episodes only (the oracle must be told each task's solution), ScreenSpot grounding (the OCR
baseline answers points, not actions). Asking for a model where it cannot serve is refused
before any work, with where it can be used (`check_use`).
"""

from __future__ import annotations

import difflib
import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, get_args

from artemis.config import Settings
from artemis.errors import ModelConfigError
from artemis.models.base import ChatModel
from artemis.roles import ROLES

# (the part after "<prefix>:", or "" for a bare prefix; the settings) -> a model
BackendFactory = Callable[[str, Settings], ChatModel]

#: What a model is used for: the agent on any task, SimWorld episodes, ScreenSpot grounding.
Use: TypeAlias = Literal["agent", "simworld", "grounding"]
ALL_USES: frozenset[Use] = frozenset(get_args(Use))
#: Where each use runs, for messages.
_RUNS_IN: dict[Use, str] = {
    "agent": "agent episodes on any task (`artemis run`, AndroidWorld)",
    "simworld": "SimWorld episodes (`artemis bench sim`)",
    "grounding": "ScreenSpot grounding (`artemis bench screenspot`)",
}

HOW_TO_CONFIGURE = (
    "choose a model with --model SPEC, the ARTEMIS_MODEL environment variable, or "
    '`model = "SPEC"` in the config file (artemis.toml); per role: '
    + ", ".join(f"models.{role}" for role in ROLES)
)


@dataclass(frozen=True, slots=True)
class Backend:
    prefix: str
    factory: BackendFactory
    form: str
    help: str
    uses: frozenset[Use] = field(default=ALL_USES)


_BACKENDS: dict[str, Backend] = {}
#: Backends other artemis modules provide: the module whose `register()` registers each,
#: imported on first need (`_backend`).
_PROVIDERS = {
    "heuristic": "artemis.agent.heuristic",
    "oracle": "artemis.bench.simworld.oracle",
    "gullible": "artemis.bench.simworld.safety.gullible",
}
_LOCK = threading.Lock()


def _backend(prefix: str) -> Backend | None:
    """The backend registered under `prefix`, loading its provider first when it has one."""
    with _LOCK:
        backend = _BACKENDS.get(prefix)
    if backend is None and prefix in _PROVIDERS:
        importlib.import_module(_PROVIDERS[prefix]).register()
        with _LOCK:
            backend = _BACKENDS.get(prefix)
    return backend


def register_backend(
    prefix: str,
    factory: BackendFactory,
    *,
    form: str | None = None,
    help: str = "",
    replace: bool = False,
    uses: Iterable[Use] = ALL_USES,
) -> None:
    """Make specs starting with `prefix` resolve through `factory`.

    `form` shows how a spec is written (`openai:<model>`, `heuristic`); `help` says what it
    is; `uses` what it can serve. Registering a taken prefix raises unless `replace`.
    """
    if not prefix or ":" in prefix:
        raise ValueError(f"bad backend prefix {prefix!r}")
    with _LOCK:
        if prefix in _BACKENDS and not replace and _BACKENDS[prefix].factory is not factory:
            raise ValueError(f"a model backend is already registered as {prefix!r}")
        _BACKENDS[prefix] = Backend(prefix, factory, form or prefix, help, frozenset(uses))


def unregister_backend(prefix: str) -> None:
    with _LOCK:
        _BACKENDS.pop(prefix, None)


def known_backends() -> list[Backend]:
    for prefix in _PROVIDERS:
        _backend(prefix)
    with _LOCK:
        return sorted(_BACKENDS.values(), key=lambda b: b.prefix)


def describe_forms(settings: Settings | None = None) -> str:
    forms = [f"{b.form} ({b.help})" if b.help else b.form for b in known_backends()]
    if settings is not None:
        forms += [
            f"{name}:<model> (the server at {server.base_url})"
            for name, server in sorted(settings.models.servers.items())
        ]
    return "; ".join(forms)


def check_use(spec: str | None, use: Use) -> None:
    """Raise `ModelConfigError` when the backend `spec` names cannot serve `use`. Specs of
    unknown backends and named servers pass: resolving them says what is wrong, if anything."""
    if spec is None:
        return
    prefix = spec.strip().partition(":")[0]
    backend = _backend(prefix)
    if backend is None or use in backend.uses:
        return
    where = "; ".join(_RUNS_IN[u] for u in sorted(backend.uses))
    what = f" ({backend.help})" if backend.help else ""
    raise ModelConfigError(
        f"{spec.strip()!r}{what} cannot run {_RUNS_IN[use]}; it serves only: {where}"
    )


def resolve_model(
    spec: str | None, settings: Settings | None = None, *, use: Use | None = None
) -> ChatModel:
    """The model a spec names, for `use` when given (`check_use`). Unknown specs raise
    `ModelConfigError` with a suggestion."""
    if use is not None:
        check_use(spec, use)
    settings = settings or Settings()
    if spec is None or not spec.strip():
        raise ModelConfigError(
            f"no model is configured: {HOW_TO_CONFIGURE}. Known forms: "
            f"{describe_forms(settings)}. "
            "`--model heuristic` runs offline, without any model server."
        )
    spec = spec.strip()
    prefix, sep, rest = spec.partition(":")
    backend = _backend(prefix)
    if backend is None and prefix in settings.models.servers:
        return _named_server(prefix, rest, settings)
    if backend is None:
        raise ModelConfigError(_unknown(spec, prefix, sep, rest, settings))
    return backend.factory(rest, settings)


def _unknown(spec: str, prefix: str, sep: str, rest: str, settings: Settings) -> str:
    prefixes = [b.prefix for b in known_backends()] + list(settings.models.servers)
    close = difflib.get_close_matches(prefix.lower(), prefixes, n=1, cutoff=0.6)
    if close:
        guess = f"{close[0]}{sep}{rest}"
    elif not sep and "openai" in prefixes:
        guess = f"openai:{spec}"  # a bare model name, most likely
    else:
        guess = ""
    suggestion = f" Did you mean {guess!r}?" if guess else ""
    return f"unknown model spec {spec!r}.{suggestion} Known forms: {describe_forms(settings)}."


def _named_server(server: str, name: str, settings: Settings) -> ChatModel:
    from artemis.models.openai_backend import OpenAIModel

    if not name:
        raise ModelConfigError(f"a spec for the {server!r} server needs a model: {server}:<model>")
    return OpenAIModel.from_settings(name, settings, server=server)


def _openai(name: str, settings: Settings) -> ChatModel:
    from artemis.models.openai_backend import OpenAIModel

    if not name:
        raise ModelConfigError("the openai backend needs a model name: openai:<model>")
    return OpenAIModel.from_settings(name, settings)


register_backend(
    "openai",
    _openai,
    form="openai:<model>",
    help="any OpenAI-compatible server: OpenAI, vLLM, Ollama, DashScope",
)
