"""What the task modules share: the apps' packages and labels, people as parameters, small
set-up helpers, and the base of tasks on one record of a list (an alarm, an event, ...)."""

from __future__ import annotations

import datetime as dt
import random
from abc import abstractmethod
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

from artemis.apps import SIM_APPS
from artemis.bench.simworld.task import P, Params, SimTask
from artemis.sim.phone import Phone
from artemis.sim.simtime import DEFAULT_START
from artemis.sim.state import Contact, Sms, digits, next_id

#: The simulated phone's apps that tasks use, by label (packages from the app table).
_BY_LABEL = {label: package for package, label in SIM_APPS.items()}
SETTINGS = _BY_LABEL["Settings"]
CONTACTS = _BY_LABEL["Contacts"]
CLOCK = _BY_LABEL["Clock"]
MARKOR = _BY_LABEL["Markor"]
MESSAGES = _BY_LABEL["Messages"]
CALENDAR = _BY_LABEL["Calendar"]
FILES = _BY_LABEL["Files"]
EXPENSE = _BY_LABEL["Pro Expense"]

LABELS = {
    package: SIM_APPS[package]
    for package in (SETTINGS, CONTACTS, CLOCK, MARKOR, MESSAGES, CALENDAR, FILES, EXPENSE)
}

#: Names that no seeded phone has, so a task's record never clashes with the seed data.
PEOPLE = (
    ("Rosalind", "Okafor"),
    ("Tobias", "Lindqvist"),
    ("Marisol", "Quintero"),
    ("Dmitri", "Volkov"),
    ("Ayesha", "Rahman"),
    ("Callum", "Fraser"),
    ("Beatrix", "Holm"),
    ("Kenji", "Watanabe"),
    ("Zara", "Mbeki"),
    ("Lorenzo", "Bianchi"),
    ("Nadia", "Haddad"),
    ("Felix", "Brandt"),
    ("Xavier", "Young"),
    ("Yasmin", "Zeller"),
)
#: Late in the alphabet: below the first screen of a list sorted by name.
LATE_PEOPLE = (("Xavier", "Young"), ("Yasmin", "Zeller"), ("Zara", "Mbeki"))

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[rng.randrange(len(items))]


def phone_number(rng: random.Random) -> str:
    """A number in the seed data's style whose exchange (555-02xx) the seed never uses."""
    area = pick(rng, ("415", "650", "212", "312", "617", "206"))
    return f"+1 {area}-555-{rng.randint(200, 299):04d}"


class Named(Params):
    """A person, by the name a goal gives."""

    first: str
    last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class Person(Named):
    """A person with a phone number."""

    number: str


def person(rng: random.Random, pool: Sequence[tuple[str, str]] = PEOPLE) -> dict[str, str]:
    """The fields of a `Person`: a name from `pool`, then a number no seeded phone has."""
    first, last = pick(rng, pool)
    return {"first": first, "last": last, "number": phone_number(rng)}


def put_contact(
    phone: Phone, first: str, last: str, number: str = "", email: str = "", starred: bool = False
) -> Contact:
    """Add a contact, first removing any with the same name or number."""
    drop_contacts(phone, f"{first} {last}".strip(), number)
    contacts = phone.state.contacts
    c = Contact(
        id=next_id(contacts),
        first_name=first,
        last_name=last,
        phone=number,
        email=email,
        starred=starred,
    )
    contacts.append(c)
    return c


def drop_contacts(phone: Phone, name: str, number: str = "") -> None:
    """Remove the contacts called `name` or with `number`."""
    phone.state.contacts[:] = [
        c
        for c in phone.state.contacts
        if c.name.casefold() != name.casefold()
        and not (number and digits(c.phone)[-10:] == digits(number)[-10:])
    ]


def drop_path(phone: Phone, path: str) -> None:
    """Make sure nothing is at `path` (a file, or a folder with what it holds)."""
    if phone.fs.exists(path):
        phone.fs.remove(path, recursive=True)


def put_sms(phone: Phone, address: str, body: str, *, outgoing: bool, minutes_ago: int) -> Sms:
    msgs = phone.state.messages
    m = Sms(
        id=next_id(msgs),
        address=address,
        body=body,
        outgoing=outgoing,
        timestamp=phone.clock.now() - dt.timedelta(minutes=minutes_ago),
        read=True,
    )
    msgs.append(m)
    return m


#: The day every SimWorld phone starts on (its manual clock's start): dates in goals are
#: absolute, so they are drawn around this day.
BASE_DAY = DEFAULT_START.date()


class Record(Protocol):
    """An item of one of the phone's lists: an alarm, an event, an expense..."""

    @property
    def id(self) -> int: ...

    def model_dump_json(self) -> str: ...


R = TypeVar("R", bound=Record)


def others(records: Sequence[Record], but: int | None = None) -> list[str]:
    """The records other than `but`, as sorted JSON: what a task must leave as it was."""
    return sorted(r.model_dump_json() for r in records if r.id != but)


def only_new(records: Sequence[R], picked: Callable[[R], bool], before: list[str]) -> R | None:
    """The one record `picked` finds, when every other record is as `before` (`others()` at
    set-up) recorded it."""
    made = [r for r in records if picked(r)]
    if len(made) == 1 and others(records, made[0].id) == before:
        return made[0]
    return None


class RecordTask(SimTask[P], Generic[P, R]):
    """Tasks on one record the set-up adds: the checker finds it by its id, and every other
    record of its list must be left as it was."""

    @abstractmethod
    def records(self, phone: Phone) -> list[R]:
        """The list the record is in."""

    def track(self, phone: Phone, record: R) -> R:
        """Remember `record` (just added) and what the others look like."""
        self.record_id = record.id
        self.others = others(self.records(phone), record.id)
        return record

    def record(self, phone: Phone) -> R | None:
        return next((r for r in self.records(phone) if r.id == self.record_id), None)

    def untouched_others(self, phone: Phone) -> bool:
        return others(self.records(phone), self.record_id) == self.others
