"""The scorer, exact on hand-built annotations whose answers are known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from artemis.bench.screenspot import load_dataset, score_file
from artemis.bench.screenspot.score import Prediction, score
from artemis.errors import BenchmarkError
from tests.bench.screenspot_fixtures import (
    PRO_FILES,
    V2_FILES,
    V2_PREDICTIONS,
    write_annotations,
    write_image,
)


@pytest.fixture
def v2_dir(tmp_path: Path) -> Path:
    return write_annotations(tmp_path / "v2", V2_FILES)


def test_the_v2_fixture_scores_exactly(v2_dir: Path, tmp_path: Path) -> None:
    preds = tmp_path / "preds.jsonl"
    preds.write_text("\n".join(V2_PREDICTIONS) + "\n", encoding="utf-8")
    report = score_file(load_dataset("screenspot-v2", v2_dir), preds)

    cells = {k: (c.correct, c.n) for k, c in report.cells.items()}
    assert cells == {
        ("mobile", "text"): (2, 4),  # corner in, null, twin in, twin wrong
        ("mobile", "icon"): (1, 1),  # bottom-right corner in
        ("desktop", "text"): (0, 1),  # 0.01 px past the edge
        ("desktop", "icon"): (0, 1),  # no prediction
        ("web", "text"): (0, 0),
        ("web", "icon"): (0, 1),  # wrong format
    }
    assert report.categories == ("mobile", "desktop", "web")
    assert (report.total.correct, report.total.n) == (3, 8)
    assert report.micro == pytest.approx(3 / 8)
    # The empty web/text column is left out of the mean of columns.
    assert report.macro == pytest.approx((0.5 + 1.0 + 0 + 0 + 0) / 5)
    assert (report.missing, report.no_point, report.wrong_format, report.errors) == (1, 1, 1, 0)
    assert report.unknown_ids == 1

    problems = "\n".join(report.problems)
    assert "screenspot_desktop_v2.json[2]: bbox [x, y, w, h] should be 4 numbers" in problems
    assert f"{preds}:8: sample 'not_a_sample' is not in the annotations; ignored" in problems
    assert f"{preds}:9: broken JSON" in problems
    assert f"{preds}:10 (sample 'screenspot_mobile_v2_3'): 'point' should be [x, y]" in problems

    data = report.to_json()
    assert data["accuracy"] == {"micro": 0.375, "macro": 0.3}
    assert data["categories"]["mobile"]["text"] == {"n": 4, "correct": 2, "accuracy": 0.5}
    assert data["categories"]["web"]["text"]["accuracy"] is None
    assert data["counts"]["wrong_format"] == 1
    json.dumps(data)  # machine-readable as is


def test_the_split_is_the_file_not_the_data_source(v2_dir: Path) -> None:
    ds = load_dataset("screenspot-v2", v2_dir)
    shop = [s for s in ds.samples if s.source == "shop"]
    assert {s.category for s in shop} == {"mobile", "web"}
    assert [s.id for s in ds.samples if s.category == "mobile"] == [
        f"screenspot_mobile_v2_{i}" for i in range(5)
    ]


def test_pro_boxes_are_corners_and_rows_are_groups(tmp_path: Path) -> None:
    ds = load_dataset("screenspot-pro", write_annotations(tmp_path / "pro", PRO_FILES))
    assert ds.categories() == ("Dev", "CAD")
    by_id = ds.by_id()
    assert by_id["vscode_macos_0"].box.as_list() == [10, 10, 20, 20]
    assert by_id["vscode_macos_0"].instruction_cn == "刷新"
    assert by_id["vscode_macos_0"].img_size == (100, 80)
    assert ds.problems == [
        "vscode_macos.json[1] (vscode_macos_1): box [90.0, 70.0, 101.0, 80.0] runs 1 px past "
        "the right edge of the 100x80 image; scored as given"
    ]
    preds = {
        "vscode_macos_0": Prediction("vscode_macos_0", (20, 20)),  # bottom-right corner: in
        "vscode_macos_1": Prediction("vscode_macos_1", (99, 79)),  # last pixel: in
        "autocad_windows_0": Prediction("autocad_windows_0", (5.0001, 0)),  # just past: wrong
    }
    report = score(ds.samples, preds, dataset=ds.name, categories=ds.categories())
    assert {k: (c.correct, c.n) for k, c in report.cells.items() if c.n} == {
        ("Dev", "text"): (1, 1),
        ("Dev", "icon"): (1, 1),
        ("CAD", "icon"): (0, 1),
    }
    assert report.micro == pytest.approx(2 / 3)
    assert report.macro == pytest.approx(2 / 3)


def test_with_an_image_folder_only_samples_with_images_count(v2_dir: Path, tmp_path: Path) -> None:
    images = tmp_path / "images"
    write_image(images / "m1.png", (500, 500))
    preds = tmp_path / "p.jsonl"
    preds.write_text("\n".join(V2_PREDICTIONS[:5]) + "\n", encoding="utf-8")
    report = score_file(load_dataset("screenspot-v2", v2_dir), preds, images=images)
    assert (report.total.correct, report.total.n) == (3, 4)  # the four m1.png samples
    assert report.skipped_no_image == 4


def test_a_missing_prediction_file_or_image_folder_is_a_clear_error(
    v2_dir: Path, tmp_path: Path
) -> None:
    ds = load_dataset("screenspot-v2", v2_dir)
    with pytest.raises(BenchmarkError, match=r"prediction file .*nope.jsonl does not exist"):
        score_file(ds, tmp_path / "nope.jsonl")
    preds = tmp_path / "p.jsonl"
    preds.write_text("")
    with pytest.raises(BenchmarkError, match=r"image folder .*no-images does not exist"):
        score_file(ds, preds, images=tmp_path / "no-images")


def test_scoring_with_images_names_boxes_that_leave_their_image(
    v2_dir: Path, tmp_path: Path
) -> None:
    images = tmp_path / "images"
    write_image(images / "m1.png", (145, 500))  # the 100..150 box runs 5 px past the right
    (images / "d1.png").write_bytes(b"broken")
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps({"id": "screenspot_mobile_v2_0", "point": [120, 220]}) + "\n")
    report = score_file(load_dataset("screenspot-v2", v2_dir), preds, images=images)
    assert (
        "screenspot_mobile_v2.json[0] (screenspot_mobile_v2_0): box [100.0, 200.0, 150.0, 240.0] "
        "runs 5 px past the right edge of the 145x500 image (m1.png); scored as given"
    ) in report.problems
    assert any(
        p.startswith("screenspot_mobile_v2.json[3]") and "lies entirely outside" in p
        for p in report.problems
    )
    assert any("cannot read image" in p and "d1.png" in p for p in report.problems)
    assert report.total.correct == 1
