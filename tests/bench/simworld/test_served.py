"""`oracle:<dialect>`: SimWorld's oracle served over HTTP in each dialect, through the real
openai client and the dialect's parser, on three tasks that between them need taps, typing
into a field whose text must go, typing and Enter, a scroll, an app opened, a note and an
answer. The table is README's (Dialects), on these three tasks: a task fails only where the
family's action space cannot do what it needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from artemis.bench.simworld.runner import SimRunOptions, run_simworld
from artemis.config import Settings
from artemis.models.dialects import DIALECTS
from artemis.models.registry import resolve_model

pytestmark = pytest.mark.real_model  # the real openai client, against a loopback server

TASKS = ("SettingsAndroidVersion", "ContactsEditNumber", "MarkorAppendLine")

#: The tasks each dialect cannot do, and why.
CANNOT: dict[str, set[str]] = {
    # No "answer" (the family only ends a task, with no words for a question), and no way
    # to clear a field: no long press to select its text, and typing that adds to it.
    "cogagent": {"SettingsAndroidVersion", "ContactsEditNumber"},
    "seeclick": {"SettingsAndroidVersion", "ContactsEditNumber"},
    # No long press to select a field's text, and typing that adds to it.
    "showui": {"ContactsEditNumber"},
    # No Enter key: AutoGLM's keys are Back and Home.
    "autoglm": {"MarkorAppendLine"},
}


@pytest.mark.parametrize("dialect", list(DIALECTS))
async def test_the_oracle_succeeds_through_every_dialect(dialect: str, tmp_path: Path) -> None:
    settings = Settings.model_validate({"data_dir": tmp_path / "data"})
    options = SimRunOptions(
        out=tmp_path / "run", tasks=TASKS, model=f"oracle:{dialect}", devices=len(TASKS)
    )
    result = await run_simworld(options, settings)
    records = [
        json.loads(line)
        for line in (tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    failed = {r["template"] for r in records if r.get("score") != 1.0}
    assert failed == CANNOT.get(dialect, set()), [
        (r["template"], r.get("outcome"), r.get("reason")) for r in records
    ]
    assert result.summary.errors == 0
    # The Manager spoke the dialect: what it wrote is in each step.
    steps = (tmp_path / "run" / "episodes").glob("*/steps.jsonl")
    natives = [
        json.loads(line).get("native")
        for path in steps
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    if dialect != "artemis":
        assert any(n and n["dialect"] == dialect for n in natives)


def test_an_unknown_dialect_is_refused_with_the_known_ones() -> None:
    from artemis.errors import ModelConfigError

    with pytest.raises(ModelConfigError, match=r"Did you mean 'ui-tars-1\.5'"):
        resolve_model("oracle:ui-tars1.5", Settings())
