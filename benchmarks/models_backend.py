"""What the `openai:` backend costs on top of the bare SDK, and how it scales with concurrency.

Runs against the bundled local chat-completions server, side by side in one process:

1. per-call time with a zero-latency server: the bare `AsyncOpenAI` client, `OpenAIModel` on
   text, and `OpenAIModel` with a 1080x2400 screenshot (resized and encoded per call); then
   the image preparation alone (`resize_for_model`) beside the same resize written by Pillow's
   PNG encoder at its default level 6, as the backend did before `artemis.png`;
2. throughput with a fixed server latency at several concurrency levels, against the ideal
   `concurrency / latency`.

The server runs on threads of this process, so at a few hundred calls a second it shares
the interpreter with the client and becomes the limit; use a longer latency to measure a
client's concurrency beyond that.

    python benchmarks/models_backend.py [--calls 200] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time
from collections.abc import Awaitable, Callable

from openai import AsyncOpenAI
from PIL import Image, ImageDraw
from pydantic import BaseModel

from artemis.models.base import Message
from artemis.models.connection import resolve_connection
from artemis.models.coords import fit_pixels
from artemis.models.fake_server import FakeChatServer, always
from artemis.models.images import resize_for_model
from artemis.models.openai_backend import OpenAIModel


class Point(BaseModel):
    x: int
    y: int


def screenshot() -> bytes:
    """A busy 1080x2400 screen (text-like stripes), so PNG encoding does real work."""
    img = Image.new("RGB", (1080, 2400), "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, 2400, 24):
        draw.text((20, y), f"row {y} " * 12, fill=(y % 200, 40, 90))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def pillow_prepare(png: bytes, max_pixels: int, multiple: int) -> bytes:
    """The preparation as it was before: Pillow converts, resizes and writes PNG level 6."""
    with Image.open(io.BytesIO(png)) as img:
        size = fit_pixels(*img.size, max_pixels, multiple=multiple)
        out = img.convert("RGB").resize(size, Image.Resampling.BILINEAR)
        buf = io.BytesIO()
        out.save(buf, "PNG", compress_level=6)
        return buf.getvalue()


def prepare_ms(png: bytes, model: OpenAIModel, rounds: int) -> dict[str, tuple[float, int]]:
    """Median ms and bytes of each way of preparing `png`, alternated round by round."""
    ways = {
        "resize_for_model": lambda: resize_for_model(png, model.image_rule)[0],
        "Pillow level 6": lambda: pillow_prepare(
            png, model.image_rule.max_pixels, model.image_rule.factor
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, fn in ways.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return {n: (statistics.median(t) * 1000, len(ways[n]())) for n, t in times.items()}


async def per_call(n: int, fn: Callable[[], Awaitable[object]]) -> float:
    await fn()  # warm the connection
    started = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - started) / n * 1000


async def throughput(model: OpenAIModel, concurrency: int, calls: int) -> float:
    sem = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with sem:
            await model.complete([Message.user("tap")], output_schema=Point)

    started = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        for _ in range(calls):
            tg.create_task(one())
    return calls / (time.perf_counter() - started)


async def main(calls: int, latency_ms: float) -> None:
    png = screenshot()
    async with FakeChatServer(always({"x": 10, "y": 20})) as server:
        conn = resolve_connection(server.base_url, "bench", env={})
        sdk = AsyncOpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
        model = OpenAIModel("qwen2.5-vl-7b", connection=conn)

        async def bare() -> object:
            return await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "tap"}]
            )

        async def text() -> object:
            return await model.complete([Message.user("tap")], output_schema=Point)

        async def image() -> object:
            return await model.complete([Message.user("tap", png)], output_schema=Point)

        base = await per_call(calls, bare)
        with_model = await per_call(calls, text)
        with_image = await per_call(max(10, calls // 10), image)
        print(f"per call, zero-latency server ({calls} calls; image {max(10, calls // 10)}):")
        print(f"  bare AsyncOpenAI            {base:7.2f} ms  1.00x")
        print(f"  OpenAIModel, text + schema  {with_model:7.2f} ms  {with_model / base:.2f}x")
        print(f"  OpenAIModel, 1080x2400 PNG  {with_image:7.2f} ms  {with_image / base:.2f}x")
        prep = prepare_ms(png, model, max(10, calls // 10))
        now, before = prep["resize_for_model"], prep["Pillow level 6"]
        print("image preparation alone (resize to the budget, encode PNG):")
        print(f"  resize_for_model            {now[0]:7.2f} ms  {now[1]:9,d} bytes")
        print(
            f"  Pillow PNG level 6 (before) {before[0]:7.2f} ms  {before[1]:9,d} bytes"
            f"  {before[0] / now[0]:.2f}x the time"
        )
        await sdk.close()

        server.latency_s = latency_ms / 1000
        print(f"throughput, server latency {latency_ms:g} ms:")
        for concurrency in (1, 8, 32):
            n = max(20, concurrency * 6)
            rate = await throughput(model, concurrency, n)
            ideal = concurrency / server.latency_s
            print(
                f"  concurrency {concurrency:3d}: {rate:7.1f} calls/s "
                f"(ideal {ideal:7.1f}; {rate / ideal:.2f} of ideal)"
            )
        await model.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.latency_ms))
