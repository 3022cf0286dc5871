"""Image helpers shared by model backends, the agent's drawings and the benchmarks, and the
cache of prepared images (`prepare`): each screen resized once per model rule."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import threading
from collections import OrderedDict

from PIL import Image

from artemis.models.coords import ImageFrame, ImageRule
from artemis.png import encode_png, png_dimensions


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of an image: from the PNG header without decoding, or, for another
    format, from what Pillow reads of it."""
    size = png_dimensions(png)
    if size is not None:
        return size
    with Image.open(io.BytesIO(png)) as img:
        return img.size


def resize_for_model(
    png: bytes,
    max_pixels: int | ImageRule,
    *,
    multiple: int = 1,
    fmt: str = "PNG",
    compress_level: int = 1,
) -> tuple[bytes, ImageFrame]:
    """Resize an image by a model's resize rule (or to a pixel budget with sides a
    `multiple`); returns the encoded image and its frame.

    Any format Pillow reads is accepted; the output is `fmt`, as RGB, except that a PNG
    already of the right size comes back as it is. PNG is written by `artemis.png`
    (unfiltered rows, ISA-L at level 1), with the same pixels as Pillow's PNG;
    `compress_level` (0-9) is its deflate level: 1, the default, is the fastest, higher levels
    give smaller files for more time.

    CPU-bound: call it through `asyncio.to_thread` from async code.
    """
    with Image.open(io.BytesIO(png)) as img:
        ow, oh = img.size
        rule = (
            max_pixels
            if isinstance(max_pixels, ImageRule)
            else ImageRule(multiple, 0, max(max_pixels, multiple * multiple))
        )
        w, h = rule.size(ow, oh)
        frame = ImageFrame(w, h, ow, oh)
        if (w, h) == (ow, oh) and fmt == "PNG" and img.format == "PNG":
            return png, frame
        out = img if img.mode == "RGB" else img.convert("RGB")
        if (w, h) != (ow, oh):
            out = out.resize((w, h), Image.Resampling.BILINEAR)
        if fmt == "PNG":
            return encode_png(out, compress_level), frame
        buf = io.BytesIO()
        options: dict[str, int] = {"quality": 90} if fmt == "JPEG" else {}
        out.save(buf, format=fmt, **options)
        return buf.getvalue(), frame


# --- one prepared image per screen and rule ---------------------------------------------------

Prepared = tuple[bytes, ImageFrame]

#: Screens (with their rules) whose prepared image is kept: a step's before and after for a
#: few rules, on several phones at once.
PREPARED_KEPT = 32

_prepared: OrderedDict[tuple[bytes, ImageRule], concurrent.futures.Future[Prepared]] = OrderedDict()
_prepared_lock = threading.Lock()


_warming: set[asyncio.Task[Prepared]] = set()


def prepare_soon(png: bytes, rule: ImageRule) -> None:
    """Start `prepare(png, rule)` without waiting for it, for a screen that is about to be
    sent to a model: whoever asks for it later finds it ready, or joins the work in flight.
    Nothing is started for an image the rule keeps as it is."""
    size = png_dimensions(png)
    if size is not None and rule.size(*size) == size:
        return
    task = asyncio.get_running_loop().create_task(prepare(png, rule))
    _warming.add(task)
    task.add_done_callback(_settled)


def _settled(task: asyncio.Task[Prepared]) -> None:
    _warming.discard(task)
    if not task.cancelled():
        task.exception()  # the caller that needs the image meets the error itself


class _Abandoned(Exception):
    """The caller doing the work was cancelled before it finished."""


async def prepare(png: bytes, rule: ImageRule) -> Prepared:
    """`resize_for_model(png, rule)`, done once per screen and rule and shared by every caller
    (every role that sends the screen to a model of that rule, and the TAC drawing), in a
    worker thread, never on the event loop's. Concurrent callers wait for the same work."""
    key = (png, rule)
    with _prepared_lock:
        future = _prepared.get(key)
        owner = future is None
        if future is None:
            future = _prepared[key] = concurrent.futures.Future()
            while len(_prepared) > PREPARED_KEPT:
                _prepared.popitem(last=False)
        else:
            _prepared.move_to_end(key)
    if not owner:
        try:
            return await asyncio.wrap_future(future)
        except _Abandoned:  # its owner was cancelled: do the work here
            return await asyncio.to_thread(resize_for_model, png, rule)
    try:
        result = await asyncio.to_thread(resize_for_model, png, rule)
    except BaseException as exc:
        with _prepared_lock:
            if _prepared.get(key) is future:
                del _prepared[key]
        future.set_exception(exc if isinstance(exc, Exception) else _Abandoned())
        raise
    future.set_result(result)
    return result
