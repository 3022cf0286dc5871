"""Settings: defaults < TOML file < ARTEMIS_* env < CLI overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from artemis.config import load_settings
from artemis.errors import ConfigError


def test_sources_stack_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "a.toml"
    toml.write_text('model = "openai:m1"\n[agent]\nmax_steps = 7\nmemory_k = 2\n')
    monkeypatch.setenv("ARTEMIS_AGENT__MAX_STEPS", "9")
    s = load_settings(toml, agent={"use_tac": False, "memory_k": None})
    assert s.model == "openai:m1"
    assert s.agent.max_steps == 9  # env beats file
    assert s.agent.memory_k == 2  # None override does not mask the file
    assert s.agent.use_tac is False  # override
    assert s.role_model("tac") == "openai:m1"


def test_per_role_model_overrides_default() -> None:
    s = load_settings(model="openai:big", models={"tac": "openai:small"})
    assert s.role_model("manager") == "openai:big"
    assert s.role_model("tac") == "openai:small"


def test_config_file_found_in_xdg_config_home(tmp_path: Path) -> None:
    import os

    cfg = Path(os.environ["XDG_CONFIG_HOME"]) / "artemis" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text("[tips]\nk = 9\n")
    assert load_settings().tips.k == 9


def test_bad_values_give_a_config_error(tmp_path: Path) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text("[agent]\nmax_steps = -1\n")
    with pytest.raises(ConfigError, match="max_steps"):
        load_settings(toml)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")
    (tmp_path / "broken.toml").write_text("[agent\n")
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "broken.toml")
    with pytest.raises(ConfigError, match="unknown_key"):
        load_settings(unknown_key=1)
