"""Reading the pieces of a model's reply: thinking blocks, tagged sections, `<tool_call>` blocks,
JSON, python-style calls (`click(start_box='(1,2)')`), and points or boxes written in any of the
ways GUI models write them.

Everything here is bounded: a reply longer than `MAX_REPLY_CHARS` is refused before any
parsing, JSON and python parsing catch the recursion and size errors that hostile input can
cause, and every number is checked to be finite. Failures raise `ModelResponseError` with a
message meant to be shown back to the model.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from artemis.errors import ModelResponseError

#: Replies longer than this are refused unread (a GUI action is a few hundred characters; a
#: long thinking block a few thousand).
MAX_REPLY_CHARS = 65_536
#: How many candidate openings `find_json` tries before it gives up.
_MAX_JSON_STARTS = 64

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUM_RE = re.compile(_NUM)
_THINK_TAGS = "think|thinking|grounding_think|reasoning|thought"
_THINK_BLOCK = re.compile(rf"<({_THINK_TAGS})>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_THINK_CLOSE = re.compile(rf"</(?:{_THINK_TAGS})\s*>", re.IGNORECASE)
_THINK_OPEN = re.compile(rf"<(?:{_THINK_TAGS})>", re.IGNORECASE)
_BOX_TOKENS = re.compile(r"<\|box_start\|>(.*?)(?:<\|box_end\|>)+", re.DOTALL)
_SPECIAL = re.compile(r"<\|[a-z_]+\|>")
_POINT_TAG = re.compile(r"<(point|bbox|box)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_CALL_START = re.compile(r"(?m)^[ \t]*([A-Za-z_][\w.]*)[ \t]*\(")


def check_length(text: str) -> str:
    """`text`, or a `ModelResponseError` when it is longer than `MAX_REPLY_CHARS`."""
    if len(text) > MAX_REPLY_CHARS:
        raise ModelResponseError(
            f"the reply is {len(text):,} characters long; at most {MAX_REPLY_CHARS:,} are read "
            "(answer with one short thought and one action)",
            raw=text[:2000],
        )
    return text


def snippet(text: str, n: int = 160) -> str:
    """The start of `text` on one line, for error messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


# --- thinking and tagged sections ------------------------------------------------------------


def split_thinking(text: str) -> tuple[str, str]:
    """(the thinking, the rest). Thinking is every `<think>`/`<thinking>`/`<grounding_think>`/
    `<reasoning>` block, and everything before a closing tag whose opening tag the server's
    chat template swallowed."""
    parts = [m.group(2).strip() for m in _THINK_BLOCK.finditer(text)]
    rest = _THINK_BLOCK.sub("\n", text)
    closes = list(_THINK_CLOSE.finditer(rest))
    if closes:
        parts.append(_THINK_OPEN.sub("", rest[: closes[-1].start()]).strip())
        rest = rest[closes[-1].end() :]
    rest = _THINK_OPEN.sub("", rest)
    return "\n".join(p for p in parts if p), rest.strip()


def section(text: str, tag: str) -> str | None:
    """The text of `<tag>…</tag>`; an unclosed `<tag>` runs to the end. None when absent."""
    m = re.search(rf"<{tag}>(.*?)(?:</{tag}\s*>|$)", text, re.DOTALL | re.IGNORECASE)
    return m.group(1).strip() if m else None


def strip_section(text: str, tag: str) -> str:
    """`text` without its `<tag>…</tag>` sections."""
    return re.sub(rf"<{tag}>.*?(?:</{tag}\s*>|$)", "", text, flags=re.DOTALL | re.IGNORECASE)


def tool_call_blocks(text: str) -> list[str]:
    """The bodies of the `<tool_call>` blocks, in order; the last may be unclosed."""
    return [
        m.group(1).strip()
        for m in re.finditer(r"<tool_call>(.*?)(?:</tool_call>|(?=<tool_call>)|$)", text, re.DOTALL)
        if m.group(1).strip()
    ]


def labelled(text: str, label: str) -> str | None:
    """What follows `Label:` (or a full-width `Label：`) up to the next `Word:` line."""
    m = re.search(
        rf"(?:^|\n)\s*(?:#+\s*)?{label}\s*[:：]\s*(.*?)(?=\n\s*[A-Z][A-Za-z_ ]{{1,24}}\s*[:：]|\Z)",
        text,
        re.DOTALL,
    )
    return m.group(1).strip() if m else None


def after_label(text: str, label: str) -> str | None:
    """Everything after the last `Label:` / `Label：`, or None."""
    found = list(re.finditer(rf"(?:^|\n|\s){label}\s*[:：]", text))
    return text[found[-1].end() :].strip() if found else None


# --- JSON ------------------------------------------------------------------------------------


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def loads(text: str) -> Any:
    """`json.loads` that refuses NaN and Infinity and turns every failure (recursion, a
    4,300-digit integer, bad syntax) into `ValueError`."""
    try:
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None


def find_json(text: str, opening: str = "{") -> Any:
    """The first JSON value starting with one of `opening` in `text`; raises ValueError."""
    decoder = json.JSONDecoder(parse_constant=_no_constants)
    stripped = text.strip()
    try:
        return loads(stripped)
    except ValueError:
        pass
    tries = 0
    for i, ch in enumerate(stripped):
        if ch not in opening:
            continue
        tries += 1
        if tries > _MAX_JSON_STARTS:
            break
        try:
            value, _ = decoder.raw_decode(stripped, i)
        except (ValueError, RecursionError):
            continue
        return value
    raise ValueError(f"no JSON object in {snippet(text)!r}")


def literal(text: str) -> Any:
    """A Python literal (`{'action': 'TAP', 'position': (0.1, 0.2)}`); raises ValueError."""
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as exc:
        raise ValueError(f"not a literal: {snippet(text)!r} ({type(exc).__name__})") from None


def braced(text: str, limit: int = 16) -> list[str]:
    """The top-level `{...}` spans of `text`, in order (quotes respected), at most `limit`."""
    out: list[str] = []
    depth, start, quote = 0, -1, ""
    escaped = False
    for i, ch in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "'\"" and depth > 0:
            quote = ch
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(text[start : i + 1])
                if len(out) >= limit:
                    break
    return out


# --- python-style calls ----------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """A call such as `click(start_box='(1,2)')`: its dotted name, positional arguments and
    keyword arguments as Python values (strings when a value is not a literal)."""

    name: str
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def arg(self, *names: str, position: int | None = None) -> Any:
        """The first keyword argument of `names` present, else the positional one."""
        for name in names:
            if name in self.kwargs:
                return self.kwargs[name]
        if position is not None and position < len(self.args):
            return self.args[position]
        return None


def parse_calls(text: str) -> list[Call]:
    """Every call in `text` that starts a line, in order (several actions in one reply)."""
    starts = [m.start() for m in _CALL_START.finditer(text)]
    if not starts:
        return []
    calls = []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        call = parse_call(text[a:b])
        if call is not None:
            calls.append(call)
    return calls


def parse_call(source: str) -> Call | None:
    """One call; None when `source` is not a call. Python syntax first; a call that is not
    valid Python (an unescaped quote inside a string) is read loosely."""
    # Tags after the call (`...)</answer>`, `...)\n</computer_env>`) are not part of it.
    src = _TRAILING_TAGS.sub(")", source.strip()).rstrip(";").strip()
    if not src or "(" not in src:
        return None
    try:
        tree = ast.parse(src, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _loose_call(src)
    node = tree.body
    if not isinstance(node, ast.Call):
        return None
    name = _dotted(node.func)
    if name is None:
        return None
    args = [_value(a, src) for a in node.args]
    kwargs = {k.arg: _value(k.value, src) for k in node.keywords if k.arg is not None}
    return Call(name, args, kwargs, src)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _value(node: ast.expr, src: str) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return ast.get_source_segment(src, node) or ""


_TRAILING_TAGS = re.compile(r"\)\s*(?:</?[A-Za-z_][\w:.-]*>\s*)+$")
_LOOSE = re.compile(r"^([A-Za-z_][\w.]*)\s*\((.*)\)\s*$", re.DOTALL)
_LOOSE_KEY = re.compile(r"(?:^|,)\s*([A-Za-z_]\w*)\s*=\s*")


def _loose_call(src: str) -> Call | None:
    """`name(key=value, ...)` read without Python's rules: each value runs to the next
    `, key=`, and one pair of surrounding quotes is removed."""
    m = _LOOSE.match(src)
    if m is None:
        return None
    name, body = m.group(1), m.group(2)
    keys = list(_LOOSE_KEY.finditer(body))
    kwargs: dict[str, Any] = {}
    for i, k in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(body)
        raw = body[k.end() : end].strip()
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            raw = raw[1:-1]
        kwargs[k.group(1)] = raw.replace("\\n", "\n").replace("\\'", "'").replace('\\"', '"')
    if not keys and body.strip():
        return Call(name, [body.strip().strip("'\"")], {}, src)
    return Call(name, [], kwargs, src)


# --- numbers, points and boxes ---------------------------------------------------------------


def number(value: Any, what: str = "a coordinate") -> float:
    """A finite number from a number or numeric text; raises `ModelResponseError`."""
    if isinstance(value, bool):
        raise ModelResponseError(f"{what} must be a number, got {value!r}")
    if isinstance(value, int | float):
        out = float(value)
    elif isinstance(value, str) and _NUM_RE.fullmatch(value.strip()):
        out = float(value.strip())
    else:
        raise ModelResponseError(f"{what} must be a number, got {snippet(repr(value), 60)}")
    if not math.isfinite(out):
        raise ModelResponseError(f"{what} must be a finite number, got {snippet(repr(value))}")
    return out


def numbers_in(text: str) -> list[float]:
    """The numbers written in `text` (special tokens such as `<|box_start|>` removed)."""
    return [number(n) for n in _NUM_RE.findall(_SPECIAL.sub(" ", text))]


def _flat(value: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 4:
        raise ModelResponseError("a point is nested too deeply")
    if isinstance(value, list | tuple):
        for v in value:
            yield from _flat(v, depth + 1)
    else:
        yield value


def point_of(value: Any, what: str = "the point") -> tuple[float, float]:
    """A point from any of the forms models write: `[x, y]`, `[[x, y]]`, `(x, y)` text,
    `<|box_start|>(x,y)<|box_end|>` (the end token sometimes doubled), `<point>x y</point>`,
    `<bbox>x1 y1 x2 y2</bbox>`, or a box of four numbers, which stands for its centre."""
    if isinstance(value, str):
        inner = _SPECIAL.sub(" ", _point_text(value))
        if _NUM_RE.sub(" ", inner).strip(" \t\n[](),;"):  # words: NaN, inf, x=, ...
            raise ModelResponseError(f"{what} must be numbers, got {snippet(repr(value), 80)}")
        nums = numbers_in(inner)
    elif isinstance(value, dict):
        if "x" in value and "y" in value:
            nums = [number(value["x"]), number(value["y"])]
        else:
            raise ModelResponseError(f"{what} must be [x, y], got {snippet(repr(value), 80)}")
    else:
        nums = [number(v) for v in _flat(value)]
    if len(nums) == 2:
        return (nums[0], nums[1])
    if len(nums) == 4:
        return ((nums[0] + nums[2]) / 2, (nums[1] + nums[3]) / 2)
    raise ModelResponseError(
        f"{what} must be two numbers (x, y) or a box of four, got {snippet(repr(value), 80)}"
    )


def _point_text(text: str) -> str:
    m = _BOX_TOKENS.search(text)
    if m:
        return m.group(1)
    m = _POINT_TAG.search(text)
    if m:
        return m.group(2)
    return text


def first_point_text(text: str) -> str | None:
    """The first point or box written in free text, in a form `point_of` reads."""
    for pattern in (_BOX_TOKENS, _POINT_TAG):
        m = pattern.search(text)
        if m:
            return m.group(0)
    sep = r"\s*[,\s]\s*"
    box = re.search(rf"[\[(]\s*{_NUM}{sep}{_NUM}{sep}{_NUM}{sep}{_NUM}\s*[\])]", text)
    pair = re.search(rf"[\[(]\s*{_NUM}\s*,\s*{_NUM}\s*[\])]", text)
    found = [m for m in (box, pair) if m is not None]
    if not found:
        return None
    return min(found, key=lambda m: m.start()).group(0)


def as_text(value: Any, what: str) -> str:
    """A string argument; numbers are written out, anything else is an error."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    raise ModelResponseError(f"{what} must be text, got {snippet(repr(value), 60)}")


def one_of(value: Any, choices: Sequence[str], what: str) -> str:
    """`value` lower-cased when it is one of `choices`, else an error naming them."""
    text = as_text(value, what).strip().lower()
    if text not in choices:
        raise ModelResponseError(f"{what} must be one of {', '.join(choices)}, got {value!r}")
    return text


def dict_literal(span: str, key: str, raw: str) -> dict[str, Any]:
    """A dict written as a Python literal (single quotes, `None`) or as JSON, which must hold
    `key`; raises `ModelResponseError` naming what was wrong."""
    try:
        data = literal(span)
    except ValueError:
        try:
            data = loads(span)
        except ValueError:
            raise ModelResponseError(
                f"the action is not a dict: {snippet(span)!r}", raw=raw
            ) from None
    if not isinstance(data, dict) or key not in data:
        raise ModelResponseError(f"the action needs a {key!r} key: {snippet(span)!r}", raw=raw)
    return data


def first_point(text: str, what: str) -> tuple[float, float]:
    """The first point or box (as its centre) written in a grounding answer's text."""
    _, body = split_thinking(check_length(text))
    found = first_point_text(body)
    if found is None:
        raise ModelResponseError(f"no {what} in the answer: {snippet(text)!r}", raw=text)
    return point_of(found)
