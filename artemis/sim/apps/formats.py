"""Dates, times and amounts as the simulated apps show them, and parsers for what users type.

Parsers accept the forms people (and agents) commonly type: "2025-10-16", "10/16/2025",
"Oct 16, 2025", "October 16" (this year); "14:30", "2:30 PM", "2 pm". They return None for
anything else, so a form can show an error instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m.casefold(): i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}


def fmt_time(t: dt.time | dt.datetime) -> str:
    """ "9:05 AM"."""
    return f"{t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def fmt_date(d: dt.date) -> str:
    """ "Oct 16, 2025"."""
    return f"{d:%b} {d.day}, {d.year}"


def fmt_long_date(d: dt.date) -> str:
    """ "Thursday, October 16, 2025"."""
    return f"{d:%A, %B} {d.day}, {d.year}"


def fmt_money(amount: float) -> str:
    return f"${amount:,.2f}"


def parse_date(text: str, today: dt.date) -> dt.date | None:
    s = text.strip().casefold().replace(",", " ")
    s = re.sub(r"\s+", " ", s)
    if not s:
        return None
    if s == "today":
        return today
    if s == "tomorrow":
        return today + dt.timedelta(days=1)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", s):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(?:[a-z]+ )?([a-z]+)\.? (\d{1,2})(?: (\d{4}))?", s):
            month = _MONTHS.get(m[1])
            if month is None:
                return None
            return dt.date(int(m[3]) if m[3] else today.year, month, int(m[2]))
    except ValueError:
        return None
    return None


def parse_time(text: str) -> dt.time | None:
    s = text.strip().casefold().replace(".", "")
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a|p)?", s)
    if not m:
        return None
    hour, minute = int(m[1]), int(m[2] or 0)
    suffix = m[3]
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix.startswith("p") else 0)
    elif m[2] is None:
        return None  # a bare number is ambiguous
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def parse_amount(text: str) -> float | None:
    s = text.strip().replace("$", "").replace(",", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?|\.\d{1,2}", s):
        return None
    value = float(s)
    return round(value, 2) if value > 0 else None
