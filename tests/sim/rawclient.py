"""A minimal host side of the ADB transport, for poking the server with exact packets."""

from __future__ import annotations

import asyncio
import contextlib
import struct

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
    read_packet,
)


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.next_id = 100

    @classmethod
    async def connect(cls, port: int, *, handshake: bool = True) -> RawClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        client = cls(reader, writer)
        if handshake:
            await client.send(Packet(A_CNXN, VERSION_SKIP_CHECKSUM, MAX_PAYLOAD, b"host::\0"))
            reply = await client.recv()
            assert reply.command == A_CNXN, reply
        return client

    async def send(self, packet: Packet) -> None:
        self.writer.write(encode(packet))
        await self.writer.drain()

    async def send_bytes(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def recv(self, limit_s: float = 5.0) -> Packet:
        return await asyncio.wait_for(read_packet(self.reader, MAX_PAYLOAD * 2), limit_s)

    async def closed_by_peer(self, limit_s: float = 5.0) -> bool:
        """True when the server closes the TCP connection (reads hit EOF)."""
        try:
            data = await asyncio.wait_for(self.reader.read(1 << 20), limit_s)
            while data:
                data = await asyncio.wait_for(self.reader.read(1 << 20), limit_s)
        except ConnectionError:
            return True
        return True

    async def open(self, service: str) -> tuple[int, int]:
        """OPEN a service; returns (our id, the device's id); device id 0 means refused."""
        local = self.next_id
        self.next_id += 1
        await self.send(Packet(A_OPEN, local, 0, service.encode() + b"\0"))
        reply = await self.recv()
        if reply.command == A_CLSE:
            return local, 0
        assert reply.command == A_OKAY and reply.arg1 == local, reply
        return local, reply.arg0

    async def run(self, service: str) -> bytes:
        """OPEN, collect every WRTE (acknowledging each) until CLSE; answer the CLSE."""
        local, remote = await self.open(service)
        assert remote, f"{service} refused"
        out = bytearray()
        while True:
            p = await self.recv()
            if p.command == A_WRTE:
                out += p.data
                await self.send(Packet(A_OKAY, local, remote))
            elif p.command == A_CLSE:
                await self.send(Packet(A_CLSE, local, remote))
                return bytes(out)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()


def v2_frames(data: bytes) -> list[tuple[int, bytes]]:
    """Split shell v2 output into (id, payload) frames."""
    frames = []
    while data:
        kind, length = struct.unpack("<BI", data[:5])
        frames.append((kind, data[5 : 5 + length]))
        data = data[5 + length :]
    return frames
