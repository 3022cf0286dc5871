"""Stand-in for `android_world.env.adb_utils`: only the generic adb request.

As theirs: the arguments (a list, or a string split on spaces) go into an `AdbRequest`, the
env's `execute_adb_call` answers an `AdbResponse`, and a failure is logged, not raised: it
shows only in the response's status.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from android_env.proto import adb_pb2

_DEFAULT_TIMEOUT_SECS = 10


def issue_generic_request(
    args: Collection[str] | str, env: Any, timeout_sec: float | None = _DEFAULT_TIMEOUT_SECS
) -> adb_pb2.AdbResponse:
    argv = args.split(" ") if isinstance(args, str) else list(args)
    response: adb_pb2.AdbResponse = env.execute_adb_call(
        adb_pb2.AdbRequest(
            generic=adb_pb2.AdbRequest.GenericRequest(args=argv), timeout_sec=timeout_sec
        )
    )
    if response.status != adb_pb2.AdbResponse.Status.OK:
        logging.error("Failed to issue generic adb request: %r", " ".join(argv))
    return response
