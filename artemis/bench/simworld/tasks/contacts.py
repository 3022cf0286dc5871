"""Contacts tasks: a form, an edit that needs the field cleared, a confirmed delete below the
fold, a star, a search, and two questions."""

from __future__ import annotations

import random
from collections.abc import Sequence

from artemis.bench.simworld.ops import Find, Launch, Op, Remember, Reply, TapOn, tap, type_into
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask, same_number, same_phone
from artemis.bench.simworld.tasks.common import (
    CONTACTS,
    LATE_PEOPLE,
    PEOPLE,
    Named,
    Person,
    drop_contacts,
    person,
    phone_number,
    pick,
    put_contact,
)
from artemis.sim.phone import Phone
from artemis.sim.state import Contact, digits


def _row(name: str) -> TapOn:
    """A contact's row in the list (not the search field, which may hold the same text)."""
    return TapOn(Find(text=name, rid="title"))


def _same_contacts(phone: Phone, before: list[tuple[str, str]], *, but: str) -> bool:
    """Every contact other than `but` is as it was."""
    now = sorted((c.name, digits(c.phone)) for c in phone.state.contacts if c.name != but)
    return now == sorted(x for x in before if x[0] != but)


def _snapshot(phone: Phone) -> list[tuple[str, str]]:
    return [(c.name, digits(c.phone)) for c in phone.state.contacts]


def _the_one(phone: Phone, before: list[tuple[str, str]], name: str) -> Contact | None:
    """The one contact called `name`, when every other contact is as `before` recorded it."""
    made = [c for c in phone.state.contacts if c.name == name]
    if len(made) == 1 and _same_contacts(phone, before, but=name):
        return made[0]
    return None


@template
class ContactsCreate(SimTask[Person]):
    template = "Create a contact named {first} {last} with the phone number {number}."
    apps = (CONTACTS,)
    kinds = ("form",)
    complexity = 1.2
    params_type = Person

    @classmethod
    def random_params(cls, rng: random.Random) -> Person:
        return Person(**person(rng))

    def setup(self, phone: Phone) -> None:
        drop_contacts(phone, self.params.name, self.params.number)
        self.before = _snapshot(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        c = _the_one(phone, self.before, self.params.name)
        return c is not None and same_phone(c.phone, self.params.number)

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Contacts"),
            tap(desc="Create new contact"),
            type_into(Find(rid="editor_first"), p.first),
            type_into(Find(rid="editor_last"), p.last),
            type_into(Find(rid="editor_phone"), p.number),
            tap("Save"),
        ]


class NewNumber(Named):
    old: str
    new: str


@template
class ContactsEditNumber(SimTask[NewNumber]):
    template = "Change {first} {last}'s phone number to {new}."
    apps = (CONTACTS,)
    kinds = ("edit",)
    traps = ("clear_field", "below_fold")
    complexity = 1.2
    params_type = NewNumber

    @classmethod
    def random_params(cls, rng: random.Random) -> NewNumber:
        first, last = pick(rng, LATE_PEOPLE)
        old = phone_number(rng)
        new = phone_number(rng)
        while digits(new) == digits(old):
            new = phone_number(rng)
        return NewNumber(first=first, last=last, old=old, new=new)

    def setup(self, phone: Phone) -> None:
        put_contact(phone, self.params.first, self.params.last, self.params.old)
        self.before = _snapshot(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        c = _the_one(phone, self.before, self.params.name)
        return c is not None and digits(c.phone) == digits(self.params.new)

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Contacts"),
            _row(self.params.name),
            tap(desc="Edit contact"),
            type_into(Find(rid="editor_phone"), self.params.new, clear=True),
            tap("Save"),
        ]


@template
class ContactsDelete(SimTask[Named]):
    template = "Delete the contact {first} {last}."
    apps = (CONTACTS,)
    kinds = ("delete",)
    traps = ("confirm_dialog", "below_fold")
    complexity = 1.2
    params_type = Named

    @classmethod
    def random_params(cls, rng: random.Random) -> Named:
        first, last = pick(rng, LATE_PEOPLE)
        return Named(first=first, last=last)

    def setup(self, phone: Phone) -> None:
        put_contact(phone, self.params.first, self.params.last, "+1 312-555-0250")
        self.before = _snapshot(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        gone = phone.state.contact_by_name(self.params.name) is None
        return gone and _same_contacts(phone, self.before, but=self.params.name)

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Contacts"),
            _row(self.params.name),
            tap(desc="More options"),
            tap("Delete"),
            tap("Delete", rid="button1"),
        ]


@template
class ContactsStar(SimTask[Named]):
    template = "Add {first} {last} to my favorite contacts."
    apps = (CONTACTS,)
    kinds = ("toggle", "search")
    params_type = Named

    @classmethod
    def random_params(cls, rng: random.Random) -> Named:
        first, last = pick(rng, PEOPLE)
        return Named(first=first, last=last)

    def setup(self, phone: Phone) -> None:
        put_contact(phone, self.params.first, self.params.last, "+1 206-555-0261")
        self.before = sorted(c.name for c in phone.state.contacts if c.starred)

    def check(self, phone: Phone, answer: str | None) -> bool:
        starred = sorted(c.name for c in phone.state.contacts if c.starred)
        return starred == sorted([*self.before, self.params.name])

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Contacts"),
            type_into(Find(rid="search_view"), self.params.first),
            _row(self.params.name),
            tap(desc="Add to favorites"),
        ]


class Email(Named):
    email: str


@template
class ContactsAddEmail(SimTask[Email]):
    template = "Add the email address {email} to the contact {first} {last}."
    apps = (CONTACTS,)
    kinds = ("edit", "search")
    complexity = 1.2
    params_type = Email

    @classmethod
    def random_params(cls, rng: random.Random) -> Email:
        first, last = pick(rng, PEOPLE)
        host = pick(rng, ("example.com", "mail.example.org", "work.example.net"))
        return Email(first=first, last=last, email=f"{first.lower()}.{last.lower()}@{host}")

    def setup(self, phone: Phone) -> None:
        put_contact(phone, self.params.first, self.params.last, "+1 617-555-0277")
        self.before = _snapshot(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        c = phone.state.contact_by_name(self.params.name)
        return (
            c is not None
            and c.email == self.params.email
            and digits(c.phone) == digits("+1 617-555-0277")
            and _same_contacts(phone, self.before, but=self.params.name)
        )

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Contacts"),
            type_into(Find(rid="search_view"), self.params.last),
            _row(self.params.name),
            tap(desc="Edit contact"),
            type_into(Find(rid="editor_email"), self.params.email),
            tap("Save"),
        ]


class Extra(Params):
    added: int


@template
class ContactsCount(SimTask[Extra]):
    template = "How many contacts are saved on this phone? Answer with a number."
    apps = (CONTACTS,)
    kinds = ("question",)
    params_type = Extra

    @classmethod
    def random_params(cls, rng: random.Random) -> Extra:
        return Extra(added=rng.randint(0, 3))

    def setup(self, phone: Phone) -> None:
        for first, last in PEOPLE[: self.params.added]:
            put_contact(phone, first, last, "")

    def check(self, phone: Phone, answer: str | None) -> bool:
        return same_number(answer, len(phone.state.contacts))

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Contacts"),
            Remember(Find(rid="account_filter_header"), key="count"),
            Reply(lambda m: m["count"].split()[0]),
        ]


@template
class ContactsPhoneNumber(SimTask[Person]):
    template = "What is {first} {last}'s phone number? Answer with the number."
    apps = (CONTACTS,)
    kinds = ("question", "search")
    params_type = Person

    @classmethod
    def random_params(cls, rng: random.Random) -> Person:
        return Person(**person(rng))

    def setup(self, phone: Phone) -> None:
        put_contact(phone, self.params.first, self.params.last, self.params.number)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return same_phone(answer, self.params.number)

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Contacts"),
            _row(self.params.name),
            Remember(Find(rid="title", under=Find(text="Mobile")), key="number"),
            Reply(lambda m: m["number"]),
        ]
