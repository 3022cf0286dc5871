"""The ChatModel contract: messages with text and images in; text, tool calls, parsed object
and usage out.

Images are passed as PNG bytes at the device's resolution. A model declares the rule it sizes
images by (`image_rule`), so callers know the frame before the call (to show element positions
in the model's space), and records in the response the frame it actually sent, so that
coordinates in the reply are converted back to device pixels in one place
(`artemis.models.coords`). Wrappers pass both through.

A call says what it is for with a typed `ModelRequest` (the agent's roles pass their inputs:
task, observation, action, ...). LLM backends read only its `role`; offline policies (the
`heuristic` baseline, the benchmark oracle) and test models read the rest instead of the
prompt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from artemis.models.coords import CoordSpace, ImageFrame, ImageRule

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class TextPart:
    text: str
    kind: Literal["text"] = "text"


@dataclass(frozen=True, slots=True)
class ImagePart:
    """A PNG image. `label` is a short caption kept in logs instead of the bytes."""

    png: bytes
    label: str = "image"
    kind: Literal["image"] = "image"


Part = TextPart | ImagePart


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    parts: tuple[Part, ...]

    @classmethod
    def system(cls, text: str) -> Message:
        return cls("system", (TextPart(text),))

    @classmethod
    def user(cls, *parts: str | bytes | Part) -> Message:
        return cls("user", tuple(_part(p) for p in parts))

    @classmethod
    def assistant(cls, text: str) -> Message:
        return cls("assistant", (TextPart(text),))

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.parts if isinstance(p, TextPart))

    @property
    def images(self) -> list[ImagePart]:
        return [p for p in self.parts if isinstance(p, ImagePart)]


def _part(p: str | bytes | Part) -> Part:
    if isinstance(p, str):
        return TextPart(p)
    if isinstance(p, bytes):
        return ImagePart(p)
    return p


@dataclass(slots=True)
class Usage:
    """Token counts; adds up across calls."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.calls + other.calls,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "calls": self.calls,
        }


T = TypeVar("T", bound=BaseModel)

#: An OpenAI-style function tool: `{"type": "function", "function": {name, description,
#: parameters}}`.
ToolSpec = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class ModelRequest:
    """What a call is for. Subclasses (the agent's role inputs, a grounding sample) add the
    typed inputs the prompt was built from; `attempt` counts re-asks after unusable replies
    and `errors` says what was wrong with them."""

    role: str = ""
    attempt: int = 0
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A tool call in a reply, as OpenAI-compatible servers return it: `arguments` is the
    JSON text the model wrote (servers do not validate it)."""

    name: str
    arguments: str
    id: str = ""


@dataclass(slots=True)
class ModelResponse(Generic[T]):
    """One model call's outcome.

    `frames` has one entry per image sent, in order: the size the model saw and the size of
    the original. `parsed` is set when an output schema was given and the reply validated.
    `tool_calls` are the reply's tool calls when the server parsed them out of the text.
    """

    text: str
    model: str
    parsed: T | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    frames: list[ImageFrame] = field(default_factory=list)
    coords: CoordSpace = "pixels"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_device(self, x: float, y: float, image: int = -1) -> tuple[int, int]:
        """Convert a point of the reply (in this model's space) to original-image pixels."""
        if not self.frames:
            return (round(x), round(y))
        return self.frames[image].to_original(x, y, self.coords)


@runtime_checkable
class ChatModel(Protocol):
    """An async chat model.

    - `name` identifies it in logs, usage tables and prices;
    - `coords` is the coordinate space its family answers points in;
    - `image_rule` is how it sizes the images it sends;
    - `dialect` names the dialect it always speaks (offline policies speak `artemis`), or is
      None when the settings and its name decide (`artemis.models.dialects`).
    """

    name: str
    coords: CoordSpace
    image_rule: ImageRule
    dialect: str | None

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        """One call. Raises `ModelResponseError` when a schema is given and no reply fits it.

        `tools` are offered to the model as OpenAI function tools; the calls it makes come
        back in `ModelResponse.tool_calls`. `request` says what the call is for (see the
        module docstring).
        """
        ...
