"""The CPU baseline grounder: OCR plus a fuzzy match of the instruction, no model service.

`OcrGrounder` follows the `ChatModel` contract, so the ScreenSpot runner drives it like any
model (resume, concurrency, report). It reads the instruction from the call's request,
recognises the text of the image, and answers `(x, y)` on the best-matching text box, or
says that nothing matched (scored as wrong format). It is a baseline, not a language model:
it can only find elements that carry visible text, so expect little on icons.

OCR results are cached per image, since several samples share one screenshot. Importing
this module registers the spec `ocr` with the model registry.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel

from artemis.bench.screenspot.cache import AsyncLru
from artemis.config import Settings
from artemis.errors import ModelConfigError, ModelResponseError
from artemis.models.base import ChatModel, Message, ModelRequest, ModelResponse, ToolSpec, Usage
from artemis.models.coords import NATIVE_SIZE, CoordSpace, ImageFrame, ImageRule
from artemis.models.images import png_size
from artemis.models.registry import register_backend
from artemis.ocr import OcrEngine, TextBox, best_match, load_engine

T = TypeVar("T", bound=BaseModel)

NO_MATCH = "no text on the screen matches the instruction"


class OcrGrounder:
    """Grounds an instruction on the text OCR finds in the image."""

    coords: CoordSpace = "pixels"
    #: OCR reads small text better at full size: the runner sends images unresized.
    image_rule: ImageRule = NATIVE_SIZE
    #: It answers a point, "(x, y)", which the artemis dialect's grounding parser reads.
    dialect: str | None = "artemis"

    def __init__(self, engine: OcrEngine | None = None, *, cache_size: int = 32) -> None:
        self.engine = engine if engine is not None else load_engine()
        self.name = f"ocr-baseline ({self.engine.name})"
        self._cache: AsyncLru[bytes, list[TextBox]] = AsyncLru(cache_size)

    async def read(self, png: bytes) -> list[TextBox]:
        """The text boxes of an image, from the cache when it was read before."""
        key = hashlib.blake2b(png, digest_size=16).digest()
        return await self._cache.get(key, lambda: asyncio.to_thread(self.engine.read, png))

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        started = time.perf_counter()
        images = [img for m in messages for img in m.images]
        if not images:
            raise ModelResponseError("the OCR grounder needs an image in the messages")
        instruction = str(getattr(request, "instruction", None) or messages[-1].text)
        png = images[-1].png
        boxes = await self.read(png)
        match = best_match(instruction, boxes)
        text = NO_MATCH if match is None else f"({round(match.x)}, {round(match.y)})"
        w, h = png_size(png)
        return ModelResponse(
            text=text,
            model=self.name,
            usage=Usage(calls=1),
            latency_s=time.perf_counter() - started,
            frames=[ImageFrame(w, h, w, h)],
            coords=self.coords,
            extra={"ocr_boxes": len(boxes), "score": match.score if match else 0.0},
        )


def _factory(rest: str, settings: Settings) -> ChatModel:
    if rest:
        raise ModelConfigError(
            f"the OCR baseline takes no model name (got 'ocr:{rest}'); use 'ocr'"
        )
    return OcrGrounder()


register_backend(
    "ocr",
    _factory,
    form="ocr",
    help="ScreenSpot's CPU grounding baseline, OCR + fuzzy text match; answers points, "
    "not actions (needs the ocr extra)",
    replace=True,
    uses=("grounding",),
)
