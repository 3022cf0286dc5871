"""Messages tasks: a new conversation to a typed number, a reply (ENTER makes a new line, so
the send button must be tapped), a text to a contact found by name, a confirmed delete, and a
question about the last message received."""

from __future__ import annotations

import random
from collections.abc import Sequence

from artemis.bench.simworld.ops import (
    Find,
    Launch,
    LongPressOn,
    Op,
    Remember,
    Reply,
    TapOn,
    TextSource,
    tap,
    type_into,
)
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import P, Params, SimTask, same_text
from artemis.bench.simworld.tasks.common import (
    MESSAGES,
    Person,
    drop_contacts,
    person,
    phone_number,
    pick,
    put_contact,
    put_sms,
)
from artemis.sim.phone import Phone
from artemis.sim.state import Sms, digits

TEXTS = (
    "See you at 6",
    "Running late, start without me",
    "Can you bring the charger?",
    "Happy birthday!",
    "Dinner is at Luigi's tonight",
    "I'll call you after the meeting",
)
COMPOSE = Find(rid="compose_message_text")


def sent_to(phone: Phone, number: str) -> list[str]:
    """Bodies of the messages this phone sent to `number`."""
    return [m.body for m in phone.state.thread(number) if m.outgoing]


def _message_ids(phone: Phone) -> set[int]:
    return {m.id for m in phone.state.messages}


def text_someone(first: str, name: str, body: TextSource) -> list[Op]:
    """A new conversation with a contact found by typing their first name, then `body` sent."""
    return [
        Launch("Messages"),
        tap("Start chat"),
        type_into(Find(rid="recipient_text_view"), first),
        TapOn(Find(text=name, rid="title")),
        type_into(COMPOSE, body),
        tap(desc="Send message"),
    ]


class SmsTask(SimTask[P]):
    """Remembers the messages there were, so a checker can require exactly one new one."""

    def remember_messages(self, phone: Phone) -> None:
        self.before = _message_ids(phone)

    def one_sent(self, phone: Phone, number: str) -> Sms | None:
        """The one new message, when this phone sent it to `number` and no message was lost."""
        new = [m for m in phone.state.messages if m.id not in self.before]
        if (
            self.before <= _message_ids(phone)
            and len(new) == 1
            and new[0].outgoing
            and digits(new[0].address)[-10:] == digits(number)[-10:]
        ):
            return new[0]
        return None

    def only_sent(self, phone: Phone, number: str, body: str) -> bool:
        """Exactly one new message, from this phone, to `number`, saying `body`."""
        sms = self.one_sent(phone, number)
        return sms is not None and sms.body == body


class ToNumber(Params):
    number: str
    text: str


@template
class MessagesSendToNumber(SmsTask[ToNumber]):
    template = 'Send a text message saying "{text}" to {number}.'
    apps = (MESSAGES,)
    kinds = ("form",)
    traps = ("enter_newline",)
    complexity = 1.2
    params_type = ToNumber

    @classmethod
    def random_params(cls, rng: random.Random) -> ToNumber:
        return ToNumber(number=phone_number(rng), text=pick(rng, TEXTS))

    def setup(self, phone: Phone) -> None:
        drop_contacts(phone, "", self.params.number)
        self.remember_messages(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return self.only_sent(phone, self.params.number, self.params.text)

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Messages"),
            tap("Start chat"),
            type_into(Find(rid="recipient_text_view"), p.number),
            tap(f"Send to {p.number}"),
            type_into(COMPOSE, p.text),
            tap(desc="Send message"),
        ]


class ToPerson(Person):
    text: str


def _to_person(rng: random.Random) -> ToPerson:
    return ToPerson(**person(rng), text=pick(rng, TEXTS))


@template
class MessagesReply(SmsTask[ToPerson]):
    template = 'Reply "{text}" to {first} {last} in Messages.'
    apps = (MESSAGES,)
    kinds = ("form",)
    traps = ("enter_newline",)
    params_type = ToPerson

    @classmethod
    def random_params(cls, rng: random.Random) -> ToPerson:
        return _to_person(rng)

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        put_sms(phone, p.number, "Are you coming tonight?", outgoing=False, minutes_ago=12)
        self.remember_messages(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return self.only_sent(phone, self.params.number, self.params.text)

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Messages"),
            TapOn(Find(text=self.params.name, rid="title")),
            type_into(COMPOSE, self.params.text),
            tap(desc="Send message"),
        ]


@template
class MessagesTextContact(SmsTask[ToPerson]):
    template = 'Send {first} {last} a text message saying "{text}".'
    apps = (MESSAGES,)
    kinds = ("form", "search")
    traps = ("enter_newline",)
    complexity = 1.2
    params_type = ToPerson

    @classmethod
    def random_params(cls, rng: random.Random) -> ToPerson:
        return _to_person(rng)

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        self.remember_messages(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return self.only_sent(phone, self.params.number, self.params.text)

    def solution(self) -> Sequence[Op]:
        return text_someone(self.params.first, self.params.name, self.params.text)


@template
class MessagesDeleteThread(SmsTask[ToPerson]):
    template = "Delete my whole conversation with {first} {last} in Messages."
    apps = (MESSAGES,)
    kinds = ("delete",)
    traps = ("confirm_dialog",)
    params_type = ToPerson

    @classmethod
    def random_params(cls, rng: random.Random) -> ToPerson:
        return _to_person(rng)

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        put_sms(phone, p.number, p.text, outgoing=True, minutes_ago=300)
        put_sms(phone, p.number, "Sounds good", outgoing=False, minutes_ago=290)
        self.remember_messages(phone)
        self.kept = {
            m.id for m in phone.state.messages if digits(m.address)[-10:] != digits(p.number)[-10:]
        }

    def check(self, phone: Phone, answer: str | None) -> bool:
        return not phone.state.thread(self.params.number) and _message_ids(phone) == self.kept

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Messages"),
            LongPressOn(Find(text=self.params.name, rid="title")),
            tap("Delete", rid="button1"),
        ]


class LastText(Person):
    texts: list[str]


@template
class MessagesLastReceived(SimTask[LastText]):
    template = "What was the last text message {first} {last} sent me? Answer with its text."
    apps = (MESSAGES,)
    kinds = ("question",)
    params_type = LastText

    @classmethod
    def random_params(cls, rng: random.Random) -> LastText:
        return LastText(**person(rng), texts=rng.sample(TEXTS, 3))

    def setup(self, phone: Phone) -> None:
        p = self.params
        put_contact(phone, p.first, p.last, p.number)
        put_sms(phone, p.number, p.texts[0], outgoing=False, minutes_ago=95)
        put_sms(phone, p.number, "OK", outgoing=True, minutes_ago=90)
        put_sms(phone, p.number, p.texts[1], outgoing=False, minutes_ago=30)
        put_sms(phone, p.number, p.texts[2], outgoing=False, minutes_ago=29)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return same_text(answer, self.params.texts[2])

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Messages"),
            TapOn(Find(text=self.params.name, rid="title")),
            Remember(Find(rid="message_text", nth=-1), key="text"),
            Reply(lambda m: m["text"]),
        ]
