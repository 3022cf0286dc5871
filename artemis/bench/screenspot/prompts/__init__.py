"""Grounding prompts, one per model family, and how each family's answer is read.

The templates are the `.txt` files beside this module, filled with `string.Template`:
`$instruction`, `$width` and `$height` (the image as sent), `$space` (how to write
coordinates, from the model's convention) and `$schema` (the Manager's tap schema).

`manager` asks for a `tap` in the artemis action schema, as the agent's Manager answers, so the
Manager can be measured as a grounder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from artemis.actions import Tap
from artemis.errors import BenchmarkError
from artemis.models.coords import CoordSpace


@dataclass(frozen=True, slots=True)
class PromptFamily:
    """A prompt template, and how its answers parse."""

    name: str
    template: str
    answer: str = "point"  # "point": `parse_point`; "tap": `parse_tap`
    pattern: str = ""  # matched against the model name by `family_for`


FAMILIES: dict[str, PromptFamily] = {
    f.name: f
    for f in (
        PromptFamily("generic", "generic.txt"),
        PromptFamily("qwen2.5-vl", "qwen.txt", pattern=r"qwen2\.5[-_]?vl|qwen2_5_vl|gui[-_]?owl"),
        PromptFamily("qwen3-vl", "qwen.txt", pattern=r"qwen3[-_.]?vl"),
        PromptFamily("ui-tars", "ui_tars.txt", pattern=r"ui[-_]?tars"),
        PromptFamily("os-atlas", "os_atlas.txt", pattern=r"os[-_]?atlas"),
        PromptFamily("manager", "manager.txt", answer="tap"),
    )
}

_SPACE_TEXT: dict[CoordSpace, str] = {
    "pixels": "in pixels of this $width x $height image (0, 0 is the top-left corner)",
    "norm1000": "as integers from 0 to 1000, relative to the image's width and height "
    "(0, 0 is the top-left corner; 1000, 1000 the bottom-right)",
    "norm1": "as fractions from 0 to 1 of the image's width and height "
    "(0, 0 is the top-left corner; 1, 1 the bottom-right)",
}


def family(name: str) -> PromptFamily:
    try:
        return FAMILIES[name]
    except KeyError:
        raise BenchmarkError(
            f"unknown prompt family {name!r}; choose one of {', '.join(FAMILIES)} or 'auto'"
        ) from None


def family_for(model_name: str) -> PromptFamily:
    """The family a model's name suggests; `generic` when it says nothing."""
    lowered = model_name.lower()
    for fam in FAMILIES.values():
        if fam.pattern and re.search(fam.pattern, lowered):
            return fam
    return FAMILIES["generic"]


@cache
def _template(name: str) -> Template:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return Template(text.strip())


@cache
def _tap_schema() -> str:
    return json.dumps(Tap.model_json_schema(), separators=(",", ":"))


def render(fam: PromptFamily, instruction: str, width: int, height: int, space: CoordSpace) -> str:
    """The prompt text for one sample, for an image of `width` x `height` as sent."""
    size = {"width": str(width), "height": str(height)}
    space_text = Template(_SPACE_TEXT[space]).substitute(size)
    return _template(fam.template).substitute(
        size, instruction=instruction, space=space_text, schema=_tap_schema()
    )
