"""Clock: alarms (add, edit, toggle, label, repeat days, delete), timer and stopwatch."""

from __future__ import annotations

import pytest

from artemis.sim.phone import Phone
from artemis.sim.simtime import ManualClock
from tests.sim.helpers import has_text, node, nodes, open_app, pixels, scroll_down, tap_node


@pytest.fixture
def phone() -> Phone:
    p = Phone(seed=5)
    open_app(p, "Clock")
    return p


def add_alarm(phone: Phone, hour: str, minute: str, pm: bool) -> None:
    tap_node(phone, desc="Add alarm")
    assert has_text(phone, "Enter time")
    phone.input_text(hour)  # the hour field is focused with its text selected
    phone.keyevent(66)  # on to the minute field, also selected
    phone.input_text(minute)
    tap_node(phone, "PM" if pm else "AM")
    tap_node(phone, "OK")


def test_add_an_alarm(phone: Phone) -> None:
    before = len(phone.state.alarms)
    add_alarm(phone, "7", "05", pm=True)
    assert len(phone.state.alarms) == before + 1
    a = phone.state.alarms[-1]
    assert (a.hour, a.minute, a.enabled) == (19, 5, True)
    for _ in range(3):
        scroll_down(phone)
    assert has_text(phone, "7:05 PM")


def test_invalid_time_is_refused(phone: Phone) -> None:
    before = len(phone.state.alarms)
    tap_node(phone, desc="Add alarm")
    phone.input_text("13")
    tap_node(phone, "OK")
    assert has_text(phone, "Enter a valid time")
    assert len(phone.state.alarms) == before
    tap_node(phone, "Cancel")
    assert not has_text(phone, "Enter time")


def test_toggle_an_alarm(phone: Phone) -> None:
    a = sorted(phone.state.alarms, key=lambda a: (a.hour, a.minute))[0]
    was = a.enabled
    switch = node(phone, desc=f"{a.time_text} alarm")
    assert switch.flag("checked") is was and switch.flag("clickable")
    phone.tap(*switch.center)
    assert a.enabled is not was
    assert node(phone, desc=f"{a.time_text} alarm").flag("checked") is not was


def test_edit_an_alarms_time(phone: Phone) -> None:
    a = sorted(phone.state.alarms, key=lambda a: (a.hour, a.minute))[0]
    tap_node(phone, a.time_text)
    phone.input_text("10")
    tap_node(phone, phone.nav.top().texts["minute"])  # tapping a field selects its text
    phone.input_text("45")
    tap_node(phone, "AM")
    tap_node(phone, "OK")
    assert (a.hour, a.minute) == (10, 45)
    assert has_text(phone, "10:45 AM")


def test_label_and_repeat_days(phone: Phone) -> None:
    alarms = sorted(phone.state.alarms, key=lambda a: (a.hour, a.minute))
    idx = next(i for i, a in enumerate(alarms) if not a.label)
    a = alarms[idx]
    labels = [n for n in nodes(phone) if n.attrs["resource-id"].endswith("edit_label")]
    assert labels[idx].text == "Add label"
    phone.tap(*labels[idx].center)
    phone.input_text("Gym")
    tap_node(phone, "OK")
    assert a.label == "Gym"
    assert has_text(phone, "Gym")
    days_before = list(a.days)
    wednesday = [n for n in nodes(phone) if n.desc == "Wednesday"][idx]
    assert wednesday.flag("checked") is (2 in days_before)
    phone.tap(*wednesday.center)
    assert a.days == sorted(set(days_before) ^ {2})


def test_delete_an_alarm(phone: Phone) -> None:
    first = sorted(phone.state.alarms, key=lambda a: (a.hour, a.minute))[0]
    deletes = [n for n in nodes(phone) if n.text == "Delete"]
    phone.tap(*deletes[0].center)
    assert phone.state.alarm(first.id) is None
    assert not has_text(phone, first.time_text)


def test_timer_counts_down_with_the_clock() -> None:
    clock = ManualClock()
    p = Phone(seed=5, clock=clock)
    open_app(p, "Clock")
    tap_node(p, desc="Timer")
    assert not node(p, desc="Start").flag("enabled")
    for d in "130":
        tap_node(p, d)
    assert has_text(p, "00h 01m 30s")
    tap_node(p, desc="Start")
    assert p.state.timer.running and p.state.timer.duration_s == 90
    clock.advance(30)
    assert has_text(p, "1:00")
    tap_node(p, "Pause")
    clock.advance(100)
    assert has_text(p, "1:00")
    tap_node(p, "Resume")
    clock.advance(60)
    assert has_text(p, "Time's up")
    tap_node(p, "Stop")
    assert p.state.timer.duration_s == 0
    assert has_text(p, "00h 00m 00s")


def test_stopwatch() -> None:
    clock = ManualClock()
    p = Phone(seed=5, clock=clock)
    open_app(p, "Clock")
    tap_node(p, desc="Stopwatch")
    tap_node(p, "Start")
    clock.advance(75)
    assert has_text(p, "01:15.00")
    tap_node(p, "Pause")
    tap_node(p, "Reset")
    assert has_text(p, "00:00.00")


def test_status_bar_time_follows_the_injected_clock() -> None:
    clock = ManualClock()
    p = Phone(seed=5, clock=clock)
    open_app(p, "Clock")
    tap_node(p, desc="Clock")
    shot = p.screencap_png()
    assert p.screencap_png() == shot
    before = pixels(p)
    clock.advance(60)
    assert p.screencap_png() != shot and pixels(p) != before
    assert has_text(p, "9:42")
