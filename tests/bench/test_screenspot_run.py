"""Running models over ScreenSpot samples: coordinate mapping on the real screenshots, resume,
cancellation, and per-sample failures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

from artemis.bench.results import ResultStore, read_records
from artemis.bench.screenspot import RunOptions, load_dataset, run_model
from artemis.bench.screenspot.data import Dataset, Sample
from artemis.bench.screenspot.runner import GroundRequest, prepare_image
from artemis.errors import BenchmarkError, ModelTimeoutError
from artemis.models.base import Message, ModelRequest, ModelResponse, ToolSpec
from artemis.models.coords import NATIVE_SIZE, CoordSpace, ImageFrame, ImageRule
from artemis.models.images import png_size, resize_for_model
from artemis.models.testing import Call, FunctionModel
from tests.bench.screenspot_fixtures import V2_FILES, write_annotations, write_image
from tests.conftest import SCREENSPOT_DATA

T = TypeVar("T", bound=BaseModel)

needs_data = pytest.mark.skipif(
    SCREENSPOT_DATA is None, reason="shared/data/screenspot is not beside this checkout"
)


@pytest.fixture(scope="module")
def real() -> tuple[Dataset, Path]:
    if SCREENSPOT_DATA is None:
        pytest.skip("shared/data/screenspot is not beside this checkout")
    ds = load_dataset("screenspot-v2", SCREENSPOT_DATA / "v2" / "annotations")
    return ds, SCREENSPOT_DATA / "v2" / "images"


def _req(call: Call) -> GroundRequest:
    assert isinstance(call.request, GroundRequest)
    return call.request


def _sample(ds: Dataset, call: Call) -> Sample:
    return ds.by_id()[_req(call).sample_id]


def _image_size(call: Call) -> tuple[int, int]:
    return png_size(call.messages[-1].images[-1].png)


def _oracle(ds: Dataset, space: CoordSpace) -> FunctionModel:
    """Answers each sample's box centre in `space`, computed from the image it was sent."""
    by_id = ds.by_id()

    def answer(call: Call) -> str:
        s = by_id[_req(call).sample_id]
        cx, cy = s.box.centre
        w, h = _image_size(call)
        ow, oh = _req(call).image_size
        if space == "pixels":
            return f"({round(cx * w / ow)}, {round(cy * h / oh)})"
        return f"<point>{round(cx / ow * 1000)} {round(cy / oh * 1000)}</point>"

    return FunctionModel(answer, name=f"oracle-{space}", coords=space)


@needs_data
@pytest.mark.parametrize("space", ["pixels", "norm1000"])
async def test_answers_in_the_sent_image_map_back_onto_the_real_boxes(
    real: tuple[Dataset, Path], tmp_path: Path, space: CoordSpace
) -> None:
    ds, images = real
    model = _oracle(ds, space)
    opts = RunOptions(concurrency=4, multiple=28)
    run = await run_model(model, ds, images, tmp_path / "run", opts)
    assert run.report.total.n == 21 and run.report.total.correct == 21
    assert run.report.skipped_no_image == 1272 - 21
    # The model saw resized images: within the pixel budget, sides multiples of 28.
    sizes = [(_image_size(c), _req(c).image_size) for c in model.calls]
    assert all(w * h <= 1_003_520 and w % 28 == 0 and h % 28 == 0 for (w, h), _ in sizes)
    assert all(w < ow and h < oh for (w, h), (ow, oh) in sizes)
    # Mapped back to within a pixel or two of the true centre (rounding in the sent image).
    records = read_records(tmp_path / "run" / "results.jsonl").records
    by_id = ds.by_id()
    for case_id, record in records.items():
        cx, cy = by_id[case_id].box.centre
        x, y = record["point"]
        assert abs(x - cx) <= 3 and abs(y - cy) <= 3, (case_id, record, (cx, cy))
    assert json.loads((tmp_path / "run" / "report.json").read_text())["counts"]["samples"] == 21


class _ResizingBackend:
    """Resizes again, as a backend with a smaller budget does, and reports the frame it sent."""

    coords: CoordSpace = "pixels"
    image_rule: ImageRule = NATIVE_SIZE
    dialect: str | None = None

    def __init__(self, inner: FunctionModel, max_pixels: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_pixels = max_pixels

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        timeout_s: float | None = None,
        tools: Sequence[ToolSpec] | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        png = messages[-1].images[-1].png
        small, frame = resize_for_model(png, self.max_pixels)
        resp: ModelResponse[T] = await self.inner.complete(
            [Message.user(small, messages[-1].text)], request=request
        )
        resp.frames = [frame]
        return resp


@needs_data
async def test_a_backend_that_resizes_again_still_maps_back_in_one_step(
    real: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = real
    model = _ResizingBackend(_oracle(ds, "pixels"), max_pixels=200_000)
    run = await run_model(model, ds, images, tmp_path / "run", RunOptions(concurrency=3))
    assert run.report.total.correct == 21


@needs_data
async def test_normalised_floats_and_the_manager_tap_are_understood(
    real: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = real

    def floats(call: Call) -> str:
        s = _sample(ds, call)
        ow, oh = _req(call).image_size
        return f"[{s.box.centre[0] / ow:.4f}, {s.box.centre[1] / oh:.4f}]"

    run = await run_model(
        FunctionModel(floats, coords="pixels"), ds, images, tmp_path / "a", RunOptions()
    )
    assert run.report.total.correct == 21

    def tap(call: Call) -> dict[str, Any]:
        assert '"tap"' in call.text and "Tap this element" in call.text
        s = _sample(ds, call)
        w, h = _image_size(call)
        ow, oh = _req(call).image_size
        x, y = round(s.box.centre[0] * w / ow), round(s.box.centre[1] * h / oh)
        return {"thought": "tap it", "action": {"type": "tap", "target": {"x": x, "y": y}}}

    opts = RunOptions(as_manager=True)
    run = await run_model(FunctionModel(tap, name="manager"), ds, images, tmp_path / "b", opts)
    assert run.report.total.correct == 21
    assert run.report.meta["prompt"] == "artemis navigation"


@pytest.fixture
def small(tmp_path: Path) -> tuple[Dataset, Path]:
    """The hand-built v2 fixture with images: m1.png 500x500, m2 as a real JPEG, d1, w1."""
    ds = load_dataset("screenspot-v2", write_annotations(tmp_path / "ann", V2_FILES))
    images = tmp_path / "images"
    write_image(images / "m1.png", (500, 500))
    write_image(images / "m2.jpg", (40, 40), fmt="JPEG")
    write_image(images / "d1.png", (300, 200))
    return ds, images  # w1.png is missing


def _centre(ds: Dataset, call: Call) -> str:
    """The box centre, in pixels of the image the call carries."""
    cx, cy = _sample(ds, call).box.centre
    w, h = _image_size(call)
    ow, oh = _req(call).image_size
    return f"({round(cx * w / ow)}, {round(cy * h / oh)})"


def _centre_model(ds: Dataset, **kw: Any) -> FunctionModel:
    return FunctionModel(lambda c: _centre(ds, c), **kw)


@pytest.mark.parametrize(
    ("name", "scale", "form"),
    [
        # MAI-UI thinks aloud in <grounding_think> (with a decoy point) and answers 0..999 in
        # <answer> (the form of Tongyi-MAI/MAI-UI's published ScreenSpot-Pro outputs).
        ("Tongyi-MAI/MAI-UI-8B", 999, "mai"),
        # CogAgent's box, 0..1000; AutoGLM's element, 0..1000.
        ("THUDM/cogagent-9b-20241220", 1000, "cog"),
        ("zai-org/AutoGLM-Phone-9B", 1000, "glm"),
        # UI-TARS-1.0 with the end token doubled.
        ("bytedance-research/UI-TARS-7B-DPO", 1000, "tars"),
    ],
)
async def test_families_answering_in_thousandths_are_not_read_as_pixels(
    small: tuple[Dataset, Path], tmp_path: Path, name: str, scale: int, form: str
) -> None:
    ds, images = small

    def answer(call: Call) -> str:
        cx, cy = _sample(ds, call).box.centre
        ow, oh = _req(call).image_size
        x, y = round(cx / ow * scale), round(cy / oh * scale)
        if form == "mai":
            return (
                f"<grounding_think>The icon at (3, 4) is not it; the one I want is "
                f'further on.</grounding_think>\n<answer>{{"coordinate": [{x}, {y}]}}</answer>'
            )
        if form == "cog":
            return f"Action: tap it.\nGrounded Operation: CLICK(box=[[{x},{y},{x},{y}]])"
        if form == "glm":
            return f'<think>there</think><answer>do(action="Tap", element=[{x},{y}])</answer>'
        return f"Action: click(start_box='<|box_start|>({x},{y})<|box_end|><|box_end|>')"

    model = FunctionModel(answer, name=name)  # its own space: pixels, were it not for its name
    run = await run_model(model, ds, images, tmp_path / "run", RunOptions(max_pixels=None))
    assert (run.report.total.correct, run.report.total.n) == (7, 7), run.report.problems
    assert run.report.wrong_format == 0


async def test_missing_images_are_skipped_and_jpegs_are_sent_as_png(
    small: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = small
    model = _centre_model(ds)
    run = await run_model(model, ds, images, tmp_path / "run", RunOptions(max_pixels=None))
    assert run.report.skipped_no_image == 1
    assert [s.id for s in run.selection.missing] == ["screenspot_web_v2_0"]
    assert (run.report.total.correct, run.report.total.n) == (7, 7)
    assert all(c.messages[-1].images[-1].png[:8] == b"\x89PNG\r\n\x1a\n" for c in model.calls)


async def test_failures_are_recorded_and_a_rerun_retries_only_errors(
    small: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = small

    def flaky(call: Call) -> str:
        sid = _req(call).sample_id
        if sid == "screenspot_mobile_v2_0":
            return "I am not sure where that is."
        if sid == "screenspot_mobile_v2_1":
            raise ModelTimeoutError("no answer in 120 s")
        if sid == "screenspot_desktop_v2_0":
            raise RuntimeError("backend bug")
        return _centre(ds, call)

    out = tmp_path / "run"
    run = await run_model(FunctionModel(flaky), ds, images, out, RunOptions(concurrency=2))
    assert (run.report.wrong_format, run.report.errors, run.report.total.correct) == (1, 2, 4)
    records = read_records(out / "results.jsonl").records
    assert records["screenspot_mobile_v2_0"]["status"] == "wrong_format"
    assert "no point found" in records["screenspot_mobile_v2_0"]["error"]
    assert records["screenspot_mobile_v2_1"]["error"] == (
        "screenspot_mobile_v2.json[1] (screenspot_mobile_v2_1): "
        "ModelTimeoutError: no answer in 120 s"
    )
    assert "unexpected RuntimeError: backend bug" in records["screenspot_desktop_v2_0"]["error"]

    again = _centre_model(ds)
    run2 = await run_model(again, ds, images, out, RunOptions())
    assert sorted(_req(c).sample_id for c in again.calls) == [
        "screenspot_desktop_v2_0",
        "screenspot_mobile_v2_1",
    ]
    assert run2.summary.already_done == 5
    assert (run2.report.wrong_format, run2.report.errors, run2.report.total.correct) == (1, 0, 6)


@pytest.mark.parametrize(
    "answer",
    [
        '{"coordinate": [NaN, 5]}',
        '{"coordinate": [Infinity, 5]}',
        '{"x": 1e999, "y": 5}',
        "(" + "9" * 400 + ", 5)",
        '{"point_2d": [' + "9" * 5000 + ", 5]}",
    ],
)
async def test_a_point_that_is_not_a_finite_number_is_wrong_format_and_the_run_goes_on(
    small: tuple[Dataset, Path], tmp_path: Path, answer: str
) -> None:
    ds, images = small
    bad = "screenspot_mobile_v2_0"

    def model(call: Call) -> str:
        return answer if _req(call).sample_id == bad else _centre(ds, call)

    out = tmp_path / "run"
    run = await run_model(FunctionModel(model), ds, images, out, RunOptions(concurrency=2))
    assert (run.report.wrong_format, run.report.errors, run.report.total.correct) == (1, 0, 6)
    record = read_records(out / "results.jsonl").records[bad]
    assert record["status"] == "wrong_format" and record["point"] is None
    # A rerun does not die at the same sample: it is finished, and skipped.
    again = _centre_model(ds)
    run2 = await run_model(again, ds, images, out, RunOptions())
    assert again.calls == [] and run2.summary.already_done == 7


async def test_cancelling_a_run_keeps_what_finished_and_a_rerun_does_the_rest(
    real: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = real
    finish_first = 8
    never = asyncio.Event()
    reached = asyncio.Event()
    calls = 0

    async def stalls(call: Call) -> str:
        nonlocal calls
        calls += 1
        if calls > finish_first:
            await never.wait()  # a model call still in flight when the run is cancelled
        return _centre(ds, call)

    written: list[str] = []

    def on_record(record: dict[str, Any]) -> None:
        written.append(record["id"])
        if len(written) == finish_first:
            reached.set()

    out = tmp_path / "run"
    task = asyncio.create_task(
        run_model(
            FunctionModel(stalls), ds, images, out, RunOptions(concurrency=3), on_record=on_record
        )
    )
    await asyncio.wait_for(reached.wait(), timeout=60)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    loaded = read_records(out / "results.jsonl")
    assert loaded.problems == [] and not loaded.torn_tail
    assert sorted(loaded.records) == sorted(written) and len(written) == finish_first

    rest = _centre_model(ds)
    run = await run_model(rest, ds, images, out, RunOptions(concurrency=3))
    assert len(rest.calls) == 21 - finish_first
    assert not {_req(c).sample_id for c in rest.calls} & set(written)
    assert (run.report.total.correct, run.report.total.n) == (21, 21)
    assert run.summary.already_done == finish_first


async def test_a_broken_image_and_a_box_outside_it_are_named_and_the_run_goes_on(
    small: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = small
    (images / "d1.png").write_bytes(b"not a png at all")
    write_image(images / "m1.png", (120, 120))  # boxes at 300 and 400 now lie outside
    run = await run_model(_centre_model(ds), ds, images, tmp_path / "run", RunOptions())
    records = read_records(tmp_path / "run" / "results.jsonl").records
    err = records["screenspot_desktop_v2_0"]["error"]
    assert err.startswith("screenspot_desktop_v2.json[0] (screenspot_desktop_v2_0): cannot read")
    assert "d1.png" in err
    note = records["screenspot_mobile_v2_4"]["note"]
    assert note.startswith("screenspot_mobile_v2.json[4] (screenspot_mobile_v2_4): box")
    assert "lies entirely outside the 120x120 image (m1.png)" in note
    assert run.report.errors == 2 and run.report.total.n == 7
    assert any("d1.png" in p for p in run.report.problems)


async def test_a_folder_holding_another_run_is_refused(
    small: tuple[Dataset, Path], tmp_path: Path
) -> None:
    ds, images = small
    out = tmp_path / "run"
    await run_model(_centre_model(ds, name="model-a"), ds, images, out, RunOptions())
    with pytest.raises(BenchmarkError, match=r"holds another run \(model: 'model-a' there"):
        await run_model(_centre_model(ds, name="model-b"), ds, images, out, RunOptions())
    store = ResultStore(out / "results.jsonl")
    assert len(store.records) == 7


def test_prepare_image_resizes_to_the_budget_and_keeps_small_images(tmp_path: Path) -> None:
    big = write_image(tmp_path / "big.png", (1080, 2400))
    prepared = prepare_image(big, ImageRule(28, 0, 1_003_520))
    f = prepared.frame
    assert (f.original_width, f.original_height) == (1080, 2400)
    assert f.sent_width * f.sent_height <= 1_003_520 and f.sent_width % 28 == 0
    assert png_size(prepared.png) == (f.sent_width, f.sent_height)
    same = prepare_image(big, NATIVE_SIZE)
    assert same.frame == ImageFrame(1080, 2400, 1080, 2400)
    assert same.png == big.read_bytes()
