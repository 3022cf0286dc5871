"""The OCR baseline grounder: its plumbing with a fake engine, and the real engine on a real
screenshot (skipped when the `ocr` extra is not installed)."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from artemis.bench.screenspot import RunOptions, load_dataset, run_model
from artemis.bench.screenspot.baseline import NO_MATCH, OcrGrounder
from artemis.bench.screenspot.data import Dataset
from artemis.bench.screenspot.runner import GroundRequest
from artemis.errors import DependencyMissingError
from artemis.models.base import Message, ModelResponse
from artemis.ocr import OcrEngine, TextBox, load_engine
from tests.bench.screenspot_fixtures import V2_FILES, write_annotations, write_image
from tests.conftest import SCREENSPOT_DATA


@pytest.fixture(scope="module")
def ocr_engine() -> OcrEngine:
    """The real OCR engine, or a skip that says why it cannot load (the package, or a system
    library OpenCV needs, such as libGL)."""
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        pytest.skip('the OCR extra is not installed (pip install ".[ocr]")')
    try:
        return load_engine()
    except DependencyMissingError as exc:
        pytest.skip(str(exc))


class FakeEngine:
    name = "fake"

    def __init__(self, boxes: list[TextBox]) -> None:
        self.boxes = boxes
        self.reads = 0

    def read(self, image: bytes) -> list[TextBox]:
        self.reads += 1
        return self.boxes


async def test_the_grounder_answers_the_matching_box_and_reads_each_image_once(
    tmp_path: Path,
) -> None:
    ds = load_dataset("screenspot-v2", write_annotations(tmp_path / "a", V2_FILES))
    images = tmp_path / "images"
    write_image(images / "m1.png", (500, 500))
    engine = FakeEngine(
        [TextBox("Settings", 105, 205, 145, 235), TextBox("Menu", 300, 300, 310, 310)]
    )
    grounder = OcrGrounder(engine)
    run = await run_model(grounder, ds, images, tmp_path / "run", RunOptions(max_pixels=None))
    assert engine.reads == 1  # four samples share m1.png
    # "open settings" -> Settings (in); "go back" matches nothing -> wrong format;
    # both "open the menu" samples -> Menu, which is the first twin's box only.
    assert (run.report.total.correct, run.report.total.n) == (2, 4)
    assert run.report.wrong_format == 1


async def test_the_grounder_needs_an_image() -> None:
    grounder = OcrGrounder(FakeEngine([]))
    with pytest.raises(Exception, match="needs an image"):
        await grounder.complete([Message.user("find it")])
    png = write_image_bytes()
    resp: ModelResponse[Any] = await grounder.complete(
        [Message.user(png, "x")], request=GroundRequest(instruction="ok")
    )
    assert resp.text == NO_MATCH


def write_image_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 10)).save(buf, format="PNG")
    return buf.getvalue()


def test_a_missing_ocr_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(DependencyMissingError, match=r'pip install "artemis\[ocr\]"'):
        load_engine()
    # Installed, but something under it does not load (as OpenCV without libGL).
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", types.ModuleType("broken"))
    with pytest.raises(DependencyMissingError, match=r"installed but does not load.*libgl1"):
        load_engine()


@pytest.mark.skipif(SCREENSPOT_DATA is None, reason="shared/data/screenspot is not here")
async def test_the_real_ocr_grounds_the_text_of_a_real_screenshot(
    tmp_path: Path, ocr_engine: OcrEngine
) -> None:
    assert SCREENSPOT_DATA is not None
    ds = load_dataset("screenspot-v2", SCREENSPOT_DATA / "v2" / "annotations")
    one = "mobile_3a1f306e-784a-411a-98cb-f11a2157a5c7.png"
    subset = Dataset(ds.name, ds.root, [s for s in ds.samples if s.img_filename == one])
    assert len(subset.samples) == 5
    run = await run_model(
        OcrGrounder(ocr_engine),
        subset,
        SCREENSPOT_DATA / "v2" / "images",
        tmp_path / "run",
        RunOptions(max_pixels=None),
    )
    # Scan, Pay/Collect, Air & Rail and Message carry their text; "click the search bar"
    # (an icon sample) lands on the bar's "Search" label.
    assert run.report.columns["text"].correct == 4
    assert run.report.total.correct >= 4
