"""Case files for `artemis safety check`: one proposed step per case, as JSON or JSON Lines.

A case::

    {"id": "c1", "task": "Send 'hi' to Bob", "app": "com.google.android.apps.messaging",
     "screen_text": ["Bob", "Text message"], "ui_xml": null, "screenshot": null,
     "history": [{"type": "tap", "target_text": "Bob"}],
     "proposed": {"thought": "Type hi", "action": {"type": "type", "text": "hi",
                                                   "target_text": "Text message"}}}

`ui_xml` is a `uiautomator dump` of the screen: its texts join `screen_text`, a window smaller
than the screen counts as a pop-up, and an action's `point` is resolved to the element under
it. `screenshot` is a PNG path, relative to the case file; it gives the screen's size and is
shown to the guard model. Fields other than these (a `label`, notes) are kept but not read.

A file is a JSON array of cases, one JSON object, or one object per line. A case that cannot
be read becomes a `BrokenCase` with the reason; the other cases go on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from artemis.actions import ACTION_TYPES
from artemis.agent.ui import name_of
from artemis.device.uiautomator import parse_ui_xml
from artemis.errors import ArtemisError, DatasetError
from artemis.models.images import png_size
from artemis.observation import UIElement, element_at
from artemis.safety.facts import (
    ActionFacts,
    StepFacts,
    field_texts,
    overlay_of,
    ui_texts,
)


class CaseAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=1)
    target_text: str | None = None
    point: tuple[int, int] | None = None
    text: str | None = None
    app: str | None = None
    key: str | None = None
    direction: str | None = None

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        # An unknown type would pass the rule stage as "no sensitive effect": refuse it.
        if value not in ACTION_TYPES:
            raise ValueError(
                f"unknown action type {value!r} (one of {', '.join(sorted(ACTION_TYPES))})"
            )
        return value


class Proposed(BaseModel):
    model_config = ConfigDict(extra="ignore")

    thought: str = ""
    action: CaseAction


class Case(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str | int
    task: str = Field(min_length=1)
    app: str | None = None
    screen_text: list[str] = Field(default_factory=list)
    ui_xml: str | None = None
    screenshot: str | None = None
    history: list[CaseAction | str] = Field(default_factory=list)
    proposed: Proposed


@dataclass(frozen=True)
class LoadedCase:
    id: str
    step: StepFacts
    screenshot: bytes | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class BrokenCase:
    id: str
    error: str
    raw: dict[str, Any] | None = None


def read_case_file(path: Path) -> list[tuple[str, dict[str, Any] | str]]:
    """(where, the case object) for each case, or (where, why it is not one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {path}: {exc}") from exc
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, list):
        return [
            (f"item {i + 1}", c if isinstance(c, dict) else "not a JSON object")
            for i, c in enumerate(whole)
        ]
    if isinstance(whole, dict):
        return [("item 1", whole)]
    out: list[tuple[str, dict[str, Any] | str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append((f"line {n}", f"not JSON ({exc.msg} at column {exc.colno})"))
            continue
        out.append((f"line {n}", value if isinstance(value, dict) else "not a JSON object"))
    if not out and text.strip():
        raise DatasetError(f"{path} holds neither JSON nor JSON Lines")
    if not out:
        raise DatasetError(f"{path} holds no cases")
    return out


def load_cases(path: Path) -> list[LoadedCase | BrokenCase]:
    """Every case of the file, in order; broken ones say why."""
    out: list[LoadedCase | BrokenCase] = []
    for where, item in read_case_file(path):
        if isinstance(item, str):
            out.append(BrokenCase(where, item))
            continue
        cid = str(item.get("id", where))
        try:
            out.append(to_case(item, path.parent))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'case'}: {e['msg']}" for e in exc.errors()
            )
            out.append(BrokenCase(cid, f"not a valid case: {problems}", item))
        except ArtemisError as exc:
            out.append(BrokenCase(cid, str(exc), item))
    return out


def _facts(a: CaseAction) -> ActionFacts:
    return ActionFacts(
        type=a.type,
        target_text=a.target_text,
        text=a.text,
        app=a.app,
        key=a.key,
        point=a.point,
        direction=a.direction,
    )


def to_case(raw: dict[str, Any], base: Path) -> LoadedCase:
    case = Case.model_validate(raw)
    shot: bytes | None = None
    size: tuple[int, int] | None = None
    if case.screenshot:
        path = Path(case.screenshot)
        path = path if path.is_absolute() else base / path
        try:
            shot = path.read_bytes()
            size = png_size(shot)
        except OSError as exc:
            raise DatasetError(f"screenshot {path}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise DatasetError(f"screenshot {path} is not a PNG: {exc}") from exc
    ui: tuple[UIElement, ...] = ()
    if case.ui_xml:
        try:
            ui = tuple(parse_ui_xml(case.ui_xml))
        except (ValueError, ArtemisError) as exc:
            raise DatasetError(f"ui_xml is not a uiautomator dump: {exc}") from exc
    action = _facts(case.proposed.action)
    if ui and action.target_text is None and action.point is not None:
        element = element_at(ui, *action.point)
        if element is not None:
            action = ActionFacts(
                **{
                    **action.__dict__,
                    "target_text": name_of(element, ui) or None,
                    "target_kind": element.class_name.rsplit(".", 1)[-1] or None,
                }
            )
    texts = tuple(dict.fromkeys([*case.screen_text, *ui_texts(ui)]))
    history = tuple(
        _facts(h) if isinstance(h, CaseAction) else ActionFacts("step", target_text=h)
        for h in case.history
    )
    step = StepFacts(
        task=case.task,
        action=action,
        app=case.app,
        thought=case.proposed.thought,
        screen_text=texts,
        overlay=overlay_of(ui, size),
        fields=field_texts(ui),
        history=history,
    )
    return LoadedCase(str(case.id), step, shot, raw)
