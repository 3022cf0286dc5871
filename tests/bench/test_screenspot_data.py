"""Loaders: the real annotations in shared/, the v2 quirks, and bad annotation files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from artemis.bench.screenspot.data import Box, find_image, load_dataset
from artemis.errors import DatasetError
from tests.bench.screenspot_fixtures import V2_FILES, write_annotations, write_image
from tests.conftest import SCREENSPOT_DATA

needs_data = pytest.mark.skipif(
    SCREENSPOT_DATA is None, reason="shared/data/screenspot is not beside this checkout"
)


@needs_data
def test_the_real_v2_annotations_load_with_file_splits_and_stable_ids() -> None:
    assert SCREENSPOT_DATA is not None
    ds = load_dataset("screenspot-v2", SCREENSPOT_DATA / "v2" / "annotations")
    assert ds.problems == []
    assert Counter(s.category for s in ds.samples) == {"mobile": 501, "desktop": 334, "web": 437}
    assert ds.categories() == ("mobile", "desktop", "web")
    # "shop" is a data source in every split; the split comes from the file.
    shop = Counter(s.category for s in ds.samples if s.source == "shop")
    assert shop == {"mobile": 52, "desktop": 28, "web": 165}
    assert sum(s.img_filename.endswith(".jpg") for s in ds.samples) == 31
    by_id = ds.by_id()
    assert len(by_id) == 1272
    s = by_id["screenspot_mobile_v2_17"]
    assert (s.file, s.index) == ("screenspot_mobile_v2.json", 17)
    first = by_id["screenspot_desktop_v2_0"]
    assert first.box == Box(910, 78, 954, 112)  # [x, y, w, h] = [910, 78, 44, 34]
    assert first.ui_type == "icon" and first.instruction == "close this window"


@needs_data
def test_the_real_pro_annotations_load_by_group_and_flag_the_overhanging_box() -> None:
    assert SCREENSPOT_DATA is not None
    ds = load_dataset("screenspot-pro", SCREENSPOT_DATA / "pro" / "annotations")
    assert len(ds.samples) == 1581
    assert ds.categories() == ("Dev", "Creative", "CAD", "Scientific", "Office", "OS")
    s = ds.by_id()["vscode_macos_0"]
    assert s.box == Box(473, 183, 503, 219)
    assert (s.category, s.ui_type, s.platform, s.img_size) == ("Dev", "icon", "macos", (2560, 1664))
    assert s.img_filename == "vscode_mac/screenshot_2024-12-03_15-15-02.png"
    assert ds.problems == [
        "inventor_windows.json[60] (inventor_windows_60): box [135.0, -1.0, 151.0, 19.0] runs "
        "1 px past the top edge of the 3840x1080 image; scored as given"
    ]


@needs_data
def test_the_real_v2_images_are_found_for_their_21_samples() -> None:
    assert SCREENSPOT_DATA is not None
    ds = load_dataset("screenspot-v2", SCREENSPOT_DATA / "v2" / "annotations")
    images = SCREENSPOT_DATA / "v2" / "images"
    found = [s for s in ds.samples if find_image(images, s) is not None]
    assert len(found) == 21
    assert Counter(s.category for s in found) == {"mobile": 9, "desktop": 4, "web": 8}


def test_a_jpg_annotation_finds_a_png_copy_and_the_exact_name_first(tmp_path: Path) -> None:
    ds = load_dataset("screenspot-v2", write_annotations(tmp_path / "a", V2_FILES))
    jpg_sample = ds.by_id()["screenspot_mobile_v2_2"]  # annotated as m2.jpg
    images = tmp_path / "images"
    assert find_image(images, jpg_sample) is None
    write_image(images / "m2.png", (40, 40))
    assert find_image(images, jpg_sample) == images / "m2.png"
    write_image(images / "m2.jpg", (40, 40), fmt="JPEG")
    assert find_image(images, jpg_sample) == images / "m2.jpg"


def test_v1_and_v2_files_in_one_folder_stay_apart(tmp_path: Path) -> None:
    v1 = {name.replace("_v2", ""): items for name, items in V2_FILES.items() if "mobile" in name}
    root = write_annotations(tmp_path / "a", {**V2_FILES, **v1})
    v2 = load_dataset("screenspot-v2", root)
    old = load_dataset("screenspot", root)
    assert {s.file for s in old.samples} == {"screenspot_mobile.json"}
    assert all(s.id.startswith("screenspot_mobile_") for s in old.samples)
    assert "screenspot_mobile.json" not in {s.file for s in v2.samples}


def test_bad_items_are_left_out_with_file_and_index(tmp_path: Path) -> None:
    items = [
        {"img_filename": "a.png", "bbox": [0, 0, 5, 5], "instruction": "ok", "data_type": "text"},
        {"img_filename": "a.png", "bbox": [0, 0, 0, 5], "instruction": "flat", "data_type": "text"},
        {"img_filename": "a.png", "bbox": [0, 0, 5, 5], "instruction": "x", "data_type": "button"},
        {
            "img_filename": "../etc/a.png",
            "bbox": [0, 0, 5, 5],
            "instruction": "x",
            "data_type": "text",
        },
        {"bbox": [0, 0, 5, 5], "instruction": "x", "data_type": "text"},
        "not an object",
    ]
    root = write_annotations(tmp_path / "a", {"screenspot_web_v2.json": items})
    ds = load_dataset("screenspot-v2", root)
    assert [s.id for s in ds.samples] == ["screenspot_web_v2_0"]
    assert [p.split(":")[0] for p in ds.problems] == [
        f"screenspot_web_v2.json[{i}]" for i in range(1, 6)
    ]
    assert "has no area" in ds.problems[0]
    assert "'text' or 'icon'" in ds.problems[1]
    assert "relative path inside the image folder" in ds.problems[2]
    assert "missing 'img_filename'" in ds.problems[3]


def test_duplicate_ids_keep_the_first_and_say_so(tmp_path: Path) -> None:
    item = {
        "id": "same",
        "img_filename": "a.png",
        "bbox": [0, 0, 5, 5],
        "instruction": "x",
        "application": "a",
        "platform": "p",
        "ui_type": "text",
        "group": "Dev",
    }
    root = write_annotations(tmp_path / "p", {"a.json": [item], "b.json": [item]})
    ds = load_dataset("screenspot-pro", root)
    assert [s.file for s in ds.samples] == ["a.json"]
    assert ds.problems == ["b.json[0] (same): id already used by a.json[0]; sample left out"]


def test_unusable_folders_and_files_raise_with_their_names(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset("screenspot-v2", tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match=r"no screenspot-v2 annotations in .*empty"):
        load_dataset("screenspot-v2", tmp_path / "empty")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "screenspot_web_v2.json").write_text('[{"a": 1},', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"screenspot_web_v2.json is not valid JSON"):
        load_dataset("screenspot-v2", bad)
    (bad / "screenspot_web_v2.json").write_text(json.dumps({"a": 1}), encoding="utf-8")
    with pytest.raises(DatasetError, match="should hold a JSON array"):
        load_dataset("screenspot-v2", bad)
    with pytest.raises(DatasetError, match="unknown dataset"):
        load_dataset("screenspot-v3", bad)


def test_box_overhang_is_described_per_edge() -> None:
    box = Box(-2, 0, 101, 80)
    assert box.outside(100, 80) == (
        "runs 2 px past the left edge, 1 px past the right edge of the 100x80 image"
    )
    assert Box(0, 0, 100, 80).outside(100, 80) == ""
    assert Box(200, 0, 210, 5).outside(100, 80) == "lies entirely outside the 100x80 image"
