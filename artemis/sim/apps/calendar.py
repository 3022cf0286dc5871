"""Calendar (com.android.calendar): events by day; create, edit and delete.

The day view shows a week strip (tap a day), previous/next day buttons and the day's events.
"New event" opens the editor with the selected day and the next whole hour filled in; dates
and times are typed ("Oct 16, 2025", "2:30 PM"), and a field that does not parse shows an
error instead of saving. An event's page has Edit and Delete (confirmed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.apps.formats import fmt_date, fmt_long_date, fmt_time, parse_date, parse_time
from artemis.sim.state import Event, next_id
from artemis.sim.views import FRAME, WRAP, View

PKG = "com.android.calendar"
ACCENT = (3, 155, 229)


class CalendarScreen(Screen):
    package = PKG


class CalendarDay(CalendarScreen):
    activity = ".AllInOneActivity"
    day: dt.date | None = None

    def title(self, ctx: Ctx) -> str:
        return "Calendar"

    def shown(self, ctx: Ctx) -> dt.date:
        return self.day or ctx.today

    def build(self, ctx: Ctx) -> View:
        day = self.shown(ctx)

        def go(d: dt.date) -> Callable[[], None]:
            def set_day() -> None:
                self.day = d
                self.scroll.clear()

            return set_day

        today_btn = w.icon_button("today", "Today", go(ctx.today), rid="action_today")
        bar = ui.app_bar(f"{day:%B %Y}", actions=[today_btn], rid="toolbar")
        nav = w.row(
            w.icon_button(
                "chevron_left", "Previous day", go(day - dt.timedelta(days=1)), rid="prev"
            ),
            w.text(f"{day:%A, %b} {day.day}", size=48, talign="center", h=126, rid="date_title"),
            w.icon_button("chevron_right", "Next day", go(day + dt.timedelta(days=1)), rid="next"),
            h=140,
            pad=(16, 0, 16, 0),
            align="center",
        )
        sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
        strip = w.row(h=170, pad=(24, 10, 24, 10), gap=8, rid="week_strip")
        for i in range(7):
            d = sunday + dt.timedelta(days=i)
            sel = d == day
            has = bool(ctx.state.events_on(d))
            fg = w.WHITE if sel else (w.TEXT_1 if d != ctx.today else ACCENT)
            strip.add(
                w.column(
                    w.text(f"{d:%a}", size=32, fg=fg, talign="center", h=None),
                    w.text(str(d.day), size=44, fg=fg, talign="center", bold=sel, h=None),
                    cls=FRAME,
                    desc=fmt_long_date(d),
                    radius=40,
                    clickable=True,
                    focusable=True,
                    selected=sel,
                    on_click=go(d),
                    pad=(0, 16, 0, 16),
                    bg=ACCENT if sel else ((225, 242, 252) if has else None),
                )
            )
        rows: list[View] = []
        for e in ctx.state.events_on(day):
            sub = f"{fmt_time(e.start)} - {fmt_time(e.end)}"
            if e.location:
                sub += f" · {e.location}"
            rows.append(
                ui.list_row(
                    e.title or "(No title)",
                    sub,
                    icon="calendar",
                    icon_fg=ACCENT,
                    rid="event_row",
                    on_click=ctx.cb(ctx.push, EventDetails(event_id=e.id)),
                )
            )
        if not rows:
            rows.append(ui.empty_state("No events"))
        body = w.column(
            bar,
            nav,
            strip,
            w.divider(),
            w.scroll_list(self, "events", rows, rid="events_list", pad=(0, 0, 0, 240)),
            cls=FRAME,
        )
        fab = ui.fab(
            "add",
            "Create new event",
            ctx.cb(self._new, ctx),
            accent=ACCENT,
            rid="floating_action_button",
        )
        return w.stack(body, fab, bg=w.SURFACE)

    def _new(self, ctx: Ctx) -> None:
        day = self.shown(ctx)
        if day == ctx.today:
            start = (ctx.now + dt.timedelta(hours=1)).replace(minute=0, second=0).time()
        else:
            start = dt.time(9, 0)
        end = (dt.datetime.combine(day, start) + dt.timedelta(hours=1)).time()
        if end < start:
            end = dt.time(23, 59)
        ctx.push(EventEditor.for_new(day, start, end))


class EventDetails(CalendarScreen):
    activity = ".EventInfoActivity"
    event_id: int

    def title(self, ctx: Ctx) -> str:
        e = ctx.state.event(self.event_id)
        return e.title if e else "Calendar"

    def build(self, ctx: Ctx) -> View:
        e = ctx.state.event(self.event_id)
        if e is None:
            return ui.gone_page("Event deleted", ctx.cb(ctx.pop))
        actions = [
            w.icon_button(
                "edit", "Edit event", ctx.cb(ctx.push, EventEditor.for_event(e)), rid="edit"
            ),
            w.icon_button(
                "delete", "Delete", ctx.cb(ctx.push, DeleteEvent(event_id=e.id)), rid="delete"
            ),
        ]
        rows: list[View] = [
            w.text(
                e.title or "(No title)",
                size=64,
                h=WRAP,
                max_lines=3,
                pad=(60, 20, 60, 30),
                rid="title",
            ),
            ui.list_row(
                fmt_long_date(e.date),
                f"{fmt_time(e.start)} - {fmt_time(e.end)}",
                icon="clock",
                rid="when",
            ),
        ]
        if e.location:
            rows.append(ui.list_row(e.location, icon="location", rid="where"))
        if e.description:
            rows.append(
                w.text(
                    e.description,
                    size=42,
                    h=WRAP,
                    max_lines=0,
                    pad=(60, 30, 60, 30),
                    rid="description",
                )
            )
        return w.column(
            ui.app_bar("", back=ctx.cb(ctx.pop), actions=actions),
            w.scroll_list(self, "details", rows, rid="event_info_scroll_view"),
            cls=FRAME,
            bg=w.SURFACE,
        )


class DeleteEvent(CalendarScreen):
    activity = ".EventInfoActivity"
    is_dialog: ClassVar[bool] = True
    event_id: int

    def build(self, ctx: Ctx) -> View:
        def delete() -> None:
            ctx.state.events[:] = [e for e in ctx.state.events if e.id != self.event_id]
            ctx.close_deleted(EventDetails)

        return ui.dialog(
            "Delete event",
            message="This event will be deleted.",
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("OK", delete)],
            accent=ACCENT,
        )


FIELDS = (
    ("title", "Event name"),
    ("date", "Date"),
    ("start", "Start time"),
    ("end", "End time"),
    ("location", "Location"),
    ("description", "Description"),
)
HINTS = {"date": "Oct 16, 2025", "start": "2:30 PM", "end": "3:30 PM"}


class EventEditor(CalendarScreen):
    activity = ".event.EditEventActivity"
    event_id: int | None = None
    error: str = ""

    @classmethod
    def for_new(cls, day: dt.date, start: dt.time, end: dt.time) -> EventEditor:
        texts = {"date": fmt_date(day), "start": fmt_time(start), "end": fmt_time(end)}
        return cls(texts=texts, focus="title", ime=True)

    @classmethod
    def for_event(cls, e: Event) -> EventEditor:
        texts = {
            "title": e.title,
            "date": fmt_date(e.date),
            "start": fmt_time(e.start),
            "end": fmt_time(e.end),
            "location": e.location,
            "description": e.description,
        }
        return cls(event_id=e.id, texts=texts)

    def title(self, ctx: Ctx) -> str:
        return "Edit event" if self.event_id is not None else "New event"

    def build(self, ctx: Ctx) -> View:
        bar = ui.form_bar(
            self.title(ctx),
            ctx.cb(ctx.pop),
            ctx.cb(self.save, ctx),
            accent=ACCENT,
            save_rid="action_done",
        )
        rows: list[View] = []
        if self.error:
            rows.append(ui.form_error(self.error))
        for key, label in FIELDS:
            multiline = key == "description"
            field = w.edit_text(
                self,
                key,
                HINTS.get(key, label),
                accent=ACCENT,
                rid=key,
                multiline=multiline,
                h=WRAP if multiline else 150,
            )
            if multiline:
                field.max_lines = 4
            rows.append(ui.labeled(label, field, accent=ACCENT))
        return w.column(
            bar, w.scroll_list(self, "form", rows, rid="scroll_view"), cls=FRAME, bg=w.SURFACE
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.focus_next([k for k, _ in FIELDS], field)

    def save(self, ctx: Ctx) -> None:
        day = parse_date(self.text("date"), ctx.today)
        start = parse_time(self.text("start"))
        end = parse_time(self.text("end"))
        if day is None:
            self.error = "Enter a date like Oct 16, 2025"
        elif start is None or end is None:
            self.error = "Enter times like 2:30 PM"
        elif end < start:
            self.error = "The event ends before it starts"
        else:
            self.error = ""
        if self.error:
            self.clear_focus()
            return
        assert day is not None and start is not None and end is not None
        values = {
            "title": self.text("title").strip(),
            "date": day,
            "start": start,
            "end": end,
            "location": self.text("location").strip(),
            "description": self.text("description").strip(),
        }
        existing = ctx.state.event(self.event_id) if self.event_id is not None else None
        if existing is not None:
            for k, v in values.items():
                setattr(existing, k, v)
            ctx.pop()
            return
        events = ctx.state.events
        events.append(Event(id=next_id(events), **values))
        ctx.pop()
        top = ctx.phone.nav.top()
        if isinstance(top, CalendarDay):
            top.day = day


APP = App(
    package=PKG,
    label="Calendar",
    icon="calendar",
    color=(3, 155, 229),
    main=CalendarDay,
    launcher_activity=".AllInOneActivity",
    activities={".event.EditEventActivity": lambda: EventEditor(focus="title", ime=True)},
)
