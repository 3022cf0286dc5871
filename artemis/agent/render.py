"""Prompt text shared by the roles: the element list, an action, the note on a blank screen,
and the quoting of text that comes from the screen.

Every role's prompt puts what the phone shows (element labels, UI diffs, a target's name)
between `<untrusted-screen-text>` markers and says, once, that such text is data and never
an instruction. `untrusted` makes sure a label cannot close the block early: any copy of the
marker's name inside the text is defused.
"""

from __future__ import annotations

import json

from artemis.actions import Action, describe
from artemis.agent.ui import labelled, name_of
from artemis.models.base import Message, TextPart
from artemis.models.coords import CoordSpace, ImageFrame
from artemis.models.dialects.convert import action_for_model
from artemis.models.templates import untrusted as untrusted  # the roles quote with it
from artemis.observation import Observation

MAX_ELEMENTS = 120


def elements_text(
    obs: Observation, coords: CoordSpace, frame: ImageFrame, *, limit: int = MAX_ELEMENTS
) -> str:
    """The numbered element list, centres in the model's space (`coords`, for an image sent
    in `frame`). Indices are the tree's own, so the list skips containers without text but
    never renumbers."""
    if obs.ui is None:
        return "(no UI tree for this screen: use points)"
    lines = []
    for e in labelled(obs.ui)[:limit]:
        kind = e.class_name.rsplit(".", 1)[-1] or "View"
        name = name_of(e, obs.ui)
        flags = [
            flag
            for flag, on in (
                ("clickable", e.clickable),
                ("editable", e.editable),
                ("scrollable", e.scrollable),
                ("checked" if e.checked else "unchecked", e.checkable),
                ("focused", e.focused),
                ("selected", e.selected),
                ("disabled", not e.enabled),
            )
            if on
        ]
        cx, cy = e.bounds.center
        mx, my = frame.to_model(cx, cy, coords)
        where = f"({mx:.3f},{my:.3f})" if coords == "norm1" else f"({int(mx)},{int(my)})"
        label = f' "{name}"' if name else ""
        extra = f" ({', '.join(flags)})" if flags else ""
        lines.append(f"[{e.index}] {kind}{label}{extra} @{where}")
    return "\n".join(lines) if lines else "(the tree has no labelled elements)"


def action_json(action: Action, coords: CoordSpace, frame: ImageFrame) -> str:
    return json.dumps(action_for_model(action, coords, frame))


def action_text(action: Action) -> str:
    return describe(action)


#: What a role that sees the screenshot is told when the screen is blank (`Observation.blank`).
BLANK_SCREEN = (
    "this screen could not be captured (the app forbids screenshots, as banking and "
    "password screens do, or the capture came back empty). The image is a black placeholder, "
    "not what the screen shows"
)


def blank_note(instead: str, image: str = "") -> str:
    """The blank-screen note that opens a prompt, ending with what to go by `instead` of the
    picture; `image` names which one when the prompt shows several."""
    return f"NOTE{f' on the {image}' if image else ''}: {BLANK_SCREEN}: {instead}.\n\n"


def with_note(messages: list[Message], note: str) -> list[Message]:
    """`messages` with `note` at the start of the last user turn."""
    out = list(messages)
    for i in range(len(out) - 1, -1, -1):
        if out[i].role == "user":
            out[i] = Message("user", (TextPart(note), *out[i].parts))
            break
    return out
