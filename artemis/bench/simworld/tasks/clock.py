"""Clock tasks: the alarm time picker (AM/PM), labels that need clearing, an alarm below the
fold, switches and repeat days on a card, the timer keypad and the stopwatch."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Literal, TypeVar

from artemis.bench.simworld.ops import Find, Launch, Op, TapOn, tap, type_into
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask
from artemis.bench.simworld.tasks.common import CLOCK, RecordTask, pick
from artemis.sim.apps.clock import DAY_NAMES
from artemis.sim.phone import Phone
from artemis.sim.state import Alarm, next_id


class At(Params):
    """An alarm time on the 12-hour clock."""

    hour12: int
    minute: int
    ampm: Literal["AM", "PM"]

    @property
    def time(self) -> str:
        return f"{self.hour12}:{self.minute:02d} {self.ampm}"

    @property
    def hour(self) -> int:
        return self.hour12 % 12 + (12 if self.ampm == "PM" else 0)


def _evening(rng: random.Random) -> tuple[int, int, Literal["AM", "PM"]]:
    """A time after every seeded alarm (the last card of the list)."""
    return rng.randint(8, 11), pick(rng, (5, 20, 35, 50)), "PM"


def _put_alarm(phone: Phone, hour: int, minute: int, **fields: object) -> Alarm:
    alarms = phone.state.alarms
    alarms[:] = [a for a in alarms if (a.hour, a.minute) != (hour, minute)]
    a = Alarm.model_validate({"id": next_id(alarms), "hour": hour, "minute": minute, **fields})
    alarms.append(a)
    return a


def _fillers(phone: Phone) -> None:
    """Two more evening alarms before the task's, so that it sits below the fold."""
    for hour, minute in ((19, 0), (19, 45)):
        _put_alarm(phone, hour, minute, enabled=False, label="Reading")


def _card(time: str, *, rid: str | None = None, desc: str | None = None) -> TapOn:
    """A control on the card of the alarm at `time` (time row, then card)."""
    return TapOn(Find(rid=rid, desc=desc, under=Find(text=time, rid="digital_clock"), levels=2))


A = TypeVar("A", bound=At)


class AlarmTask(RecordTask[A, Alarm]):
    """Tasks on one alarm the set-up adds in the evening, below the other alarms."""

    def records(self, phone: Phone) -> list[Alarm]:
        return phone.state.alarms

    def add(self, phone: Phone, **fields: object) -> Alarm:
        _fillers(phone)
        return self.track(phone, _put_alarm(phone, self.params.hour, self.params.minute, **fields))

    def alarm(self, phone: Phone) -> Alarm | None:
        """The task's alarm, still at its time."""
        a = self.record(phone)
        if a is None or (a.hour, a.minute) != (self.params.hour, self.params.minute):
            return None
        return a


@template
class ClockAddAlarm(SimTask[At]):
    template = "Set an alarm for {hour12}:{minute:02d} {ampm}."
    apps = (CLOCK,)
    kinds = ("form",)
    traps = ("am_pm", "clear_field")
    complexity = 1.2
    params_type = At

    @classmethod
    def random_params(cls, rng: random.Random) -> At:
        return At(
            hour12=rng.randint(1, 12),
            minute=pick(rng, (5, 10, 15, 25, 40, 45, 55)),
            ampm=pick(rng, ("AM", "PM")),
        )

    def setup(self, phone: Phone) -> None:
        p = self.params
        alarms = phone.state.alarms
        alarms[:] = [a for a in alarms if (a.hour, a.minute) != (p.hour, p.minute)]
        self.before = sorted(a.model_dump_json() for a in alarms)

    def check(self, phone: Phone, answer: str | None) -> bool:
        p = self.params
        new = [a for a in phone.state.alarms if a.model_dump_json() not in self.before]
        return (
            len(new) == 1
            and len(phone.state.alarms) == len(self.before) + 1
            and (new[0].hour, new[0].minute, new[0].enabled) == (p.hour, p.minute, True)
        )

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Clock"),
            tap(desc="Add alarm"),
            type_into(Find(rid="material_hour_text_input"), str(p.hour12), clear=True),
            type_into(Find(rid="material_minute_text_input"), f"{p.minute:02d}", clear=True),
            tap(p.ampm),
            tap("OK"),
        ]


LABELS = ("Gym", "Walk the dog", "Call mom", "Laundry", "Bedtime", "Take out the trash")


class Relabel(At):
    old: str
    new: str


@template
class ClockAlarmLabel(AlarmTask[Relabel]):
    template = 'Change the label of the {hour12}:{minute:02d} {ampm} alarm from "{old}" to "{new}".'
    apps = (CLOCK,)
    kinds = ("edit",)
    traps = ("clear_field", "below_fold")
    complexity = 1.2
    params_type = Relabel

    @classmethod
    def random_params(cls, rng: random.Random) -> Relabel:
        h, m, ampm = _evening(rng)
        old, new = rng.sample(LABELS, 2)
        return Relabel(hour12=h, minute=m, ampm=ampm, old=old, new=new)

    def setup(self, phone: Phone) -> None:
        self.add(phone, label=self.params.old, enabled=True)

    def check(self, phone: Phone, answer: str | None) -> bool:
        a = self.alarm(phone)
        return a is not None and a.label == self.params.new and self.untouched_others(phone)

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Clock"),
            _card(p.time, rid="edit_label"),
            type_into(Find(rid="label_input_field"), p.new, clear=True),
            tap("OK"),
        ]


class Evening(At):
    label: str


@template
class ClockDeleteAlarm(AlarmTask[Evening]):
    template = 'Delete the {hour12}:{minute:02d} {ampm} alarm labelled "{label}".'
    apps = (CLOCK,)
    kinds = ("delete",)
    traps = ("below_fold",)
    params_type = Evening

    @classmethod
    def random_params(cls, rng: random.Random) -> Evening:
        h, m, ampm = _evening(rng)
        return Evening(hour12=h, minute=m, ampm=ampm, label=pick(rng, LABELS))

    def setup(self, phone: Phone) -> None:
        self.add(phone, label=self.params.label)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return self.record(phone) is None and self.untouched_others(phone)

    def solution(self) -> Sequence[Op]:
        return [Launch("Clock"), _card(self.params.time, rid="delete")]


class Switch(At):
    state: Literal["on", "off"]


@template
class ClockToggleAlarm(AlarmTask[Switch]):
    template = "Turn {state} the {hour12}:{minute:02d} {ampm} alarm."
    apps = (CLOCK,)
    kinds = ("toggle",)
    traps = ("below_fold",)
    params_type = Switch

    @classmethod
    def random_params(cls, rng: random.Random) -> Switch:
        h, m, ampm = _evening(rng)
        return Switch(hour12=h, minute=m, ampm=ampm, state=pick(rng, ("on", "off")))

    def setup(self, phone: Phone) -> None:
        self.add(phone, enabled=self.params.state == "off")

    def check(self, phone: Phone, answer: str | None) -> bool:
        a = self.alarm(phone)
        on = self.params.state == "on"
        return a is not None and a.enabled == on and self.untouched_others(phone)

    def solution(self) -> Sequence[Op]:
        return [Launch("Clock"), TapOn(Find(desc=f"{self.params.time} alarm"))]


class Repeat(At):
    day: str


@template
class ClockRepeatDay(AlarmTask[Repeat]):
    template = "Make the {hour12}:{minute:02d} {ampm} alarm also repeat on {day}s."
    apps = (CLOCK,)
    kinds = ("edit",)
    traps = ("below_fold",)
    params_type = Repeat

    @classmethod
    def random_params(cls, rng: random.Random) -> Repeat:
        h, m, ampm = _evening(rng)
        return Repeat(hour12=h, minute=m, ampm=ampm, day=pick(rng, DAY_NAMES))

    def setup(self, phone: Phone) -> None:
        day = DAY_NAMES.index(self.params.day)
        self.days = sorted({(day + 2) % 7, (day + 4) % 7})
        self.add(phone, days=self.days, label="Piano practice")

    def check(self, phone: Phone, answer: str | None) -> bool:
        a = self.alarm(phone)
        want = sorted({*self.days, DAY_NAMES.index(self.params.day)})
        return a is not None and a.days == want and self.untouched_others(phone)

    def solution(self) -> Sequence[Op]:
        return [Launch("Clock"), _card(self.params.time, desc=self.params.day)]


class Minutes(Params):
    minutes: int


@template
class ClockTimer(SimTask[Minutes]):
    template = "Start a timer for {minutes} minutes."
    apps = (CLOCK,)
    kinds = ("form",)
    complexity = 1.5
    params_type = Minutes

    @classmethod
    def random_params(cls, rng: random.Random) -> Minutes:
        return Minutes(minutes=pick(rng, (3, 5, 8, 12, 15, 25, 40)))

    def setup(self, phone: Phone) -> None:
        t = phone.state.timer
        t.duration_s = t.remaining_s = 0
        t.running, t.ends_at = False, None

    def check(self, phone: Phone, answer: str | None) -> bool:
        t = phone.state.timer
        return t.running and t.duration_s == self.params.minutes * 60

    def solution(self) -> Sequence[Op]:
        keys = [tap(rid=f"timer_setup_digit_{ch}") for ch in f"{self.params.minutes}00"]
        return [Launch("Clock"), tap(desc="Timer"), *keys, tap(desc="Start")]


class NoParams(Params):
    pass


@template
class ClockStopwatch(SimTask[NoParams]):
    template = "Start the stopwatch."
    apps = (CLOCK,)
    kinds = ("navigation",)
    params_type = NoParams

    @classmethod
    def random_params(cls, rng: random.Random) -> NoParams:
        return NoParams()

    def setup(self, phone: Phone) -> None:
        sw = phone.state.stopwatch
        sw.running, sw.started_at, sw.elapsed_ms = False, None, 0

    def check(self, phone: Phone, answer: str | None) -> bool:
        return phone.state.stopwatch.running

    def solution(self) -> Sequence[Op]:
        return [Launch("Clock"), tap(desc="Stopwatch"), tap("Start")]
