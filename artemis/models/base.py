"""The ChatModel contract: messages with text and images in; text, parsed object, usage out.

Images are passed as PNG bytes at the device's resolution. A backend resizes them to its
pixel budget and records, in the response, the frame it actually sent, so that coordinates
in the reply can be converted back to device pixels in one place (`artemis.models.coords`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from artemis.models.coords import CoordSpace, ImageFrame

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


@dataclass(slots=True)
class ModelResponse(Generic[T]):
    """One model call's outcome.

    `frames` has one entry per image sent, in order: the size the model saw and the size of
    the original. `parsed` is set when an output schema was given and the reply validated.
    """

    text: str
    model: str
    parsed: T | None = None
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
    """An async chat model. `name` identifies it in logs, usage tables and prices."""

    name: str
    coords: CoordSpace

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        timeout_s: float | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> ModelResponse[T]:
        """One call. Raises `ModelResponseError` when a schema is given and no reply fits it.

        `context` carries the structured inputs a role built its prompt from (`role`, `task`,
        `observation`, `tips`, `memory`, ...). LLM backends ignore it; offline policies
        (`heuristic`, the benchmark oracle) and test models read it instead of the prompt.
        """
        ...
