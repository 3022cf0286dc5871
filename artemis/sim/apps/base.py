"""What every simulated app is made of: screens, the context they build in, and the app record.

A `Screen` is one activity's (or one dialog's) state: which record it shows, the text typed in
its fields, which field has focus, how far its lists are scrolled. It is a pydantic model, so a
task's back stack serialises with the rest of the phone. `build(ctx)` turns it into a view tree
from the phone's current state; callbacks in that tree change the state and the back stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from artemis.sim.state import PhoneState
from artemis.sim.views import View

if TYPE_CHECKING:
    from artemis.sim.fs import SimFS
    from artemis.sim.phone import Phone

_SCREENS: dict[str, type[Screen]] = {}


class Screen(BaseModel):
    """One screen of an app. Subclasses add the fields that say what it shows."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    #: The package this screen belongs to and the activity `dumpsys` reports for it.
    package: ClassVar[str] = ""
    activity: ClassVar[str] = ""
    #: Dialogs are their own window: drawn over the screen below, dumped alone.
    is_dialog: ClassVar[bool] = False
    #: Dialogs: tapping outside or BACK dismisses them.
    cancelable: ClassVar[bool] = True
    #: Popup menus sit at the top right instead of the middle, with no scrim.
    is_popup: ClassVar[bool] = False

    texts: dict[str, str] = Field(default_factory=dict)
    focus: str = ""  # the focused text field, or "#N" for the N-th focusable view
    cursor: int = 0
    sel_all: bool = False
    ime: bool = False  # the soft keyboard is up for the focused field
    scroll: dict[str, int] = Field(default_factory=dict)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in _SCREENS:
            raise TypeError(f"two screens named {cls.__name__}")
        _SCREENS[cls.__name__] = cls

    def build(self, ctx: Ctx) -> View:
        raise NotImplementedError

    def title(self, ctx: Ctx) -> str:
        """A short name for the recents card."""
        return ""

    def on_enter(self, ctx: Ctx, field: str) -> None:
        """The IME action (ENTER) in a single-line field. Default: hide the keyboard."""
        self.ime = False

    def on_back(self, ctx: Ctx) -> bool:
        """Handle BACK before the phone pops this screen; True when handled."""
        return False

    def on_text(self, ctx: Ctx, field: str) -> None:
        """A field's text changed."""

    def on_swipe(self, ctx: Ctx, x1: int, y1: int, x2: int, y2: int) -> None:
        """A swipe that no list under the finger could scroll."""

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def set_focus(self, key: str, *, ime: bool = True) -> None:
        self.focus = key
        self.cursor = len(self.texts.get(key, ""))
        self.sel_all = False
        self.ime = ime

    def focus_next(self, order: Sequence[str], field: str) -> None:
        """ENTER in a form: focus the field after `field`; after the last, hide the keyboard."""
        i = order.index(field) if field in order else len(order) - 1
        if i < len(order) - 1:
            self.set_focus(order[i + 1])
        else:
            self.ime = False

    def clear_focus(self) -> None:
        self.focus = ""
        self.ime = False
        self.sel_all = False

    def dump(self) -> dict[str, object]:
        return {"kind": type(self).__name__, **self.model_dump(mode="json")}

    @staticmethod
    def load(data: dict[str, Any]) -> Screen:
        data = dict(data)
        kind = data.pop("kind", None)
        if not isinstance(kind, str) or kind not in _SCREENS:
            raise ValueError(f"unknown screen kind {kind!r} in snapshot")
        return _SCREENS[kind].model_validate(data)


@dataclass
class Ctx:
    """What a screen sees while it builds: the phone's state, files, clock and navigation."""

    phone: Phone
    screen: Screen

    @property
    def state(self) -> PhoneState:
        return self.phone.state

    @property
    def fs(self) -> SimFS:
        return self.phone.fs

    @property
    def now(self) -> dt.datetime:
        return self.phone.clock.now()

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def push(self, screen: Screen) -> None:
        self.phone.nav.push(screen)

    def pop(self, n: int = 1) -> None:
        for _ in range(n):
            self.phone.nav.pop()

    def replace(self, screen: Screen) -> None:
        self.phone.nav.pop()
        self.phone.nav.push(screen)

    def close_deleted(self, page: type[Screen]) -> None:
        """Close a confirmation dialog, and below it the `page` of what it just deleted."""
        self.pop()
        if isinstance(self.phone.nav.top(), page):
            self.pop()

    def launch(self, package: str) -> None:
        self.phone.launch(package)

    def home(self) -> None:
        self.phone.nav.go_home()

    def cb(self, fn: Callable[..., None], *args: Any) -> Callable[[], None]:
        """A callback that calls fn(*args): saves a lambda per row in long lists."""
        return lambda: fn(*args)


@dataclass(frozen=True)
class App:
    """An installed app: what the launcher shows and which activities `am start` can open."""

    package: str
    label: str
    icon: str
    color: tuple[int, int, int]
    main: Callable[[], Screen]
    #: Activity name ("." prefixed or full) -> factory of its screen, for `am start -n`.
    activities: dict[str, Callable[[], Screen]] = field(default_factory=dict)
    launcher_activity: str = ""

    def activity_screen(self, activity: str) -> Callable[[], Screen] | None:
        short = activity
        if activity.startswith(self.package + "."):
            short = activity[len(self.package) :]
        if short == self.launcher_activity:
            return self.main
        return self.activities.get(short)
