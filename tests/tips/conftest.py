"""Fixtures for the tip store tests: small corpora and stores in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


Connect = Callable[..., ChromaTipStore]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """`ChromaTipStore.connect`, closing every store it opened when the test ends."""
    opened: list[ChromaTipStore] = []

    def open_store(settings: Settings, **kw: Any) -> ChromaTipStore:
        store = ChromaTipStore.connect(settings, **kw)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


@pytest.fixture
def store(connect: Connect, make_settings: Callable[..., Settings]) -> ChromaTipStore:
    return connect(make_settings())
