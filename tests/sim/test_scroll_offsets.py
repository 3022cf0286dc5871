"""A list scrolled near its end keeps its clamped offset when its content shrinks, so content
growing back does not move what is on screen (as a RecyclerView behaves). `uiautomator dump`
over ADB removes and rewrites /sdcard/window_dump.xml, which Files lists: the dump and the
screen after it must agree."""

from __future__ import annotations

from artemis.sim.phone import Phone

DUMP = "/sdcard/window_dump.xml"


def _y(phone: Phone, text: str) -> int:
    view = phone.find(text)
    assert view is not None
    return view.clip[1]


def test_offset_is_kept_when_content_shrinks_then_grows_back() -> None:
    phone = Phone(0)
    phone.fs.write(DUMP, b"<hierarchy/>")
    phone.launch("com.android.documentsui")
    phone.swipe(540, 1900, 540, 400, 300)  # to the end of the list
    phone.fs.remove(DUMP)
    without = _y(phone, "Ringtones")
    phone.fs.write(DUMP, b"<hierarchy/>")
    assert _y(phone, "Ringtones") == without


def test_a_conversation_stays_at_its_newest_message() -> None:
    phone = Phone(0)
    phone.launch("com.android.messaging")
    phone.tap_on(rid="conversation_name")
    before = phone.nav.top().scroll["messages"]
    phone.frame()
    assert phone.nav.top().scroll["messages"] == before  # still "at the end", not a number
