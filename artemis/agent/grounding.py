"""From a model's action to a device action, and how a role speaks to its model.

A `Voice` is what the Manager and ACA need to talk to a model: its dialect
(`artemis.models.dialects.choose`), the coordinate space its points are read in, and the frame
the screenshot will be sent in (the model's `image_rule`). `device_action` turns a parsed
reply into a device action through the frame the image was actually sent in
(`artemis.models.dialects.convert`, the one place where points are converted), and checks
element indices against the observed tree. Failures are `ModelResponseError` or `TargetError`
phrased for the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from artemis.actions import Action, ElementTarget
from artemis.config import Settings
from artemis.models.base import ChatModel, ModelResponse
from artemis.models.coords import CoordSpace, ImageFrame
from artemis.models.dialects import Dialect, ParsedReply, choose, role_coords
from artemis.models.dialects.convert import POINT_FIELDS, to_device
from artemis.observation import Observation


@dataclass(frozen=True)
class Voice:
    dialect: Dialect
    coords: CoordSpace
    frame: ImageFrame


def voice(model: ChatModel, settings: Settings, role: str, obs: Observation) -> Voice:
    """How `role` speaks to `model` about the screen `obs`."""
    dialect = choose(model, settings, role)
    coords = role_coords(dialect, model, settings)
    return Voice(dialect, coords, model.image_rule.frame(*obs.size))


def frame_of(model: ChatModel, obs: Observation) -> ImageFrame:
    """The frame `model` sends the screenshot of `obs` in."""
    return model.image_rule.frame(*obs.size)


def device_action(
    reply: ParsedReply, response: ModelResponse[Any], voice: Voice, obs: Observation
) -> Action:
    """The device-pixel action of a parsed reply (see the module docstring)."""
    frame = response.frames[-1] if response.frames else voice.frame
    action = to_device(reply.action, reply.coords or voice.coords, frame)
    check_targets(action, obs)
    return action


def check_targets(action: Action, obs: Observation) -> None:
    """Raise `TargetError` when an element index does not exist on the observed screen."""
    for name in POINT_FIELDS:
        value = getattr(action, name, None)
        if isinstance(value, ElementTarget):
            obs.element(value.index)  # raises TargetError with the reason
