"""What the task modules share: the apps' packages and labels, and small set-up helpers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

from artemis.sim.phone import Phone
from artemis.sim.simtime import DEFAULT_START
from artemis.sim.state import Contact, Sms, digits, next_id

SETTINGS = "com.android.settings"
CONTACTS = "com.android.contacts"
CLOCK = "com.android.deskclock"
MARKOR = "net.gsantner.markor"
MESSAGES = "com.android.messaging"
CALENDAR = "com.android.calendar"
FILES = "com.android.documentsui"
EXPENSE = "com.arduia.expense"

LABELS = {
    SETTINGS: "Settings",
    CONTACTS: "Contacts",
    CLOCK: "Clock",
    MARKOR: "Markor",
    MESSAGES: "Messages",
    CALENDAR: "Calendar",
    FILES: "Files",
    EXPENSE: "Pro Expense",
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
