"""Hand-built ScreenSpot annotation folders with known answers, shared by the bench tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image

# v2 layout: bbox [x, y, w, h]; the split is the file, whatever data_source says.
V2_FILES: dict[str, list[Any]] = {
    "screenspot_mobile_v2.json": [
        # 0: x 100..150, y 200..240
        {
            "img_filename": "m1.png",
            "bbox": [100, 200, 50, 40],
            "instruction": "open settings",
            "data_type": "text",
            "data_source": "shop",
        },
        {
            "img_filename": "m1.png",
            "bbox": [0, 0, 10, 10],
            "instruction": "go back",
            "data_type": "icon",
            "data_source": "android",
        },
        {
            "img_filename": "m2.jpg",
            "bbox": [10, 10, 20, 20],
            "instruction": "tap OK",
            "data_type": "text",
            "data_source": "ios",
        },
        # 3 and 4: the same instruction on the same image, two different boxes.
        {
            "img_filename": "m1.png",
            "bbox": [300, 300, 10, 10],
            "instruction": "open the menu",
            "data_type": "text",
            "data_source": "shop",
        },
        {
            "img_filename": "m1.png",
            "bbox": [400, 400, 10, 10],
            "instruction": "open the menu",
            "data_type": "text",
            "data_source": "shop",
        },
    ],
    "screenspot_desktop_v2.json": [
        {
            "img_filename": "d1.png",
            "bbox": [100, 100, 50, 50],
            "instruction": "save",
            "data_type": "text",
            "data_source": "macos",
        },
        {
            "img_filename": "d1.png",
            "bbox": [0, 0, 20, 20],
            "instruction": "close",
            "data_type": "icon",
            "data_source": "windows",
        },
        {
            "img_filename": "d1.png",
            "bbox": [1, 2, 3],
            "instruction": "broken box",
            "data_type": "icon",
            "data_source": "windows",
        },
    ],
    "screenspot_web_v2.json": [
        {
            "img_filename": "w1.png",
            "bbox": [50, 50, 10, 10],
            "instruction": "cart",
            "data_type": "icon",
            "data_source": "shop",
        },
    ],
}

# Pro layout: bbox [x1, y1, x2, y2], ids given, groups as rows.
PRO_FILES: dict[str, list[Any]] = {
    "vscode_macos.json": [
        {
            "id": "vscode_macos_0",
            "img_filename": "vscode_mac/s1.png",
            "bbox": [10, 10, 20, 20],
            "instruction": "Refresh",
            "instruction_cn": "刷新",
            "application": "vscode",
            "platform": "macos",
            "img_size": [100, 80],
            "ui_type": "text",
            "group": "Dev",
        },
        {
            "id": "vscode_macos_1",
            "img_filename": "vscode_mac/s1.png",
            "bbox": [90, 70, 101, 80],
            "instruction": "Corner",
            "instruction_cn": "角",
            "application": "vscode",
            "platform": "macos",
            "img_size": [100, 80],
            "ui_type": "icon",
            "group": "Dev",
        },
    ],
    "autocad_windows.json": [
        {
            "id": "autocad_windows_0",
            "img_filename": "autocad_windows/s2.png",
            "bbox": [0, 0, 5, 5],
            "instruction": "Line tool",
            "instruction_cn": "直线",
            "application": "autocad",
            "platform": "windows",
            "img_size": [100, 80],
            "ui_type": "icon",
            "group": "CAD",
        },
    ],
}

# Predictions and the expected verdicts, for the v2 fixture.
V2_PREDICTIONS: list[str] = [
    json.dumps({"id": "screenspot_mobile_v2_0", "point": [100, 200]}),  # top-left corner: in
    json.dumps({"id": "screenspot_mobile_v2_1", "point": [10, 10]}),  # bottom-right corner: in
    json.dumps({"id": "screenspot_mobile_v2_2", "point": None}),  # null: wrong
    json.dumps({"id": "screenspot_mobile_v2_3", "point": [305.5, 305]}),  # in
    json.dumps({"id": "screenspot_mobile_v2_4", "point": [305, 305]}),  # the twin's box: wrong
    json.dumps({"id": "screenspot_desktop_v2_0", "point": [150.01, 120]}),  # just past: wrong
    # screenspot_desktop_v2_1: no prediction at all
    json.dumps({"id": "screenspot_web_v2_0", "point": None, "status": "wrong_format"}),
    json.dumps({"id": "not_a_sample", "point": [1, 1]}),
    '{"id": "screenspot_web_v2_0", "point": [1, ',  # broken line in the middle
    json.dumps({"id": "screenspot_mobile_v2_3", "point": "here"}),  # bad point: line skipped
]


def write_annotations(root: Path, files: dict[str, list[Any]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, items in files.items():
        (root / name).write_text(json.dumps(items), encoding="utf-8")
    return root


def write_image(path: Path, size: tuple[int, int], fmt: str = "PNG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 210, 220)).save(path, format=fmt)
    return path
