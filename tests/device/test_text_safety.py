"""Text safety, end to end: whatever a model types arrives as typed, and nothing in it runs.

The sim's shell implements command substitution, `;`, `&&`, `|`, globbing and `reboot`, so
unquoted text *would* run there (the control test shows it); these tests can fail.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from artemis.actions import ElementTarget, TypeText
from artemis.device.adb import AdbDevice
from artemis.sim.server import SimServer
from tests.sim.fake_phone import FakePhone

NASTY = [
    "$(touch /sdcard/pwned)",
    "`touch /sdcard/pwned`",
    ";reboot",
    "a && reboot",
    "x | reboot",
    "'; reboot; '",
    '"; reboot; "',
    "$(reboot)",
    "%s;reboot",
    "\\",
    "'",
    '"',
    "\nreboot\n",
    "* ~ ? [a]",
    "$HOME $? $$ ${PATH}",
    "> /sdcard/pwned",
    "-e text",
    "100% sure %s %%s",
    "tab\there",
    "caf\u00e9 $(reboot) \u65e5\u672c",
    "\U0001f600; touch /sdcard/pwned",
]


def _assert_nothing_ran(server: SimServer, phone: FakePhone) -> None:
    assert not phone.fs.exists("/sdcard/pwned")
    assert server.ctx.reboots == 0


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(text=st.text(min_size=1, max_size=60))
@example(text=NASTY[0])
async def test_any_text_arrives_as_typed(
    device: AdbDevice, phone: FakePhone, server: SimServer, text: str
) -> None:
    phone.texts.clear()
    await device.type_text(text)
    assert phone.typed == text.replace("\0", "")
    _assert_nothing_ran(server, phone)


@SETTINGS
@given(text=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1))
async def test_printable_ascii_goes_through_input_text(
    device: AdbDevice, phone: FakePhone, server: SimServer, text: str
) -> None:
    phone.texts.clear()
    await device.type_text(text)
    assert phone.typed == text
    assert phone.get_clipboard() == ""  # no fallback was needed
    _assert_nothing_ran(server, phone)


@pytest.mark.parametrize("text", NASTY)
async def test_shell_metacharacters_are_typed_not_run(
    device: AdbDevice, phone: FakePhone, server: SimServer, text: str
) -> None:
    ui = await device.ui_tree()
    await device.execute(TypeText(text=text, target=ElementTarget(index=1)), ui=ui)
    assert phone.typed == text
    _assert_nothing_ran(server, phone)


async def test_control_unquoted_text_would_run_on_the_sim(
    device: AdbDevice, phone: FakePhone, server: SimServer
) -> None:
    # What a careless client would send: the sim runs it, so the tests above can fail.
    await device.shell("input text $(touch /sdcard/pwned);reboot")
    assert phone.fs.exists("/sdcard/pwned") and server.ctx.reboots == 1
