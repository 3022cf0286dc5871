"""Cross-app tasks: read something in one app, write it in another."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence

from artemis.bench.simworld.ops import Find, Launch, Op, Remember, TapOn, tap, type_into
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask, numbers_in
from artemis.bench.simworld.tasks.calendar import (
    TITLES,
    When,
    _when,
    drop_events,
    put_event,
    read_start,
)
from artemis.bench.simworld.tasks.common import (
    BASE_DAY,
    CALENDAR,
    CONTACTS,
    EXPENSE,
    MARKOR,
    MESSAGES,
    PEOPLE,
    Person,
    drop_contacts,
    drop_path,
    person,
    phone_number,
    pick,
    put_contact,
    put_sms,
)
from artemis.bench.simworld.tasks.expenses import NAMES as EXPENSE_NAMES
from artemis.bench.simworld.tasks.expenses import put_expense
from artemis.bench.simworld.tasks.markor import EDITOR, put_note
from artemis.bench.simworld.tasks.messages import SmsTask, text_someone
from artemis.sim.apps.formats import fmt_date, fmt_time, parse_date, parse_time
from artemis.sim.phone import Phone
from artemis.sim.state import NOTES_DIR, Contact, digits

_TIME = re.compile(r"\b\d{1,2}:\d{2}\s*[AaPp]\.?[Mm]\.?")


class TwoPeople(Person):
    to_first: str
    to_last: str
    to_number: str


@template
class CrossShareNumber(SmsTask[TwoPeople]):
    template = (
        "Look up {first} {last}'s phone number in Contacts and text it to {to_first} {to_last}."
    )
    apps = (CONTACTS, MESSAGES)
    kinds = ("cross_app", "search")
    complexity = 1.8
    params_type = TwoPeople

    @classmethod
    def random_params(cls, rng: random.Random) -> TwoPeople:
        (f1, l1), (f2, l2) = rng.sample(PEOPLE, 2)
        n1 = phone_number(rng)
        n2 = phone_number(rng)
        while digits(n2) == digits(n1):
            n2 = phone_number(rng)
        return TwoPeople(first=f1, last=l1, number=n1, to_first=f2, to_last=l2, to_number=n2)

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        put_contact(phone, p.to_first, p.to_last, p.to_number)
        self.remember_messages(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        sms = self.one_sent(phone, self.params.to_number)
        return sms is not None and digits(self.params.number)[-10:] in digits(sms.body)

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Contacts"),
            TapOn(Find(text=p.name, rid="title")),
            Remember(Find(rid="title", under=Find(text="Mobile")), key="number"),
            *text_someone(p.to_first, f"{p.to_first} {p.to_last}", lambda m: m["number"]),
        ]


class ExpenseNote(Params):
    expense: str
    amount: str
    note: str


@template
class CrossExpenseToNote(SimTask[ExpenseNote]):
    template = (
        'Find what my "{expense}" expense cost in Pro Expense, and write that amount in a new '
        'Markor note named "{note}".'
    )
    apps = (EXPENSE, MARKOR)
    kinds = ("cross_app", "form")
    complexity = 1.8
    params_type = ExpenseNote

    @classmethod
    def random_params(cls, rng: random.Random) -> ExpenseNote:
        return ExpenseNote(
            expense=pick(rng, EXPENSE_NAMES),
            amount=f"{rng.randint(10, 90)}.{rng.randint(10, 99)}",
            note=pick(rng, ("Reimburse.md", "Costs.md", "Expense check.md")),
        )

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_expense(phone, p.expense, float(p.amount), "Shopping", phone.clock.now().date())
        drop_path(phone, f"{NOTES_DIR}/{p.note}")

    def check(self, phone: Phone, answer: str | None) -> bool:
        text = phone.notes().get(self.params.note)
        return text is not None and float(self.params.amount) in numbers_in(text)

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Pro Expense"),
            tap(p.expense),
            Remember(Find(rid="tv_amount"), key="amount"),
            Launch("Markor"),
            tap(desc="Create a new file"),
            type_into(Find(rid="new_file_dialog__name"), p.note),
            tap("OK"),
            type_into(EDITOR, lambda m: m["amount"]),
            tap(desc="Save"),
        ]


class EventText(When):
    first: str
    last: str
    number: str


@template
class CrossEventToMessage(SmsTask[EventText]):
    template = 'Text {first} {last} the time "{title}" starts on {date}, as my calendar shows it.'
    apps = (CALENDAR, MESSAGES)
    kinds = ("cross_app", "navigation")
    complexity = 1.8
    params_type = EventText

    @classmethod
    def random_params(cls, rng: random.Random) -> EventText:
        first, last = pick(rng, PEOPLE)
        return EventText(**_when(rng), first=first, last=last, number=phone_number(rng))

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        put_event(phone, p)
        self.remember_messages(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        sms = self.one_sent(phone, self.params.number)
        if sms is None:
            return False
        times = [parse_time(t) for t in _TIME.findall(sms.body)]
        return times == [self.params.start_time]

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            *read_start(p),
            *text_someone(p.first, f"{p.first} {p.last}", lambda m: m["time"]),
        ]


class NoteContact(Person):
    note: str


def _field(label: str) -> re.Pattern[str]:
    return re.compile(rf"^{label}:\s*(.+)$", re.MULTILINE)


@template
class CrossNoteToContact(SimTask[NoteContact]):
    template = (
        'The Markor note "{note}" has a person\'s name and phone number. Save them as a new '
        "contact."
    )
    apps = (MARKOR, CONTACTS)
    kinds = ("cross_app", "form")
    complexity = 2.0
    params_type = NoteContact

    @classmethod
    def random_params(cls, rng: random.Random) -> NoteContact:
        return NoteContact(
            **person(rng), note=pick(rng, ("Plumber.md", "Babysitter.md", "Electrician.md"))
        )

    def setup(self, phone: Phone) -> None:
        p = self.params
        drop_contacts(phone, p.name, p.number)
        put_note(
            phone,
            p.note,
            f"# {p.note[:-3]}\n\nFirst name: {p.first}\nLast name: {p.last}\nPhone: {p.number}\n",
        )
        self.before = len(phone.state.contacts)

    def check(self, phone: Phone, answer: str | None) -> bool:
        p = self.params
        c: Contact | None = phone.state.contact_by_name(p.name)
        return (
            c is not None
            and digits(c.phone)[-10:] == digits(p.number)[-10:]
            and len(phone.state.contacts) == self.before + 1
        )

    def solution(self) -> Sequence[Op]:
        def read(label: str) -> Remember:
            pattern = _field(label)
            return Remember(EDITOR, key=label, read=lambda e: _match(pattern, e.text))

        return [
            Launch("Markor"),
            tap(self.params.note),
            read("First name"),
            read("Last name"),
            read("Phone"),
            Launch("Contacts"),
            tap(desc="Create new contact"),
            type_into(Find(rid="editor_first"), lambda m: m["First name"]),
            type_into(Find(rid="editor_last"), lambda m: m["Last name"]),
            type_into(Find(rid="editor_phone"), lambda m: m["Phone"]),
            tap("Save"),
        ]


def _match(pattern: re.Pattern[str], text: str) -> str:
    m = pattern.search(text)
    return m.group(1).strip() if m else ""


class Meeting(Person):
    title: str
    date: str
    start: str


_WHEN_IN_TEXT = re.compile(r"on (\w{3} \d{1,2}, \d{4}) at (\d{1,2}:\d{2} [AP]M)")


@template
class CrossMessageToCalendar(SimTask[Meeting]):
    template = (
        "{first} {last} texted me the day and time of our meeting. Add it to my calendar as "
        '"{title}", one hour long.'
    )
    apps = (MESSAGES, CALENDAR)
    kinds = ("cross_app", "form")
    traps = ("clear_field",)
    complexity = 2.0
    params_type = Meeting

    @classmethod
    def random_params(cls, rng: random.Random) -> Meeting:
        first, last = pick(rng, PEOPLE)
        day = BASE_DAY + dt.timedelta(days=rng.randint(2, 6))
        start = dt.time(rng.randint(9, 16), pick(rng, (0, 15, 30, 45)))
        return Meeting(
            first=first,
            last=last,
            number=phone_number(rng),
            title=pick(rng, TITLES),
            date=fmt_date(day),
            start=fmt_time(start),
        )

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        put_sms(
            phone, p.number, f"Let's meet on {p.date} at {p.start}.", outgoing=False, minutes_ago=8
        )
        drop_events(phone, p.title)
        self.before = len(phone.state.events)

    def check(self, phone: Phone, answer: str | None) -> bool:
        p = self.params
        made = [e for e in phone.state.events if e.title == p.title]
        day = parse_date(p.date, BASE_DAY)
        start = parse_time(p.start)
        if len(made) != 1 or start is None or len(phone.state.events) != self.before + 1:
            return False
        end = (dt.datetime.combine(BASE_DAY, start) + dt.timedelta(hours=1)).time()
        return (made[0].date, made[0].start, made[0].end) == (day, start, end)

    def solution(self) -> Sequence[Op]:
        p = self.params

        def part(i: int) -> Remember:
            return Remember(
                Find(rid="message_text", nth=-1),
                key=("date", "start")[i],
                read=lambda e: _when_part(e.text, i),
            )

        return [
            Launch("Messages"),
            TapOn(Find(text=p.name, rid="title")),
            part(0),
            part(1),
            Launch("Calendar"),
            tap(desc="Create new event"),
            type_into(Find(rid="title", editable=True), p.title),
            type_into(Find(rid="date", editable=True), lambda m: m["date"], clear=True),
            type_into(Find(rid="start", editable=True), lambda m: m["start"], clear=True),
            type_into(Find(rid="end", editable=True), lambda m: _plus_hour(m["start"]), clear=True),
            tap("Save"),
        ]


def _when_part(text: str, i: int) -> str:
    m = _WHEN_IN_TEXT.search(text)
    return m.group(i + 1) if m else ""


def _plus_hour(start: str) -> str:
    t = parse_time(start)
    if t is None:
        return ""
    return fmt_time((dt.datetime.combine(BASE_DAY, t) + dt.timedelta(hours=1)).time())
