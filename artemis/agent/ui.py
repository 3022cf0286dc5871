"""Reading a UI tree the way the agent's roles need it: names, fuzzy matches, and diffs.

A switch or checkbox in Android settings usually has no text of its own; its name is the title
of the row it sits in. `name_of` finds that name from geometry, since the flat tree keeps no
parent links. `diff_ui` compares two trees for the reflector: elements added, removed, or
changed in state (checked, text of a field, focus, enabled).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from artemis.actions import (
    Action,
    ClearText,
    DoubleTap,
    ElementTarget,
    LongPress,
    PointTarget,
    Scroll,
    Swipe,
    Tap,
    Target,
    TypeText,
)
from artemis.observation import Observation, UIElement

# A row is at most this tall; containers taller than this are not rows.
_MAX_ROW_HEIGHT = 400


def norm(text: str) -> str:
    """Lower case, punctuation and dashes folded, so that 'Wi-Fi' matches 'wifi'."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"(?<=\w)[-_.\u2010\u2011](?=\w)", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def name_of(element: UIElement, ui: Sequence[UIElement] | None) -> str:
    """The element's own label, else the text of the row it sits in (for bare switches)."""
    if element.label and not element.label.startswith(("switch_widget", "checkbox")):
        return element.label
    if ui is None:
        return element.label
    cy = element.bounds.center[1]
    row_texts = [
        e.text or e.content_desc
        for e in ui
        if e is not element
        and (e.text or e.content_desc)
        and e.bounds.y1 <= cy < e.bounds.y2
        and e.bounds.height <= _MAX_ROW_HEIGHT
        and not e.editable
    ]
    return row_texts[0] if row_texts else element.label


def similarity(a: str, b: str) -> float:
    """0..100: how well the short name `a` is matched inside the text `b`."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    if re.search(rf"\b{re.escape(na)}\b", nb):
        return 100.0 if len(na) >= 3 else 80.0
    return float(fuzz.partial_ratio(na, nb)) if len(na) >= 4 else float(fuzz.ratio(na, nb))


_QUOTED = re.compile(r"[\"“”'‘’]([^\"“”'‘’]{2,80})[\"“”'‘’]")


def quoted_names(text: str) -> list[str]:
    """Names written in quotes in a thought ("Tap 'Network & internet'")."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text) if m.group(1).strip()]


def target_point(target: Target, obs: Observation) -> tuple[int, int] | None:
    if isinstance(target, PointTarget):
        return (target.x, target.y)
    if obs.ui is not None and 0 <= target.index < len(obs.ui):
        return obs.ui[target.index].bounds.center
    return None


def target_element(target: Target | None, obs: Observation) -> UIElement | None:
    """The element an action target designates: by index, or the one under the point."""
    if target is None or obs.ui is None:
        return None
    if isinstance(target, ElementTarget):
        return obs.ui[target.index] if 0 <= target.index < len(obs.ui) else None
    return obs.element_at(target.x, target.y)


def action_target(action: Action) -> Target | None:
    """The single target of a pointing action; None for gestures and keys."""
    match action:
        case Tap(target=t) | DoubleTap(target=t) | LongPress(target=t):
            return t
        case TypeText(target=t) | ClearText(target=t):
            return t
        case Scroll(anchor=a):
            return a
    return None


def scroll_gesture(action: Scroll, obs: Observation) -> tuple[tuple[int, int], tuple[int, int]]:
    """The finger movement of a scroll: "down" reveals what is below, so the finger moves up."""
    if action.anchor is not None:
        el = target_element(action.anchor, obs)
        box = el.bounds if el is not None else None
        cx, cy = target_point(action.anchor, obs) or (obs.width // 2, obs.height // 2)
        w = box.width if box else obs.width
        h = box.height if box else obs.height
    else:
        cx, cy, w, h = obs.width // 2, obs.height // 2, obs.width, obs.height
    dx, dy = {"down": (0, -1), "up": (0, 1), "right": (-1, 0), "left": (1, 0)}[action.direction]
    reach_x, reach_y = int(w * 0.3), int(h * 0.3)
    return (cx - dx * reach_x, cy - dy * reach_y), (cx + dx * reach_x, cy + dy * reach_y)


def gesture_points(action: Action, obs: Observation) -> tuple[tuple[int, int], ...]:
    """The points an action touches, in device pixels: one for a tap, two for a swipe."""
    if isinstance(action, Swipe):
        return ((action.start.x, action.start.y), (action.end.x, action.end.y))
    if isinstance(action, Scroll):
        return scroll_gesture(action, obs)
    target = action_target(action)
    if target is None:
        return ()
    point = target_point(target, obs)
    return (point,) if point is not None else ()


# --- diffs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UIDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def text(self, limit: int = 40) -> str:
        """Compact text for a prompt: `+ Button "OK"`, `- ...`, `~ Switch "Wi-Fi": ...`."""
        if self.empty:
            return "no visible change in the UI tree"
        lines = (
            [f"+ {s}" for s in self.added]
            + [f"- {s}" for s in self.removed]
            + [f"~ {s}" for s in self.changed]
        )
        more = len(lines) - limit
        return "\n".join(lines[:limit]) + (f"\n... and {more} more" if more > 0 else "")

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": list(self.changed),
        }


def _kind(e: UIElement) -> str:
    return e.class_name.rsplit(".", 1)[-1] or "View"


def _identity(e: UIElement, ui: Sequence[UIElement]) -> tuple[str, str, str]:
    # A field keeps its identity while its text changes; other elements are known by name.
    name = "" if (e.editable and e.resource_id) else name_of(e, ui)
    return (_kind(e), e.resource_id, name)


def _state(e: UIElement) -> dict[str, object]:
    return {
        "checked": e.checked,
        "selected": e.selected,
        "focused": e.focused,
        "enabled": e.enabled,
        "text": e.text if e.editable else None,
    }


def _worth_showing(e: UIElement) -> bool:
    return bool(e.text or e.content_desc or e.interactive)


def _keyed(ui: Sequence[UIElement]) -> dict[tuple[tuple[str, str, str], int], UIElement]:
    seen: Counter[tuple[str, str, str]] = Counter()
    out: dict[tuple[tuple[str, str, str], int], UIElement] = {}
    for e in ui:
        if not _worth_showing(e):
            continue
        ident = _identity(e, ui)
        out[(ident, seen[ident])] = e
        seen[ident] += 1
    return out


def _show(e: UIElement, ui: Sequence[UIElement]) -> str:
    name = name_of(e, ui)
    return f'{_kind(e)} "{name}"' if name else _kind(e)


def diff_ui(before: Sequence[UIElement], after: Sequence[UIElement]) -> UIDiff:
    """What changed between two UI trees, by element identity (kind, id, name)."""
    a, b = _keyed(before), _keyed(after)
    added = tuple(_show(e, after) for k, e in b.items() if k not in a)
    removed = tuple(_show(e, before) for k, e in a.items() if k not in b)
    changed: list[str] = []
    for key in a.keys() & b.keys():
        old, new = _state(a[key]), _state(b[key])
        deltas = [f"{f} {old[f]!r}->{new[f]!r}" for f in old if old[f] != new[f]]
        if deltas:
            changed.append(f"{_show(b[key], after)}: {', '.join(deltas)}")
    changed.sort()
    return UIDiff(added, removed, tuple(changed))


def labelled(ui: Iterable[UIElement]) -> list[UIElement]:
    """Elements worth listing to a model: interactive or carrying text."""
    return [e for e in ui if _worth_showing(e) and e.bounds.area > 0]
