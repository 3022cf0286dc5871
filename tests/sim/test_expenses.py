"""Pro Expense: add, list, edit, delete."""

from __future__ import annotations

import datetime as dt

import pytest

from artemis.sim.phone import Phone
from tests.sim.helpers import EDIT, has_text, node, nodes, open_app, scroll_down, tap_node


@pytest.fixture
def phone() -> Phone:
    p = Phone(seed=8)
    open_app(p, "Pro Expense")
    return p


def test_home_shows_the_months_total(phone: Phone) -> None:
    today = phone.clock.now().date()
    total = sum(e.amount for e in phone.state.expenses if (e.date.year, e.date.month) == (2025, 10))
    assert today.month == 10
    assert node(phone, rid="tv_total").text == f"${total:,.2f}"


def test_list_shows_every_expense_after_scrolling(phone: Phone) -> None:
    tap_node(phone, "See all")
    seen: set[str] = set()
    for _ in range(4):
        seen |= {n.text for n in nodes(phone) if n.attrs["resource-id"].endswith("tv_amount")}
        scroll_down(phone)
    assert {f"${e.amount:,.2f}" for e in phone.state.expenses} <= seen


def test_add_an_expense(phone: Phone) -> None:
    before = len(phone.state.expenses)
    tap_node(phone, desc="Add expense")
    phone.input_text("Concert tickets")
    phone.keyevent(66)
    phone.input_text("45.00")
    tap_node(phone, "Entertainment")
    assert node(phone, "Entertainment").flag("checked")
    tap_node(phone, "Save")
    assert len(phone.state.expenses) == before + 1
    e = phone.state.expenses[-1]
    assert (e.name, e.amount, e.category, e.date) == (
        "Concert tickets", 45.0, "Entertainment", dt.date(2025, 10, 15)
    )  # fmt: skip
    assert has_text(phone, "Concert tickets")


def test_amount_is_required(phone: Phone) -> None:
    before = len(phone.state.expenses)
    tap_node(phone, desc="Add expense")
    phone.input_text("Snack")
    tap_node(phone, "Save")
    assert has_text(phone, "Enter an amount greater than 0, like 12.50")
    assert len(phone.state.expenses) == before
    tap_node(phone, "0.00", cls=EDIT)
    phone.input_text("abc")
    tap_node(phone, "Save")
    assert len(phone.state.expenses) == before


def test_edit_and_delete_an_expense(phone: Phone) -> None:
    e = sorted(phone.state.expenses, key=lambda e: (e.date, e.id), reverse=True)[0]
    tap_node(phone, e.name)
    tap_node(phone, desc="Edit")
    amount = node(phone, f"{e.amount:.2f}")
    phone.swipe(*amount.center, *amount.center, 600)
    phone.input_text("99.99")
    tap_node(phone, "Save")
    assert e.amount == 99.99
    assert has_text(phone, "$99.99")
    tap_node(phone, desc="Delete")
    tap_node(phone, "Cancel")
    assert phone.state.expense(e.id) is not None
    tap_node(phone, desc="Delete")
    tap_node(phone, "Delete")
    assert phone.state.expense(e.id) is None
    assert phone.foreground() == ("com.arduia.expense", ".ui.MainActivity")
    assert not has_text(phone, "$99.99")
