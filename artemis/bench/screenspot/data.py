"""ScreenSpot, ScreenSpot-v2 and ScreenSpot-Pro annotations, loaded into one `Sample` type.

Layouts (as the official releases ship them):

- ScreenSpot and v2: one JSON array per split, `screenspot_{mobile,desktop,web}.json` (v2 adds
  `_v2` to the stem); each item has `img_filename`, `bbox` as `[x, y, w, h]` pixels,
  `instruction`, `data_type` (text/icon) and `data_source`. The split is the *file*: v2 has
  samples whose `data_source` is "shop" in all three splits.
- Pro: one JSON array per application, each item with `id`, `img_filename` (which holds a
  sub-folder), `bbox` as `[x1, y1, x2, y2]`, `instruction`, `instruction_cn`, `application`,
  `platform`, `img_size`, `ui_type` and `group`.

Sample ids are the `id` field where there is one, else `<file stem>_<index in the file>`.
A bad item is left out with a message naming the file and the index; loading goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, TypeAlias

from artemis.errors import DatasetError

DatasetName: TypeAlias = Literal["screenspot", "screenspot-v2", "screenspot-pro"]
DATASETS: tuple[DatasetName, ...] = ("screenspot", "screenspot-v2", "screenspot-pro")
UiType: TypeAlias = Literal["text", "icon"]
UI_TYPES: tuple[UiType, ...] = ("text", "icon")

#: Column order of the report: splits for ScreenSpot/v2, groups for Pro.
SPLITS = ("mobile", "desktop", "web")
PRO_GROUPS = ("Dev", "Creative", "CAD", "Scientific", "Office", "OS")

_IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True, slots=True)
class Box:
    """A ground-truth box in original-image pixels. Edges belong to the box."""

    x1: float
    y1: float
    x2: float
    y2: float

    @classmethod
    def from_xywh(cls, x: float, y: float, w: float, h: float) -> Box:
        return cls(x, y, x + w, y + h)

    def contains(self, x: float, y: float) -> bool:
        return self.x1 <= x <= self.x2 and self.y1 <= y <= self.y2

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def outside(self, width: int, height: int) -> str:
        """How the box leaves a `width` x `height` image, or "" when it lies inside."""
        if self.x2 < 0 or self.y2 < 0 or self.x1 > width or self.y1 > height:
            return f"lies entirely outside the {width}x{height} image"
        over = {
            "left": -self.x1,
            "top": -self.y1,
            "right": self.x2 - width,
            "bottom": self.y2 - height,
        }
        past = [f"{v:g} px past the {k} edge" for k, v in over.items() if v > 0]
        return f"runs {', '.join(past)} of the {width}x{height} image" if past else ""

    def as_list(self) -> list[float]:
        return [self.x1, self.y1, self.x2, self.y2]


@dataclass(frozen=True, slots=True)
class Sample:
    """One grounding sample: find `instruction` in the image; correct when inside `box`."""

    id: str
    dataset: DatasetName
    file: str
    index: int
    img_filename: str
    instruction: str
    box: Box
    ui_type: UiType
    category: str  # the report row: split (ScreenSpot/v2) or group (Pro)
    source: str = ""  # data_source (ScreenSpot/v2) or application (Pro)
    platform: str = ""
    instruction_cn: str = ""
    img_size: tuple[int, int] | None = None

    @property
    def where(self) -> str:
        """`file[index] (id)`, for messages."""
        return f"{self.file}[{self.index}] ({self.id})"


@dataclass(slots=True)
class Dataset:
    """The samples of one benchmark, in file order, and the problems met while loading."""

    name: DatasetName
    root: Path
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Sample]:
        return {s.id: s for s in self.samples}

    def categories(self) -> tuple[str, ...]:
        """Report rows: the known ones in their usual order, then any others, sorted."""
        known = PRO_GROUPS if self.name == "screenspot-pro" else SPLITS
        seen = {s.category for s in self.samples}
        return tuple(c for c in known if c in seen) + tuple(sorted(seen - set(known)))


def load_dataset(name: str, annotations: Path | str) -> Dataset:
    """Load every annotation file of `name` in the folder `annotations`."""
    if name not in DATASETS:
        raise DatasetError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    root = Path(annotations)
    if not root.is_dir():
        raise DatasetError(f"annotation folder {root} does not exist")
    dataset = Dataset(name, root)
    files = _annotation_files(dataset.name, root)
    for path in files:
        items = _read_array(path)
        loader = _pro_sample if dataset.name == "screenspot-pro" else _classic_sample
        for index, item in enumerate(items):
            try:
                dataset.samples.append(loader(dataset.name, path, index, item))
            except _BadItem as exc:
                dataset.problems.append(f"{path.name}[{index}]: {exc}; sample left out")
    _check_unique_ids(dataset)
    dataset.problems.extend(box_problems(dataset.samples))
    return dataset


def _annotation_files(name: DatasetName, root: Path) -> list[Path]:
    found = sorted(p for p in root.glob("*.json") if p.is_file())
    if name == "screenspot-pro":
        files = found
    else:
        want_v2 = name == "screenspot-v2"
        files = [p for p in found if p.stem.endswith("_v2") == want_v2 and _split_of(p)]
    if not files:
        listing = ", ".join(p.name for p in found) or "no .json files"
        expect = {
            "screenspot": "screenspot_{mobile,desktop,web}.json",
            "screenspot-v2": "screenspot_{mobile,desktop,web}_v2.json",
            "screenspot-pro": "one .json file per application",
        }[name]
        raise DatasetError(f"no {name} annotations in {root} (expected {expect}; found {listing})")
    return files


def _split_of(path: Path) -> str | None:
    parts = path.stem.lower().replace("-", "_").split("_")
    for split in SPLITS:
        if split in parts:
            return split
    return None


def _read_array(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read annotation file {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"annotation file {path} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from exc
    if not isinstance(data, list):
        raise DatasetError(f"annotation file {path} should hold a JSON array of samples")
    return data


class _BadItem(ValueError):
    pass


def _str_field(item: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = item.get(key)
    if value is None:
        if required:
            raise _BadItem(f"missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise _BadItem(f"{key!r} should be a string, got {value!r}")
    return value


def _numbers(value: Any, n: int, what: str) -> list[float]:
    ok = (
        isinstance(value, list)
        and len(value) == n
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if not ok:
        raise _BadItem(f"{what} should be {n} numbers, got {value!r}")
    return [float(v) for v in value]


def _ui_type(value: str) -> UiType:
    v = value.strip().lower()
    if v not in UI_TYPES:
        raise _BadItem(f"ui type should be 'text' or 'icon', got {value!r}")
    return v


def _image_name(value: str) -> str:
    p = PurePosixPath(value.replace("\\", "/"))
    if not value or p.is_absolute() or ".." in p.parts:
        raise _BadItem(f"img_filename {value!r} must be a relative path inside the image folder")
    return str(p)


def _sample_id(item: dict[str, Any], path: Path, index: int) -> str:
    value = item.get("id")
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return str(value)
    return f"{path.stem}_{index}"


def _classic_sample(name: DatasetName, path: Path, index: int, item: Any) -> Sample:
    if not isinstance(item, dict):
        raise _BadItem(f"expected an object, got {type(item).__name__}")
    x, y, w, h = _numbers(item.get("bbox"), 4, "bbox [x, y, w, h]")
    if w <= 0 or h <= 0:
        raise _BadItem(f"bbox [x, y, w, h] has no area: {item.get('bbox')!r}")
    split = _split_of(path)
    assert split is not None  # _annotation_files keeps only files with a split
    return Sample(
        id=_sample_id(item, path, index),
        dataset=name,
        file=path.name,
        index=index,
        img_filename=_image_name(_str_field(item, "img_filename")),
        instruction=_str_field(item, "instruction"),
        box=Box.from_xywh(x, y, w, h),
        ui_type=_ui_type(_str_field(item, "data_type")),
        category=split,
        source=_str_field(item, "data_source", required=False),
    )


def _pro_sample(name: DatasetName, path: Path, index: int, item: Any) -> Sample:
    if not isinstance(item, dict):
        raise _BadItem(f"expected an object, got {type(item).__name__}")
    x1, y1, x2, y2 = _numbers(item.get("bbox"), 4, "bbox [x1, y1, x2, y2]")
    if x2 <= x1 or y2 <= y1:
        raise _BadItem(f"bbox [x1, y1, x2, y2] has no area: {item.get('bbox')!r}")
    size = item.get("img_size")
    img_size = None
    if size is not None:
        w, h = _numbers(size, 2, "img_size [w, h]")
        img_size = (int(w), int(h))
    return Sample(
        id=_sample_id(item, path, index),
        dataset=name,
        file=path.name,
        index=index,
        img_filename=_image_name(_str_field(item, "img_filename")),
        instruction=_str_field(item, "instruction"),
        box=Box(x1, y1, x2, y2),
        ui_type=_ui_type(_str_field(item, "ui_type")),
        category=_str_field(item, "group"),
        source=_str_field(item, "application", required=False),
        platform=_str_field(item, "platform", required=False),
        instruction_cn=_str_field(item, "instruction_cn", required=False),
        img_size=img_size,
    )


def _check_unique_ids(dataset: Dataset) -> None:
    seen: dict[str, Sample] = {}
    kept: list[Sample] = []
    for s in dataset.samples:
        first = seen.get(s.id)
        if first is not None:
            dataset.problems.append(
                f"{s.where}: id already used by {first.file}[{first.index}]; sample left out"
            )
            continue
        seen[s.id] = s
        kept.append(s)
    dataset.samples = kept


def find_image(images: Path, sample: Sample) -> Path | None:
    """The image file of `sample` under `images`, or None.

    The exact name first; then the same name with another image extension, since copies of
    ScreenSpot-v2 differ in whether its `.jpg` mobile screenshots were converted to PNG.
    """
    exact = images / sample.img_filename
    if exact.is_file():
        return exact
    stem = exact.with_suffix("")
    for ext in _IMAGE_EXTS:
        candidate = stem.with_suffix(ext)
        if candidate != exact and candidate.is_file():
            return candidate
    return None


def box_problems(samples: Iterable[Sample]) -> list[str]:
    """Messages for boxes that leave their image, where the annotation gives the image size."""
    out = []
    for s in samples:
        if s.img_size is not None:
            how = s.box.outside(*s.img_size)
            if how:
                out.append(f"{s.where}: box {s.box.as_list()} {how}; scored as given")
    return out
