"""The oracle's plan language: UI steps resolved against the screen the agent observes.

A task's `solution()` is a list of `Op`s. The oracle asks the current op for the next action,
given the observed UI tree; an op answers with a `Move` (a thought and one action), or None
when it is complete, and the oracle goes on to the next op. Ops find their targets by text,
content description or resource id (`Find`), never by fixed coordinates, and scroll a list
until the target shows, so a solution proves a task can be done from what the screen shows.

Values read from one screen (`Remember`) can be typed or answered later: text given as a
callable receives the oracle's memory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from artemis.actions import (
    Action,
    Answer,
    Direction,
    ElementTarget,
    Finish,
    Key,
    LongPress,
    Note,
    OpenApp,
    Press,
    Scroll,
    Tap,
    TypeText,
)
from artemis.errors import BenchmarkError
from artemis.observation import Observation, Rect, UIElement

Memory: TypeAlias = MutableMapping[str, str]
TextSource: TypeAlias = str | Callable[[Mapping[str, str]], str]

#: How many times an op scrolls looking for its target before it gives up.
MAX_SCROLLS = 12


class OracleStuck(BenchmarkError):
    """A solution step found nothing to act on: the task, its solution or the app is wrong."""


@dataclass(frozen=True)
class Move:
    thought: str
    action: Action


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x1 >= outer.x1
        and inner.y1 >= outer.y1
        and inner.x2 <= outer.x2
        and inner.y2 <= outer.y2
    )


@dataclass(frozen=True)
class Find:
    """What identifies an element. Every criterion given must hold; `nth` picks among matches.

    `rid` matches a full resource id or its part after ":id/"; `contains` matches text or
    content description case-insensitively; `nth` counts from the end when negative. `under`
    limits the search to the descendants of an ancestor of the first element another `Find`
    matches, `levels` up from it: the summary beside a row's title is
    `Find(rid="summary", under=Find(text="Model"))`, the label of the alarm card whose time
    is 7:30 AM is `Find(rid="edit_label", under=Find(text="7:30 AM"), levels=2)`.
    """

    text: str | None = None
    desc: str | None = None
    rid: str | None = None
    contains: str | None = None
    cls: str | None = None
    editable: bool | None = None
    checkable: bool | None = None
    under: Find | None = None
    levels: int = 1
    nth: int = 0

    def matches(self, e: UIElement) -> bool:
        if e.bounds.area <= 0:
            return False
        if self.text is not None and e.text != self.text:
            return False
        if self.desc is not None and e.content_desc != self.desc:
            return False
        if self.rid is not None and not (
            e.resource_id == self.rid or e.resource_id.endswith(":id/" + self.rid)
        ):
            return False
        if self.contains is not None:
            needle = self.contains.casefold()
            if needle not in e.text.casefold() and needle not in e.content_desc.casefold():
                return False
        if self.cls is not None and not e.class_name.endswith(self.cls):
            return False
        if self.editable is not None and e.editable != self.editable:
            return False
        return self.checkable is None or e.checkable == self.checkable

    def all(self, ui: tuple[UIElement, ...]) -> list[UIElement]:
        pool: Sequence[UIElement] = ui
        if self.under is not None:
            anchor = self.under.first(ui)
            if anchor is None:
                return []
            pool = descendants(ui, ancestor(ui, anchor, self.levels))
        return [e for e in pool if self.matches(e)]

    def first(self, ui: tuple[UIElement, ...]) -> UIElement | None:
        found = self.all(ui)
        return found[self.nth] if -len(found) <= self.nth < len(found) else None

    def __str__(self) -> str:
        """In words, without quotes: thoughts quote only the element they act on (the
        agent's consistency check reads quoted names as targets)."""
        parts = [
            f"{k} {v}"
            for k, v in (
                ("text", self.text),
                ("description", self.desc),
                ("id", self.rid),
                ("containing", self.contains),
                ("class", self.cls),
            )
            if v is not None
        ]
        if self.under is not None:
            parts.append(f"near ({self.under})")
        return "the element with " + ", ".join(parts) if parts else "any element"


def ancestor(ui: tuple[UIElement, ...], e: UIElement, levels: int) -> UIElement:
    """The element `levels` above `e` in the tree (the root when there are fewer)."""
    want = max(0, e.depth - levels)
    for other in reversed(ui[: e.index]):
        if other.depth == want:
            return other
    return ui[0]


def descendants(ui: tuple[UIElement, ...], e: UIElement) -> list[UIElement]:
    out: list[UIElement] = []
    for other in ui[e.index + 1 :]:
        if other.depth <= e.depth:
            break
        out.append(other)
    return out


def label(e: UIElement) -> str:
    """How a thought names an element: what the screen shows for it."""
    return e.label or e.class_name.rsplit(".", 1)[-1]


def resolve(text: TextSource, memory: Mapping[str, str]) -> str:
    return text(memory) if callable(text) else text


def ui_of(obs: Observation) -> tuple[UIElement, ...]:
    if obs.ui is None:
        raise OracleStuck("the screen has no UI tree; the oracle reads the tree to act")
    return obs.ui


def covered(e: UIElement, ui: tuple[UIElement, ...]) -> bool:
    """Whether the centre of `e` lies under a clickable element drawn over it: one later in
    document order that is not inside it (a floating button over the end of a list)."""
    x, y = e.bounds.center
    return any(
        other.clickable and not _inside(other.bounds, e.bounds) and other.bounds.contains(x, y)
        for other in ui[e.index + 1 :]
    )


def scroll_container(ui: tuple[UIElement, ...]) -> UIElement | None:
    """The list to scroll: the largest scrollable element on screen."""
    lists = [e for e in ui if e.scrollable and e.bounds.area > 0]
    return max(lists, key=lambda e: e.bounds.area) if lists else None


def _signature(ui: tuple[UIElement, ...]) -> tuple[tuple[str, str, int], ...]:
    return tuple((e.text, e.content_desc, e.bounds.y1) for e in ui)


class Op:
    """One step of a solution. `next` returns the next move, or None once the op is done."""

    def next(self, obs: Observation, memory: Memory) -> Move | None:
        raise NotImplementedError


@dataclass
class Launch(Op):
    """Open an app by its launcher label."""

    app: str
    done: bool = False

    def next(self, obs: Observation, memory: Memory) -> Move | None:
        if self.done:
            return None
        self.done = True
        return Move(f'Open the "{self.app}" app.', OpenApp(app=self.app))


@dataclass
class PressKey(Op):
    key: Key
    why: str = ""
    done: bool = False

    def next(self, obs: Observation, memory: Memory) -> Move | None:
        if self.done:
            return None
        self.done = True
        return Move(self.why or f"Press {self.key}.", Press(key=self.key))


@dataclass
class _Targeted(Op):
    """An op on one element: scrolls its list (down, or `direction`) until the element shows."""

    find: Find
    scroll: bool = True
    direction: Direction = "down"
    done: bool = False
    scrolls: int = 0
    _last: tuple[tuple[str, str, int], ...] | None = field(default=None, repr=False)

    def target(self, obs: Observation) -> UIElement | Move:
        ui = ui_of(obs)
        e = self.find.first(ui)
        if e is not None and not covered(e, ui):
            return e
        if not self.scroll:
            raise OracleStuck(f"nothing on screen matches {self.find}")
        sig = _signature(ui)
        if self.scrolls >= MAX_SCROLLS or sig == self._last:
            raise OracleStuck(f"scrolled {self.scrolls} times and found nothing like {self.find}")
        box = scroll_container(ui)
        if box is None:
            raise OracleStuck(f"nothing like {self.find} on screen, and nothing to scroll")
        self.scrolls += 1
        self._last = sig
        why = "is under a floating button" if e is not None else "is not on screen yet"
        return Move(
            f'Scroll {self.direction} in "{label(box)}": {self.find} {why}.',
            Scroll(direction=self.direction, anchor=ElementTarget(index=box.index)),
        )

    def next(self, obs: Observation, memory: Memory) -> Move | None:
        if self.done:
            return None
        found = self.target(obs)
        if isinstance(found, Move):
            return found
        self.done = True
        return self.act(found, memory)

    def act(self, e: UIElement, memory: Memory) -> Move:
        raise NotImplementedError


@dataclass
class TapOn(_Targeted):
    def act(self, e: UIElement, memory: Memory) -> Move:
        return Move(f'Tap "{label(e)}".', Tap(target=ElementTarget(index=e.index)))


@dataclass
class LongPressOn(_Targeted):
    def act(self, e: UIElement, memory: Memory) -> Move:
        return Move(
            f'Long-press "{label(e)}" to select it.', LongPress(target=ElementTarget(index=e.index))
        )


@dataclass
class TypeInto(_Targeted):
    """Type into a field; `clear` empties it first (typing into a filled field appends)."""

    text: TextSource = ""
    clear: bool = False

    def act(self, e: UIElement, memory: Memory) -> Move:
        value = resolve(self.text, memory)
        how = "Clear it and type" if self.clear else "Type"
        return Move(
            f'{how} "{value}" into "{label(e)}".',
            TypeText(text=value, target=ElementTarget(index=e.index), clear_first=self.clear),
        )


@dataclass
class Remember(_Targeted):
    """Read an element's text (through `read`) into memory under `key`; a `note` action."""

    key: str = ""
    read: Callable[[UIElement], str] = field(default=lambda e: e.text)

    def act(self, e: UIElement, memory: Memory) -> Move:
        value = self.read(e)
        memory[self.key] = value
        return Move(f"Keep {self.key} in mind: {value}.", Note(text=f"{self.key}: {value}"))


@dataclass
class Reply(Op):
    """Answer the question: the episode ends."""

    text: TextSource
    done: bool = False

    def next(self, obs: Observation, memory: Memory) -> Move | None:
        if self.done:
            return None
        self.done = True
        value = resolve(self.text, memory)
        return Move(f"The answer is {value}.", Answer(text=value))


FINISH_THOUGHT = "Every step of the task is done."


def finish_move(status: Literal["success", "failure"] = "success", reason: str = "") -> Move:
    return Move(
        FINISH_THOUGHT if status == "success" else f"I cannot go on: {reason}",
        Finish(status=status, reason=reason),
    )


# --- shorthands the task modules use -----------------------------------------------------------


def tap(
    text: str | None = None,
    *,
    scroll: bool = True,
    direction: Direction = "down",
    **criteria: object,
) -> TapOn:
    return TapOn(Find(text=text, **criteria), scroll=scroll, direction=direction)  # type: ignore[arg-type]


def type_into(
    find: Find, text: TextSource, *, clear: bool = False, scroll: bool = True
) -> TypeInto:
    return TypeInto(find, scroll=scroll, text=text, clear=clear)
