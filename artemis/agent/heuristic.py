"""`heuristic`: an offline, model-free policy. A baseline, not a language model.

It implements the `ChatModel` contract but never reads the prompt: it reads the typed
request the roles pass (task, observation, tips, memory) and decides with word matching:

- **Manager.** It parses the task for an app ("open Clock", or a word that belongs to one
  app: Wi-Fi → Settings), a switch to set ("turn on Wi-Fi"), and text in quotes to type. It
  opens the app when another is in front; finishes with success when the goal shows (the
  named switch is in the asked state, the field holds the text, the app is open); flips the
  named switch; types into the best-matching field; otherwise taps the element whose text
  best matches the task and tip words (plus a short built-in list of where common settings
  live); and scrolls, then goes back, when nothing matches. It finishes with `failure` when
  it runs out of ideas.
- **TAC.** The UI-tree pre-check's verdict; when that cannot tell, "consistent" with a reason
  that says so. It is not an independent check.
- **ACA.** Retargets the action to the element the thought names in quotes, if any.
- **SRA.** Success when the screen changed (UI diff, else screenshot), failure otherwise.

Its `name` is `heuristic` everywhere (usage tables, trajectories, the live display), its
token counts are zero, and its output says it is the heuristic baseline.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from artemis.actions import Action, Scroll
from artemis.agent.guard import GuardInput, offline_reply
from artemis.agent.tac import precheck
from artemis.agent.ui import (
    UIDiff,
    action_target,
    labelled,
    name_of,
    norm,
    quoted_names,
    similarity,
)
from artemis.apps import APPS
from artemis.config import Settings
from artemis.errors import ModelConfigError, ModelError
from artemis.models.base import Message, ModelRequest, ModelResponse, ToolSpec, Usage
from artemis.models.coords import NATIVE_SIZE, CoordSpace, ImageFrame, ImageRule
from artemis.models.images import png_size
from artemis.models.parsing import parse_reply
from artemis.observation import Observation, UIElement

T = TypeVar("T", bound=BaseModel)

NAME = "heuristic"
LAUNCHER = "com.android.launcher3"


@dataclass(frozen=True)
class KnownApp:
    label: str
    package: str
    keywords: tuple[str, ...]


#: Words in a task that point to each of the simulated phone's apps (by label).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "Settings": (
        "settings", "wifi", "bluetooth", "airplane", "network", "internet", "hotspot",
        "brightness", "display", "dark theme", "battery", "location", "volume", "sound",
        "ringtone", "mobile data", "do not disturb", "language", "storage",
    ),
    "Contacts": ("contact", "contacts", "phone number"),
    "Clock": ("clock", "alarm", "timer", "stopwatch"),
    "Markor": ("markor", "note", "notes", "markdown"),
    "Messages": ("messages", "sms", "text message"),
    "Calendar": ("calendar", "event", "appointment"),
    "Files": ("files", "file manager", "folder", "downloads"),
    "Pro Expense": ("expense", "expenses", "pro expense"),
}  # fmt: skip

#: Stock apps the policy knows by name (from the app table), and words that point to them.
KNOWN_APPS: tuple[KnownApp, ...] = tuple(
    KnownApp(app.label, app.package, _KEYWORDS[app.label])
    for app in APPS
    if app.sim and app.label in _KEYWORDS
)

#: Where common settings live (AOSP's menu names), used like extra tip words.
RELATED: dict[str, tuple[str, ...]] = {
    "wifi": ("network", "internet"),
    "hotspot": ("network", "internet", "hotspot", "tethering"),
    "airplane": ("network", "internet"),
    "mobile data": ("network", "internet", "mobile network"),
    "bluetooth": ("connected devices", "connection preferences"),
    "brightness": ("display",),
    "dark theme": ("display",),
    "volume": ("sound", "vibration"),
    "ringtone": ("sound", "vibration"),
    "location": ("location",),
    "battery saver": ("battery",),
}

_STOP_WORDS = """
a an the to on off in of for and or my me please turn switch set enable disable activate
deactivate open launch go app it is be with into this that type enter write then make sure
at
"""
STOP = frozenset(_STOP_WORDS.split())

_TOGGLE = [
    re.compile(r"\b(?:turn|switch|toggle|set)\s+(on|off)\s+(?:the\s+)?(.+)", re.I),
    re.compile(r"\b(?:turn|switch|set)\s+(?:the\s+)?(.+?)\s+(on|off)\b", re.I),
    re.compile(r"\b(enable|activate|disable|deactivate)\s+(?:the\s+)?(.+)", re.I),
]
_QUOTED_TEXT = re.compile(r"[\"“'‘]([^\"”'’]+)[\"”'’]")

MIN_SCORE = 0.5
MAX_SCROLLS = 3


def content_words(text: str) -> set[str]:
    return {w for w in norm(text).split() if w not in STOP and len(w) > 1}


@dataclass(frozen=True)
class Intent:
    """What the task asks, as far as words tell."""

    words: frozenset[str]
    app: KnownApp | None
    toggle: bool | None = None
    subject: str = ""
    text: str | None = None
    only_open: bool = False


def parse_task(task: str) -> Intent:
    toggle: bool | None = None
    subject = ""
    for i, pattern in enumerate(_TOGGLE):
        m = pattern.search(task)
        if not m:
            continue
        if i == 0:
            toggle, subject = m.group(1).lower() == "on", m.group(2)
        elif i == 1:
            subject, toggle = m.group(1), m.group(2).lower() == "on"
        else:
            toggle, subject = m.group(1).lower() in ("enable", "activate"), m.group(2)
        subject = re.split(r"[.,;!?]| in | on the ", subject)[0].strip()
        break
    quoted = _QUOTED_TEXT.search(task)
    app = _app_for(task)
    words = content_words(task)
    only_open = (
        app is not None
        and toggle is None
        and quoted is None
        and re.search(r"\b(open|launch|start)\b", task, re.I) is not None
        and not (words - content_words(app.label) - {"start"})
    )
    return Intent(
        frozenset(words),
        app,
        toggle,
        subject,
        quoted.group(1) if quoted else None,
        only_open,
    )


def _app_for(task: str) -> KnownApp | None:
    t = norm(task)
    for app in KNOWN_APPS:  # an app named outright wins
        if re.search(rf"\b{re.escape(norm(app.label))}\b", t):
            return app
    for app in KNOWN_APPS:
        if any(re.search(rf"\b{re.escape(norm(k))}s?\b", t) for k in app.keywords):
            return app
    return None


def _related_words(intent: Intent, task: str) -> set[str]:
    t = norm(task)
    out: set[str] = set()
    for key, places in RELATED.items():
        if re.search(rf"\b{re.escape(key)}\b", t):
            for p in places:
                out |= content_words(p)
    return out


# --- the manager -------------------------------------------------------------------------


def _reply(thought: str, action: Mapping[str, Any]) -> dict[str, Any]:
    return {"thought": f"[heuristic] {thought}", "action": dict(action)}


def _tap(e: UIElement) -> dict[str, Any]:
    return {"type": "tap", "target": {"index": e.index}}


def _done_before(memory: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    pairs = memory.get("pairs", []) if isinstance(memory, Mapping) else []
    return [p for p in pairs if isinstance(p, Mapping)]


def _tapped_names(memory: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for p in _done_before(memory):
        if p.get("action", {}).get("type") == "tap":
            names.extend(quoted_names(str(p.get("thought", ""))))
    return names


def _trailing(memory: Mapping[str, Any], kind: str) -> int:
    n = 0
    for p in reversed(_done_before(memory)):
        if p.get("action", {}).get("type") != kind:
            break
        n += 1
    return n


def manage(
    task: str, obs: Observation, tips: Sequence[str], memory: Mapping[str, Any]
) -> dict[str, Any]:
    """The Manager's reply (a dict with `thought` and `action`, device pixels)."""
    intent = parse_task(task)
    app = intent.app
    if app is not None and obs.package != app.package:
        opened = sum(
            1
            for p in _done_before(memory)
            if p.get("action", {}).get("type") == "open_app"
            and p.get("action", {}).get("app") == app.label
        )
        if opened < 2:
            return _reply(
                f'The task needs "{app.label}" and {obs.package or "another app"} is in front: '
                f"open it.",
                {"type": "open_app", "app": app.label},
            )
    if intent.only_open and app is not None and obs.package == app.package:
        return _reply(
            f"{app.label} is open.",
            {"type": "finish", "status": "success", "reason": f"{app.label} is open"},
        )
    ui = obs.ui or ()
    if intent.toggle is not None and intent.subject:
        switch = _best_switch(ui, intent.subject)
        if switch is not None:
            name = name_of(switch, ui)
            state = "on" if intent.toggle else "off"
            if switch.checked == intent.toggle:
                return _reply(
                    f'The "{name}" switch is {state}: the task is done.',
                    {"type": "finish", "status": "success", "reason": f"{name} is {state}"},
                )
            return _reply(f'Tap the "{name}" switch to turn it {state}.', _tap(switch))
    if intent.text:
        fields = [e for e in ui if e.editable and e.enabled]
        done = [e for e in fields if intent.text in e.text]
        if done:
            name = name_of(done[0], ui) or "field"
            return _reply(
                f'The "{name}" field holds "{intent.text}": the task is done.',
                {"type": "finish", "status": "success", "reason": "the text is entered"},
            )
        if fields:
            field = max(
                fields, key=lambda e: (_score(name_of(e, ui), intent, tips, task), e.focused)
            )
            return _reply(
                f'Type "{intent.text}" into the "{name_of(field, ui) or "text"}" field.',
                {"type": "type", "text": intent.text, "target": {"index": field.index}},
            )
    target = _best_element(ui, intent, tips, task, memory)
    if target is not None:
        return _reply(f'Tap "{name_of(target, ui)}": it matches the task or a tip.', _tap(target))
    went_back = any(p.get("action", {}).get("type") == "press" for p in _done_before(memory))
    if went_back:
        return _reply(
            "Nothing here or on the screens before matches the task.",
            {"type": "finish", "status": "failure", "reason": "no element matches the task"},
        )
    if _trailing(memory, "scroll") < MAX_SCROLLS:
        scrollable = next((e for e in ui if e.scrollable), None)
        anchor = {"index": scrollable.index} if scrollable is not None else None
        return _reply(
            "Nothing on screen matches the task: scroll down to see more.",
            {"type": "scroll", "direction": "down", "anchor": anchor},
        )
    return _reply("Scrolling found nothing: go back.", {"type": "press", "key": "back"})


def _best_switch(ui: Sequence[UIElement], subject: str) -> UIElement | None:
    best: tuple[float, UIElement] | None = None
    for e in ui:
        if not e.checkable or not e.enabled:
            continue
        score = similarity(subject, name_of(e, ui))
        if score >= 80 and (best is None or score > best[0]):
            best = (score, e)
    return best[1] if best else None


def _score(name: str, intent: Intent, tips: Sequence[str], task: str) -> float:
    words = content_words(name)
    if not words:
        return 0.0
    tip_words: set[str] = set()
    for tip in tips:
        tip_words |= content_words(tip)
    tip_words |= _related_words(intent, task)
    score = 2.0 * len(words & intent.words) / len(words)
    score += 1.0 * len(words & tip_words) / len(words)
    if intent.subject:
        fuzzy = similarity(intent.subject, name)
        score += fuzzy / 100.0 if fuzzy >= 80 else 0.0
    return score


def _tappable(e: UIElement, ui: Sequence[UIElement]) -> bool:
    """Clickable itself, or inside a clickable element (a row's title or summary); a page
    heading is neither."""
    if e.clickable or e.long_clickable:
        return True
    b = e.bounds
    return any(
        o.clickable
        and o is not e
        and o.bounds.x1 <= b.x1
        and o.bounds.y1 <= b.y1
        and o.bounds.x2 >= b.x2
        and o.bounds.y2 >= b.y2
        for o in ui
    )


def _best_element(
    ui: Sequence[UIElement],
    intent: Intent,
    tips: Sequence[str],
    task: str,
    memory: Mapping[str, Any],
) -> UIElement | None:
    tapped = {norm(n) for n in _tapped_names(memory)}
    best: tuple[float, UIElement] | None = None
    for e in labelled(ui):
        if e.editable or e.checkable or not e.enabled or not _tappable(e, ui):
            continue
        name = name_of(e, ui)
        score = _score(name, intent, tips, task)
        if norm(name) in tapped:
            score *= 0.3  # tapped before: probably a loop
        if score >= MIN_SCORE and (best is None or score > best[0]):
            best = (score, e)
    return best[1] if best else None


# --- the other roles ---------------------------------------------------------------------


def check(thought: str, action: Action, obs: Observation) -> dict[str, Any]:
    pre = precheck(thought, action, obs)
    if pre.consistent is None:
        return {"consistent": True, "reason": f"[heuristic] no evidence against: {pre.reason}"}
    return {"consistent": pre.consistent, "reason": f"[heuristic] {pre.reason}"}


def correct(thought: str, action: Action, obs: Observation) -> dict[str, Any]:
    ui = obs.ui or ()
    names = quoted_names(thought)
    if names and action_target(action) is not None:
        scored = [
            (max(similarity(n, name_of(e, ui)) for n in names), e)
            for e in labelled(ui)
            if name_of(e, ui)
        ]
        if scored:
            score, element = max(scored, key=lambda s: s[0])
            if score >= 90:
                fixed = action.model_dump(mode="json")
                key = "anchor" if isinstance(action, Scroll) else "target"
                fixed[key] = {"index": element.index}
                return {
                    "error_type": "parameters_or_target",
                    "thought": f'[heuristic] retarget to "{name_of(element, ui)}", '
                    "as the thought says",
                    "action": fixed,
                }
    return {"error_type": "none", "thought": thought, "action": action.model_dump(mode="json")}


def reflect(before: Observation, after: Observation, diff: UIDiff | None) -> dict[str, Any]:
    changed = (not diff.empty) if diff is not None else before.screenshot != after.screenshot
    if changed:
        what = diff.text(limit=3).replace("\n", "; ") if diff is not None else "the screenshot"
        return {
            "success": True,
            "analysis": f"[heuristic] the screen changed: {what}",
            "guidance": "",
        }
    return {
        "success": False,
        "analysis": "[heuristic] the screen did not change",
        "guidance": "try another element, or scroll to find the right one",
    }


class HeuristicPolicy:
    """The offline baseline as a `ChatModel` (see the module docstring)."""

    name = NAME
    coords: CoordSpace = "pixels"
    image_rule: ImageRule = NATIVE_SIZE
    dialect: str | None = "artemis"

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        from artemis.agent.correction import CorrectInput
        from artemis.agent.manager import PlanInput
        from artemis.agent.reflection import ReflectInput
        from artemis.agent.tac import CheckInput

        started = time.perf_counter()
        r = request
        reply: dict[str, Any]
        if isinstance(r, GuardInput):
            reply = offline_reply(r, "heuristic")
        elif isinstance(r, PlanInput):
            reply = manage(r.task, r.observation, r.tip_texts, dict(r.memory))
        elif isinstance(r, CheckInput):
            reply = check(r.thought, r.action, r.observation)
        elif isinstance(r, CorrectInput):
            reply = correct(r.thought, r.action, r.observation)
        elif isinstance(r, ReflectInput):
            reply = reflect(r.before, r.after, r.diff)
        else:
            raise ModelError(
                "the heuristic policy answers the agent's roles from their inputs and cannot "
                f"answer {'a free-form prompt' if r is None else repr(r.role)}"
            )
        text = json.dumps(reply)
        frames = []
        for m in messages:
            for img in m.images:
                w, h = png_size(img.png)
                frames.append(ImageFrame(w, h, w, h))
        return ModelResponse(
            text=text,
            model=NAME,
            parsed=parse_reply(text, output_schema) if output_schema is not None else None,
            usage=Usage(0, 0, 1),
            latency_s=time.perf_counter() - started,
            frames=frames,
            coords="pixels",
            extra={"baseline": True},
        )


def _factory(rest: str, settings: Settings) -> HeuristicPolicy:
    if rest:
        raise ModelConfigError(f"the heuristic baseline takes no model name (got {rest!r})")
    return HeuristicPolicy()


def register() -> None:
    """Make the spec `heuristic` resolve to this policy (`artemis.models.registry`)."""
    from artemis.models.registry import register_backend

    register_backend(
        "heuristic",
        _factory,
        form="heuristic",
        help="offline, model-free baseline on the UI tree and tips (not an LLM)",
        uses=("agent", "simworld"),
    )
