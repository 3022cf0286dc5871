"""The ADB server: handshake, streams, flow control, bad input and faults, with exact packets."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artemis.sim.server import SimServer
from artemis.sim.transport import (
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_WRTE,
    MAX_PAYLOAD,
    VERSION_SKIP_CHECKSUM,
    Packet,
    encode,
)
from tests.sim.conftest import FakeSleep
from tests.sim.fake_phone import FakePhone
from tests.sim.rawclient import RawClient, v2_frames


async def test_cnxn_banner_advertises_only_what_is_implemented(server: SimServer) -> None:
    client = await RawClient.connect(server.port, handshake=False)
    await client.send(
        Packet(A_CNXN, VERSION_SKIP_CHECKSUM, 256 * 1024, b"host::features=shell_v2\0")
    )
    reply = await client.recv()
    assert reply.command == A_CNXN
    assert reply.arg1 == MAX_PAYLOAD
    assert reply.data == (
        b"device::ro.product.name=sdk_gphone64_x86_64;ro.product.model=sdk_gphone64_x86_64;"
        b"ro.product.device=emu64x;features=shell_v2,cmd"
    )
    await client.close()


async def test_raw_shell_and_exec(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    assert await client.run("shell:echo hi; echo oops >&2") == b"hi\noops\n"
    assert await client.run("exec:echo 'quoted arg'") == b"quoted arg\n"
    await client.close()


async def test_shell_v2_frames_stdout_stderr_and_exit_code(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    out = await client.run("shell,v2,TERM=xterm-256color,raw:echo out; echo err >&2; exit 7")
    assert v2_frames(out) == [(1, b"out\n"), (2, b"err\n"), (3, b"\x07")]
    await client.close()


async def test_unknown_service_is_refused_with_clse(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    _, remote = await client.open("jdwp:1234")
    assert remote == 0
    assert await client.run("shell:echo still here") == b"still here\n"
    await client.close()


async def test_flow_control_one_wrte_in_flight(server: SimServer, phone: FakePhone) -> None:
    client = await RawClient.connect(server.port)
    local, remote = await client.open("exec:screencap")
    first = await client.recv()
    assert first.command == A_WRTE and len(first.data) == MAX_PAYLOAD
    # No OKAY yet: the device must not send the next WRTE.
    try:
        extra = await client.recv(limit_s=0.2)
    except TimeoutError:
        extra = None
    assert extra is None
    total = len(first.data)
    await client.send(Packet(A_OKAY, local, remote))
    while True:
        p = await client.recv()
        if p.command == A_CLSE:
            break
        total += len(p.data)
        await client.send(Packet(A_OKAY, local, remote))
    assert total == len(phone.screencap_raw())
    await client.close()


async def test_many_streams_on_one_connection_interleave(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    for i in range(20):  # all OPENs first: answers for different streams interleave
        await client.send(Packet(A_OPEN, 100 + i, 0, f"shell:echo {i}".encode() + b"\0"))
    outputs: dict[int, bytes] = {}
    opened: set[int] = set()
    closed: set[int] = set()
    while len(closed) < 20:
        p = await client.recv()
        if p.command == A_OKAY:
            opened.add(p.arg1)
        elif p.command == A_WRTE:
            assert p.arg1 in opened
            outputs[p.arg1] = outputs.get(p.arg1, b"") + p.data
            await client.send(Packet(A_OKAY, p.arg1, p.arg0))
        elif p.command == A_CLSE:
            closed.add(p.arg1)
            await client.send(Packet(A_CLSE, p.arg1, p.arg0))
    assert outputs == {100 + i: f"{i}\n".encode() for i in range(20)}
    await client.close()


async def test_many_connections(server: SimServer) -> None:
    clients = [await RawClient.connect(server.port) for _ in range(10)]
    outs = await asyncio.gather(*(c.run(f"shell:echo {i}") for i, c in enumerate(clients)))
    assert outs == [f"{i}\n".encode() for i in range(10)]
    for c in clients:
        await c.close()


async def test_a_slow_command_does_not_block_other_streams(
    phone: FakePhone,
) -> None:
    gate = asyncio.Event()

    async def gated_sleep(seconds: float) -> None:
        await gate.wait()

    async with SimServer(phone, sleep=gated_sleep) as srv:
        slow = await RawClient.connect(srv.port)
        slow_task = asyncio.create_task(slow.run("shell:sleep 100; echo late"))
        fast = await RawClient.connect(srv.port)
        assert await fast.run("shell:echo quick") == b"quick\n"
        assert not slow_task.done()
        gate.set()
        assert await slow_task == b"late\n"
        await slow.close()
        await fast.close()


async def _assert_closed_and_server_alive(server: SimServer, client: RawClient) -> None:
    assert await client.closed_by_peer()
    other = await RawClient.connect(server.port)
    assert await other.run("shell:echo alive") == b"alive\n"
    await other.close()


async def test_wrong_magic_closes_that_connection_only(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    bad = bytearray(encode(Packet(A_OPEN, 1, 0, b"shell:id\0")))
    bad[20:24] = b"\0\0\0\0"
    await client.send_bytes(bytes(bad))
    await _assert_closed_and_server_alive(server, client)


async def test_oversized_payload_closes_the_connection(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    header = struct.pack("<6I", A_WRTE, 1, 1, MAX_PAYLOAD + 1, 0, A_WRTE ^ 0xFFFFFFFF)
    await client.send_bytes(header)
    await _assert_closed_and_server_alive(server, client)


async def test_oversized_handshake_is_refused(server: SimServer) -> None:
    client = await RawClient.connect(server.port, handshake=False)
    await client.send(Packet(A_CNXN, VERSION_SKIP_CHECKSUM, MAX_PAYLOAD, b"h" * 5000))
    await _assert_closed_and_server_alive(server, client)


async def test_open_before_cnxn_closes_the_connection(server: SimServer) -> None:
    client = await RawClient.connect(server.port, handshake=False)
    await client.send(Packet(A_OPEN, 1, 0, b"shell:id\0"))
    await _assert_closed_and_server_alive(server, client)


async def test_client_vanishing_mid_stream_leaves_the_server_serving(
    server: SimServer,
) -> None:
    client = await RawClient.connect(server.port)
    await client.open("exec:screencap")  # 10 MB pending, no OKAYs will come
    client.writer.transport.abort()
    other = await RawClient.connect(server.port)
    assert await other.run("shell:echo alive") == b"alive\n"
    await other.close()
    await _wait_for(lambda: not server.connections)  # both connections cleaned up


async def _wait_for(predicate: Callable[[], bool], limit_s: float = 5.0) -> None:
    """Poll an observable state, with a deadline."""
    for _ in range(int(limit_s / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.binary(min_size=1, max_size=300))
async def test_fuzzed_bytes_after_handshake_never_kill_the_server(
    server: SimServer, garbage: bytes
) -> None:
    client = await RawClient.connect(server.port)
    await client.send_bytes(garbage)
    await client.close()
    other = await RawClient.connect(server.port)
    assert await other.run("shell:echo ok") == b"ok\n"
    await other.close()


async def test_stdin_over_shell_v2(server: SimServer) -> None:
    client = await RawClient.connect(server.port)
    local, remote = await client.open("shell,v2,raw:cat")
    frame = struct.pack("<BI", 0, 5) + b"hello" + struct.pack("<BI", 4, 0)
    await client.send(Packet(A_WRTE, local, remote, frame))
    out = b""
    while True:
        p = await client.recv()
        if p.command == A_WRTE:
            out += p.data
            await client.send(Packet(A_OKAY, local, remote))
        elif p.command == A_CLSE:
            break
    assert v2_frames(out) == [(1, b"hello"), (3, b"\x00")]
    await client.close()


# --- faults -------------------------------------------------------------------------------


async def test_drop_after_n_commands(server: SimServer) -> None:
    server.faults.drop_after(2)
    client = await RawClient.connect(server.port)
    assert await client.run("shell:echo 1") == b"1\n"
    assert await client.run("shell:echo 2") == b"2\n"
    await client.open("shell:echo 3")
    assert await client.closed_by_peer()
    again = await RawClient.connect(server.port)
    assert await again.run("shell:echo 4") == b"4\n"  # the fault fires once
    assert server.faults.drops == 1
    await again.close()


async def test_random_drops_are_seeded(phone: FakePhone) -> None:
    async def pattern(seed: int) -> list[bool]:
        async with SimServer(phone) as srv:
            srv.faults.drop_randomly(0.5, seed=seed)
            seen = []
            for i in range(8):
                client = await RawClient.connect(srv.port)
                await client.open(f"shell:echo {i}")
                try:
                    seen.append((await client.recv()).command != A_WRTE)
                except (asyncio.IncompleteReadError, ConnectionError):
                    seen.append(True)
                client.writer.transport.abort()
            return seen

    first = await pattern(7)
    assert first == await pattern(7)
    assert any(first) and not all(first)


async def test_hung_command_ends_when_its_client_closes_it(server: SimServer) -> None:
    server.faults.hang("uiautomator")
    client = await RawClient.connect(server.port)
    local, remote = await client.open("shell:uiautomator dump")
    try:
        got = await client.recv(limit_s=0.2)
    except TimeoutError:
        got = None
    assert got is None
    await client.send(Packet(A_CLSE, local, remote))
    reply = await client.recv()
    assert reply.command == A_CLSE
    server.faults.clear()
    assert await client.run("shell:echo after") == b"after\n"
    await client.close()


async def test_delay_uses_the_injected_sleep(server: SimServer, fake_sleep: FakeSleep) -> None:
    server.faults.delay(r"^input tap", 1.5, times=1)
    client = await RawClient.connect(server.port)
    await client.run("shell:input tap 1 1")
    await client.run("shell:input tap 2 2")
    assert fake_sleep.calls == [1.5]
    await client.close()
