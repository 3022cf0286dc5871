"""Clock (com.android.deskclock): alarms, a world-clock face, a timer and a stopwatch.

Alarms: "Add alarm" opens a time picker in text-input mode (hour and minute fields, AM/PM);
each alarm card has its time (tap to change), an on/off switch, a label, the days it repeats
and a Delete button. Timer: type digits on the keypad (they fill from the right, as on the
AOSP clock: 5, 0, 0 makes 5 minutes), then Start; the countdown follows the phone's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.state import Alarm, next_id
from artemis.sim.views import BUTTON, FRAME, TEXT, WRAP, View

PKG = "com.android.deskclock"
ACCENT = (26, 115, 232)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TABS = (("Alarm", "alarm"), ("Clock", "clock"), ("Timer", "timer"), ("Stopwatch", "stopwatch"))


def repeat_text(days: list[int]) -> str:
    if not days:
        return "Not scheduled"
    if sorted(days) == list(range(7)):
        return "Every day"
    if sorted(days) == [0, 1, 2, 3, 4]:
        return "Weekdays"
    if sorted(days) == [5, 6]:
        return "Weekends"
    return ", ".join(DAY_NAMES[d][:3] for d in sorted(days))


def hms(seconds: int) -> str:
    h, rest = divmod(max(0, seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def digits_to_seconds(d: str) -> int:
    d = d.rjust(6, "0")[-6:]
    return int(d[:2]) * 3600 + int(d[2:4]) * 60 + int(d[4:])


class ClockScreen(Screen):
    package = PKG


class DeskClock(ClockScreen):
    activity = ".DeskClock"
    tab: int = 0

    def title(self, ctx: Ctx) -> str:
        return TABS[self.tab][0]

    def build(self, ctx: Ctx) -> View:
        body = (self._alarms, self._clock, self._timer, self._stopwatch)[self.tab](ctx)

        def select(i: int) -> None:
            self.tab = i
            self.clear_focus()

        return w.column(
            ui.app_bar(TABS[self.tab][0], rid="action_bar"),
            body,
            ui.tabs(TABS, self.tab, select, accent=ACCENT, rid="tabs"),
            cls=FRAME,
            bg=w.SURFACE,
        )

    # --- alarms ------------------------------------------------------------------------------
    def _alarms(self, ctx: Ctx) -> View:
        alarms = sorted(ctx.state.alarms, key=lambda a: (a.hour, a.minute, a.id))
        cards = [self._card(ctx, a) for a in alarms]
        if not cards:
            cards.append(ui.empty_state("No alarms"))
        lst = w.scroll_list(
            self, "alarms", cards, rid="alarm_recycler_view", gap=30, pad=(36, 10, 36, 240)
        )
        fab = ui.fab("add", "Add alarm", ctx.cb(ctx.push, TimePicker.new(ctx.now)), accent=ACCENT)
        return w.stack(lst, fab)

    def _card(self, ctx: Ctx, a: Alarm) -> View:
        def toggle() -> None:
            a.enabled = not a.enabled

        def flip_day(d: int) -> Callable[[], None]:
            def go() -> None:
                a.days = sorted(set(a.days) ^ {d})

            return go

        time = View(
            cls=TEXT,
            text=a.time_text,
            size=84,
            h=150,
            w=WRAP,
            rid="digital_clock",
            fg=w.TEXT_1 if a.enabled else w.TEXT_2,
            clickable=True,
            focusable=True,
            on_click=ctx.cb(ctx.push, TimePicker.edit(a)),
        )
        top = w.row(
            time,
            w.spacer(),
            w.switch(
                a.enabled, on_click=toggle, rid="onoff", accent=ACCENT, desc=f"{a.time_text} alarm"
            ),
            h=150,
            align="center",
        )
        label = View(
            cls=TEXT,
            text=a.label or "Add label",
            size=40,
            h=110,
            rid="edit_label",
            fg=w.TEXT_1 if a.label else w.TEXT_2,
            clickable=True,
            focusable=True,
            on_click=ctx.cb(
                ctx.push,
                LabelDialog(
                    alarm_id=a.id,
                    texts={"label": a.label},
                    focus="label",
                    ime=True,
                    cursor=len(a.label),
                ),
            ),
        )
        days = w.row(h=110, gap=12, rid="repeat_days")
        for d in (6, 0, 1, 2, 3, 4, 5):  # a US week starts on Sunday
            on = d in a.days
            days.add(
                View(
                    cls="android.widget.ToggleButton",
                    text=DAY_NAMES[d][0],
                    desc=DAY_NAMES[d],
                    checkable=True,
                    checked=on,
                    clickable=True,
                    focusable=True,
                    w=110,
                    h=110,
                    radius=55,
                    talign="center",
                    size=38,
                    on_click=flip_day(d),
                    bg=ACCENT if on else None,
                    fg=w.WHITE if on else w.TEXT_1,
                    border=None if on else (154, 160, 166),
                    rid=f"day_button_{(d + 1) % 7}",
                )
            )
        summary = w.text(repeat_text(a.days), size=36, fg=w.TEXT_2, h=80, rid="upcoming_instance")
        delete = w.button(
            "Delete", ctx.cb(self._delete, ctx, a.id), style="text", accent=ACCENT, rid="delete"
        )
        bottom = w.row(summary, delete, h=WRAP, align="center")
        return w.column(
            top,
            label,
            days,
            bottom,
            h=WRAP,
            bg=(240, 244, 250),
            radius=48,
            pad=(48, 24, 24, 24),
            cls=FRAME,
            rid="alarm_card",
        )

    def _delete(self, ctx: Ctx, alarm_id: int) -> None:
        ctx.state.alarms[:] = [a for a in ctx.state.alarms if a.id != alarm_id]

    # --- clock -------------------------------------------------------------------------------
    def _clock(self, ctx: Ctx) -> View:
        now = ctx.now
        return w.column(
            w.spacer(h=200),
            w.text(
                f"{now.hour % 12 or 12}:{now.minute:02d}",
                size=220,
                talign="center",
                h=300,
                rid="digital_clock",
            ),
            w.text(
                f"{now:%a, %b} {now.day}", size=48, fg=w.TEXT_2, talign="center", h=120, rid="date"
            ),
            w.spacer(),
        )

    # --- timer -------------------------------------------------------------------------------
    def _timer(self, ctx: Ctx) -> View:
        t = ctx.state.timer
        if t.duration_s and (t.running or t.remaining_s):
            return self._timer_running(ctx)
        typed = self.text("timer")
        d = typed.rjust(6, "0")[-6:]
        shown = f"{d[:2]}h {d[2:4]}m {d[4:]}s"
        display = w.text(
            shown,
            size=120,
            talign="center",
            h=260,
            rid="timer_setup_time",
            fg=w.TEXT_1 if typed else w.TEXT_2,
        )
        pad = w.column(h=WRAP, gap=20, pad=(120, 0, 120, 0), rid="timer_setup_digits")
        keys = ("123", "456", "789", "0")
        for r in keys:
            line = w.row(h=170, gap=40)
            if r == "0":
                line.add(w.spacer())
            for ch in r:
                line.add(
                    View(
                        cls=BUTTON,
                        text=ch,
                        size=72,
                        talign="center",
                        radius=85,
                        bg=(232, 240, 254),
                        clickable=True,
                        focusable=True,
                        on_click=ctx.cb(self._digit, ch),
                        rid=f"timer_setup_digit_{ch}",
                    )
                )
            if r == "0":
                line.add(
                    w.icon_button(
                        "backspace", "Delete", ctx.cb(self._digit, ""), enabled=bool(typed)
                    )
                )
            pad.add(line)
        start = ui.fab("play", "Start", ctx.cb(self._start, ctx), accent=ACCENT)
        start.enabled = digits_to_seconds(typed or "0") > 0
        start.gravity = "bottom-hcenter"
        return w.stack(w.column(display, pad, w.spacer()), start)

    def _digit(self, ch: str) -> None:
        typed = self.text("timer")
        if not ch:
            typed = typed[:-1]
        elif len(typed) < 6 and (typed or ch != "0"):
            typed += ch
        self.texts["timer"] = typed

    def _start(self, ctx: Ctx) -> None:
        secs = digits_to_seconds(self.text("timer") or "0")
        if secs <= 0:
            return
        t = ctx.state.timer
        t.duration_s = secs
        t.remaining_s = secs
        t.running = True
        t.ends_at = (ctx.now + dt.timedelta(seconds=secs)).isoformat()
        self.texts["timer"] = ""

    def _timer_running(self, ctx: Ctx) -> View:
        t = ctx.state.timer
        left = t.remaining(ctx.now)
        done = t.running and left == 0

        def pause() -> None:
            t.remaining_s = t.remaining(ctx.now)
            t.running = False
            t.ends_at = None

        def resume() -> None:
            t.running = True
            t.ends_at = (ctx.now + dt.timedelta(seconds=t.remaining_s)).isoformat()

        def add_minute() -> None:
            if t.running and t.ends_at:
                t.ends_at = (
                    dt.datetime.fromisoformat(t.ends_at) + dt.timedelta(minutes=1)
                ).isoformat()
            else:
                t.remaining_s += 60
            t.duration_s += 60

        def delete() -> None:
            t.duration_s = t.remaining_s = 0
            t.running = False
            t.ends_at = None

        shown = "Time's up" if done else hms(left)
        buttons = w.row(w.spacer(), h=WRAP, gap=30)
        if done:
            buttons.add(w.button("Stop", delete, accent=ACCENT, rid="stop"))
        else:
            buttons.add(w.button("+1:00", add_minute, style="tonal", accent=ACCENT, rid="plus_one"))
            if t.running:
                buttons.add(w.button("Pause", pause, accent=ACCENT, rid="pause"))
            else:
                buttons.add(w.button("Resume", resume, accent=ACCENT, rid="resume"))
            buttons.add(w.button("Delete", delete, style="outlined", accent=ACCENT, rid="delete"))
        buttons.add(w.spacer())
        return w.column(
            w.spacer(h=200),
            w.text(shown, size=170, talign="center", h=260, rid="timer_time_text"),
            w.text(
                f"Timer {hms(t.duration_s)}",
                size=44,
                fg=w.TEXT_2,
                talign="center",
                h=100,
                rid="timer_label",
            ),
            w.spacer(h=100),
            buttons,
            w.spacer(),
        )

    # --- stopwatch ---------------------------------------------------------------------------
    def _stopwatch(self, ctx: Ctx) -> View:
        sw = ctx.state.stopwatch
        ms = sw.elapsed(ctx.now)
        m, s = divmod(ms // 1000, 60)
        shown = f"{m:02d}:{s:02d}.{(ms % 1000) // 10:02d}"

        def start() -> None:
            sw.running = True
            sw.started_at = ctx.now.isoformat()

        def pause() -> None:
            sw.elapsed_ms = sw.elapsed(ctx.now)
            sw.running = False
            sw.started_at = None

        def reset() -> None:
            sw.elapsed_ms = 0
            sw.running = False
            sw.started_at = None

        buttons = w.row(w.spacer(), h=WRAP, gap=30)
        if sw.running:
            buttons.add(w.button("Pause", pause, accent=ACCENT, rid="pause"))
        else:
            buttons.add(w.button("Start", start, accent=ACCENT, rid="start"))
            if ms:
                buttons.add(w.button("Reset", reset, style="outlined", accent=ACCENT, rid="reset"))
        buttons.add(w.spacer())
        return w.column(
            w.spacer(h=300),
            w.text(shown, size=150, talign="center", h=240, rid="stopwatch_time_text"),
            w.spacer(h=100),
            buttons,
            w.spacer(),
        )


class TimePicker(ClockScreen):
    """The time picker in keyboard-input mode: hour and minute fields, AM and PM buttons."""

    activity = ".DeskClock"
    is_dialog: ClassVar[bool] = True
    alarm_id: int | None = None
    pm: bool = False
    error: str = ""

    @classmethod
    def new(cls, now: dt.datetime) -> TimePicker:
        return cls._at(now.hour, now.minute, None)

    @classmethod
    def edit(cls, a: Alarm) -> TimePicker:
        return cls._at(a.hour, a.minute, a.id)

    @classmethod
    def _at(cls, hour: int, minute: int, alarm_id: int | None) -> TimePicker:
        texts = {"hour": str(hour % 12 or 12), "minute": f"{minute:02d}"}
        return cls(
            alarm_id=alarm_id,
            pm=hour >= 12,
            texts=texts,
            focus="hour",
            ime=True,
            cursor=len(texts["hour"]),
            sel_all=True,
        )

    def build(self, ctx: Ctx) -> View:
        hour = w.edit_text(
            self,
            "hour",
            "Hour",
            w=240,
            h=190,
            size=84,
            accent=ACCENT,
            rid="material_hour_text_input",
            select_on_focus=True,
        )
        minute = w.edit_text(
            self,
            "minute",
            "Minute",
            w=240,
            h=190,
            size=84,
            accent=ACCENT,
            rid="material_minute_text_input",
            select_on_focus=True,
        )

        def ampm(pm: bool) -> Callable[[], None]:
            def go() -> None:
                self.pm = pm

            return go

        toggles = w.column(
            w.chip(
                "AM", not self.pm, ampm(False), accent=ACCENT, rid="material_clock_period_am_button"
            ),
            w.chip("PM", self.pm, ampm(True), accent=ACCENT, rid="material_clock_period_pm_button"),
            w=170,
            h=WRAP,
            gap=12,
        )
        fields = w.row(
            hour,
            w.text(":", size=84, w=60, talign="center", h=190),
            minute,
            w.spacer(w=36),
            toggles,
            h=WRAP,
            align="center",
        )
        body: list[View] = [fields]
        if self.error:
            body.append(w.text(self.error, fg=w.RED, size=36, h=80, rid="error"))
        return ui.dialog(
            "Enter time",
            body=body,
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("OK", ctx.cb(self.ok, ctx))],
            accent=ACCENT,
            title_rid="header_title",
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        if field == "hour":
            self.set_focus("minute")
            self.sel_all = bool(self.text("minute"))
        else:
            self.ok(ctx)

    def ok(self, ctx: Ctx) -> None:
        try:
            h12, minute = int(self.text("hour").strip()), int(self.text("minute").strip())
        except ValueError:
            h12, minute = -1, -1
        if not (1 <= h12 <= 12 and 0 <= minute <= 59):
            self.error = "Enter a valid time"
            return
        hour = h12 % 12 + (12 if self.pm else 0)
        alarms = ctx.state.alarms
        existing = ctx.state.alarm(self.alarm_id) if self.alarm_id is not None else None
        if existing is not None:
            existing.hour, existing.minute = hour, minute
        else:
            alarms.append(Alarm(id=next_id(alarms), hour=hour, minute=minute, enabled=True))
        ctx.pop()


class LabelDialog(ClockScreen):
    activity = ".DeskClock"
    is_dialog: ClassVar[bool] = True
    alarm_id: int

    def build(self, ctx: Ctx) -> View:
        field = w.edit_text(self, "label", "Label", accent=ACCENT, rid="label_input_field")
        return ui.dialog(
            "Add label",
            body=[field],
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("OK", ctx.cb(self.ok, ctx))],
            accent=ACCENT,
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.ok(ctx)

    def ok(self, ctx: Ctx) -> None:
        a = ctx.state.alarm(self.alarm_id)
        if a is not None:
            a.label = self.text("label").strip()
        ctx.pop()


APP = App(
    package=PKG,
    label="Clock",
    icon="alarm",
    color=(66, 133, 244),
    main=DeskClock,
    launcher_activity=".DeskClock",
)
