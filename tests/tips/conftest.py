"""Fixtures for the tip store tests: small corpora and stores in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from artemis.config import Settings
from artemis.tips.store import ChromaTipStore

SMALL_CORPUS = {
    "_general.yaml": """\
app: "*"
tips:
  - text: "Use open_app to launch an app instead of searching the home screen."
  - text: "Answer questions with the answer action before finishing."
""",
    "com.android.settings.yaml": """\
app: com.android.settings
name: Settings
tips:
  - text: "Wi-Fi is under Network & internet > Internet; the Wi-Fi switch is at the top."
    tags: [wifi]
    task_kinds: [toggle]
  - text: "Bluetooth is under Connected devices > Connection preferences."
    tags: [bluetooth]
  - text: "Brightness level is a slider under Display."
""",
    "com.google.android.deskclock.yaml": """\
app: com.google.android.deskclock
tips:
  - text: "In Timer the keypad fills hours, minutes and seconds from the right."
  - text: "Stopwatch starts and pauses with the large round button."
""",
}


def write_corpus(folder: Path, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or SMALL_CORPUS).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def make_settings(tmp_path: Path, corpus: Path) -> Callable[..., Settings]:
    def make(**tips: object) -> Settings:
        values: dict[str, object] = {"path": tmp_path / "store", "corpus": corpus}
        values.update(tips)
        return Settings(data_dir=tmp_path / "data", tips=values)

    return make


@pytest.fixture
def store(make_settings: Callable[..., Settings]) -> ChromaTipStore:
    return ChromaTipStore.connect(make_settings())
