"""Phones served by a process of their own (`artemis.sim.host`): reached over ADB like any
phone, functions run on them there, and every way a call or the process can fail ends in a
clear error here, never a hang."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Callable

import pytest

from artemis.config import Settings
from artemis.device.connect import connect_adb
from artemis.sim.host import PhoneHost, SimHostError
from artemis.sim.phone import Phone


def where(phone: Phone, tag: str) -> tuple[int, str | None, str]:
    return os.getpid(), phone.frame().active.package, tag


def fails(phone: Phone) -> None:
    raise ValueError("the phone says no")


class Sticky(Exception):
    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        raise TypeError("cannot be pickled")


def fails_unpicklably(phone: Phone) -> None:
    raise Sticky("stuck")


def returns_a_local_function(phone: Phone) -> Callable[[], int]:
    return lambda: 1


@pytest.fixture
async def host() -> AsyncIterator[PhoneHost]:
    async with PhoneHost(2) as h:
        yield h


async def test_the_phones_are_served_over_adb_by_another_process(host: PhoneHost) -> None:
    assert len(host.addresses) == 2
    device = await connect_adb(host.addresses[1], Settings(), authenticate=False)
    try:
        obs = await device.observe()
    finally:
        await device.close()
    assert obs.package == "com.android.launcher3" and obs.screenshot.startswith(b"\x89PNG")
    pid, package, tag = await host.run(1, where, "hello")
    assert pid != os.getpid() and package == obs.package and tag == "hello"


async def test_what_a_call_raises_is_raised_here(host: PhoneHost) -> None:
    with pytest.raises(ValueError, match="the phone says no"):
        await host.run(0, fails)
    with pytest.raises(SimHostError, match="Sticky: stuck"):
        await host.run(0, fails_unpicklably)
    with pytest.raises(SimHostError, match="result could not be sent back"):
        await host.run(0, returns_a_local_function)
    with pytest.raises(SimHostError, match="no phone 7"):
        await host.run(7, where, "x")
    with pytest.raises(SimHostError, match="cannot send"):
        await host.run(0, where, lambda: 1)  # an argument that does not pickle
    # None of that hurt the host.
    assert (await host.run(0, where, "still here"))[2] == "still here"


async def test_a_host_that_dies_fails_its_calls_with_a_clear_error(host: PhoneHost) -> None:
    assert host._process is not None
    os.kill(host._process.pid, signal.SIGKILL)
    with pytest.raises(SimHostError, match="phone host process exited"):
        await host.run(0, where, "x")
    with pytest.raises(SimHostError, match="phone host process exited"):
        await host.run(1, where, "y")  # and every later call, at once


async def test_a_call_sent_after_the_host_died_but_before_its_reader_saw_it_says_so(
    host: PhoneHost,
) -> None:
    # No await between the death and the call: the reader thread's news of the end waits on
    # the event loop, so the call finds the pipe broken before anything says the host left.
    assert host._process is not None
    os.kill(host._process.pid, signal.SIGKILL)
    host._process.wait()
    with pytest.raises(SimHostError, match="phone host process exited"):
        await host.run(0, where, "x")
    with pytest.raises(SimHostError, match="phone host process exited"):
        await host.run(1, where, "y")


async def test_the_host_leaves_when_closed_and_closing_twice_is_harmless() -> None:
    host = PhoneHost(1)
    await host.start()
    process = host._process
    assert process is not None
    await host.close()
    assert process.poll() == 0
    await host.close()
    with pytest.raises(SimHostError, match="not running"):
        await host.run(0, where, "x")


async def test_the_host_is_out_of_reach_of_ctrl_c_at_the_terminal(host: PhoneHost) -> None:
    """Started in a session of its own: a terminal's Ctrl-C goes to the parent alone, which
    decides what to keep before it closes the host."""
    assert host._process is not None
    assert os.getsid(host._process.pid) != os.getsid(0)
    os.kill(host._process.pid, signal.SIGINT)  # and it ignores one sent to it
    assert (await host.run(0, where, "x"))[2] == "x"


async def test_a_function_of_the_main_script_is_refused_before_it_is_sent(host: PhoneHost) -> None:
    def local(phone: Phone) -> None:
        pass

    local.__module__ = "__main__"
    with pytest.raises(SimHostError, match="main script"):
        await host.run(0, local)


def test_a_host_needs_a_phone() -> None:
    with pytest.raises(ValueError, match="at least one phone"):
        PhoneHost(0)


@pytest.mark.parametrize(
    ("python", "says"),
    [
        ("/nonexistent/python3", "cannot start the phone host"),
        ("/bin/false", "exited as it started"),
    ],
)
async def test_a_host_that_cannot_start_says_so(
    monkeypatch: pytest.MonkeyPatch, python: str, says: str
) -> None:
    monkeypatch.setattr("artemis.sim.host.sys.executable", python)
    with pytest.raises(SimHostError, match=says):
        await PhoneHost(1).start()
