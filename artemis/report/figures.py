"""The images of a report: each step's screenshot with its action drawn, as data URIs.

A step shows the `NNN-action.png` the checker saw when there is one; otherwise the action is
drawn on `NNN.png` with the agent's own drawing code (`artemis.agent.draw`). When the corrector
changed the action, the executed one is drawn as well. Element targets are placed with the
`elements` a step records (their bounds); a record without them cannot place one, and the
page says so.

Images are embedded (the page works from disk, with no server and no network), re-encoded as
lossless WebP: the same pixels, at about a third of the PNG's size on UI screens. When that is
not smaller, or Pillow lacks WebP, the recorded bytes are embedded as they are.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, features
from pydantic import ValidationError

from artemis.actions import Action, describe, parse_action
from artemis.agent import draw
from artemis.agent.ui import action_target, gesture_points
from artemis.observation import Observation, Rect, UIElement

_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
_WEBP = features.check("webp")


@dataclass(frozen=True)
class Figure:
    """One image of a page, or why there is none (`uri` None, `missing` says why)."""

    caption: str
    uri: str | None = None
    missing: str | None = None
    note: str | None = None
    width: int = 0
    height: int = 0


def data_uri(raw: bytes) -> tuple[str, int, int]:
    """`raw` (any image Pillow reads) as a data URI, with its size; raises `OSError` or
    `ValueError` when it is not a readable image."""
    with Image.open(io.BytesIO(raw)) as img:
        img.load()
        fmt, size = img.format or "PNG", img.size
        best, mime = raw, _MIME.get(fmt)
        if _WEBP and fmt != "WEBP":
            buf = io.BytesIO()
            img.save(buf, format="WEBP", lossless=True, method=1, quality=0)
            if buf.tell() < len(raw) or mime is None:
                best, mime = buf.getvalue(), "image/webp"
        if mime is None:
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            best, mime = buf.getvalue(), "image/png"
    return f"data:{mime};base64,{base64.b64encode(best).decode('ascii')}", size[0], size[1]


def _figure(caption: str, raw: bytes, name: str, note: str | None = None) -> Figure:
    try:
        uri, w, h = data_uri(raw)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return Figure(caption, missing=f"{name} cannot be decoded: {exc}")
    return Figure(caption, uri, note=note, width=w, height=h)


def _read(folder: Path, rel: str) -> tuple[bytes | None, str | None]:
    path = folder / rel
    if not path.resolve().is_relative_to(folder.resolve()):
        return None, f"{rel} is outside the episode folder: not shown"
    try:
        return path.read_bytes(), None
    except FileNotFoundError:
        return None, f"{rel} is missing"
    except OSError as exc:
        return None, f"{rel} cannot be read: {exc}"


def _action(value: Any) -> Action | None:
    if not isinstance(value, dict):
        return None
    try:
        return parse_action(value)
    except ValidationError:
        return None


#: Element indices beyond this are not believed (a tree is padded up to the largest index).
MAX_INDEX = 10_000


def recorded_tree(elements: Any) -> tuple[UIElement, ...] | None:
    """A tree holding the elements a step record names (its `elements`) at their indices,
    padded with empty elements, for `draw.annotate`; None when the record names none."""
    if not isinstance(elements, dict):
        return None
    known: dict[int, UIElement] = {}
    for key, value in elements.items():
        bounds = value.get("bounds") if isinstance(value, dict) else None
        if not (str(key).isdigit() and isinstance(bounds, list) and len(bounds) == 4):
            continue
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in bounds):
            continue
        i = int(key)
        if i <= MAX_INDEX:
            known[i] = UIElement(i, Rect(*bounds), text=str(value.get("name") or ""))
    if not known:
        return None
    return tuple(known.get(i, UIElement(i, Rect(0, 0, 0, 0))) for i in range(max(known) + 1))


def _drawn(
    caption: str, screen: bytes, rel: str, action: Action, ui: tuple[UIElement, ...] | None
) -> Figure:
    """`action` drawn on the screen, or the bare screen with a note saying why not."""
    try:
        with Image.open(io.BytesIO(screen)) as img:
            size = img.size
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return Figure(caption, missing=f"{rel} cannot be decoded: {exc}")
    obs = Observation(screenshot=screen, width=size[0], height=size[1], ui=ui)
    if gesture_points(action, obs):
        try:
            return _figure(caption, draw.annotate(obs, action), rel)
        except (OSError, ValueError) as exc:
            return Figure(caption, missing=f"{rel}: the action cannot be drawn: {exc}")
    target = action_target(action)
    if target is not None:
        note = (
            f"{describe(action)}: the trajectory does not record where that element is, "
            "so it cannot be drawn"
        )
    else:
        note = f"{describe(action)}: nothing to draw"
    return _figure(caption, screen, rel, note)


def step_figures(folder: Path, step: dict[str, Any], *, screens_kept: bool = True) -> list[Figure]:
    """The images of one step record (see the module docstring)."""
    rel = step.get("screen")
    number = step.get("step")
    if not isinstance(rel, str) or not rel:
        off = "no screenshot: screenshots were not kept (log_screens off)"
        return [Figure("screen", missing=off if not screens_kept else "no screenshot was recorded")]
    screen, why = _read(folder, rel)
    if screen is None:
        return [Figure("screen", missing=why)]

    planned, executed = _action(step.get("action")), _action(step.get("executed"))
    corrected = executed is not None and planned is not None and executed != planned
    ui = recorded_tree(step.get("elements"))
    figures: list[Figure] = []
    action_rel = (
        f"screens/{number:03d}-action.png"
        if isinstance(number, int)
        else rel.removesuffix(".png") + "-action.png"
    )
    checked_png, _ = _read(folder, action_rel)
    if checked_png is not None:
        caption = "action, as the checker saw it"
        if corrected:
            caption = "planned action, as the checker saw it"
        elif executed is None:
            caption = "planned action (not carried out), as the checker saw it"
        figures.append(_figure(caption, checked_png, action_rel))
    elif corrected and planned is not None:
        figures.append(_drawn("planned action", screen, rel, planned, ui))
    if corrected and executed is not None:
        figures.append(_drawn("executed action (corrected)", screen, rel, executed, ui))
    if not figures:
        if executed is not None:
            figures.append(_drawn("action", screen, rel, executed, ui))
        elif planned is not None:
            figures.append(_drawn("planned action (not carried out)", screen, rel, planned, ui))
        else:
            figures.append(_figure("screen", screen, rel, "no action was planned"))
    return figures


def unrecorded_figures(folder: Path, steps: list[dict[str, Any]]) -> list[Figure]:
    """Screens of steps that began but were never recorded (the episode stopped during
    them): `screens/NNN.png` numbered after the last recorded step."""
    done = [s.get("step") for s in steps]
    last = max((n for n in done if isinstance(n, int)), default=-1)
    try:
        names = sorted(p.name for p in (folder / "screens").glob("[0-9][0-9][0-9].png"))
    except OSError:
        return []
    out = []
    for name in names:
        n = int(name[:3])
        if n > last:
            raw, why = _read(folder, f"screens/{name}")
            caption = f"step {n + 1} began on this screen and was not recorded"
            out.append(
                _figure(caption, raw, f"screens/{name}")
                if raw is not None
                else Figure(caption, missing=why)
            )
    return out


def final_figure(folder: Path) -> Figure | None:
    """The last screen seen, when it was kept."""
    rel = "screens/final.png"
    raw, _ = _read(folder, rel)
    return None if raw is None else _figure("final screen", raw, rel)
