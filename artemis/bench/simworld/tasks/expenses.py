"""Pro Expense tasks: a new expense (name, amount, a category chip), a confirmed delete far
down the full list, an amount that needs clearing, a category change, and this month's total."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

from artemis.bench.simworld.ops import Find, Launch, Op, Remember, Reply, tap, type_into
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask, same_number
from artemis.bench.simworld.tasks.common import (
    BASE_DAY,
    EXPENSE,
    RecordTask,
    only_new,
    others,
    pick,
)
from artemis.sim.apps.formats import fmt_date
from artemis.sim.phone import Phone
from artemis.sim.state import EXPENSE_CATEGORIES, Expense, next_id

NAMES = ("Museum tickets", "Bike helmet", "Dog food", "Printer ink", "Car wash", "Yoga mat")


def _amount(rng: random.Random) -> str:
    return f"{rng.randint(4, 180)}.{pick(rng, ('00', '25', '50', '75', '99'))}"


def drop_expenses(phone: Phone, name: str) -> None:
    items = phone.state.expenses
    items[:] = [e for e in items if e.name != name]


def put_expense(phone: Phone, name: str, amount: float, category: str, day: dt.date) -> Expense:
    """Add an expense, first removing any of the same name."""
    drop_expenses(phone, name)
    items = phone.state.expenses
    e = Expense(id=next_id(items), name=name, amount=amount, category=category, date=day)
    items.append(e)
    return e


class Existing(Params):
    name: str
    amount: str
    category: str
    date: str

    @property
    def day(self) -> dt.date:
        return dt.datetime.strptime(self.date, "%b %d, %Y").date()


def _existing(rng: random.Random, *, days_ago: tuple[int, int]) -> Existing:
    day = BASE_DAY - dt.timedelta(days=rng.randint(*days_ago))
    return Existing(
        name=pick(rng, NAMES),
        amount=_amount(rng),
        category=pick(rng, EXPENSE_CATEGORIES),
        date=fmt_date(day),
    )


E = TypeVar("E", bound=Existing)


class ExpenseTask(RecordTask[E, Expense]):
    """Tasks on one expense the set-up adds: the expense its parameters describe."""

    def records(self, phone: Phone) -> list[Expense]:
        return phone.state.expenses

    def setup(self, phone: Phone) -> None:
        p = self.params
        self.track(phone, put_expense(phone, p.name, float(p.amount), p.category, p.day))


class NewExpense(Params):
    name: str
    amount: str
    category: str


@template
class ExpenseAdd(SimTask[NewExpense]):
    template = 'In Pro Expense, add an expense "{name}" of ${amount} in the {category} category.'
    apps = (EXPENSE,)
    kinds = ("form",)
    complexity = 1.2
    params_type = NewExpense

    @classmethod
    def random_params(cls, rng: random.Random) -> NewExpense:
        return NewExpense(
            name=pick(rng, NAMES),
            amount=_amount(rng),
            category=pick(rng, EXPENSE_CATEGORIES[1:]),
        )

    def setup(self, phone: Phone) -> None:
        drop_expenses(phone, self.params.name)
        self.before = others(phone.state.expenses)

    def check(self, phone: Phone, answer: str | None) -> bool:
        p = self.params
        e = only_new(phone.state.expenses, lambda e: e.name == p.name, self.before)
        return (
            e is not None and abs(e.amount - float(p.amount)) < 0.005 and e.category == p.category
        )

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            Launch("Pro Expense"),
            tap(desc="Add expense"),
            type_into(Find(rid="edt_name"), p.name),
            type_into(Find(rid="edt_amount"), p.amount),
            tap(p.category, rid="chip_category"),
            tap("Save"),
        ]


@template
class ExpenseDelete(ExpenseTask[Existing]):
    template = 'Delete the "{name}" expense of {date} from Pro Expense.'
    apps = (EXPENSE,)
    kinds = ("delete", "search")
    traps = ("confirm_dialog", "below_fold")
    complexity = 1.2
    params_type = Existing

    @classmethod
    def random_params(cls, rng: random.Random) -> Existing:
        return _existing(rng, days_ago=(32, 40))

    def check(self, phone: Phone, answer: str | None) -> bool:
        return self.record(phone) is None and self.untouched_others(phone)

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Pro Expense"),
            tap("See all"),
            tap(self.params.name),
            tap(desc="Delete"),
            tap("Delete", rid="button1"),
        ]


class NewAmount(Existing):
    new_amount: str


@template
class ExpenseEditAmount(ExpenseTask[NewAmount]):
    template = 'Change the amount of the "{name}" expense in Pro Expense to ${new_amount}.'
    apps = (EXPENSE,)
    kinds = ("edit",)
    traps = ("clear_field",)
    complexity = 1.2
    params_type = NewAmount

    @classmethod
    def random_params(cls, rng: random.Random) -> NewAmount:
        e = _existing(rng, days_ago=(0, 0))
        new = _amount(rng)
        while new == e.amount:
            new = _amount(rng)
        return NewAmount(**e.model_dump(), new_amount=new)

    def check(self, phone: Phone, answer: str | None) -> bool:
        e = self.record(phone)
        p = self.params
        return (
            e is not None
            and abs(e.amount - float(p.new_amount)) < 0.005
            and (e.name, e.category, e.date) == (p.name, p.category, p.day)
            and self.untouched_others(phone)
        )

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Pro Expense"),
            tap(self.params.name),
            tap(desc="Edit"),
            type_into(Find(rid="edt_amount"), self.params.new_amount, clear=True),
            tap("Save"),
        ]


class NewCategory(Existing):
    new_category: str


@template
class ExpenseRecategorize(ExpenseTask[NewCategory]):
    template = 'Move the "{name}" expense in Pro Expense to the {new_category} category.'
    apps = (EXPENSE,)
    kinds = ("edit",)
    complexity = 1.2
    params_type = NewCategory

    @classmethod
    def random_params(cls, rng: random.Random) -> NewCategory:
        e = _existing(rng, days_ago=(0, 0))
        new = pick(rng, [c for c in EXPENSE_CATEGORIES if c != e.category])
        return NewCategory(**e.model_dump(), new_category=new)

    def check(self, phone: Phone, answer: str | None) -> bool:
        e = self.record(phone)
        p = self.params
        return (
            e is not None
            and e.category == p.new_category
            and abs(e.amount - float(p.amount)) < 0.005
            and self.untouched_others(phone)
        )

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Pro Expense"),
            tap(self.params.name),
            tap(desc="Edit"),
            tap(self.params.new_category, rid="chip_category"),
            tap("Save"),
        ]


class Extra(Params):
    amount: str


@template
class ExpenseMonthTotal(SimTask[Extra]):
    template = "According to Pro Expense, how much have I spent this month? Answer with the amount."
    apps = (EXPENSE,)
    kinds = ("question",)
    params_type = Extra

    @classmethod
    def random_params(cls, rng: random.Random) -> Extra:
        return Extra(amount=_amount(rng))

    def setup(self, phone: Phone) -> None:
        items = phone.state.expenses
        items.append(
            Expense(
                id=next_id(items),
                name="Groceries",
                amount=float(self.params.amount),
                category="Food",
                date=phone.clock.now().date(),
            )
        )

    def check(self, phone: Phone, answer: str | None) -> bool:
        today = phone.clock.now().date()
        total = sum(
            e.amount
            for e in phone.state.expenses
            if (e.date.year, e.date.month) == (today.year, today.month)
        )
        return same_number(answer, round(total, 2))

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Pro Expense"),
            Remember(Find(rid="tv_total"), key="total"),
            Reply(lambda m: m["total"]),
        ]
