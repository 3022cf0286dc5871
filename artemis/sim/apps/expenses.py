"""Pro Expense (com.arduia.expense): add, list, edit and delete expenses.

The home screen shows this month's total and the latest entries; "See all" lists every
expense, newest first. An expense's page offers Edit and Delete (confirmed). The form needs a
name and a positive amount; its category is a row of chips and its date is typed.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.apps.formats import fmt_date, fmt_long_date, fmt_money, parse_amount, parse_date
from artemis.sim.state import EXPENSE_CATEGORIES, Expense, next_id
from artemis.sim.views import FRAME, WRAP, View

PKG = "com.arduia.expense"
ACCENT = (0, 137, 123)


def newest_first(expenses: list[Expense]) -> list[Expense]:
    return sorted(expenses, key=lambda e: (e.date, e.id), reverse=True)


def expense_row(ctx: Ctx, e: Expense) -> View:
    amount = w.text(fmt_money(e.amount), size=42, w=WRAP, bold=True, rid="tv_amount")
    return ui.list_row(
        e.name,
        f"{e.category} · {fmt_date(e.date)}",
        icon="money",
        icon_fg=ACCENT,
        trailing=amount,
        rid="expense_item",
        on_click=ctx.cb(ctx.push, ExpenseDetails(expense_id=e.id)),
    )


def _add_button(ctx: Ctx) -> View:
    return ui.fab(
        "add",
        "Add expense",
        ctx.cb(ctx.push, ExpenseEditor.new(ctx.today)),
        accent=ACCENT,
        rid="fb_main_add",
    )


class ExpenseScreen(Screen):
    package = PKG


class ExpenseHome(ExpenseScreen):
    activity = ".ui.MainActivity"

    def title(self, ctx: Ctx) -> str:
        return "Pro Expense"

    def build(self, ctx: Ctx) -> View:
        today = ctx.today
        month = [
            e
            for e in ctx.state.expenses
            if (e.date.year, e.date.month) == (today.year, today.month)
        ]
        total = sum(e.amount for e in month)
        card = w.column(
            w.text(f"This month ({today:%B})", size=40, fg=w.WHITE, h=80),
            w.text(fmt_money(total), size=96, fg=w.WHITE, bold=True, h=150, rid="tv_total"),
            w.text(f"{len(month)} expenses", size=36, fg=w.WHITE, h=70),
            h=WRAP,
            bg=ACCENT,
            radius=48,
            pad=(60, 40, 60, 40),
            cls=FRAME,
            rid="card_total",
        )
        recent = [expense_row(ctx, e) for e in newest_first(ctx.state.expenses)[:5]]
        if not recent:
            recent = [ui.empty_state("No expenses yet")]
        head = w.row(
            w.text("Recent", size=46, bold=True, h=WRAP),
            w.button(
                "See all",
                ctx.cb(ctx.push, ExpenseList()),
                style="text",
                accent=ACCENT,
                rid="btn_more",
            ),
            h=WRAP,
            pad=(48, 30, 24, 10),
            align="center",
        )
        rows = [w.column(card, pad=(36, 20, 36, 20), h=WRAP), head, *recent]
        body = w.column(
            ui.app_bar("Pro Expense", rid="toolbar"),
            w.scroll_list(self, "home", rows, rid="rv_home", pad=(0, 0, 0, 240)),
            cls=FRAME,
        )
        return w.stack(body, _add_button(ctx), bg=w.SURFACE)


class ExpenseList(ExpenseScreen):
    activity = ".ui.MainActivity"

    def title(self, ctx: Ctx) -> str:
        return "Expenses"

    def build(self, ctx: Ctx) -> View:
        rows = [expense_row(ctx, e) for e in newest_first(ctx.state.expenses)]
        if not rows:
            rows = [ui.empty_state("No expenses yet")]
        body = w.column(
            ui.app_bar("Expenses", back=ctx.cb(ctx.pop), rid="toolbar"),
            w.scroll_list(self, "all", rows, rid="rv_expense", pad=(0, 0, 0, 240)),
            cls=FRAME,
        )
        return w.stack(body, _add_button(ctx), bg=w.SURFACE)


class ExpenseDetails(ExpenseScreen):
    activity = ".ui.MainActivity"
    expense_id: int

    def title(self, ctx: Ctx) -> str:
        e = ctx.state.expense(self.expense_id)
        return e.name if e else "Expense"

    def build(self, ctx: Ctx) -> View:
        e = ctx.state.expense(self.expense_id)
        if e is None:
            return ui.gone_page("Expense deleted", ctx.cb(ctx.pop))
        actions = [
            w.icon_button("edit", "Edit", ctx.cb(ctx.push, ExpenseEditor.of(e)), rid="edit"),
            w.icon_button(
                "delete", "Delete", ctx.cb(ctx.push, DeleteExpense(expense_id=e.id)), rid="delete"
            ),
        ]
        rows: list[View] = [
            w.text(
                fmt_money(e.amount),
                size=100,
                bold=True,
                h=WRAP,
                pad=(60, 40, 60, 10),
                rid="tv_amount",
            ),
            w.text(e.name, size=56, h=WRAP, pad=(60, 0, 60, 40), rid="tv_name", max_lines=2),
            ui.list_row("Category", e.category, icon="label", icon_fg=ACCENT),
            ui.list_row("Date", fmt_long_date(e.date), icon="calendar", icon_fg=ACCENT),
        ]
        if e.note:
            rows.append(ui.list_row("Note", e.note, icon="note", icon_fg=ACCENT, summary_lines=3))
        return w.column(
            ui.app_bar("Expense", back=ctx.cb(ctx.pop), actions=actions),
            w.scroll_list(self, "details", rows),
            cls=FRAME,
            bg=w.SURFACE,
        )


class DeleteExpense(ExpenseScreen):
    activity = ".ui.MainActivity"
    is_dialog: ClassVar[bool] = True
    expense_id: int

    def build(self, ctx: Ctx) -> View:
        def delete() -> None:
            ctx.state.expenses[:] = [e for e in ctx.state.expenses if e.id != self.expense_id]
            ctx.close_deleted(ExpenseDetails)

        return ui.dialog(
            "Delete this expense?",
            message="It will be removed from your records.",
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("Delete", delete)],
            accent=ACCENT,
        )


class ExpenseEditor(ExpenseScreen):
    activity = ".ui.MainActivity"
    expense_id: int | None = None
    category: str = "Food"
    error: str = ""

    @classmethod
    def new(cls, today: dt.date) -> ExpenseEditor:
        return cls(focus="name", ime=True, texts={"date": fmt_date(today)})

    @classmethod
    def of(cls, e: Expense) -> ExpenseEditor:
        texts = {
            "name": e.name,
            "amount": f"{e.amount:.2f}",
            "date": fmt_date(e.date),
            "note": e.note,
        }
        return cls(expense_id=e.id, category=e.category, texts=texts)

    def title(self, ctx: Ctx) -> str:
        return "Edit expense" if self.expense_id is not None else "Add expense"

    def build(self, ctx: Ctx) -> View:
        bar = ui.form_bar(
            self.title(ctx),
            ctx.cb(ctx.pop),
            ctx.cb(self.save, ctx),
            accent=ACCENT,
            save_rid="btn_save",
        )
        rows: list[View] = []
        if self.error:
            rows.append(ui.form_error(self.error))
        rows.append(
            ui.labeled(
                "Name",
                w.edit_text(self, "name", "What did you buy?", accent=ACCENT, rid="edt_name"),
                accent=ACCENT,
            )
        )
        rows.append(
            ui.labeled(
                "Amount",
                w.edit_text(self, "amount", "0.00", accent=ACCENT, rid="edt_amount"),
                accent=ACCENT,
            )
        )
        rows.append(w.text("Category", size=34, fg=w.TEXT_2, h=70, pad=(56, 10, 0, 0)))
        chips = w.row(h=WRAP, gap=20, pad=(48, 0, 48, 0))
        lines = [chips]
        for i, cat in enumerate(EXPENSE_CATEGORIES):
            if i and i % 4 == 0:
                chips = w.row(h=WRAP, gap=20, pad=(48, 20, 48, 0))
                lines.append(chips)
            chips.add(
                w.chip(
                    cat,
                    cat == self.category,
                    ctx.cb(self._pick, cat),
                    accent=ACCENT,
                    rid="chip_category",
                )
            )
        rows.extend(lines)
        rows.append(
            ui.labeled(
                "Date",
                w.edit_text(self, "date", "Oct 16, 2025", accent=ACCENT, rid="edt_date"),
                accent=ACCENT,
            )
        )
        note = w.edit_text(
            self, "note", "Note", accent=ACCENT, rid="edt_note", multiline=True, h=WRAP
        )
        note.max_lines = 3
        rows.append(ui.labeled("Note", note, accent=ACCENT))
        return w.column(
            bar, w.scroll_list(self, "form", rows, rid="sv_form"), cls=FRAME, bg=w.SURFACE
        )

    def _pick(self, cat: str) -> None:
        self.category = cat

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.focus_next(["name", "amount", "date", "note"], field)

    def save(self, ctx: Ctx) -> None:
        name = self.text("name").strip()
        amount = parse_amount(self.text("amount"))
        day = parse_date(self.text("date") or fmt_date(ctx.today), ctx.today)
        if not name:
            self.error = "Enter a name"
        elif amount is None:
            self.error = "Enter an amount greater than 0, like 12.50"
        elif day is None:
            self.error = "Enter a date like Oct 16, 2025"
        else:
            self.error = ""
        if self.error:
            self.clear_focus()
            return
        assert amount is not None and day is not None
        existing = ctx.state.expense(self.expense_id) if self.expense_id is not None else None
        note = self.text("note").strip()
        if existing is not None:
            existing.name, existing.amount, existing.category = name, amount, self.category
            existing.date, existing.note = day, note
        else:
            items = ctx.state.expenses
            items.append(
                Expense(
                    id=next_id(items),
                    name=name,
                    amount=amount,
                    category=self.category,
                    date=day,
                    note=note,
                )
            )
        ctx.pop()


APP = App(
    package=PKG,
    label="Pro Expense",
    icon="money",
    color=ACCENT,
    main=ExpenseHome,
    launcher_activity=".ui.MainActivity",
)
