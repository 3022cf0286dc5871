"""Calendar: events by day; create, edit, delete; date and time parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from artemis.sim.apps.formats import parse_amount, parse_date, parse_time
from artemis.sim.phone import Phone
from tests.sim.helpers import EDIT, has_text, node, open_app, tap_node

TODAY = dt.date(2025, 10, 15)


@pytest.fixture
def phone() -> Phone:
    p = Phone(seed=6)
    open_app(p, "Calendar")
    return p


def test_day_view_lists_todays_events(phone: Phone) -> None:
    today = phone.clock.now().date()
    assert today == TODAY
    for e in phone.state.events_on(today):
        assert has_text(phone, e.title)
    wed = node(phone, desc="Wednesday, October 15, 2025")
    assert wed.flag("selected")


def test_moving_between_days(phone: Phone) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    tap_node(phone, desc="Next day")
    assert has_text(phone, "Thursday, Oct 16")
    for e in phone.state.events_on(tomorrow):
        assert has_text(phone, e.title)
    tap_node(phone, desc="Saturday, October 18, 2025")
    assert node(phone, desc="Saturday, October 18, 2025").flag("selected")
    tap_node(phone, desc="Today")
    assert has_text(phone, "Wednesday, Oct 15")


def test_create_an_event(phone: Phone) -> None:
    before = len(phone.state.events)
    tap_node(phone, desc="Create new event")
    assert node(phone, "Event name", cls=EDIT).flag("focused")
    phone.input_text("Team lunch")
    date = node(phone, "Oct 15, 2025")
    phone.swipe(*date.center, *date.center, 600)  # select all, then replace
    phone.input_text("Oct 17, 2025")
    start = node(phone, "10:00 AM")
    phone.swipe(*start.center, *start.center, 600)
    phone.input_text("12:30 PM")
    end = node(phone, "11:00 AM")
    phone.swipe(*end.center, *end.center, 600)
    phone.input_text("1:30 PM")
    tap_node(phone, "Location", cls=EDIT)
    phone.input_text("Cafe Luna")
    tap_node(phone, "Save")
    assert len(phone.state.events) == before + 1
    e = phone.state.events[-1]
    assert (e.title, e.date, e.start, e.end, e.location) == (
        "Team lunch", dt.date(2025, 10, 17), dt.time(12, 30), dt.time(13, 30), "Cafe Luna"
    )  # fmt: skip
    # The day view moves to the new event's day.
    assert has_text(phone, "Friday, Oct 17")
    assert has_text(phone, "Team lunch")


def test_a_bad_date_shows_an_error_and_saves_nothing(phone: Phone) -> None:
    before = len(phone.state.events)
    tap_node(phone, desc="Create new event")
    phone.input_text("Broken")
    date = node(phone, "Oct 15, 2025")
    phone.swipe(*date.center, *date.center, 600)
    phone.input_text("someday")
    tap_node(phone, "Save")
    assert has_text(phone, "Enter a date like Oct 16, 2025")
    assert len(phone.state.events) == before


def test_edit_an_event(phone: Phone) -> None:
    e = phone.state.events_on(TODAY)[0]
    tap_node(phone, e.title)
    tap_node(phone, desc="Edit event")
    title = node(phone, e.title)
    phone.swipe(*title.center, *title.center, 600)
    phone.input_text("Renamed event")
    tap_node(phone, "Save")
    assert e.title == "Renamed event"
    assert has_text(phone, "Renamed event")  # back on the event's page


def test_delete_an_event_after_confirming(phone: Phone) -> None:
    e = phone.state.events_on(TODAY)[0]
    tap_node(phone, e.title)
    tap_node(phone, desc="Delete")
    assert has_text(phone, "This event will be deleted.")
    tap_node(phone, "OK")
    assert phone.state.event(e.id) is None
    assert phone.foreground()[1] == ".AllInOneActivity"
    assert not has_text(phone, e.title)


def test_parsers() -> None:
    assert parse_date("2025-10-16", TODAY) == dt.date(2025, 10, 16)
    assert parse_date("10/16/2025", TODAY) == dt.date(2025, 10, 16)
    assert parse_date("Oct 16, 2025", TODAY) == dt.date(2025, 10, 16)
    assert parse_date("Thursday, October 16", TODAY) == dt.date(2025, 10, 16)
    assert parse_date("tomorrow", TODAY) == dt.date(2025, 10, 16)
    assert parse_date("Oct 32", TODAY) is None
    assert parse_date("soon", TODAY) is None
    assert parse_time("14:30") == dt.time(14, 30)
    assert parse_time("2:30 PM") == dt.time(14, 30)
    assert parse_time("12 am") == dt.time(0, 0)
    assert parse_time("2") is None
    assert parse_time("13 PM") is None
    assert parse_amount("$1,234.50") == 1234.5
    assert parse_amount("0") is None
    assert parse_amount("12.345") is None


def test_a_focused_field_scrolled_out_of_view_keeps_its_focus(phone: Phone) -> None:
    tap_node(phone, desc="Create new event")
    phone.input_text("Tea")
    phone.keyevent(4)  # the keyboard goes down
    tap_node(phone, "Description", cls=EDIT)
    phone.input_text("one\ntwo\nthree\nfour")  # the field grows, so the form overflows
    phone.keyevent(4)
    phone.swipe(540, 500, 540, 1800, 300)
    tap_node(phone, "Tea", cls=EDIT)
    for _ in range(2):
        phone.swipe(540, 1300, 540, 500, 300)  # above the keyboard
    assert not has_text(phone, "Tea")
    phone.input_text(" party")
    phone.swipe(540, 500, 540, 1400, 300)
    assert node(phone, "Tea party", cls=EDIT).flag("focused")
