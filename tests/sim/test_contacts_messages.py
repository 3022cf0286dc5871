"""Contacts (list, search, create, edit, delete) and Messages (read, compose, send)."""

from __future__ import annotations

import pytest

from artemis.sim.phone import Phone
from artemis.sim.state import Contact, digits
from tests.sim.helpers import has_text, node, nodes, open_app, scroll_down, tap_node


@pytest.fixture
def phone() -> Phone:
    p = Phone(seed=4)
    open_app(p, "Contacts")
    return p


def first_contact(phone: Phone) -> Contact:
    return sorted(phone.state.contacts, key=lambda c: c.name.casefold())[0]


def last_contact(phone: Phone) -> Contact:
    return sorted(phone.state.contacts, key=lambda c: c.name.casefold())[-1]


def fill(phone: Phone, hint: str, text: str) -> None:
    tap_node(phone, hint)
    phone.input_text(text)


def test_list_scrolls_to_contacts_below_the_fold(phone: Phone) -> None:
    last = last_contact(phone)
    assert has_text(phone, first_contact(phone).name)
    assert not has_text(phone, last.name)
    for _ in range(3):
        scroll_down(phone)
    assert has_text(phone, last.name)


def test_search_filters_the_list(phone: Phone) -> None:
    target = last_contact(phone)
    fill(phone, "Search contacts", target.first_name)
    names = [n.text for n in nodes(phone) if n.attrs["resource-id"].endswith("android:id/title")]
    assert target.name in names
    assert all(target.first_name.casefold() in n.casefold() for n in names)
    tap_node(phone, target.name)
    assert phone.foreground()[1] == ".quickcontact.QuickContactActivity"
    assert has_text(phone, target.phone)


def test_create_a_contact(phone: Phone) -> None:
    before = len(phone.state.contacts)
    tap_node(phone, desc="Create new contact")
    assert phone.foreground()[1] == ".activities.ContactEditorActivity"
    fill(phone, "First name", "Zelda")
    fill(phone, "Last name", "Quinn")
    fill(phone, "Phone", "(555) 010-9999")
    tap_node(phone, "Save")
    assert len(phone.state.contacts) == before + 1
    c = phone.state.contact_by_name("Zelda Quinn")
    assert c is not None and digits(c.phone) == "5550109999"
    assert has_text(phone, "Zelda Quinn")  # the new contact's page
    phone.keyevent(4)
    fill(phone, "Search contacts", "zel")
    assert has_text(phone, "Zelda Quinn")


def test_enter_moves_to_the_next_field(phone: Phone) -> None:
    tap_node(phone, desc="Create new contact")
    fill(phone, "First name", "Ann")
    phone.keyevent(66)
    phone.input_text("Lee")
    tap_node(phone, "Save")
    assert phone.state.contact_by_name("Ann Lee") is not None


def test_edit_a_contact_needs_clearing_the_field(phone: Phone) -> None:
    c = first_contact(phone)
    tap_node(phone, c.name)
    tap_node(phone, desc="Edit contact")
    field = node(phone, c.phone)
    assert field.attrs["class"] == "android.widget.EditText"
    # Long press selects the whole text; typing replaces it.
    phone.swipe(*field.center, *field.center, 700)
    phone.input_text("+1 212-555-0000")
    tap_node(phone, "Save")
    assert phone.state.contact(c.id) is not None
    assert phone.state.contact(c.id).phone == "+1 212-555-0000"  # type: ignore[union-attr]
    assert has_text(phone, "+1 212-555-0000")


def test_typing_into_a_filled_field_appends(phone: Phone) -> None:
    c = first_contact(phone)
    last = c.last_name
    tap_node(phone, c.name)
    tap_node(phone, desc="Edit contact")
    tap_node(phone, last)
    phone.input_text("-Smith")
    for _ in range(3):
        phone.keyevent(67)
    tap_node(phone, "Save")
    assert c.last_name == last + "-Sm"


def test_leaving_the_editor_with_changes_asks_first(phone: Phone) -> None:
    tap_node(phone, desc="Create new contact")
    fill(phone, "First name", "Temp")
    phone.keyevent(4)  # closes the keyboard
    phone.keyevent(4)  # asks
    assert has_text(phone, "Discard changes?")
    tap_node(phone, "Keep editing")
    assert has_text(phone, "Temp")
    tap_node(phone, desc="Cancel")
    tap_node(phone, "Discard")
    assert phone.foreground()[1] == ".activities.PeopleActivity"
    assert phone.state.contact_by_name("Temp") is None


def test_delete_a_contact_through_the_menu_and_dialog(phone: Phone) -> None:
    c = first_contact(phone)
    tap_node(phone, c.name)
    tap_node(phone, desc="More options")
    tap_node(phone, "Delete")
    assert has_text(phone, "Delete this contact?")
    tap_node(phone, "Cancel")
    assert phone.state.contact(c.id) is not None
    phone.keyevent(82)  # MENU opens the same menu
    tap_node(phone, "Delete")
    tap_node(phone, "Delete")
    assert phone.state.contact(c.id) is None
    assert phone.foreground()[1] == ".activities.PeopleActivity"
    assert not has_text(phone, c.name)


def test_star_toggle(phone: Phone) -> None:
    c = first_contact(phone)
    was = c.starred
    tap_node(phone, c.name)
    tap_node(phone, desc="Remove from favorites" if was else "Add to favorites")
    assert c.starred is not was


def test_text_from_contacts_opens_messages(phone: Phone) -> None:
    c = first_contact(phone)
    tap_node(phone, c.name)
    tap_node(phone, desc=f"Text {c.phone}")
    assert phone.foreground() == ("com.android.messaging", ".ui.conversation.ConversationActivity")
    assert node(phone, "Text message").attrs["class"] == "android.widget.EditText"


# --- Messages ------------------------------------------------------------------------------


@pytest.fixture
def messages() -> Phone:
    p = Phone(seed=4)
    open_app(p, "Messages")
    return p


def test_unread_thread_is_marked_read_when_opened(messages: Phone) -> None:
    p = messages
    unread = [m for m in p.state.messages if not m.read]
    assert unread
    name = p.state.display_name(unread[0].address)
    tap_node(p, name)
    assert all(m.read for m in p.state.thread(unread[0].address))
    assert has_text(p, unread[0].body)


def test_send_a_message_in_a_thread(messages: Phone) -> None:
    p = messages
    thread = p.state.threads()[0]
    address = thread[0].address
    tap_node(p, p.state.display_name(address))
    send = node(p, desc="Send message")
    assert not send.flag("enabled")
    tap_node(p, "Text message")
    p.input_text("See you at noon")
    assert node(p, desc="Send message").flag("enabled")
    tap_node(p, desc="Send message")
    last = p.state.thread(address)[-1]
    assert (last.body, last.outgoing) == ("See you at noon", True)
    assert has_text(p, "See you at noon")
    assert node(p, "Text message").flag("focused")  # the field is empty again


def test_compose_a_new_message_to_a_typed_number(messages: Phone) -> None:
    p = messages
    tap_node(p, "Start chat")
    assert node(p, "Type a name, phone number, or email").flag("focused")
    p.input_text("+1 415-555-0199")
    tap_node(p, "Send to +1 415-555-0199")
    p.input_text("Hello there")
    tap_node(p, desc="Send message")
    sent = p.state.thread("4155550199")
    assert [m.body for m in sent] == ["Hello there"]
    p.keyevent(4)
    p.keyevent(4)
    assert has_text(p, "+1 415-555-0199")
    assert has_text(p, "You: Hello there")


def test_compose_to_a_contact_found_by_name(messages: Phone) -> None:
    p = messages
    c = sorted(p.state.contacts, key=lambda c: c.name)[3]
    tap_node(p, "Start chat")
    p.input_text(c.first_name)
    tap_node(p, c.name)
    p.input_text("Hi!")
    p.keyevent(66)  # a new line, not a send
    assert p.state.thread(c.phone)[-1:] == [] or p.state.thread(c.phone)[-1].body != "Hi!"
    tap_node(p, desc="Send message")
    assert p.state.thread(c.phone)[-1].body == "Hi!"


def test_delete_a_thread(messages: Phone) -> None:
    p = messages
    address = p.state.threads()[0][0].address
    row = node(p, p.state.display_name(address))
    p.swipe(*row.center, *row.center, 700)
    assert has_text(p, "Delete this conversation?")
    tap_node(p, "Delete")
    assert p.state.thread(address) == []
