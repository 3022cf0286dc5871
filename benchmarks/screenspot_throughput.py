"""ScreenSpot runner throughput against a model with a fixed 0.5 s latency.

Two models side by side, each at concurrency 1, 8 and 32, on screenshots of two sizes
(1080x2400 and 2560x1440; one distinct image per sample, as in ScreenSpot-Pro, so no
preparation is shared):

- `in-process`: a function model that sleeps 0.5 s and answers; the harness alone;
- `openai+http`: `openai:qwen2.5-vl-7b` through the real openai client and HTTP to the local
  chat-completions server (`artemis.models.fake_server`, 0.5 s latency), which runs in a
  process of its own, as a model server would (it still shares this machine's cores).

For each run: samples per second, the ideal (concurrency / 0.5 s), their ratio, and the
overhead per sample on the critical path: wall time x concurrency / samples - 0.5 s, as a
share of the 0.5 s call. Also CPU time per sample. Target: overhead <= 10% of the call.

    python benchmarks/screenspot_throughput.py [--per-slot 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from artemis.bench.screenspot import RunOptions, load_dataset, run_model
from artemis.config import Settings
from artemis.models.base import ChatModel
from artemis.models.fake_server import FakeChatServer, always
from artemis.models.registry import resolve_model
from artemis.models.testing import Call, FunctionModel

LATENCY_S = 0.5
CONCURRENCY = (1, 8, 32)
SIZES = ((1080, 2400), (2560, 1440))
REPO = Path(__file__).resolve().parent.parent
REAL = {
    (1080, 2400): "v2/images/mobile_3a1f306e-784a-411a-98cb-f11a2157a5c7.png",
    (2560, 1440): "v2/images/web_f4ee1ae3-a244-40f8-90cb-e68411f00636.png",
}


def base_image(size: tuple[int, int]) -> Image.Image:
    """A real ScreenSpot screenshot resized to `size` when shared/ is here, else a drawn one."""
    for base in (REPO.parent, REPO.parent.parent):
        path = base / "shared" / "data" / "screenspot" / REAL[size]
        if path.is_file():
            with Image.open(path) as src:
                return src.convert("RGB").resize(size)
    img = Image.new("RGB", size, (245, 245, 245))
    draw = ImageDraw.Draw(img)
    for i, y in enumerate(range(0, size[1], 120)):
        draw.rectangle((20, y + 10, size[0] - 20, y + 100), outline=(180,) * 3, width=2)
        draw.text((40, y + 40), f"Setting {i}: a line of text", fill=(20,) * 3)
    return img


def make_dataset(folder: Path, size: tuple[int, int], n: int) -> Path:
    """`n` distinct screenshots of `size` and a v2-layout annotation file for them."""
    images = folder / "images"
    images.mkdir(parents=True)
    base = base_image(size)
    items = []
    for i in range(n):
        img = base.copy()
        ImageDraw.Draw(img).rectangle((0, 0, 40 + i, 12), fill=(i % 256, 0, 0))  # distinct
        name = f"s{i}.png"
        img.save(images / name)
        items.append(
            {
                "img_filename": name,
                "bbox": [0, 0, 50, 50],
                "instruction": f"tap item {i}",
                "data_type": "text",
                "data_source": "bench",
            }
        )
    (folder / "ann").mkdir()
    (folder / "ann" / "screenspot_mobile_v2.json").write_text(json.dumps(items))
    return folder


def _serve(latency_s: float, ports: Queue[int], stop: Event) -> None:
    with FakeChatServer(always("(10, 10)"), latency_s=latency_s) as server:
        ports.put(server.port)
        stop.wait()


@contextmanager
def serve_in_subprocess(latency_s: float) -> Iterator[str]:
    """The local chat-completions server in a child process; yields its base URL."""
    ctx = multiprocessing.get_context("spawn")
    ports: Queue[int] = ctx.Queue()
    stop = ctx.Event()
    proc = ctx.Process(target=_serve, args=(latency_s, ports, stop), daemon=True)
    proc.start()
    try:
        port = ports.get(timeout=30)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop.set()
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()


async def sleeper(call: Call) -> str:
    await asyncio.sleep(LATENCY_S)
    return "(10, 10)"


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def one_run(
    model: ChatModel, folder: Path, out: Path, concurrency: int, n: int
) -> dict[str, Any]:
    ds = load_dataset("screenspot-v2", folder / "ann")
    opts = RunOptions(concurrency=concurrency, multiple=28)
    cpu0, t0 = cpu_s(), time.perf_counter()
    run = await run_model(model, ds, folder / "images", out, opts, limit=n)
    wall, cpu = time.perf_counter() - t0, cpu_s() - cpu0
    assert run.report.total.n == n and run.report.errors == 0, run.report.problems[:3]
    per_slot = wall * concurrency / n
    return {
        "rate": n / wall,
        "ideal": concurrency / LATENCY_S,
        "overhead": (per_slot - LATENCY_S) / LATENCY_S,
        "cpu_ms": 1000 * cpu / n,
        "n": n,
        "wall": wall,
    }


async def main_async(per_slot: int) -> None:
    print(f"model latency {LATENCY_S} s; {per_slot} samples per concurrency slot (min 8)\n")
    head = (
        f"{'screen':11}{'model':13}{'conc':>5}{'n':>5}{'wall s':>8}{'samples/s':>11}"
        f"{'ideal/s':>9}{'ratio':>7}{'overhead/call':>15}{'CPU ms/sample':>15}"
    )
    print(head)
    print("-" * len(head))
    with serve_in_subprocess(LATENCY_S) as base_url:
        settings = Settings(models={"base_url": base_url, "api_key": "local"})
        for size in SIZES:
            n_max = max(8, per_slot * max(CONCURRENCY))
            with tempfile.TemporaryDirectory() as tmp:
                folder = await asyncio.to_thread(make_dataset, Path(tmp), size, n_max)
                models: list[tuple[str, ChatModel]] = [
                    ("in-process", FunctionModel(sleeper, name="sleeper")),
                    ("openai+http", resolve_model("openai:qwen2.5-vl-7b", settings)),
                ]
                for c in CONCURRENCY:
                    n = max(8, per_slot * c)
                    for label, model in models:
                        out = Path(tmp) / f"run-{label}-{c}"
                        r = await one_run(model, folder, out, c, n)
                        print(
                            f"{size[0]}x{size[1]:<6}{label:13}{c:>5}{r['n']:>5}{r['wall']:>8.2f}"
                            f"{r['rate']:>11.2f}{r['ideal']:>9.1f}{r['rate'] / r['ideal']:>7.2f}"
                            f"{100 * r['overhead']:>14.1f}%{r['cpu_ms']:>15.1f}"
                        )
    print("\noverhead/call: wall x concurrency / samples - 0.5 s, over 0.5 s (target <= 10%)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-slot", type=int, default=5, help="samples per concurrency slot")
    args = ap.parse_args()
    asyncio.run(main_async(args.per_slot))


if __name__ == "__main__":
    main()
