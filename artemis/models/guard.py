"""A switch that stops real model calls, so the test suite never reaches a model by accident.

Backends that talk to a real service call `check_real_call_allowed()` before each request.
The test suite turns the switch off for every test (see tests/conftest.py) unless the test is
marked `real_model` (for example, tests against a local chat-completions server).
"""

from __future__ import annotations

from artemis.errors import RealModelCallError

ALLOW_REAL_MODEL_CALLS = True


def check_real_call_allowed(model: str) -> None:
    if not ALLOW_REAL_MODEL_CALLS:
        raise RealModelCallError(
            f"a real model call to {model!r} was attempted where real calls are disabled "
            "(tests: use a scripted model, or mark the test `real_model`)"
        )
