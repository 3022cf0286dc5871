"""Stand-in for `android_env.proto.adb_pb2`: the messages of an adb call, with the field names
and status values of android_env 1.2.3's `AdbRequest` and `AdbResponse` (plain classes here,
not protobuf)."""

from __future__ import annotations

from dataclasses import dataclass, field


class _Status:
    UNDEFINED, OK, UNKNOWN_COMMAND, FAILED_PRECONDITION = 0, 1, 2, 3
    INTERNAL_ERROR, ADB_ERROR, TIMEOUT = 4, 5, 6

    @classmethod
    def Name(cls, number: int) -> str:  # protobuf's enum wrapper has this method
        for name, value in vars(cls).items():
            if value == number and name.isupper():
                return name
        raise ValueError(f"unknown status {number}")


@dataclass
class _GenericRequest:
    args: list[str] = field(default_factory=list)


@dataclass
class AdbRequest:
    GenericRequest = _GenericRequest

    generic: _GenericRequest | None = None
    timeout_sec: float | None = None


@dataclass
class _GenericResponse:
    output: bytes = b""


@dataclass
class AdbResponse:
    Status = _Status
    GenericResponse = _GenericResponse

    status: int = _Status.UNDEFINED
    error_message: str = ""
    generic: _GenericResponse = field(default_factory=_GenericResponse)
