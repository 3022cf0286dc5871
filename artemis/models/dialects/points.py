"""Reading a point out of a grounding answer of no known family (the `artemis` dialect's
grounding parser, and the fallback of the others).

Grounding models answer in many shapes. `parse_point` accepts, in this order of preference:

- special box tokens: `<|box_start|>(x1,y1),(x2,y2)<|box_end|>` (centre) or `(x,y)` inside, the
  end token sometimes doubled;
- `<point>x y</point>` (also `<point>(x, y)</point>`, `<point>[x, y]</point>`), `<bbox>…</bbox>`;
- Molmo's `<point x="61.5" y="40.2">`, in percent of the image;
- `start_box='(x,y)'` / `start_box='[x1,y1,x2,y2]'` (UI-TARS actions);
- JSON: `{"coordinate": [x, y]}`, `{"point_2d": …}`, `{"bbox_2d": […]}`, `{"x": …, "y": …}`, a list
  of such objects, or a bare `[x, y]` / `[x1, y1, x2, y2]`;
- `x=…, y=…` anywhere (`click(x=12, y=34)`, `x: 12, y: 34`);
- the first `(x, y)` / `[x, y]` pair, or `(x1, y1, x2, y2)` box (centre);
- an answer that is only two numbers.

Thinking blocks are dropped first; after an `Action:` only the action is read, and an
`<answer>` section is read before anything else. Boxes become their centre. When every number
is a decimal in [0, 1], the point is taken as normalised (`norm1`) whatever the model's
convention; otherwise the caller applies the model's own space. An answer that fits none of
these raises `ModelResponseError` ("no point found").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from artemis.errors import ModelResponseError
from artemis.models.dialects import text as tx
from artemis.models.dialects.base import GroundedPoint

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_NUM_RE = re.compile(_NUM)
_ACTION = re.compile(r"\bAction\s*[:：]\s*")
# The contents of tags are numbers: `[^<]*` cannot backtrack across the rest of a long answer
# the way `.*?` does.
_BOX_TOKENS = re.compile(r"<\|box_start\|>([^<]*)(?:<\|box_end\|>)+")
_POINT_TAG = re.compile(r"<(point|bbox)>([^<]*)</\1>", re.IGNORECASE)
_MOLMO = re.compile(
    rf"<points?\b[^>]*?\bx1?\s*=\s*\"({_NUM})\"[^>]*?\by1?\s*=\s*\"({_NUM})\"", re.IGNORECASE
)
_START_BOX = re.compile(r"start_(?:box|point)\s*=\s*(['\"])([^'\"]*)\1")
# Separators are possessive (`*+`, `++`): a run of spaces is taken whole, never retried
# split in two, which made a long run of spaces cost quadratic time.
_SEP = r"(?:\s*+,\s*+|\s++)"
_XY = re.compile(
    rf"\bx\b\s*+[=:]\s*+({_NUM})(?:\s*+[,;]\s*+|\s++)\by\b\s*+[=:]\s*+({_NUM})", re.IGNORECASE
)
_BOX4 = re.compile(rf"[\[(]\s*+({_NUM}){_SEP}({_NUM}){_SEP}({_NUM}){_SEP}({_NUM})\s*+[\])]")
_PAIR = re.compile(rf"[\[(]\s*+({_NUM})\s*+,\s*+({_NUM})\s*+[\])]")
_ONLY_TWO = re.compile(rf"^\s*+({_NUM}){_SEP}({_NUM})\s*+\.?\s*+$")

_POINT_KEYS = (
    "coordinate",
    "coordinates",
    "point_2d",
    "point",
    "click_point",
    "position",
    "location",
    "center",
    "centre",
    "start_box",
    "bbox_2d",
    "bbox",
    "box",
)
_NEST_KEYS = ("action", "target", "arguments", "args", "parameters", "params", "answer")


def parse_point(text: str) -> GroundedPoint:
    """The point a grounding answer names; raises `ModelResponseError` when there is none."""
    body = answer_body(tx.check_length(text))
    for found in _candidates(body):
        if found is not None:
            return found
    raise ModelResponseError(f"no point found in the answer: {tx.snippet(text, 200)!r}", raw=text)


def answer_body(text: str) -> str:
    """The part of a reply that holds the answer: thinking dropped, the `<answer>` section
    when there is one, else what follows the last `Action:`."""
    _, body = tx.split_thinking(text)
    answer = tx.section(body, "answer")
    if answer:
        return answer
    actions = list(_ACTION.finditer(body))
    if actions:
        body = body[actions[-1].end() :]
    return body.strip()


def _candidates(body: str) -> Iterator[GroundedPoint | None]:
    m = _BOX_TOKENS.search(body)
    if m:
        yield _from_numbers(_NUM_RE.findall(m.group(1)), "box_tokens")
    m = _POINT_TAG.search(body)
    if m:
        yield _from_numbers(_NUM_RE.findall(m.group(2)), m.group(1).lower() + "_tag")
    m = _MOLMO.search(body)
    if m:
        x, y = float(m.group(1)), float(m.group(2))
        yield GroundedPoint(x / 100, y / 100, "norm1", "percent_point")
    m = _START_BOX.search(body)
    if m:
        yield _from_numbers(_NUM_RE.findall(m.group(2)), "start_box")
    yield _from_json(body)
    m = _XY.search(body)
    if m:
        yield _from_numbers([m.group(1), m.group(2)], "x_y")
    m = _BOX4.search(body)
    if m:
        yield _from_numbers(list(m.groups()), "box")
    m = _PAIR.search(body)
    if m:
        yield _from_numbers(list(m.groups()), "pair")
    m = _ONLY_TWO.match(body)
    if m:
        yield _from_numbers(list(m.groups()), "bare")


def _from_numbers(values: Sequence[str | float], form: str) -> GroundedPoint | None:
    if len(values) not in (2, 4):
        return None
    try:
        nums = [tx.number(v) for v in values]
    except ModelResponseError:
        return None  # NaN, infinity, or digits beyond what a float holds: not a point
    decimal = any(isinstance(v, float) or "." in str(v) for v in values)
    if len(nums) == 4:
        x, y = (nums[0] + nums[2]) / 2, (nums[1] + nums[3]) / 2
    else:
        x, y = nums
    normalised = decimal and all(0.0 <= v <= 1.0 for v in nums)
    return GroundedPoint(x, y, "norm1" if normalised else None, form)


def _from_json(body: str) -> GroundedPoint | None:
    if "{" not in body and "[" not in body:
        return None
    try:
        data = tx.find_json(body, "{[")
    except ValueError:
        return None
    return _from_value(data, depth=0)


def _from_value(value: Any, depth: int) -> GroundedPoint | None:
    if depth > 4:
        return None
    if isinstance(value, list):
        flat = _number_list(value)
        if flat is not None:
            return _from_numbers(flat, "json_list")
        for item in value[:16]:
            found = _from_value(item, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(value, dict):
        return None
    lowered = {str(k).lower(): v for k, v in value.items()}
    for key in _POINT_KEYS:
        if key in lowered:
            inner = lowered[key]
            if isinstance(inner, str):
                found = next((f for f in _candidates(inner) if f is not None), None)
            else:
                found = _from_value(inner, depth + 1)
            if found is not None:
                return GroundedPoint(found.x, found.y, found.space, f"json_{key}")
    if _is_number(lowered.get("x")) and _is_number(lowered.get("y")):
        return _from_numbers([lowered["x"], lowered["y"]], "json_xy")
    for key in _NEST_KEYS:
        if key in lowered:
            found = _from_value(lowered[key], depth + 1)
            if found is not None:
                return found
    return None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _number_list(value: list[Any]) -> list[float] | None:
    """`[x, y]`, `[x1, y1, x2, y2]` or `[[x, y]]` / `[[x1, y1], [x2, y2]]` as a flat list."""
    if all(_is_number(v) for v in value):
        return list(value) if len(value) in (2, 4) else None
    if value and all(isinstance(v, list) and all(_is_number(n) for n in v) for v in value):
        flat = [n for v in value for n in v]
        return flat if len(flat) in (2, 4) else None
    return None
