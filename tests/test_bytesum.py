"""The ADB checksum both ends of the wire compute, and adb-shell's use of ours."""

from __future__ import annotations

import os
import subprocess
import sys

from adb_shell import adb_device, adb_device_async, adb_message
from hypothesis import given
from hypothesis import strategies as st

from artemis.bytesum import NUMPY_FROM, byte_sum
from artemis.device.connection import fast_checksums


@given(st.binary(max_size=4 * NUMPY_FROM))
def test_the_sum_is_adb_shells_on_both_sides_of_the_numpy_threshold(data: bytes) -> None:
    assert byte_sum(data) == adb_message.checksum(data)
    assert byte_sum(bytearray(data)) == adb_message.checksum(bytearray(data))


def test_a_screenshot_sized_payload_sums_as_adb_shell_sums_it() -> None:
    data = os.urandom(1 << 20)
    assert byte_sum(data) == adb_message.checksum(data)
    assert byte_sum(memoryview(data)) == adb_message.checksum(data)


def test_a_long_payload_wraps_at_32_bits() -> None:
    data = b"\xff" * (17 << 20)  # 17 MiB of 255: the sum passes 2**32
    assert byte_sum(data) == (255 * len(data)) % 2**32 != 255 * len(data)


def test_adb_shells_devices_verify_packets_with_ours() -> None:
    assert fast_checksums()  # idempotent: importing the connection module already did it
    assert adb_device_async.checksum is byte_sum
    assert adb_device.checksum is byte_sum
    assert adb_message.checksum is not byte_sum  # adb-shell's own is left as it was


def test_the_device_stack_imports_numpy_only_for_a_long_payload() -> None:
    code = (
        "import sys\n"
        "import artemis.device.connect\n"
        "from artemis.bytesum import byte_sum\n"
        "before = 'numpy' in sys.modules\n"
        "byte_sum(bytes(4096))\n"
        "print(before, 'numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
