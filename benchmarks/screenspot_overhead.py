"""Harness overhead per ScreenSpot sample, against the 0.5 s of a typical model call.

Times, per sample and on one thread, what the harness adds around a model call: read the
screenshot, prepare it (decode, resize to the model's budget, encode PNG), build the prompt,
parse the answer, map the point back, score it, and append the record durably (fsync). Two
screen sizes: a phone (1080x2400) and a desktop (2560x1440). The screenshots are real
ScreenSpot-v2 images resized to those sizes when shared/data is beside the checkout, else
drawn here.

The image stages are split out, and the PNG writer the harness uses (`artemis.png`, level 1)
is timed beside Pillow's writer at level 1 (what the harness used before) and at its default 6
(what the `openai:` backend used before); "prepare image, Pillow PNG" is the whole preparation
as it was before, for a ratio measured in the same run.

    python benchmarks/screenspot_overhead.py [--repeat 15]

Target: the overhead is at most 10% of a 0.5 s model call (50 ms).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from artemis.bench.results import ResultStore
from artemis.bench.screenspot.data import Box, Sample
from artemis.bench.screenspot.runner import prepare_image, to_original
from artemis.bench.screenspot.score import Prediction, is_correct
from artemis.models.base import Message, ModelResponse
from artemis.models.coords import ImageRule, fit_pixels
from artemis.models.dialects import ARTEMIS
from artemis.models.dialects.points import parse_point
from artemis.png import encode_png

MODEL_CALL_S = 0.5
BUDGET = 1_003_520
REPO = Path(__file__).resolve().parent.parent
# shared/ sits beside the checkout, or beside the folder of worktrees.
SHARED_CANDIDATES = [
    base / "shared" / "data" / "screenspot" for base in (REPO.parent, REPO.parent.parent)
]
REAL = {
    (1080, 2400): "v2/images/mobile_3a1f306e-784a-411a-98cb-f11a2157a5c7.png",
    (2560, 1440): "v2/images/web_f4ee1ae3-a244-40f8-90cb-e68411f00636.png",
}


def screenshot(size: tuple[int, int], folder: Path) -> tuple[Path, str]:
    """A screenshot of `size` on disk: a real one resized, or a drawn one."""
    path = folder / f"screen_{size[0]}x{size[1]}.png"
    found = [base / REAL[size] for base in SHARED_CANDIDATES if (base / REAL[size]).is_file()]
    if found:
        real = found[0]
        with Image.open(real) as src:
            src.convert("RGBA" if size[0] > size[1] else "RGB").resize(size).save(path)
        return path, f"real ({real.name})"
    img = Image.new("RGB", size, (245, 245, 245))
    draw = ImageDraw.Draw(img)
    for i, y in enumerate(range(0, size[1], 120)):
        draw.rectangle((20, y + 10, size[0] - 20, y + 100), outline=(180, 180, 180), width=2)
        draw.text((40, y + 40), f"Setting number {i}: a line of text to compress", fill=(20,) * 3)
    img.save(path)
    return path, "drawn"


def per_call_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def measure(size: tuple[int, int], folder: Path, repeat: int) -> tuple[dict[str, float], str]:
    path, kind = screenshot(size, folder)
    data = path.read_bytes()
    sample = Sample(
        id="s_0", dataset="screenspot-v2", file="f.json", index=0, img_filename=path.name,
        instruction="open the settings of the app", box=Box(100, 200, 400, 300),
        ui_type="text", category="mobile",
    )  # fmt: skip
    w, h = fit_pixels(*size, BUDGET, multiple=28)
    prepared = prepare_image(path, ImageRule(28, 0, BUDGET))
    answer = "Thought: the settings entry is near the top.\nAction: click(start_box='(120,110)')"
    response: ModelResponse[Any] = ModelResponse(text=answer, model="m")
    store = ResultStore(folder / f"results_{size[0]}.jsonl")
    counter = iter(range(10**9))

    def decode() -> Image.Image:
        img = Image.open(io.BytesIO(data))
        img.load()
        return img

    decoded = decode()

    def resize() -> Image.Image:
        rgb = decoded if decoded.mode == "RGB" else decoded.convert("RGB")
        return rgb.resize((w, h), Image.Resampling.BILINEAR)

    resized = resize()

    def pillow_png(img: Image.Image, level: int) -> bytes:
        buf = io.BytesIO()
        img.save(buf, format="PNG", compress_level=level)
        return buf.getvalue()

    def pillow_prepare() -> bytes:
        """The preparation as it was before: Pillow converts, resizes and writes level 1."""
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as img:
            out = img.convert("RGB").resize((w, h), Image.Resampling.BILINEAR)
            return pillow_png(out, 1)

    def prompt() -> list[Message]:
        return ARTEMIS.grounding_messages(
            sample.instruction, prepared.png, prepared.frame, "pixels"
        )

    def parse_map_score() -> bool:
        p = parse_point(response.text)
        x, y = to_original(response, p, prepared.frame, "pixels")
        return is_correct(sample, Prediction(sample.id, (x, y)))

    def append() -> None:
        store.append({"id": f"s_{next(counter)}", "point": [1, 2], "status": "ok"})

    stages = {
        "read file": per_call_ms(path.read_bytes, repeat),
        "  decode": per_call_ms(decode, repeat),
        "  resize": per_call_ms(resize, repeat),
        "  encode PNG, artemis.png level 1 (used)": per_call_ms(
            lambda: encode_png(resized), repeat
        ),
        "  encode PNG, Pillow level 1 (before)": per_call_ms(
            lambda: pillow_png(resized, 1), repeat
        ),
        "  encode PNG, Pillow level 6": per_call_ms(lambda: pillow_png(resized, 6), repeat),
        "prepare image (decode+resize+encode)": per_call_ms(
            lambda: prepare_image(path, ImageRule(28, 0, BUDGET)), repeat
        ),
        "prepare image, Pillow PNG (before)": per_call_ms(pillow_prepare, repeat),
        "prompt": per_call_ms(prompt, repeat),
        "parse + map + score": per_call_ms(parse_map_score, repeat * 20),
        "append record (fsync)": per_call_ms(append, repeat),
    }
    sizes = (len(prepared.png), len(pillow_png(resized, 1)), len(pillow_png(resized, 6)))
    note = f"{kind}, sent as {w}x{h}; PNG bytes: artemis.png {sizes[0]:,}, Pillow level 1 "
    return stages, note + f"{sizes[1]:,}, Pillow level 6 {sizes[2]:,}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    sizes = [(1080, 2400), (2560, 1440)]
    with tempfile.TemporaryDirectory() as tmp:
        results = [measure(size, Path(tmp), args.repeat) for size in sizes]
    names = list(results[0][0])
    head = f"{'stage (median ms per sample)':40}" + "".join(f"{f'{a}x{b}':>14}" for a, b in sizes)
    print(head)
    print("-" * len(head))
    for name in names:
        print(f"{name:40}" + "".join(f"{r[0][name]:14.2f}" for r in results))
    counted = ["read file", "prepare image (decode+resize+encode)", "prompt",
               "parse + map + score", "append record (fsync)"]  # fmt: skip
    totals = [sum(r[0][n] for n in counted) for r in results]
    before = [
        t - r[0][counted[1]] + r[0]["prepare image, Pillow PNG (before)"]
        for t, r in zip(totals, results, strict=True)
    ]
    print("-" * len(head))
    print(f"{'total overhead':40}" + "".join(f"{t:14.2f}" for t in totals))
    ratios = "".join(f"{t / (10 * MODEL_CALL_S):13.1f}%" for t in totals)
    print(f"{'overhead / 0.5 s model call':40}" + ratios)
    print(f"{'target':40}" + f"{'<= 10.0%':>14}" * len(sizes))
    print(f"{'total with Pillow PNG (before)':40}" + "".join(f"{t:14.2f}" for t in before))
    print(
        f"{'  before / now':40}"
        + "".join(f"{b / t:13.2f}x" for b, t in zip(before, totals, strict=True))
    )
    for (a, b), (_, note) in zip(sizes, results, strict=True):
        print(f"{a}x{b}: {note}")


if __name__ == "__main__":
    main()
