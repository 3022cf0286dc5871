from __future__ import annotations

import struct

from artemis.sim.interactive import LineEditor
from artemis.sim.server import SimServer
from artemis.sim.transport import A_CLSE, A_OKAY, A_WRTE, Packet
from tests.sim.rawclient import RawClient, v2_frames


def test_pty_line_editing_echoes_and_edits() -> None:
    ed = LineEditor(pty=True)
    assert ed.feed(b"ecx\x7fho h\xc3\xa9\x7fi\rls") == [
        (b"ecx\b \bho h\xc3\xa9\b \bi\r\n", b"echo hi"),
        (b"ls", ...),
    ]
    assert ed.feed(b"\x03") == [(b"^C\r\n", b"")]  # ^C drops the line
    assert ed.feed(b"\x1b[Ax\r\n") == [(b"x\r\n", b"x")]  # arrows ignored; CR LF ends once
    assert ed.feed(b"\x04") == [(b"", None)]


def test_raw_lines_are_not_echoed() -> None:
    ed = LineEditor(pty=False)
    assert ed.feed(b"echo a\necho b\n") == [(b"", b"echo a"), (b"", b"echo b")]


async def _session(server: SimServer, service: str, keys: bytes) -> bytes:
    client = await RawClient.connect(server.port)
    local, remote = await client.open(service)
    await client.send(Packet(A_WRTE, local, remote, keys))
    out = b""
    while True:
        p = await client.recv()
        if p.command == A_WRTE:
            out += p.data
            await client.send(Packet(A_OKAY, local, remote))
        elif p.command == A_CLSE:
            await client.send(Packet(A_CLSE, local, remote))
            await client.close()
            return out


async def test_interactive_pty_session_over_shell_v2(server: SimServer) -> None:
    stdin = b"echo hi\rexit\r"
    frame = struct.pack("<BI", 0, len(stdin)) + stdin
    out = await _session(server, "shell,v2,TERM=xterm,pty:", frame)
    frames = v2_frames(out)
    text = b"".join(data for kind, data in frames if kind == 1)
    assert text == b"emu64x:/ $ echo hi\r\nhi\r\nemu64x:/ $ exit\r\n"
    assert frames[-1] == (3, b"\x00")


async def test_legacy_interactive_shell(server: SimServer) -> None:
    out = await _session(server, "shell:", b"false\rexit\r")
    assert out.startswith(b"emu64x:/ $ false\r\n")
