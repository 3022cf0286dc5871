"""A screen's tips: asked for as soon as the screen arrives, taken by the plan that needs them.

The agent loop calls `soon(obs)` when a new screen comes in (beside the settling polls, when
it came early), and `for_screen(obs)` when a plan for that screen is made: the retrieval in
flight is taken when it is for that very observation, and a fresh one asked otherwise. A newer
screen, or the end of the episode, cancels a retrieval nobody will take.
"""

from __future__ import annotations

import asyncio
from typing import Any

from artemis.agent.stages import TipQuery, TipsResult, retrieve_tips
from artemis.config import Settings
from artemis.observation import Observation
from artemis.tips.base import TipStore


class ScreenTips:
    """Tips for the screens of one episode's task, from `store` (none without one)."""

    def __init__(self, store: TipStore | None, task: str, settings: Settings) -> None:
        self.store = store
        self.task = task
        self.settings = settings
        self._soon: tuple[Observation, asyncio.Future[TipsResult]] | None = None

    def soon(self, obs: Observation) -> None:
        """Start retrieving `obs`'s tips, in place of any retrieval still in flight."""
        if self.store is None or not self.settings.agent.use_tips:
            return
        self.forget()
        self._soon = (obs, asyncio.ensure_future(self.retrieve(obs)))

    async def for_screen(self, obs: Observation) -> TipsResult:
        """The tips for `obs`: those started when it arrived, else asked now."""
        soon = self._soon
        if soon is not None and soon[0] is obs:
            self._soon = None
            return await soon[1]
        return await self.retrieve(obs)

    async def retrieve(self, obs: Observation) -> TipsResult:
        if self.store is None:
            return TipsResult()
        return await retrieve_tips(
            self.store,
            TipQuery(obs.package, self.task, obs.text, self.settings.tips.k),
            timeout_s=self.settings.models.timeout_s,
            required=self.settings.tips.required,
        )

    def forget(self) -> None:
        """Cancel the retrieval in flight, if any: nobody will take it."""
        soon, self._soon = self._soon, None
        if soon is not None:
            soon[1].cancel()
            soon[1].add_done_callback(quietly)


def quietly(future: asyncio.Future[Any]) -> None:
    """A task nobody awaits any more: its failure is nobody's to hear of."""
    if not future.cancelled():
        future.exception()
