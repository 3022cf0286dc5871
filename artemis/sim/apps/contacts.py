"""Contacts (com.android.contacts): list with search, details, create, edit and delete.

The list filters as you type in "Search contacts". A contact's page has Edit, a star, and a
"More options" menu with Delete (confirmed in a dialog). The editor saves with "Save"; leaving it
with BACK after changes asks whether to discard them. "Text" on a contact's page opens a
conversation with them in Messages.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.state import Contact, digits, next_id
from artemis.sim.views import FRAME, WRAP, View

PKG = "com.android.contacts"
ACCENT = (11, 87, 208)
AVATAR_COLORS = (
    (66, 133, 244),
    (219, 68, 55),
    (15, 157, 88),
    (171, 71, 188),
    (255, 112, 67),
    (0, 172, 193),
    (124, 179, 66),
    (92, 107, 192),
)


def avatar(c: Contact, size: int = 120) -> View:
    color = AVATAR_COLORS[c.id % len(AVATAR_COLORS)]
    return View(
        cls="android.widget.ImageView",
        kind="avatar",
        icon=c.name[:1] or "?",
        icon_fg=color,
        w=size,
        h=size,
    )


def sorted_contacts(contacts: list[Contact]) -> list[Contact]:
    return sorted(contacts, key=lambda c: (c.name.casefold(), c.id))


def matches(c: Contact, query: str) -> bool:
    """Search by name or email, or by number when the query looks like one."""
    q = query.strip().casefold()
    if not q:
        return True
    if q in c.name.casefold() or q in c.email.casefold():
        return True
    qd = digits(q)
    return bool(qd) and re.fullmatch(r"[\d\s()+\-.]+", q) is not None and qd in digits(c.phone)


class ContactsScreen(Screen):
    package = PKG


class ContactsList(ContactsScreen):
    activity = ".activities.PeopleActivity"

    def title(self, ctx: Ctx) -> str:
        return "Contacts"

    def build(self, ctx: Ctx) -> View:
        query = self.text("q")
        people = [c for c in sorted_contacts(ctx.state.contacts) if matches(c, query)]
        search = w.edit_text(
            self, "q", "Search contacts", rid="search_view", h=140, underline=True, accent=ACCENT
        )
        search.radius = 70
        rows: list[View] = []
        if not query:
            rows.append(
                w.text(
                    f"{len(people)} contacts",
                    size=36,
                    fg=w.TEXT_2,
                    h=90,
                    pad=(48, 0, 0, 0),
                    rid="account_filter_header",
                )
            )
        for c in people:
            rows.append(
                ui.list_row(
                    c.name,
                    leading=avatar(c),
                    rid="cliv_name_textview",
                    on_click=ctx.cb(ctx.push, ContactDetails(contact_id=c.id)),
                    h=170,
                )
            )
        if not people:
            rows.append(ui.empty_state("No contacts" if not query else "No results"))
        body = w.column(
            w.column(search, pad=(36, 30, 36, 30), h=WRAP),
            w.scroll_list(self, "list", rows, rid="list", pad=(0, 0, 0, 240)),
            cls=FRAME,
        )
        fab = ui.fab(
            "add",
            "Create new contact",
            ctx.cb(ctx.push, ContactEditor()),
            accent=ACCENT,
            rid="floating_action_button",
        )
        return w.stack(body, fab, bg=w.SURFACE)


class ContactDetails(ContactsScreen):
    activity = ".quickcontact.QuickContactActivity"
    contact_id: int

    def title(self, ctx: Ctx) -> str:
        c = ctx.state.contact(self.contact_id)
        return c.name if c else "Contacts"

    def build(self, ctx: Ctx) -> View:
        c = ctx.state.contact(self.contact_id)
        if c is None:
            return ui.gone_page("Contact deleted", ctx.cb(ctx.pop))

        def star() -> None:
            c.starred = not c.starred

        actions = [
            w.icon_button(
                "star" if c.starred else "star_outline",
                "Remove from favorites" if c.starred else "Add to favorites",
                star,
                rid="menu_star",
            ),
            w.icon_button(
                "edit", "Edit contact", ctx.cb(ctx.push, ContactEditor.of(c)), rid="menu_edit"
            ),
            w.icon_button("more", "More options", ctx.cb(ctx.push, ContactMenu(contact_id=c.id))),
        ]
        header = w.column(
            w.row(w.spacer(), avatar(c, 300), w.spacer(), h=300),
            w.text(
                c.name,
                size=64,
                talign="center",
                h=WRAP,
                pad=(48, 40, 48, 40),
                rid="large_title",
                max_lines=2,
            ),
            h=WRAP,
        )
        rows: list[View] = [header, w.divider()]
        if c.phone:
            text_btn = w.icon_button(
                "message",
                f"Text {c.phone}",
                ctx.cb(self._text, ctx, c.phone),
                fg=ACCENT,
                rid="third_icon",
            )
            call_btn = w.icon_button("call", f"Call {c.phone}", None, fg=ACCENT, enabled=False)
            rows.append(
                ui.list_row(
                    c.phone,
                    "Mobile",
                    icon="call",
                    icon_fg=ACCENT,
                    trailing=w.row(call_btn, text_btn, w=252, h=126),
                )
            )
        if c.email:
            rows.append(ui.list_row(c.email, "Email", icon="message", icon_fg=ACCENT))
        if not c.phone and not c.email:
            rows.append(ui.empty_state("No contact info"))
        return w.column(
            ui.app_bar("", back=ctx.cb(ctx.pop), actions=actions),
            w.scroll_list(self, "details", rows, rid="quickcontact_scroll"),
            cls=FRAME,
            bg=w.SURFACE,
        )

    def _text(self, ctx: Ctx, number: str) -> None:
        from artemis.sim.apps.messages import open_conversation

        open_conversation(ctx.phone, number)


class ContactMenu(ContactsScreen):
    activity = ".quickcontact.QuickContactActivity"
    is_dialog: ClassVar[bool] = True
    is_popup: ClassVar[bool] = True
    contact_id: int

    def build(self, ctx: Ctx) -> View:
        def delete() -> None:
            ctx.replace(DeleteContact(contact_id=self.contact_id))

        return ui.popup_menu([("Delete", delete)])


class DeleteContact(ContactsScreen):
    activity = ".quickcontact.QuickContactActivity"
    is_dialog: ClassVar[bool] = True
    contact_id: int

    def build(self, ctx: Ctx) -> View:
        def delete() -> None:
            ctx.state.contacts[:] = [c for c in ctx.state.contacts if c.id != self.contact_id]
            ctx.close_deleted(ContactDetails)

        return ui.dialog(
            "Delete this contact?",
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("Delete", delete)],
            accent=ACCENT,
        )


FIELDS = (("first", "First name"), ("last", "Last name"), ("phone", "Phone"), ("email", "Email"))


class ContactEditor(ContactsScreen):
    activity = ".activities.ContactEditorActivity"
    contact_id: int | None = None
    original: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def of(cls, c: Contact) -> ContactEditor:
        values = {"first": c.first_name, "last": c.last_name, "phone": c.phone, "email": c.email}
        return cls(contact_id=c.id, texts=dict(values), original=dict(values))

    def title(self, ctx: Ctx) -> str:
        return "Edit contact" if self.contact_id is not None else "Create contact"

    def changed(self) -> bool:
        return any(self.text(k).strip() != self.original.get(k, "") for k, _ in FIELDS)

    def build(self, ctx: Ctx) -> View:
        bar = ui.form_bar(
            self.title(ctx),
            ctx.cb(self.cancel, ctx),
            ctx.cb(self.save, ctx),
            accent=ACCENT,
            save_rid="editor_menu_save_button",
        )
        icons = {"first": "person", "last": "", "phone": "call", "email": "message"}
        rows: list[View] = []
        for key, hint in FIELDS:
            field = w.edit_text(self, key, hint, accent=ACCENT, rid=f"editor_{key}")
            icon = w.icon_view(icons[key], size=60) if icons[key] else w.spacer(w=60)
            rows.append(
                w.row(icon, w.spacer(w=40), field, h=190, pad=(48, 20, 48, 20), align="center")
            )
        return w.column(
            bar, w.scroll_list(self, "form", rows, rid="editors"), cls=FRAME, bg=w.SURFACE
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.focus_next([k for k, _ in FIELDS], field)

    def save(self, ctx: Ctx) -> None:
        vals = {k: self.text(k).strip() for k, _ in FIELDS}
        if not any(vals.values()):
            ctx.pop()
            return
        first, last = vals["first"], vals["last"]
        if not first and not last:
            first = vals["phone"] or vals["email"]
        contacts = ctx.state.contacts
        existing = ctx.state.contact(self.contact_id) if self.contact_id is not None else None
        if existing is not None:
            existing.first_name, existing.last_name = first, last
            existing.phone, existing.email = vals["phone"], vals["email"]
            ctx.pop()
            return
        c = Contact(
            id=next_id(contacts),
            first_name=first,
            last_name=last,
            phone=vals["phone"],
            email=vals["email"],
        )
        contacts.append(c)
        ctx.replace(ContactDetails(contact_id=c.id))

    def cancel(self, ctx: Ctx) -> None:
        if self.changed():
            self.clear_focus()
            ctx.push(DiscardChanges())
        else:
            ctx.pop()

    def on_back(self, ctx: Ctx) -> bool:
        self.cancel(ctx)
        return True


class DiscardChanges(ContactsScreen):
    activity = ".activities.ContactEditorActivity"
    is_dialog: ClassVar[bool] = True

    def build(self, ctx: Ctx) -> View:
        def discard() -> None:
            ctx.pop(2)

        return ui.dialog(
            "Discard changes?",
            buttons=[("Keep editing", ctx.cb(ctx.pop)), ("Discard", discard)],
            accent=ACCENT,
        )


APP = App(
    package=PKG,
    label="Contacts",
    icon="person",
    color=(26, 115, 232),
    main=ContactsList,
    launcher_activity=".activities.PeopleActivity",
    activities={".activities.ContactEditorActivity": ContactEditor},
)
