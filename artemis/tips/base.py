"""The TipStore contract and the tip record.

A tip is a short, actionable statement about one app (keyed by Android package name) or, with
app `"*"`, about all apps. The agent loop retrieves tips through `TipStore.retrieve` and proposes
learnt tips through `TipStore.propose`; the ChromaDB store implements both. A store may hold
files and connections: whoever opens one closes it with `await store.aclose()` (idempotent),
for instance through `async with contextlib.aclosing(await open_tip_store(settings))`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from artemis.apps import KNOWN_APPS, is_package_name

GENERAL_APP = "*"


def is_app_key(app: str) -> bool:
    """Whether `app` can key a tip: an Android package name, or '*' for every app."""
    return app == GENERAL_APP or is_package_name(app)


def is_known_app(app: str) -> bool:
    """Whether `app` is one artemis knows (the simulated phone's and AndroidWorld's apps);
    a tip for another app is kept, with a warning."""
    return app == GENERAL_APP or app in KNOWN_APPS


class TipSource(BaseModel):
    """Where a tip came from: written by hand, or learnt from an episode's step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["hand", "learnt"] = "hand"
    episode: str | None = None
    step: int | None = None
    date: dt.date | None = None
    author: str | None = None


class Tip(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    app: str = Field(min_length=1, description="Android package name, or '*' for every app")
    text: str = Field(min_length=1, max_length=1000)
    tags: tuple[str, ...] = ()
    task_kinds: tuple[str, ...] = ()
    source: TipSource = Field(default_factory=TipSource)
    status: Literal["accepted", "candidate"] = "accepted"

    def with_id(self) -> Tip:
        """This tip with a stable id derived from its app and text, when it has none."""
        if self.id:
            return self
        digest = hashlib.sha1(f"{self.app}\n{self.text}".encode()).hexdigest()[:12]
        return self.model_copy(update={"id": f"{_slug(self.app)}-{digest}"})


def _slug(app: str) -> str:
    return "general" if app == GENERAL_APP else re.sub(r"[^a-z0-9]+", "-", app.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class ScoredTip:
    tip: Tip
    score: float  # higher is better, in [0, 1]


@runtime_checkable
class TipStore(Protocol):
    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        """The best accepted tips for `app` (and general ones, weighted lower), best first."""
        ...

    async def propose(self, tip: Tip) -> Tip | None:
        """Add a learnt candidate tip; returns it, or None when it duplicates a known tip."""
        ...

    async def aclose(self) -> None:
        """Release what the store holds. Closing twice is harmless."""
        ...


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 1}


class InMemoryTipStore:
    """A TipStore on plain word overlap: for tests and for running without ChromaDB."""

    def __init__(self, tips: Iterable[Tip] = (), *, general_weight: float = 0.5) -> None:
        self.tips: dict[str, Tip] = {}
        self.general_weight = general_weight
        for tip in tips:
            t = tip.with_id()
            self.tips[t.id] = t

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        query = words(task) | words(screen_text)
        scored: list[ScoredTip] = []
        for tip in self.tips.values():
            if tip.status != "accepted" or tip.app not in (app, GENERAL_APP):
                continue
            tw = words(tip.text) | {t.lower() for t in tip.tags + tip.task_kinds}
            score = len(query & tw) / (len(tw) or 1)
            if tip.app == GENERAL_APP:
                score *= self.general_weight
            scored.append(ScoredTip(tip, score))
        scored.sort(key=lambda s: -s.score)
        return scored[:k]

    async def propose(self, tip: Tip) -> Tip | None:
        t = tip.with_id()
        if any(words(o.text) == words(t.text) and o.app == t.app for o in self.tips.values()):
            return None
        t = t.model_copy(update={"status": "candidate"})
        self.tips[t.id] = t
        return t

    async def aclose(self) -> None:
        """Nothing to release."""
