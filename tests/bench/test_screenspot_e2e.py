"""End to end: `openai:` models on the real screenshots, through the real openai client, against
the local chat-completions service in memory; and the same through `artemis bench screenspot`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from artemis.bench.screenspot import RunOptions, load_dataset, run_model
from artemis.bench.screenspot.data import Dataset, Sample, find_image
from artemis.cli import app
from artemis.config import Settings
from artemis.models.fake_server import ChatRequest, FakeChatServer
from artemis.models.fake_transport import openai_specs_served_by
from artemis.models.registry import resolve_model
from tests.conftest import SCREENSPOT_DATA


@pytest.fixture(scope="module")
def real() -> tuple[Dataset, Path, list[Sample]]:
    if SCREENSPOT_DATA is None:
        pytest.skip("shared/data/screenspot is not beside this checkout")
    ds = load_dataset("screenspot-v2", SCREENSPOT_DATA / "v2" / "annotations")
    images = SCREENSPOT_DATA / "v2" / "images"
    return ds, images, [s for s in ds.samples if find_image(images, s) is not None]


class GroundingServer:
    """Answers each grounding request with its sample's box centre, in the form and the
    coordinate space of the model family the request names."""

    def __init__(self, samples: list[Sample], images: Path) -> None:
        self.samples = samples
        self.sizes: dict[str, tuple[int, int]] = {}
        for s in samples:
            path = find_image(images, s)
            assert path is not None
            with Image.open(path) as img:
                self.sizes[s.id] = img.size

    def __call__(self, request: ChatRequest) -> str:
        sample = next(s for s in self.samples if s.instruction in request.text)
        (w, h), (ow, oh) = request.image_sizes()[0], self.sizes[sample.id]
        cx, cy = sample.box.centre
        if "qwen3" in request.model:  # 0..999, as a bare point rather than the tool call asked
            return json.dumps({"point_2d": [round(cx / ow * 999), round(cy / oh * 999)]})
        x, y = round(cx * w / ow), round(cy * h / oh)  # pixels of the image sent
        if "ui-tars" in request.model:
            return f"Thought: it is there.\nAction: click(start_box='({x},{y})')"
        call = {"name": "mobile_use", "arguments": {"action": "click", "coordinate": [x, y]}}
        return f"I will tap it.\n<tool_call>\n{json.dumps(call)}\n</tool_call>"


@pytest.mark.parametrize(
    ("spec", "multiple"),
    [("openai:qwen2.5-vl-7b", 28), ("openai:qwen3-vl-8b", 32), ("openai:ui-tars-1.5-7b", 28)],
)
async def test_openai_models_ground_the_real_screenshots_through_the_local_server(
    real: tuple[Dataset, Path, list[Sample]], tmp_path: Path, spec: str, multiple: int
) -> None:
    ds, images, samples = real
    handler = GroundingServer(samples, images)
    server = FakeChatServer(handler)
    with openai_specs_served_by(server):
        settings = Settings(models={"base_url": "http://chat.test/v1", "api_key": "local"})
        model = resolve_model(spec, settings)
        run = await run_model(model, ds, images, tmp_path / "run", RunOptions(concurrency=8))
        sent = [r.image_sizes()[0] for r in server.chat_requests]
    assert (run.report.total.correct, run.report.total.n) == (21, 21), run.report.problems
    assert run.report.wrong_format == 0 and run.report.errors == 0
    assert len(sent) == 21
    assert all(w % multiple == 0 and h % multiple == 0 and w * h <= 1_003_520 for w, h in sent)
    # The backend sent our resized image as it was: the size recorded is the size it got.
    records = [json.loads(line) for line in (tmp_path / "run" / "results.jsonl").open()]
    assert sorted(tuple(r["image"]) for r in records) == sorted(sent)
    assert all(r["usage"]["input_tokens"] > 0 for r in records)


def test_the_cli_runs_an_openai_model_against_the_local_server(
    real: tuple[Dataset, Path, list[Sample]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds, images, samples = real
    with openai_specs_served_by(FakeChatServer(GroundingServer(samples, images))):
        monkeypatch.setenv("ARTEMIS_MODELS__BASE_URL", "http://chat.test/v1")
        monkeypatch.setenv("ARTEMIS_MODELS__API_KEY", "local")
        result = CliRunner().invoke(
            app,
            ["bench", "screenspot", "-d", "screenspot-v2", "-a", str(ds.root),
             "-m", "openai:qwen2.5-vl-7b", "-i", str(images), "-o", str(tmp_path / "run"),
             "-n", "6", "--json", str(tmp_path / "r.json")],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "average over samples: 100.0%  (6/6)" in result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["model"] == "openai:qwen2.5-vl-7b" and report["prompt"] == "qwen2.5-vl grounding"
    assert report["counts"]["skipped_no_image"] == 1272 - 21
