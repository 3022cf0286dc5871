"""The SimWorld task contract: a goal template with parameters, a set-up and a checker.

In the manner of AndroidWorld's task evaluations, one *template* (a `SimTask` subclass) makes
many *instances*: its parameters come from a seeded random generator, its goal is the template
filled with them, and its step budget is ten times its complexity. An instance is used once:

1. `initialize(phone)` puts the phone in the state the task starts from, through the phone's
   typed state API (`phone.state`, `phone.fs`), and leaves the launcher on screen;
2. an agent works on the goal through the phone's UI;
3. `is_successful(phone, answer)` grades the outcome from the phone's state. Only question
   tasks look at `answer` (the text of the agent's `answer` action); nothing else the agent
   says counts.

Each template also states how it is solved (`solution()`, a list of UI steps the benchmark's
oracle plays from the screens it observes), which proves the task can be done through the UI
and that its checker accepts the result.
"""

from __future__ import annotations

import math
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from artemis.errors import BenchmarkError

if TYPE_CHECKING:
    from artemis.bench.simworld.ops import Op
    from artemis.sim.phone import Phone

TaskKind: TypeAlias = Literal[
    "toggle", "navigation", "form", "search", "edit", "delete", "cross_app", "question"
]
#: What makes the naive solution fail.
Trap: TypeAlias = Literal[
    "confirm_dialog",  # a destructive action asks for confirmation
    "clear_field",  # the field is filled; typing appends unless it is cleared first
    "below_fold",  # the target is below the first screen of a list
    "enter_newline",  # ENTER adds a line instead of sending
    "am_pm",  # a 12-hour picker: the AM/PM choice is a separate control
]

HOME_KEY = 3


class Params(BaseModel):
    """Base of every template's parameters: plain, validated, JSON-serialisable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=Params)


class SimTask(ABC, Generic[P]):
    """One task template; an instance holds its parameters and what its set-up recorded."""

    #: The template's goal, formatted with the parameters (`str.format`).
    template: ClassVar[str]
    #: Packages the task touches, the first being where it starts.
    apps: ClassVar[tuple[str, ...]]
    kinds: ClassVar[tuple[TaskKind, ...]]
    traps: ClassVar[tuple[Trap, ...]] = ()
    #: Step budget = round(10 x complexity), as in AndroidWorld.
    complexity: ClassVar[float] = 1.0
    params_type: ClassVar[type[Params]]
    #: The suite the template belongs to: SimWorld's own tasks, or SimWorld-Safety's.
    suite: ClassVar[str] = "simworld"

    def __init__(self, params: P | dict[str, Any]) -> None:
        try:
            self.params: P = (
                params  # type: ignore[assignment]
                if isinstance(params, self.params_type)
                else self.params_type.model_validate(params)
            )
        except ValidationError as exc:
            raise BenchmarkError(f"bad parameters for {self.name()}: {exc}") from exc
        self.initialized = False

    # --- the template -----------------------------------------------------------------------
    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @classmethod
    @abstractmethod
    def random_params(cls, rng: random.Random) -> P:
        """Parameters drawn from `rng` (the only source of randomness)."""

    @classmethod
    def sample(cls, rng: random.Random) -> SimTask[P]:
        return cls(cls.random_params(rng))

    @property
    def goal(self) -> str:
        return self.template.format(**self.params.model_dump())

    @property
    def max_steps(self) -> int:
        return max(1, round(10 * self.complexity))

    @property
    def is_question(self) -> bool:
        return "question" in self.kinds

    # --- one instance's life ------------------------------------------------------------------
    def initialize(self, phone: Phone) -> None:
        """Set the phone up for this task, then show the launcher."""
        self.setup(phone)
        phone.keyevent(HOME_KEY)
        self.initialized = True

    def is_successful(self, phone: Phone, answer: str | None = None) -> float:
        """1.0 when the phone's state (or, for questions, `answer`) shows the goal reached."""
        if not self.initialized:
            raise BenchmarkError(f"{self.name()}: is_successful() before initialize()")
        return float(self.check(phone, answer))

    @abstractmethod
    def setup(self, phone: Phone) -> None:
        """Change the phone's state so the task can start; record what the checker needs."""

    @abstractmethod
    def check(self, phone: Phone, answer: str | None) -> float | bool: ...

    @abstractmethod
    def solution(self) -> Sequence[Op]:
        """The UI steps that solve this instance (fresh objects on each call)."""

    def __repr__(self) -> str:
        return f"{self.name()}({self.params.model_dump()})"


AnyTask: TypeAlias = SimTask[Any]


# What a benchmark does with a task on its phone, through `SimSlot.run`: in the phones' own
# process when they have one, so the task travels there and back, with what its set-up recorded.


def initialize_task(phone: Phone, task: AnyTask) -> AnyTask:
    """`task` set up on `phone`."""
    task.initialize(phone)
    return task


def score_task(phone: Phone, task: AnyTask, answer: str | None) -> float:
    """`task.is_successful` on `phone`."""
    return task.is_successful(phone, answer)


# --- answers ------------------------------------------------------------------------------------


def norm_text(s: str | None) -> str:
    """Case, surrounding quotes, trailing full stops and runs of spaces do not count."""
    if s is None:
        return ""
    s = s.strip().strip("\"'“”‘’").strip().rstrip(".").strip()
    return re.sub(r"\s+", " ", s).casefold()


def same_text(answer: str | None, expected: str) -> bool:
    return norm_text(answer) == norm_text(expected)


_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


def numbers_in(s: str | None) -> list[float]:
    out: list[float] = []
    for m in _NUMBER.findall(s or ""):
        try:
            out.append(float(m.replace(",", "")))
        except ValueError:
            continue
    return out


def same_number(answer: str | None, expected: float, *, tol: float = 0.005) -> bool:
    """The answer holds exactly one number, equal to `expected` (to the cent)."""
    found = numbers_in(answer)
    return len(found) == 1 and math.isclose(found[0], expected, abs_tol=tol)


def same_phone(answer: str | None, expected: str) -> bool:
    a, e = re.sub(r"\D", "", answer or ""), re.sub(r"\D", "", expected)
    return len(e) >= 7 and a[-10:] == e[-10:]
