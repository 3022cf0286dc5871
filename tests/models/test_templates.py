"""Prompt templates: the system part is rendered once per the values it uses."""

from __future__ import annotations

import pytest

from artemis.agent import prompts
from artemis.models.dialects.artemis_json import action_schema

TAC = dict(task="t", thought="x", action_json="{}", action_text="a", target="b", precheck="c")


def test_a_constant_system_part_is_rendered_once_and_the_user_part_every_time() -> None:
    tac = prompts.load("tac")
    first_system, first_user = tac.render(**TAC)
    again_system, again_user = tac.render(**{**TAC, "task": "another task"})
    assert again_system is first_system  # the same string: not rendered again
    assert "Task: t" in first_user and "Task: another task" in again_user


def test_a_system_part_with_values_follows_them() -> None:
    guard = prompts.load("guard")
    values = dict(
        task="t", app="a", action="tap", thought="x", history="", rules_verdict="unsure",
        rules_clause="-", rules_reason="", signals="", screen="",
    )  # fmt: skip
    strict, _ = guard.render(policy="POLICY ONE", **values)
    loose, _ = guard.render(policy="POLICY TWO", **values)
    assert "POLICY ONE" in strict and "POLICY TWO" in loose
    assert guard.render(policy="POLICY ONE", **values)[0] is strict


def test_a_missing_value_is_still_an_error() -> None:
    with pytest.raises(KeyError):
        prompts.load("guard").render(task="t")  # no policy for the system part
    with pytest.raises(KeyError):
        prompts.load("tac").render(task="t")  # the user part's values


def test_the_action_schema_text_is_built_once() -> None:
    assert action_schema() is action_schema()
