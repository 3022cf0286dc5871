"""The exception tree of artemis.

Every error artemis raises on purpose derives from `ArtemisError`, so a boundary (the CLI, one
benchmark case, one episode) can catch what is expected and let real bugs through. Messages are
written for the user: they say what went wrong and, where possible, what to do about it.
"""

from __future__ import annotations


class ArtemisError(Exception):
    """Base of every error artemis raises on purpose."""


class ConfigError(ArtemisError):
    """Settings are missing, malformed or contradictory."""


class StorageError(ArtemisError):
    """A file or folder artemis keeps (trajectories, results, reports, exports) cannot be
    read or written: no permission, a file where a folder should be, a full disk."""


# --- devices -------------------------------------------------------------------------------


class DeviceError(ArtemisError):
    """Something went wrong talking to an Android device."""


class DeviceConnectionError(DeviceError):
    """The device cannot be reached, refused us, or dropped the connection."""


class AdbServerError(DeviceConnectionError):
    """The adb server cannot be reached, or failed a request of its own."""


class NoDeviceError(DeviceConnectionError):
    """No device was named and none answered where one was looked for."""


class DeviceTimeoutError(DeviceError):
    """A device command did not finish before its deadline."""


class DeviceCommandError(DeviceError):
    """A shell command ran on the device and failed (non-zero exit or error output)."""

    def __init__(
        self, message: str, *, command: str = "", exit_code: int | None = None, output: str = ""
    ) -> None:
        super().__init__(message)
        self.command = command
        self.exit_code = exit_code
        self.output = output


class UIDumpError(DeviceError):
    """The accessibility tree could not be dumped or parsed."""


# --- actions -------------------------------------------------------------------------------


class ActionError(ArtemisError):
    """An action cannot be carried out as given (recoverable: shown to the model)."""


class TargetError(ActionError):
    """An action's target does not resolve: an unknown element index or a point off the screen."""


class UnknownAppError(ActionError):
    """`open_app` named an app that is not installed and matches no known label."""


# --- models --------------------------------------------------------------------------------


class ModelError(ArtemisError):
    """A model backend failed."""


class ModelConfigError(ModelError, ConfigError):
    """A model cannot be used as configured: unknown spec, missing key, unreachable URL."""


class ModelAuthError(ModelConfigError):
    """The model server rejected our credentials."""


class ModelTimeoutError(ModelError):
    """A model call did not answer before its deadline, retries included."""


class ModelServerError(ModelError):
    """The model server kept failing (rate limits, 5xx) through every bounded retry."""


class ModelResponseError(ModelError):
    """A model answered, but the answer cannot be used (not JSON, wrong schema, bad values).

    Recoverable: roles send the message back to the model and ask again, a bounded number of
    times.
    """

    def __init__(self, message: str, *, raw: str = "", response: object | None = None) -> None:
        super().__init__(message)
        self.raw = raw
        # The `ModelResponse` the reply came in, when there was one: its tokens were spent.
        self.response = response


class UnsupportedActionError(ModelResponseError):
    """The reply asks for an action artemis has no equivalent for (a desktop hotkey, a hand-over
    to the user). Recoverable: the message, which names the actions there are, goes back to the
    model."""


class RealModelCallError(ModelError):
    """A real model was called where only scripted models are allowed (the test suite)."""


class ScriptError(ModelError):
    """A scripted test model was called unexpectedly, or its script was not used up."""


# --- tips ----------------------------------------------------------------------------------


class TipStoreError(ArtemisError):
    """The tip store cannot be opened, reached or queried."""


class EmbeddingMismatchError(TipStoreError):
    """A tip collection was built with another embedding function than the one configured."""


class TipCorpusError(TipStoreError):
    """A tip file is malformed. The message names the file and, where known, the line."""


# --- agent and benchmarks --------------------------------------------------------------------


class AgentError(ArtemisError):
    """An episode cannot go on."""


class BenchmarkError(ArtemisError):
    """A benchmark cannot run as asked."""


class DatasetError(BenchmarkError):
    """Benchmark data is missing or malformed. The message names the file and the sample."""


class ReportError(ArtemisError):
    """A report cannot be written: the folder is missing or holds no episode."""


class DependencyMissingError(ArtemisError):
    """An optional dependency is not installed. The message says how to install it."""
