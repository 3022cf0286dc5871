"""One settings object for the whole of artemis.

Sources, lowest priority first:

1. the defaults below;
2. a TOML file: `--config PATH`, else `$ARTEMIS_CONFIG`, else `./artemis.toml`, else
   `$XDG_CONFIG_HOME/artemis/config.toml` (the first that exists);
3. `ARTEMIS_*` environment variables, nested with `__` (`ARTEMIS_AGENT__MAX_STEPS=40`);
4. CLI flags, passed to `load_settings(**overrides)`.

The TOML file uses the same names as sections: `[agent] max_steps = 40`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from artemis.errors import ConfigError
from artemis.roles import AgentRole


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return Path(base) if base else Path.home() / fallback


def default_data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "artemis"


def default_config_file() -> Path | None:
    """The TOML file to read when none is given, or None."""
    env = os.environ.get("ARTEMIS_CONFIG")
    if env:
        return Path(env)
    for candidate in (
        Path("artemis.toml"),
        _xdg("XDG_CONFIG_HOME", ".config") / "artemis/config.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


class DeviceSettings(BaseModel):
    """How to reach and drive the device."""

    address: str | None = Field(
        default=None,
        description="a serial or adb:SERIAL (through the adb server), HOST:PORT (adbd "
        "directly), usb[:SERIAL], or 'sim' for the simulated phone",
    )
    adb_server: str | None = Field(
        default=None,
        description="the adb server, HOST:PORT or tcp:HOST:PORT; default $ADB_SERVER_SOCKET, "
        "else 127.0.0.1:$ANDROID_ADB_SERVER_PORT (5037)",
    )
    adb_key: Path | None = Field(
        default=None,
        description="RSA key for ADB auth; default ~/.android/adbkey, else one artemis creates",
    )
    connect_timeout_s: float = Field(default=10.0, gt=0)
    command_timeout_s: float = Field(default=30.0, gt=0)
    uidump_timeout_s: float = Field(default=20.0, gt=0)
    uidump_retries: int = Field(default=3, ge=0)
    reconnect_attempts: int = Field(default=2, ge=0)
    screenshot: Literal["auto", "png", "raw"] = "auto"
    settle_timeout_s: float = Field(default=3.0, ge=0, description="max wait for a stable UI")
    settle_interval_s: float = Field(
        default=0.25,
        gt=0,
        description="seconds between settling polls (the simulated phone: at most 0.01, as its "
        "screens change only when an input arrives)",
    )
    settle_signal: Literal["auto", "frame", "ui", "observe"] = Field(
        default="auto",
        description="what settling polls: a hash of the frame (screencap | md5sum), of the UI "
        "dump, a full observation; auto: the UI dump with settle_quiet_dump, else it times "
        "frame and ui and keeps the faster",
    )
    settle_quiet_dump: bool = Field(
        default=True,
        description="polling by the UI dump, one dump that differs from the screen before the "
        "action is settled (uiautomator dump waits for a second without accessibility events "
        "before it reads the tree); false: two polls in a row must agree",
    )
    text_fallback: Literal["clipboard", "adbkeyboard"] = Field(
        default="clipboard", description="how non-ASCII text is typed"
    )


class Price(BaseModel):
    """US dollars per million tokens."""

    input: float = 0.0
    output: float = 0.0


class ServerSettings(BaseModel):
    """A named OpenAI-compatible server; `<name>:<model>` specs use it."""

    base_url: str
    api_key: SecretStr | None = Field(
        default=None, description="this server's key only; OPENAI_API_KEY is not sent here"
    )


class ModelSettings(BaseModel):
    """Model backends. `artemis.config.Settings.model` is the default for every role."""

    manager: str | None = None
    tac: str | None = None
    aca: str | None = None
    sra: str | None = None
    guard: str | None = Field(
        default=None, description="the safety gate's deliberative stage (artemis.safety)"
    )
    base_url: str | None = Field(default=None, description="overrides OPENAI_BASE_URL")
    api_key: SecretStr | None = Field(default=None, description="overrides OPENAI_API_KEY")
    dialect: str = Field(
        default="auto",
        description="the Manager's and ACA's action dialect; auto: from the model name "
        "(`artemis models dialects` lists them)",
    )
    dialects: dict[Literal["manager", "aca"], str] = Field(
        default_factory=dict, description="a role's dialect, over `dialect`"
    )
    coords: Literal["auto", "pixels", "norm1000", "norm999", "norm1"] = Field(
        default="auto",
        description="the space model points are in; auto: the dialect's, else the model family's",
    )
    max_image_pixels: int = Field(default=1_003_520, gt=0, description="resize budget per image")
    image_multiple: int | None = Field(
        default=None,
        gt=0,
        description="image sides are resized to a multiple of this; unset: from the model family",
    )
    structured_output: Literal["auto", "json_schema", "json_object", "text"] = Field(
        default="auto",
        description="first structured-output step to try; auto starts at json_schema",
    )
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    temperature: float = Field(default=0.0, ge=0)
    max_tokens: int = Field(default=1024, gt=0)
    prices: dict[str, Price] = Field(
        default_factory=dict, description="model name -> price; unknown models cost 0"
    )
    servers: dict[str, ServerSettings] = Field(
        default_factory=dict,
        description="named OpenAI-compatible servers: a spec `<name>:<model>` uses one",
    )

    @field_validator("dialect")
    @classmethod
    def _known_dialect(cls, value: str) -> str:
        return _dialect_name(value)

    @field_validator("dialects")
    @classmethod
    def _known_dialects(cls, value: dict[str, str]) -> dict[str, str]:
        return {role: _dialect_name(name) for role, name in value.items()}


def _dialect_name(value: str) -> str:
    from artemis.models.dialects import get_dialect

    name = value.strip().lower()
    if name == "auto":
        return name
    try:
        return get_dialect(name).name
    except ConfigError as exc:  # a ModelConfigError: say it as a settings error
        raise ValueError(str(exc)) from None


class AgentSettings(BaseModel):
    """The deliberative loop."""

    max_steps: int = Field(default=30, gt=0)
    memory_k: int = Field(default=5, ge=0, description="thought-action pairs kept in memory")
    use_tips: bool = True
    use_tac: bool = True
    use_aca: bool = True
    use_sra: bool = True
    tac_skip_when_confident: bool = Field(
        default=True, description="skip the TAC model call when the UI-tree pre-check is sure"
    )
    speculate: bool = Field(
        default=True,
        description="start the next plan beside the reflection; re-plan when it disagrees",
    )
    show_ui_elements: bool = Field(default=True, description="list UI elements in the prompt")
    reply_retries: int = Field(default=2, ge=0, description="re-asks after a malformed reply")
    on_step_failure: Literal["continue", "stop"] = "continue"
    max_consecutive_failures: int = Field(default=3, gt=0)
    step_timeout_s: float = Field(
        default=300.0, gt=0, description="a step still running after this fails (model calls cut)"
    )
    episode_timeout_s: float | None = Field(
        default=1800.0, gt=0, description="an episode still running after this ends; unset: none"
    )


class TipSettings(BaseModel):
    """The tip knowledge base."""

    path: Path | None = Field(default=None, description="embedded ChromaDB folder")
    chroma_url: str | None = Field(default=None, description="http://HOST:PORT of `chroma run`")
    embedding: str = Field(default="hash", description="hash | minilm | openai:<model>")
    corpus: Path | None = Field(
        default=None, description="tip YAML folder; the bundled one when unset"
    )
    k: int = Field(default=3, ge=0)
    general_weight: float = Field(default=0.5, ge=0, le=1)
    auto_accept: bool = False
    required: bool = Field(default=False, description="fail when the store is unreachable")


Verdict = Literal["allow", "confirm", "block"]


class CategoryVerdicts(BaseModel):
    """A policy category's verdicts, overriding the policy file's."""

    model_config = ConfigDict(extra="forbid")

    asked: Verdict | None = Field(default=None, description="when the task asks for the effect")
    unasked: Verdict | None = Field(default=None, description="when it does not")


class SafetySettings(BaseModel):
    """The safety gate between the check (TAC/ACA) and the execution of an action."""

    enabled: bool = Field(default=True, description="run the gate before every device action")
    preset: str = Field(
        default="default",
        description="verdict table: default, benchmark (never stops a benchmark's own tasks), "
        "or a preset of your policy files",
    )
    deliberate: bool = Field(
        default=True,
        description="ask the guard model when the rule stage is unsure or sees risk",
    )
    on_confirm: Literal["deny", "allow"] | None = Field(
        default=None,
        description="answer to a confirmation without a terminal; unset: the preset's (deny)",
    )
    policy: list[Path] = Field(
        default_factory=list, description="extra policy files (YAML), merged over the shipped one"
    )
    verdicts: dict[str, CategoryVerdicts] = Field(
        default_factory=dict, description="category id -> verdicts, over the policy's"
    )
    guard_timeout_s: float = Field(
        default=30.0, gt=0, description="the guard's whole deliberation, re-asks included"
    )
    guard_max_tokens: int = Field(default=768, gt=0, description="output tokens per guard call")
    guard_retries: int = Field(default=1, ge=0, description="re-asks after an unusable reply")
    guard_screenshot: bool = Field(
        default=False, description="show the guard the screenshot (needs a model that takes images)"
    )


class Settings(BaseSettings):
    """Every setting artemis reads."""

    model_config = SettingsConfigDict(
        env_prefix="ARTEMIS_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    model: str | None = Field(default=None, description="model spec used by every role by default")
    data_dir: Path = Field(default_factory=default_data_dir)
    runs_dir: Path = Field(default=Path("runs"), description="where trajectories are written")
    log_screens: bool = Field(default=True, description="keep screenshots in trajectories")
    log_typed_text: bool = Field(default=True, description="keep typed text in logs")
    device: DeviceSettings = Field(default_factory=DeviceSettings)
    models: ModelSettings = Field(default_factory=ModelSettings)
    agent: AgentSettings = Field(default_factory=AgentSettings)
    tips: TipSettings = Field(default_factory=TipSettings)
    safety: SafetySettings = Field(default_factory=SafetySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # `load_settings` layers the file and the environment itself (the file path is a
        # run-time choice); constructing `Settings(...)` directly gives defaults + arguments.
        return (init_settings,)

    def role_model(self, role: AgentRole) -> str | None:
        """The model spec a role uses: its own setting, else the default `model`."""
        return getattr(self.models, role) or self.model

    @property
    def tips_path(self) -> Path:
        return self.tips.path or self.data_dir / "tips"


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def load_settings(config_file: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the settings from all sources; `overrides` (CLI flags) win.

    Nested overrides are dicts (`agent={"max_steps": 5}`); `None` values are ignored so that a
    CLI flag that was not given does not mask a lower source.
    """
    path = Path(config_file) if config_file is not None else default_config_file()
    if path is not None and not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        layers: list[dict[str, Any]] = []
        if path is not None:
            layers.append(TomlConfigSettingsSource(Settings, toml_file=path)())
        layers.append(EnvSettingsSource(Settings)())
        layers.append(_drop_none(overrides))
        merged: dict[str, Any] = {}
        for layer in layers:
            merged = _deep_merge(merged, layer)
        return Settings(**merged)
    except ValidationError as exc:
        where = f" (config file {path})" if path else ""
        raise ConfigError(f"invalid settings{where}:\n{exc}") from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read settings from {path}: {exc}") from exc


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in d.items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = _drop_none(value)
            if not value:
                continue
        out[key] = value
    return out
