"""The simulated phone's user data, as typed models task checkers read and set up.

`PhoneState` holds what the apps show and change: settings, contacts, alarms and the timer,
calendar events, SMS messages and expenses. Notes (Markor) and files live in the phone's
filesystem (`phone.fs`), under `NOTES_DIR` and `/sdcard`. Every model is plain pydantic, so a
checker can read `phone.state.contacts`, a setup can append to it, and `snapshot()` can dump it
as JSON. Ids are small integers, unique within their list; `next_id` hands out new ones.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field

NOTES_DIR = "/sdcard/Documents/Markor"

EXPENSE_CATEGORIES = (
    "Food",
    "Transportation",
    "Housing",
    "Utilities",
    "Entertainment",
    "Health",
    "Shopping",
    "Other",
)

SCREEN_TIMEOUTS_MS = (15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000)


class _Model(BaseModel):
    model_config = ConfigDict(validate_assignment=True, extra="forbid")


def digits(number: str) -> str:
    """The digits of a phone number, for comparing numbers typed in different styles."""
    return re.sub(r"\D", "", number)


def _empty_namespaces() -> dict[str, dict[str, str]]:
    return {"system": {}, "secure": {}, "global": {}}


class SettingsState(_Model):
    """Device settings. `settings get/put` and the Settings app read and write these."""

    #: Off at first, as on a phone that has not been connected yet: turning Wi-Fi on is a task.
    wifi: bool = False
    wifi_network: str = "AndroidWifi"  # the network Wi-Fi joins when on
    bluetooth: bool = False
    airplane_mode: bool = False
    #: 0..255, as `settings get system screen_brightness` reports it.
    brightness: int = Field(default=102, ge=0, le=255)
    adaptive_brightness: bool = False
    dark_theme: bool = False
    #: milliseconds, as `settings get system screen_off_timeout` reports it.
    screen_timeout_ms: int = 30_000
    device_name: str = "Pixel 6"
    #: Radios airplane mode turned off, restored when it is turned off again.
    radios_before_airplane: list[str] = Field(default_factory=list)
    #: Settings without a typed field: namespace ("system", "secure", "global") -> key -> value.
    extra: dict[str, dict[str, str]] = Field(default_factory=_empty_namespaces)

    @property
    def brightness_percent(self) -> int:
        return round(self.brightness * 100 / 255)


class Contact(_Model):
    id: int
    first_name: str
    last_name: str = ""
    phone: str = ""
    email: str = ""
    starred: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Alarm(_Model):
    id: int
    hour: int = Field(ge=0, le=23)
    minute: int = Field(ge=0, le=59)
    enabled: bool = True
    label: str = ""
    #: Days it repeats on, 0 = Monday ... 6 = Sunday; empty means once.
    days: list[int] = Field(default_factory=list)

    @property
    def time_text(self) -> str:
        """As the Clock app shows it: "7:30 AM"."""
        h12 = self.hour % 12 or 12
        return f"{h12}:{self.minute:02d} {'AM' if self.hour < 12 else 'PM'}"


class TimerState(_Model):
    """The Clock app's timer. Times are seconds; `ends_at` is an ISO time when running."""

    duration_s: int = 0
    running: bool = False
    ends_at: str | None = None
    remaining_s: int = 0  # while paused or set but not started

    def remaining(self, now: dt.datetime) -> int:
        if self.running and self.ends_at:
            left = (dt.datetime.fromisoformat(self.ends_at) - now).total_seconds()
            return max(0, int(left + 0.999))
        return self.remaining_s


class StopwatchState(_Model):
    running: bool = False
    started_at: str | None = None
    elapsed_ms: int = 0

    def elapsed(self, now: dt.datetime) -> int:
        if self.running and self.started_at:
            extra = (now - dt.datetime.fromisoformat(self.started_at)).total_seconds() * 1000
            return self.elapsed_ms + int(extra)
        return self.elapsed_ms


class Event(_Model):
    id: int
    title: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str = ""
    description: str = ""


class Sms(_Model):
    id: int
    #: The other party's number, as typed or received.
    address: str
    body: str
    #: True for messages this phone sent.
    outgoing: bool
    timestamp: dt.datetime
    read: bool = True


class Expense(_Model):
    id: int
    name: str
    amount: float = Field(ge=0)
    category: str = "Other"
    date: dt.date
    note: str = ""


class PhoneState(_Model):
    """Everything the apps keep, apart from files."""

    settings: SettingsState = Field(default_factory=SettingsState)
    contacts: list[Contact] = Field(default_factory=list)
    alarms: list[Alarm] = Field(default_factory=list)
    timer: TimerState = Field(default_factory=TimerState)
    stopwatch: StopwatchState = Field(default_factory=StopwatchState)
    events: list[Event] = Field(default_factory=list)
    messages: list[Sms] = Field(default_factory=list)
    expenses: list[Expense] = Field(default_factory=list)
    clipboard: str = ""

    # --- look-ups checkers and apps share ---------------------------------------------------
    def contact(self, contact_id: int) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def contact_by_name(self, name: str) -> Contact | None:
        key = name.strip().casefold()
        return next((c for c in self.contacts if c.name.casefold() == key), None)

    def contact_for_number(self, number: str) -> Contact | None:
        d = digits(number)
        if not d:
            return None
        return next((c for c in self.contacts if digits(c.phone)[-10:] == d[-10:]), None)

    def alarm(self, alarm_id: int) -> Alarm | None:
        return next((a for a in self.alarms if a.id == alarm_id), None)

    def event(self, event_id: int) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def events_on(self, day: dt.date) -> list[Event]:
        return sorted((e for e in self.events if e.date == day), key=lambda e: (e.start, e.id))

    def expense(self, expense_id: int) -> Expense | None:
        return next((e for e in self.expenses if e.id == expense_id), None)

    def thread(self, address: str) -> list[Sms]:
        """The messages exchanged with one number, oldest first."""
        d = digits(address)[-10:]
        return sorted(
            (m for m in self.messages if digits(m.address)[-10:] == d and d),
            key=lambda m: (m.timestamp, m.id),
        )

    def threads(self) -> list[list[Sms]]:
        """Conversations, most recent first."""
        seen: dict[str, list[Sms]] = {}
        for m in sorted(self.messages, key=lambda m: (m.timestamp, m.id)):
            seen.setdefault(digits(m.address)[-10:], []).append(m)
        return sorted(seen.values(), key=lambda t: (t[-1].timestamp, t[-1].id), reverse=True)

    def display_name(self, number: str) -> str:
        c = self.contact_for_number(number)
        return c.name if c else number


def next_id(items: list[Contact] | list[Alarm] | list[Event] | list[Sms] | list[Expense]) -> int:
    return max((i.id for i in items), default=0) + 1
