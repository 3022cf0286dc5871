"""The registry of dialects, and how a role's dialect and coordinate space are chosen.

Every dialect is listed here under its exact name. `models.dialect` (default `auto`) chooses
one for the Manager and ACA, `models.dialects.<role>` overrides it per role. A model that
always speaks one dialect (the offline policies) keeps it. Under `auto`, the model's name
decides (`detect`), and names of no known family get `artemis`. TAC and SRA answer yes/no
judgements that no family has a native format for: they always speak artemis JSON.

The coordinate space a role's points are read in: `models.coords` when set, else the
dialect's own, else the model family's (`family_coords`, from the name).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from artemis.errors import ModelConfigError
from artemis.models.coords import CoordSpace, ImageRule
from artemis.models.dialects.aguvis import Aguvis
from artemis.models.dialects.artemis_json import ARTEMIS
from artemis.models.dialects.autoglm import AutoGLM
from artemis.models.dialects.base import (
    CorrectionPrompt,
    Dialect,
    GroundedPoint,
    NavigationPrompt,
    Output,
    ParsedReply,
    PastStep,
    Rendered,
)
from artemis.models.dialects.cogagent import CogAgent
from artemis.models.dialects.mai_ui import MaiUI
from artemis.models.dialects.openai_tools import OpenAITools
from artemis.models.dialects.osatlas import OSAtlas
from artemis.models.dialects.qwen import GuiOwl, Qwen3VL, Qwen25VL
from artemis.models.dialects.seeclick import SeeClick
from artemis.models.dialects.showui import ShowUI
from artemis.models.dialects.uitars import UiTars10, UiTars15

if TYPE_CHECKING:
    from artemis.config import Settings


class Speaker(Protocol):
    """What choosing a dialect needs of a model: its name, its family's space, and the
    dialect it always speaks (None: the settings and the name decide)."""

    @property
    def name(self) -> str: ...
    @property
    def coords(self) -> CoordSpace: ...
    @property
    def dialect(self) -> str | None: ...


__all__ = [
    "ARTEMIS",
    "DIALECTS",
    "CorrectionPrompt",
    "Detected",
    "Dialect",
    "GroundedPoint",
    "NavigationPrompt",
    "Output",
    "ParsedReply",
    "PastStep",
    "Rendered",
    "choose",
    "detect",
    "family_coords",
    "family_image_rule",
    "get_dialect",
    "role_coords",
]

#: Every dialect by its name, in the order `artemis models dialects` lists them.
DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        ARTEMIS,
        Qwen25VL(),
        Qwen3VL(),
        GuiOwl(),
        UiTars10(),
        UiTars15(),
        MaiUI(),
        AutoGLM(),
        OSAtlas(),
        CogAgent(),
        Aguvis(),
        SeeClick(),
        ShowUI(),
        OpenAITools(),
    )
}

#: Roles whose dialect can be chosen; the others speak artemis JSON.
DIALECT_ROLES = ("manager", "aca")


@dataclass(frozen=True)
class Detected:
    """What a model name says: its dialect, and a space that differs from the dialect's."""

    dialect: Dialect
    coords: CoordSpace | None = None

    @property
    def space(self) -> CoordSpace | None:
        return self.coords or self.dialect.coords


# Names whose space differs from their dialect's: doubao's hosted UI-TARS answers in 0..1000.
_OVERRIDES: tuple[tuple[str, str, CoordSpace], ...] = (
    (r"doubao.*ui[-_ ]?tars|ui[-_ ]?tars.*doubao", "ui-tars-1.5", "norm1000"),
)
# The more specific patterns first: GUI-Owl-1.5 is a Qwen3-VL, UI-TARS-1.5 before UI-TARS.
_ORDER = (
    "ui-tars-1.5",
    "qwen3-vl",
    "gui-owl",
    "ui-tars-1.0",
    "qwen2.5-vl",
    "mai-ui",
    "autoglm",
    "os-atlas",
    "cogagent",
    "aguvis",
    "seeclick",
    "showui",
)


@functools.lru_cache(maxsize=256)
def detect(model_name: str) -> Detected | None:
    """The dialect a model name belongs to, or None for names of no known family.

    A spec's backend prefix is ignored (`openai:UI-TARS-1.5-7B`, `ollama:qwen2.5vl:7b`)."""
    name = model_name.lower()
    for pattern, dialect, coords in _OVERRIDES:
        if re.search(pattern, name):
            return Detected(DIALECTS[dialect], coords)
    for key in _ORDER:
        if any(re.search(p, name) for p in DIALECTS[key].patterns):
            return Detected(DIALECTS[key])
    return None


def family_coords(model_name: str) -> CoordSpace:
    """The space a model answers points in when nothing else says: its family's, else
    pixels of the image it was sent."""
    found = detect(model_name)
    return (found.space if found else None) or "pixels"


def family_image_rule(model_name: str, max_pixels: int, multiple: int | None = None) -> ImageRule:
    """How images are sized for a model: its family's resize rule within `max_pixels`,
    with sides a multiple of `multiple` when given (else the family's, else 1)."""
    found = detect(model_name)
    base = (found.dialect.image if found else None) or ImageRule(1, 0, max_pixels)
    rule = base.capped(max_pixels)
    if multiple is not None and multiple != rule.factor:
        rule = ImageRule(multiple, rule.min_pixels, max(rule.max_pixels, multiple * multiple))
    return rule


def get_dialect(name: str) -> Dialect:
    """The dialect called `name`; an unknown name raises with the closest known one."""
    key = name.strip().lower()
    if key in DIALECTS:
        return DIALECTS[key]
    close = difflib.get_close_matches(key, list(DIALECTS), n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ModelConfigError(
        f"unknown dialect {name!r}.{hint} Known dialects: auto, {', '.join(DIALECTS)}"
    )


def check_names(names: Iterable[str]) -> None:
    """Raise `ModelConfigError` for a name that is neither `auto` nor a dialect."""
    for name in names:
        if name != "auto":
            get_dialect(name)


def choose(model: Speaker, settings: Settings, role: str = "manager") -> Dialect:
    """The dialect `role` speaks to `model` (see the module docstring)."""
    if role not in DIALECT_ROLES:
        return ARTEMIS
    fixed = getattr(model, "dialect", None)
    if fixed:  # an offline policy speaks nothing else
        return get_dialect(fixed)
    m = settings.models
    wanted = m.dialects.get(role) or m.dialect  # type: ignore[call-overload]
    if wanted != "auto":
        return get_dialect(wanted)
    found = detect(model.name)
    return found.dialect if found else ARTEMIS


def role_coords(dialect: Dialect, model: Speaker, settings: Settings) -> CoordSpace:
    """The space a role's replies are read in (see the module docstring)."""
    if settings.models.coords != "auto":
        return settings.models.coords
    if dialect.coords is not None:
        found = detect(model.name)
        if found is not None and found.dialect is dialect and found.coords is not None:
            return found.coords
        return dialect.coords
    return model.coords
