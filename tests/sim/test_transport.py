from __future__ import annotations

import contextlib
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artemis.sim.transport import (
    A_CNXN,
    A_OKAY,
    A_WRTE,
    COMMANDS,
    HEADER_SIZE,
    Packet,
    ProtocolError,
    decode,
    encode,
)


def test_encode_writes_header_magic_and_checksum() -> None:
    raw = encode(Packet(A_WRTE, 7, 9, b"\x01\x02\xff"))
    command, arg0, arg1, length, check, magic = struct.unpack("<6I", raw[:HEADER_SIZE])
    assert (command, arg0, arg1, length) == (A_WRTE, 7, 9, 3)
    assert check == 0x102
    assert magic == A_WRTE ^ 0xFFFFFFFF
    assert raw[HEADER_SIZE:] == b"\x01\x02\xff"


def test_decode_rejects_wrong_magic() -> None:
    raw = bytearray(encode(Packet(A_OKAY, 1, 2)))
    raw[20] ^= 0xFF
    with pytest.raises(ProtocolError, match="magic"):
        decode(bytes(raw))


def test_decode_rejects_unknown_command() -> None:
    header = struct.pack("<6I", 0x41414141, 0, 0, 0, 0, 0x41414141 ^ 0xFFFFFFFF)
    with pytest.raises(ProtocolError, match="unknown command"):
        decode(header)


def test_decode_rejects_oversized_payload_before_reading_it() -> None:
    header = struct.pack("<6I", A_WRTE, 1, 1, 5000, 0, A_WRTE ^ 0xFFFFFFFF)
    with pytest.raises(ProtocolError, match="exceeds"):
        decode(header, max_payload=4096)


def test_decode_ignores_the_checksum_it_receives() -> None:
    raw = bytearray(encode(Packet(A_CNXN, 1, 2, b"host::")))
    raw[16:20] = b"\0\0\0\0"  # senders at version 0x01000001 may send 0
    packet, rest = decode(bytes(raw))
    assert packet.data == b"host::" and rest == b""


@given(
    command=st.sampled_from(sorted(COMMANDS)),
    arg0=st.integers(0, 2**32 - 1),
    arg1=st.integers(0, 2**32 - 1),
    data=st.binary(max_size=2048),
)
def test_encode_decode_round_trip(command: int, arg0: int, arg1: int, data: bytes) -> None:
    packet = Packet(command, arg0, arg1, data)
    decoded, rest = decode(encode(packet) + b"tail")
    assert decoded == packet and rest == b"tail"
    assert struct.unpack("<6I", encode(packet)[:HEADER_SIZE])[4] == sum(data) & 0xFFFFFFFF


@given(st.binary(max_size=200))
def test_decode_of_arbitrary_bytes_fails_only_with_protocol_error(data: bytes) -> None:
    try:
        packet, rest = decode(data, max_payload=4096)
    except ProtocolError:
        return
    assert packet.command in COMMANDS
    assert len(data) == HEADER_SIZE + len(packet.data) + len(rest)


@given(
    header=st.tuples(*[st.integers(0, 2**32 - 1)] * 6).map(lambda t: struct.pack("<6I", *t)),
    body=st.binary(max_size=64),
)
def test_decode_of_random_headers_never_crashes(header: bytes, body: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        decode(header + body, max_payload=64)
