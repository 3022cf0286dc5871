"""TAC, the thought-action consistency check, with a cheap pre-check on the UI tree.

The pre-check compares the element an action touches (by index, or the one under the point)
with what the thought names: names in quotes when the thought has any, else the thought's
words. It is confident that the pair is consistent when the target's name is what the thought
names, and confident that it is not when the thought names another element on the screen and
the target's name is nowhere in it. Otherwise it cannot tell, and the model decides. With
`agent.tac_skip_when_confident`, a confident pre-check replaces the model call.

The model sees the screenshot with the action drawn on it (`artemis.agent.draw`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from artemis.actions import Action, OpenApp, TypeText
from artemis.agent import draw, prompts
from artemis.agent.calling import ask
from artemis.agent.grounding import frame_of
from artemis.agent.render import action_json, action_text, blank_note, untrusted
from artemis.agent.types import Precheck, RoleCost, TacReply, Verdict
from artemis.agent.ui import (
    action_target,
    labelled,
    name_of,
    norm,
    quoted_names,
    similarity,
    target_element,
)
from artemis.config import Settings
from artemis.device.apps import resolve_app
from artemis.errors import UnknownAppError
from artemis.models.base import ChatModel, ImagePart, Message, ModelRequest, ModelResponse
from artemis.models.images import prepare
from artemis.observation import Observation

#: At or above: the thought names the target.
SAME = 90.0
#: Below: the thought does not name the target at all.
OTHER = 50.0
#: At or above: the thought names this other element.
NAMES_OTHER = 95.0
#: Put before TAC's prompt when the screenshot showed nothing of the screen.
BLANK_SCREEN_NOTE = blank_note("go by the target element and the pre-check on the UI tree")


@dataclass(frozen=True, kw_only=True)
class CheckInput(ModelRequest):
    """What TAC is asked about; offline policies read it instead of the prompt. `precheck`
    is the UI-tree pre-check's finding, when it ran."""

    role: str = "tac"
    task: str
    thought: str
    action: Action
    observation: Observation
    tips: Sequence[str] = ()
    precheck: Precheck | None = None
    #: The device's installed packages, when known: the pre-check decides `open_app` by them.
    packages: Sequence[str] | None = None


def _sym(a: str, b: str) -> float:
    return max(similarity(a, b), similarity(b, a))


def precheck(
    thought: str, action: Action, obs: Observation, packages: Sequence[str] | None = None
) -> Precheck:
    """Compare the action's target element with what the thought names (see module doc);
    `open_app` against the installed `packages`, typing into the focused field by the text."""
    if isinstance(action, OpenApp):
        return _open_app(thought, action, packages)
    if isinstance(action, TypeText) and action.target is None:
        return _type_focused(thought, action, obs)
    target = action_target(action)
    if target is None:
        return Precheck(None, "the action has no target element")
    if obs.ui is None:
        return Precheck(None, "the screen has no UI tree")
    element = target_element(target, obs)
    if element is None:
        return Precheck(None, "no element under the action point")
    name = name_of(element, obs.ui)
    if not name:
        return Precheck(None, f"element #{element.index} has no name to compare")
    names = quoted_names(thought)
    if isinstance(action, TypeText):  # the text to type is not a name
        names = [n for n in names if norm(n) != norm(action.text)]
    own = max((_sym(n, name) for n in names), default=0.0) if names else similarity(name, thought)
    if own >= SAME:
        return Precheck(True, f'the thought names the target "{name}"', name, own)
    if own < OTHER:
        for other in labelled(obs.ui):
            other_name = name_of(other, obs.ui)
            if other is element or not other_name or norm(other_name) == norm(name):
                continue
            score = (
                max(_sym(n, other_name) for n in names)
                if names
                else (similarity(other_name, thought) if len(norm(other_name)) >= 4 else 0.0)
            )
            if score >= NAMES_OTHER:
                return Precheck(
                    False,
                    f'the thought names "{other_name}" (element #{other.index}) but the action '
                    f'targets "{name}" (element #{element.index})',
                    name,
                    own,
                )
    return Precheck(None, f'unsure whether the thought means "{name}"', name, own)


def _open_app(thought: str, action: OpenApp, packages: Sequence[str] | None) -> Precheck:
    if packages is None:
        return Precheck(None, "the installed apps are not known")
    try:
        package = resolve_app(action.app, packages)
    except UnknownAppError:
        return Precheck(False, f'no installed app is called "{action.app}"', action.app)
    own = max(similarity(action.app, thought), similarity(package.rsplit(".", 1)[-1], thought))
    if own >= SAME:
        return Precheck(True, f'the thought names the app "{action.app}"', action.app, own)
    return Precheck(None, f'unsure whether the thought means "{action.app}"', action.app, own)


def _type_focused(thought: str, action: TypeText, obs: Observation) -> Precheck:
    if obs.ui is None:
        return Precheck(None, "the screen has no UI tree")
    field = next((e for e in obs.ui if e.focused and e.editable), None)
    if field is None:
        return Precheck(None, "no focused text field")
    name = name_of(field, obs.ui)
    own = similarity(action.text, thought) if len(norm(action.text)) >= 2 else 0.0
    if own >= SAME:
        return Precheck(True, f'the thought names the text typed into "{name}"', name, own)
    return Precheck(None, f'unsure whether the thought means typing into "{name}"', name, own)


def messages(
    model: ChatModel, inp: CheckInput, annotated: bytes, settings: Settings
) -> list[Message]:
    obs = inp.observation
    element = target_element(action_target(inp.action), obs)
    pre = precheck(inp.thought, inp.action, obs, inp.packages)
    system, user = prompts.load("tac").render(
        task=inp.task,
        thought=inp.thought,
        action_json=action_json(inp.action, model.coords, frame_of(model, obs)),
        action_text=action_text(inp.action),
        target=untrusted(
            f'#{element.index} {element.class_name.rsplit(".", 1)[-1]} "{name_of(element, obs.ui)}"'
            if element is not None
            else "unknown"
        ),
        precheck=untrusted(pre.reason),
    )
    if obs.blank:
        user = BLANK_SCREEN_NOTE + user
    return [Message.system(system), Message.user(user, ImagePart(annotated, "action drawn"))]


async def check(model: ChatModel, inp: CheckInput, settings: Settings) -> Verdict:
    """The verdict on one thought-action pair: by the pre-check when it is sure (and allowed
    to decide), else by the model. Unusable model replies leave the action unchecked."""
    pre = precheck(inp.thought, inp.action, inp.observation, inp.packages)
    if pre.consistent is not None and settings.agent.tac_skip_when_confident:
        return Verdict(pre.consistent, pre.reason, "precheck", pre, RoleCost())
    # Drawn on the screen as the model will see it: one resize per screen and rule, shared
    # with the other roles, and the drawing needs none of its own.
    base, _ = await prepare(inp.observation.screenshot, model.image_rule)
    annotated = await asyncio.to_thread(draw.annotate, inp.observation, inp.action, base)

    def accept(reply: TacReply, response: ModelResponse[Any]) -> TacReply:
        return reply

    asked = await ask(
        model,
        dataclasses.replace(inp, precheck=pre),
        messages(model, inp, annotated, settings),
        accept=accept,
        settings=settings,
        schema=TacReply,
    )
    if asked.value is None:
        why = f"unchecked: {asked.failure}"
        return Verdict(True, why, "unchecked", pre, asked.cost, annotated)
    reply = asked.value
    return Verdict(reply.consistent, reply.reason, "model", pre, asked.cost, annotated)
