"""The ADB transport packet: a 24-byte header and a payload.

The header is six little-endian u32: command, arg0, arg1, payload length, payload checksum and
magic (`command ^ 0xFFFFFFFF`). As a device we always send the correct checksum (adb-shell
verifies it) and never verify the one we receive (real adbd stopped doing so in 2017, and the
real adb client sends 0 with protocol version 0x01000001).
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

from artemis.bytesum import byte_sum

HEADER = struct.Struct("<6I")
HEADER_SIZE = HEADER.size


def _cmd(name: bytes) -> int:
    return int.from_bytes(name, "little")


A_SYNC = _cmd(b"SYNC")
A_CNXN = _cmd(b"CNXN")
A_AUTH = _cmd(b"AUTH")
A_OPEN = _cmd(b"OPEN")
A_OKAY = _cmd(b"OKAY")
A_CLSE = _cmd(b"CLSE")
A_WRTE = _cmd(b"WRTE")
A_STLS = _cmd(b"STLS")

COMMANDS = {A_SYNC, A_CNXN, A_AUTH, A_OPEN, A_OKAY, A_CLSE, A_WRTE, A_STLS}

#: Protocol versions: the first checksums payloads, the second lets senders skip it.
VERSION_MIN = 0x01000000
VERSION_SKIP_CHECKSUM = 0x01000001

#: The largest payload we accept or send once CNXN has negotiated (adbd's MAX_PAYLOAD).
MAX_PAYLOAD = 1024 * 1024
#: What must fit before the handshake is done (CNXN and AUTH packets).
MAX_HANDSHAKE_PAYLOAD = 4096

AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3


class ProtocolError(Exception):
    """The peer broke the transport protocol; the connection must be closed."""


@dataclass(frozen=True, slots=True)
class Packet:
    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    @property
    def name(self) -> str:
        return command_name(self.command)


def command_name(command: int) -> str:
    raw = command.to_bytes(4, "little")
    return raw.decode("ascii") if raw.isalpha() else f"0x{command:08x}"


def encode(packet: Packet) -> bytes:
    """The bytes of one packet: header then payload."""
    header = HEADER.pack(
        packet.command,
        packet.arg0 & 0xFFFFFFFF,
        packet.arg1 & 0xFFFFFFFF,
        len(packet.data),
        byte_sum(packet.data),
        packet.command ^ 0xFFFFFFFF,
    )
    return header + packet.data


def decode_header(header: bytes, max_payload: int) -> tuple[int, int, int, int]:
    """Validate a header; returns (command, arg0, arg1, payload length).

    Raises `ProtocolError` for a short header, a wrong magic, an unknown command or a payload
    larger than `max_payload`.
    """
    if len(header) != HEADER_SIZE:
        raise ProtocolError(f"short header: {len(header)} bytes")
    command, arg0, arg1, length, _check, magic = HEADER.unpack(header)
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic 0x{magic:08x} for command 0x{command:08x}")
    if command not in COMMANDS:
        raise ProtocolError(f"unknown command {command_name(command)}")
    if length > max_payload:
        raise ProtocolError(f"payload of {length} bytes exceeds the maximum of {max_payload}")
    return command, arg0, arg1, length


def decode(data: bytes, max_payload: int = MAX_PAYLOAD) -> tuple[Packet, bytes]:
    """Decode one packet from the front of `data`; returns it and the remaining bytes.

    Raises `ProtocolError` when `data` is malformed or incomplete.
    """
    command, arg0, arg1, length = decode_header(data[:HEADER_SIZE], max_payload)
    end = HEADER_SIZE + length
    if len(data) < end:
        raise ProtocolError(f"truncated payload: {len(data) - HEADER_SIZE} of {length} bytes")
    return Packet(command, arg0, arg1, bytes(data[HEADER_SIZE:end])), data[end:]


async def read_packet(reader: asyncio.StreamReader, max_payload: int) -> Packet:
    """Read one packet. `asyncio.IncompleteReadError` means the peer went away."""
    header = await reader.readexactly(HEADER_SIZE)
    command, arg0, arg1, length = decode_header(header, max_payload)
    data = await reader.readexactly(length) if length else b""
    return Packet(command, arg0, arg1, data)
