"""Running a grounding model over ScreenSpot samples, resumably.

A two-stage pipeline under one `TaskGroup`: a few preparation workers read, resize and encode
images in threads (a prepared image is shared by the samples that use it), and `concurrency`
call workers send them to the model, parse the answer, map the point back to original pixels
and append the result to the run's `ResultStore`. Preparation runs ahead of the model calls,
bounded by a queue, so the CPU work stays off the critical path.

Prompts and answers are the dialect's (`artemis.models.dialects`): its grounding prompt and
parser, or with `as_manager` its navigation prompt, answered with a tap as the agent's Manager
would. The point conversion is the agent's: the image is resized by the model's resize rule
(`image_rule`, within `max_pixels`) and the answer is mapped back through
`ImageFrame.to_original`, using the frame the model reports it saw (`ModelResponse.frames`)
and the dialect's coordinate space.

Per-sample failures become records (`status` "wrong_format" or "error"); nothing one sample
does stops the run. A rerun skips samples whose record is "ok" or "wrong_format" and retries
errors. Cancelling the run (Ctrl-C) keeps every record already written.
"""

from __future__ import annotations

import asyncio
import functools
import math
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.bench.results import Record, ResultStore
from artemis.bench.screenspot.cache import AsyncLru
from artemis.bench.screenspot.data import Sample, find_image
from artemis.bench.screenspot.score import is_correct, prediction_from_record
from artemis.errors import ArtemisError, ModelResponseError
from artemis.models.base import ChatModel, ModelRequest, ModelResponse, Usage
from artemis.models.coords import NATIVE_SIZE, CoordSpace, ImageFrame, ImageRule
from artemis.models.dialects import ARTEMIS, Dialect, GroundedPoint, detect
from artemis.models.images import resize_for_model

#: Records with these statuses are finished; "error" records are retried by a rerun.
DONE_STATUSES = frozenset({"ok", "wrong_format"})
ANSWER_CHARS_KEPT = 2000
#: Deflate level of the PNGs sent to models: 1, the fastest (see artemis.png).
PNG_COMPRESS_LEVEL = 1


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run a model. `dialect` None: the one its name suggests, else `artemis`;
    `coords` None: the dialect's space, else the model's. `max_pixels=None` sends images at
    their own size; `multiple` overrides the side multiple of the model's resize rule."""

    dialect: Dialect | None = None
    as_manager: bool = False
    coords: CoordSpace | None = None
    concurrency: int = 8
    max_pixels: int | None = 1_003_520
    multiple: int | None = None
    timeout_s: float = 120.0
    prep_workers: int = field(default_factory=lambda: max(1, min(8, os.cpu_count() or 2)))
    image_cache: int = 8


@dataclass(frozen=True, kw_only=True)
class GroundRequest(ModelRequest):
    """A grounding call: find what `instruction` names on the screenshot."""

    role: str = "grounder"
    instruction: str
    sample_id: str = ""
    #: The screenshot's own size (the image sent may be smaller).
    image_size: tuple[int, int] = (0, 0)


def dialect_for(model: ChatModel, opts: RunOptions) -> Dialect:
    if opts.dialect is not None:
        return opts.dialect
    found = detect(model.name)
    return found.dialect if found else ARTEMIS


def coords_for(model: ChatModel, dialect: Dialect, opts: RunOptions) -> CoordSpace:
    """The space answers are read in: the option, else the name's own space (hosted
    variants that differ from their dialect), else the dialect's, else the model's."""
    if opts.coords is not None:
        return opts.coords
    found = detect(model.name)
    if found is not None and found.dialect is dialect and found.coords is not None:
        return found.coords
    return dialect.coords or model.coords


def image_rule(model: ChatModel, opts: RunOptions) -> ImageRule:
    """The rule images are resized by: the model's own within `max_pixels`, so that its
    backend sends our image as it is (and pixel answers refer to it)."""
    if opts.max_pixels is None:
        return NATIVE_SIZE
    rule = model.image_rule.capped(opts.max_pixels)
    if opts.multiple is not None and opts.multiple != rule.factor:
        m = opts.multiple
        rule = ImageRule(m, rule.min_pixels, max(rule.max_pixels, m * m))
    return rule


@dataclass(frozen=True, slots=True)
class PreparedImage:
    png: bytes
    frame: ImageFrame


@dataclass(slots=True)
class Selection:
    """Which samples a run covers: those with images, and those skipped for want of one."""

    runnable: list[tuple[Sample, Path]] = field(default_factory=list)
    missing: list[Sample] = field(default_factory=list)

    @property
    def samples(self) -> list[Sample]:
        return [s for s, _ in self.runnable]


def select(samples: Sequence[Sample], images: Path, limit: int | None = None) -> Selection:
    """The samples whose image exists under `images` (the first `limit` of them)."""
    out = Selection()
    for s in samples:
        path = find_image(images, s)
        if path is None:
            out.missing.append(s)
        elif limit is None or len(out.runnable) < limit:
            out.runnable.append((s, path))
    return out


@dataclass(slots=True)
class RunSummary:
    total: int = 0
    already_done: int = 0
    finished: int = 0
    usage: Usage = field(default_factory=Usage)
    elapsed_s: float = 0.0
    problems: list[str] = field(default_factory=list)
    #: Samples left undone because every Ray actor was lost (a rerun resumes them).
    unfinished: int = 0


def prepare_image(path: Path, rule: ImageRule) -> PreparedImage:
    """Read, resize and encode one image (CPU-bound: run it in a thread)."""
    data = path.read_bytes()
    png, frame = resize_for_model(data, rule, compress_level=PNG_COMPRESS_LEVEL)
    return PreparedImage(png, frame)


def to_original(
    response: ModelResponse[Any], point: GroundedPoint, sent: ImageFrame, coords: CoordSpace
) -> tuple[int, int]:
    """A point of the answer -> original-image pixels.

    The model saw `response.frames[0]` (a backend may resize again); that frame's original is
    the image we sent, whose own original is the screenshot. Both scalings are linear, so one
    frame from what the model saw to the screenshot converts in one step, rounding once.
    """
    space = point.space or coords
    frame = sent
    if response.frames:
        seen = response.frames[0]
        frame = ImageFrame(
            seen.sent_width, seen.sent_height, sent.original_width, sent.original_height
        )
    return frame.to_original(point.x, point.y, space)


_Prepared = tuple[Sample, Path, PreparedImage | None, str]


#: Runs the pending samples, appending each one's record to the store and counting it in the
#: summary: `(model, todo, store, options, summary, on_record)`.
Executor = Callable[
    [
        ChatModel,
        list[tuple[Sample, Path]],
        ResultStore,
        RunOptions,
        RunSummary,
        Callable[[Record], None] | None,
    ],
    Awaitable[None],
]


def pending(selection: Selection, store: ResultStore) -> list[tuple[Sample, Path]]:
    """The selected samples not yet done in `store`, the samples of one image next to each
    other (so its preparation is shared)."""
    done = store.done(lambda r: r.get("status") in DONE_STATUSES)
    todo = [(s, p) for s, p in selection.runnable if s.id not in done]
    todo.sort(key=lambda sp: str(sp[1]))
    return todo


async def run_samples(
    model: ChatModel,
    selection: Selection,
    store: ResultStore,
    options: RunOptions | None = None,
    *,
    on_record: Callable[[Record], None] | None = None,
    execute: Executor | None = None,
) -> RunSummary:
    """Run `model` on every selected sample not yet done in `store`: in this process, or
    through `execute` (a Ray cluster's, `artemis.bench.distributed.screenspot`)."""
    opts = options or RunOptions()
    todo = pending(selection, store)
    summary = RunSummary(total=len(selection.runnable))
    summary.already_done = summary.total - len(todo)
    started = time.perf_counter()
    if todo:
        await (execute or _pipeline)(model, todo, store, opts, summary, on_record)
    summary.elapsed_s = time.perf_counter() - started
    return summary


async def _pipeline(
    model: ChatModel,
    todo: list[tuple[Sample, Path]],
    store: ResultStore,
    opts: RunOptions,
    summary: RunSummary,
    on_record: Callable[[Record], None] | None,
) -> None:
    concurrency = max(1, opts.concurrency)
    pending: asyncio.Queue[tuple[Sample, Path]] = asyncio.Queue()
    for item in todo:
        pending.put_nowait(item)
    ready: asyncio.Queue[_Prepared | None] = asyncio.Queue(maxsize=concurrency)
    cache: AsyncLru[Path, PreparedImage] = AsyncLru(opts.image_cache)
    rule = image_rule(model, opts)
    dialect = dialect_for(model, opts)
    coords = coords_for(model, dialect, opts)

    async def prepare(path: Path) -> PreparedImage:
        return await asyncio.to_thread(prepare_image, path, rule)

    async def prep_worker() -> None:
        while True:
            try:
                sample, path = pending.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                prepared = await cache.get(path, functools.partial(prepare, path))
            except (OSError, ValueError) as exc:  # unreadable or not an image (PIL: ValueError)
                await ready.put((sample, path, None, f"cannot read image {path}: {exc}"))
                continue
            await ready.put((sample, path, prepared, ""))

    async def prep_stage() -> None:
        async with asyncio.TaskGroup() as ptg:
            for _ in range(max(1, opts.prep_workers)):
                ptg.create_task(prep_worker())
        for _ in range(concurrency):
            await ready.put(None)

    async def call_worker() -> None:
        while (item := await ready.get()) is not None:
            record = await _run_one(model, dialect, coords, item, opts, summary)
            await asyncio.to_thread(store.append, record)
            summary.finished += 1
            if on_record is not None:
                on_record(record)

    async with asyncio.TaskGroup() as tg:
        tg.create_task(prep_stage())
        for _ in range(concurrency):
            tg.create_task(call_worker())


async def _run_one(
    model: ChatModel,
    dialect: Dialect,
    coords: CoordSpace,
    item: _Prepared,
    opts: RunOptions,
    summary: RunSummary,
) -> Record:
    sample, path, prepared, read_error = item
    record: Record = {"id": sample.id, "point": None, "status": "error", "correct": False}
    if prepared is None:
        record["error"] = f"{sample.where}: {read_error}"
        summary.problems.append(record["error"])
        return record
    frame = prepared.frame
    record["image"] = [frame.sent_width, frame.sent_height]
    outside = sample.box.outside(frame.original_width, frame.original_height)
    if outside:
        note = f"{sample.where}: box {sample.box.as_list()} {outside} ({path.name})"
        note += "; scored as given"
        record["note"] = note
        summary.problems.append(note)
    # `frame` is the image as sent: the model sees it at its own size.
    seen = ImageFrame(frame.sent_width, frame.sent_height, frame.sent_width, frame.sent_height)
    ask = Dialect.grounding_messages if opts.as_manager else type(dialect).grounding_messages
    messages = ask(dialect, sample.instruction, prepared.png, seen, coords)
    out = dialect.output("navigation", coords) if opts.as_manager else None
    request = GroundRequest(
        instruction=sample.instruction,
        sample_id=sample.id,
        image_size=(frame.original_width, frame.original_height),
    )
    started = time.perf_counter()
    response: ModelResponse[Any]
    try:
        async with asyncio.timeout(opts.timeout_s + 5.0):
            response = await model.complete(
                messages,
                output_schema=out.schema if out else None,
                tools=out.tools if out else None,
                timeout_s=opts.timeout_s,
                request=request,
            )
    except TimeoutError:
        record["error"] = f"{sample.where}: no answer within {opts.timeout_s:g} s"
        return record
    except ArtemisError as exc:
        record["error"] = f"{sample.where}: {type(exc).__name__}: {exc}"
        return record
    except Exception as exc:  # the per-sample boundary: record it and go on
        record["error"] = f"{sample.where}: unexpected {type(exc).__name__}: {exc}"
        return record
    finally:
        record["latency_s"] = round(time.perf_counter() - started, 4)
    summary.usage = summary.usage + response.usage
    record["answer"] = response.text[:ANSWER_CHARS_KEPT]
    record["usage"] = response.usage.as_dict()
    read = dialect.tap_point if opts.as_manager else dialect.parse_grounding
    try:
        parsed = read(response.text, response.tool_calls)
        if not (math.isfinite(parsed.x) and math.isfinite(parsed.y)):
            raise ModelResponseError(f"the point ({parsed.x}, {parsed.y}) is not finite")
        x, y = to_original(response, parsed, frame, coords)
    except (ModelResponseError, ValueError, OverflowError) as exc:
        record["status"] = "wrong_format"
        record["error"] = str(exc)
        return record
    record.update(status="ok", point=[x, y], form=parsed.form)
    pred, _ = prediction_from_record(record)
    record["correct"] = is_correct(sample, pred)
    return record
