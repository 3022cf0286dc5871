"""Messages (com.android.messaging): SMS threads; read, compose, send, delete.

The list shows one row per conversation (bold while unread); opening it marks it read. "Start
chat" picks a contact or takes a typed number. In a conversation, the send button is enabled
once there is text; ENTER in the message field starts a new line, as on the AOSP app.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from artemis.sim import components as ui
from artemis.sim import fonts
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.apps.contacts import avatar, matches, sorted_contacts
from artemis.sim.apps.formats import fmt_time
from artemis.sim.state import Contact, Sms, digits, next_id
from artemis.sim.views import FRAME, STICK_TO_END, TEXT, WRAP, View

if TYPE_CHECKING:
    from artemis.sim.phone import Phone

PKG = "com.android.messaging"
ACCENT = (26, 115, 232)
BUBBLE_MAX = 760


def short_when(t: dt.datetime, now: dt.datetime) -> str:
    if t.date() == now.date():
        return fmt_time(t)
    if (now.date() - t.date()).days < 7:
        return t.strftime("%a")
    return f"{t:%b} {t.day}"


def open_conversation(phone: Phone, number: str) -> None:
    """Show the conversation with `number`, from any app (Contacts' "Text" button)."""
    nav = phone.nav
    screen = Conversation(address=number)
    if nav.task(PKG) is None:
        nav.start(PKG, ConversationList())
        nav.push(screen)
    else:
        nav.start(PKG, screen)
    _mark_read(phone, number)


def _mark_read(phone: Phone, number: str) -> None:
    for m in phone.state.thread(number):
        m.read = True


class MessagesScreen(Screen):
    package = PKG


class ConversationList(MessagesScreen):
    activity = ".ui.conversationlist.ConversationListActivity"

    def title(self, ctx: Ctx) -> str:
        return "Messages"

    def build(self, ctx: Ctx) -> View:
        rows: list[View] = []
        for thread in ctx.state.threads():
            last = thread[-1]
            unread = any(not m.read for m in thread)
            name = ctx.state.display_name(last.address)
            contact = ctx.state.contact_for_number(last.address)
            lead = avatar(contact) if contact else w.icon_view("person", size=120)
            snippet = ("You: " if last.outgoing else "") + last.body.replace("\n", " ")
            row = ui.list_row(
                name,
                snippet,
                leading=lead,
                bold=unread,
                h=210,
                rid="conversation_name",
                on_click=ctx.cb(self._open, ctx, last.address),
                on_long_click=ctx.cb(ctx.push, DeleteThread(address=last.address)),
                trailing=w.text(
                    short_when(last.timestamp, ctx.now),
                    size=34,
                    fg=w.TEXT_2,
                    w=WRAP,
                    rid="conversation_timestamp",
                ),
            )
            rows.append(row)
        if not rows:
            rows.append(ui.empty_state("Once you start a new conversation, you'll see it here"))
        body = w.column(
            ui.app_bar("Messages", rid="action_bar"),
            w.scroll_list(self, "list", rows, rid="conversation_list", pad=(0, 0, 0, 240)),
            cls=FRAME,
        )
        fab = ui.fab(
            "message",
            "Start chat",
            ctx.cb(ctx.push, NewConversation(focus="to", ime=True)),
            accent=ACCENT,
            label="Start chat",
            rid="start_new_conversation_button",
        )
        return w.stack(body, fab, bg=w.SURFACE)

    def _open(self, ctx: Ctx, address: str) -> None:
        _mark_read(ctx.phone, address)
        ctx.push(Conversation(address=address))


class DeleteThread(MessagesScreen):
    activity = ".ui.conversationlist.ConversationListActivity"
    is_dialog: ClassVar[bool] = True
    address: str

    def build(self, ctx: Ctx) -> View:
        def delete() -> None:
            gone = {m.id for m in ctx.state.thread(self.address)}
            ctx.state.messages[:] = [m for m in ctx.state.messages if m.id not in gone]
            ctx.close_deleted(Conversation)

        return ui.dialog(
            "Delete this conversation?",
            message="This conversation will be permanently deleted.",
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("Delete", delete)],
            accent=ACCENT,
        )


class NewConversation(MessagesScreen):
    activity = ".ui.conversation.ConversationActivity"

    def title(self, ctx: Ctx) -> str:
        return "New conversation"

    def build(self, ctx: Ctx) -> View:
        query = self.text("to")
        people = [c for c in sorted_contacts(ctx.state.contacts) if c.phone and matches(c, query)]
        to = w.edit_text(
            self,
            "to",
            "Type a name, phone number, or email",
            rid="recipient_text_view",
            accent=ACCENT,
            underline=True,
            h=140,
        )
        bar = w.row(
            w.icon_button("back", "Navigate up", ctx.cb(ctx.pop)),
            w.text("New conversation", size=54, h=126, pad=(24, 0, 0, 0)),
            h=w.APPBAR_H,
            pad=(16, 21, 16, 21),
            align="center",
        )
        rows: list[View] = []
        typed = digits(query)
        if typed and len(typed) >= 3 and not people:
            rows.append(
                ui.list_row(
                    f"Send to {query.strip()}",
                    icon="message",
                    icon_fg=ACCENT,
                    on_click=ctx.cb(self._go, ctx, query.strip()),
                )
            )
        for c in people:
            rows.append(self._row(ctx, c))
        return w.column(
            bar,
            w.column(to, pad=(36, 0, 36, 30), h=WRAP),
            w.scroll_list(self, "people", rows, rid="contact_list"),
            cls=FRAME,
            bg=w.SURFACE,
        )

    def _row(self, ctx: Ctx, c: Contact) -> View:
        return ui.list_row(
            c.name, c.phone, leading=avatar(c, 110), h=190, on_click=ctx.cb(self._go, ctx, c.phone)
        )

    def _go(self, ctx: Ctx, number: str) -> None:
        _mark_read(ctx.phone, number)
        ctx.replace(Conversation(address=number, focus="compose", ime=True))

    def on_enter(self, ctx: Ctx, field: str) -> None:
        query = self.text("to").strip()
        people = [c for c in ctx.state.contacts if c.phone and matches(c, query)]
        if len(people) == 1:
            self._go(ctx, people[0].phone)
        elif len(digits(query)) >= 3 and not people:
            self._go(ctx, query)


def bubble(msg: Sms, now: dt.datetime) -> View:
    size = 42
    pad = (40, 28, 40, 28)
    lines = fonts.wrap(msg.body, size, BUBBLE_MAX - pad[0] - pad[2])
    width = min(
        BUBBLE_MAX, int(max(fonts.text_width(x, size) for x in lines)) + pad[0] + pad[2] + 4
    )
    out = msg.outgoing
    b = View(
        cls=TEXT,
        text=msg.body,
        size=size,
        max_lines=0,
        w=width,
        h=WRAP,
        pad=pad,
        radius=48,
        bg=(211, 227, 253) if out else (241, 243, 244),
        rid="message_text",
        valign="top",
    )
    stamp = w.text(
        short_when(msg.timestamp, now), size=30, fg=w.TEXT_2, w=WRAP, rid="message_status"
    )
    line = (
        w.row(w.spacer(), b, h=WRAP, pad=(36, 0, 36, 0))
        if out
        else w.row(b, w.spacer(), h=WRAP, pad=(36, 0, 36, 0))
    )
    when = (
        w.row(w.spacer(), stamp, h=60, pad=(60, 0, 60, 0))
        if out
        else w.row(stamp, w.spacer(), h=60, pad=(60, 0, 60, 0))
    )
    return w.column(line, when, h=WRAP, rid="message_content", cls="android.widget.FrameLayout")


def _at_newest() -> dict[str, int]:
    return {"messages": STICK_TO_END}  # the layout clamps it to the end of the list


class Conversation(MessagesScreen):
    activity = ".ui.conversation.ConversationActivity"
    address: str
    scroll: dict[str, int] = Field(default_factory=_at_newest)

    def title(self, ctx: Ctx) -> str:
        return ctx.state.display_name(self.address)

    def build(self, ctx: Ctx) -> View:
        name = ctx.state.display_name(self.address)
        more = w.icon_button(
            "delete", "Delete", ctx.cb(ctx.push, DeleteThread(address=self.address))
        )
        bar = ui.app_bar(
            name, back=ctx.cb(ctx.pop), actions=[more], size=54, rid="conversation_title"
        )
        msgs = ctx.state.thread(self.address)
        rows: list[View] = [bubble(m, ctx.now) for m in msgs]
        if not rows:
            rows.append(ui.empty_state(f"Send a message to {name}"))
        text = self.text("compose")
        compose = w.edit_text(
            self,
            "compose",
            "Text message",
            rid="compose_message_text",
            multiline=True,
            h=WRAP,
            accent=ACCENT,
            underline=True,
        )
        compose.radius = 60
        compose.max_lines = 4
        send = w.icon_button(
            "send",
            "Send message",
            ctx.cb(self.send, ctx),
            fg=ACCENT,
            rid="send_message_button",
            enabled=bool(text.strip()),
        )
        bottom = w.row(compose, w.spacer(w=16), send, h=WRAP, pad=(24, 16, 16, 24), align="end")
        return w.column(
            bar,
            w.scroll_list(self, "messages", rows, rid="message_list", gap=8),
            bottom,
            cls=FRAME,
            bg=w.SURFACE,
        )

    def send(self, ctx: Ctx) -> None:
        body = self.text("compose").strip()
        if not body:
            return
        msgs = ctx.state.messages
        msgs.append(
            Sms(
                id=next_id(msgs),
                address=self.address,
                body=body,
                outgoing=True,
                timestamp=ctx.now,
                read=True,
            )
        )
        self.texts["compose"] = ""
        self.cursor = 0
        self.scroll["messages"] = STICK_TO_END


APP = App(
    package=PKG,
    label="Messages",
    icon="message",
    color=(26, 115, 232),
    main=ConversationList,
    launcher_activity=".ui.conversationlist.ConversationListActivity",
)
