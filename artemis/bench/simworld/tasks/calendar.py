"""Calendar tasks: a new event (the editor pre-fills date and times, so they must be cleared),
a confirmed delete, edits of a location and a date, and a question about a start time. Dates
stay in the week the phone starts in, so the week strip reaches them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

from artemis.bench.simworld.ops import Find, Launch, Op, Remember, Reply, TapOn, tap, type_into
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask
from artemis.bench.simworld.tasks.common import (
    BASE_DAY,
    CALENDAR,
    RecordTask,
    only_new,
    others,
    pick,
)
from artemis.sim.apps.formats import fmt_date, fmt_long_date, fmt_time, parse_time
from artemis.sim.phone import Phone
from artemis.sim.state import Event, next_id

TITLES = (
    "Tax consultation",
    "Bike repair",
    "Team offsite",
    "Vet appointment",
    "Guitar lesson",
    "Farmers market",
)
PLACES = ("Room 4B", "Cafe Luna", "Main St Clinic", "City Library", "Online", "Studio 2")


class When(Params):
    """An event: its title, day (as the goal writes it) and hour-long slot."""

    title: str
    date: str
    start: str
    end: str

    @property
    def day(self) -> dt.date:
        return dt.datetime.strptime(self.date, "%b %d, %Y").date()

    @property
    def start_time(self) -> dt.time:
        t = parse_time(self.start)
        assert t is not None
        return t

    @property
    def end_time(self) -> dt.time:
        t = parse_time(self.end)
        assert t is not None
        return t


def _when(rng: random.Random, *, offsets: Sequence[int] = (-3, -2, -1, 1, 2, 3)) -> dict[str, str]:
    day = BASE_DAY + dt.timedelta(days=pick(rng, offsets))
    start = dt.time(rng.randint(8, 17), pick(rng, (0, 30)))
    end = (dt.datetime.combine(day, start) + dt.timedelta(hours=1)).time()
    return {
        "title": pick(rng, TITLES),
        "date": fmt_date(day),
        "start": fmt_time(start),
        "end": fmt_time(end),
    }


def drop_events(phone: Phone, title: str) -> None:
    events = phone.state.events
    events[:] = [e for e in events if e.title != title]


def put_event(phone: Phone, w: When, **fields: str) -> Event:
    """Add the event `w`, first removing any of the same title."""
    drop_events(phone, w.title)
    events = phone.state.events
    e = Event(
        id=next_id(events),
        title=w.title,
        date=w.day,
        start=w.start_time,
        end=w.end_time,
        **fields,
    )
    events.append(e)
    return e


W = TypeVar("W", bound=When)


class EventTask(RecordTask[W, Event]):
    """Tasks on one event the set-up adds: the event its parameters describe."""

    def records(self, phone: Phone) -> list[Event]:
        return phone.state.events

    def add(self, phone: Phone, **fields: str) -> Event:
        return self.track(phone, put_event(phone, self.params, **fields))

    def setup(self, phone: Phone) -> None:
        self.add(phone)


def open_day(w: When) -> list[Op]:
    return [Launch("Calendar"), TapOn(Find(desc=fmt_long_date(w.day)), scroll=False)]


def open_event(w: When) -> list[Op]:
    return [*open_day(w), tap(w.title)]


def read_start(w: When) -> list[Op]:
    """Remember (as "time") when the event `w` starts, from its day in the calendar."""
    return [
        *open_day(w),
        Remember(
            Find(rid="summary", under=Find(text=w.title)),
            key="time",
            read=lambda e: e.text.split(" - ")[0],
        ),
    ]


@template
class CalendarCreateEvent(SimTask[When]):
    template = 'Add an event "{title}" to my calendar on {date} from {start} to {end}.'
    apps = (CALENDAR,)
    kinds = ("form",)
    traps = ("clear_field",)
    complexity = 1.5
    params_type = When

    @classmethod
    def random_params(cls, rng: random.Random) -> When:
        return When(**_when(rng, offsets=(1, 2, 3)))

    def setup(self, phone: Phone) -> None:
        drop_events(phone, self.params.title)
        self.before = others(phone.state.events)

    def check(self, phone: Phone, answer: str | None) -> bool:
        p = self.params
        e = only_new(phone.state.events, lambda e: e.title == p.title, self.before)
        return e is not None and (e.date, e.start, e.end) == (p.day, p.start_time, p.end_time)

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Calendar"),
            tap(desc="Create new event"),
            type_into(Find(rid="title", editable=True), p.title),
            type_into(Find(rid="date", editable=True), p.date, clear=True),
            type_into(Find(rid="start", editable=True), p.start, clear=True),
            type_into(Find(rid="end", editable=True), p.end, clear=True),
            tap("Save"),
        ]


@template
class CalendarDeleteEvent(EventTask[When]):
    template = 'Delete the event "{title}" on {date} from my calendar.'
    apps = (CALENDAR,)
    kinds = ("delete", "navigation")
    traps = ("confirm_dialog",)
    complexity = 1.2
    params_type = When

    @classmethod
    def random_params(cls, rng: random.Random) -> When:
        return When(**_when(rng))

    def check(self, phone: Phone, answer: str | None) -> bool:
        return self.record(phone) is None and self.untouched_others(phone)

    def solution(self) -> Sequence[Op]:
        return [*open_event(self.params), tap(desc="Delete"), tap("OK")]


class Relocate(When):
    location: str
    new_location: str


@template
class CalendarEditLocation(EventTask[Relocate]):
    template = 'Change the location of "{title}" on {date} from {location} to {new_location}.'
    apps = (CALENDAR,)
    kinds = ("edit", "navigation")
    traps = ("clear_field",)
    complexity = 1.2
    params_type = Relocate

    @classmethod
    def random_params(cls, rng: random.Random) -> Relocate:
        old, new = rng.sample(PLACES, 2)
        return Relocate(**_when(rng), location=old, new_location=new)

    def setup(self, phone: Phone) -> None:
        self.add(phone, location=self.params.location)

    def check(self, phone: Phone, answer: str | None) -> bool:
        e = self.record(phone)
        p = self.params
        return (
            e is not None
            and e.location == p.new_location
            and (e.title, e.date, e.start, e.end) == (p.title, p.day, p.start_time, p.end_time)
            and self.untouched_others(phone)
        )

    def solution(self) -> Sequence[Op]:
        return [
            *open_event(self.params),
            tap(desc="Edit event"),
            type_into(Find(rid="location", editable=True), self.params.new_location, clear=True),
            tap("Save"),
        ]


class Reschedule(When):
    new_date: str

    @property
    def new_day(self) -> dt.date:
        return dt.datetime.strptime(self.new_date, "%b %d, %Y").date()


@template
class CalendarReschedule(EventTask[Reschedule]):
    template = 'Move "{title}" from {date} to {new_date}, at the same time of day.'
    apps = (CALENDAR,)
    kinds = ("edit", "navigation")
    traps = ("clear_field",)
    complexity = 1.2
    params_type = Reschedule

    @classmethod
    def random_params(cls, rng: random.Random) -> Reschedule:
        w = _when(rng)
        new = BASE_DAY + dt.timedelta(days=rng.randint(4, 9))
        return Reschedule(**w, new_date=fmt_date(new))

    def check(self, phone: Phone, answer: str | None) -> bool:
        e = self.record(phone)
        p = self.params
        return (
            e is not None
            and (e.date, e.start, e.end) == (p.new_day, p.start_time, p.end_time)
            and self.untouched_others(phone)
        )

    def solution(self) -> Sequence[Op]:
        return [
            *open_event(self.params),
            tap(desc="Edit event"),
            type_into(Find(rid="date", editable=True), self.params.new_date, clear=True),
            tap("Save"),
        ]


@template
class CalendarStartTime(EventTask[When]):
    template = 'At what time does "{title}" on {date} start? Answer with the time, like 2:30 PM.'
    apps = (CALENDAR,)
    kinds = ("question", "navigation")
    params_type = When

    @classmethod
    def random_params(cls, rng: random.Random) -> When:
        return When(**_when(rng))

    def check(self, phone: Phone, answer: str | None) -> bool:
        return parse_time(answer or "") == self.params.start_time

    def solution(self) -> Sequence[Op]:
        return [*read_start(self.params), Reply(lambda m: m["time"])]
