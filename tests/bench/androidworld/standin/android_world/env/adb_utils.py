"""Stand-in for `android_world.env.adb_utils`: only the generic adb request."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def issue_generic_request(
    args: Collection[str] | str, env: Any, timeout_sec: float | None = None
) -> Any:
    del timeout_sec
    argv = args.split(" ") if isinstance(args, str) else list(args)
    return env.execute_adb_call(argv)
