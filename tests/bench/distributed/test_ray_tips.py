"""The tip store of a Ray run: actors on several nodes read one Chroma server, and learnt-tip
proposals from many actors at once go through one writer, so a lesson is stored once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from artemis.bench.distributed.tips import open_shared_tip_store, start_hub
from artemis.config import Settings
from artemis.tips.base import Tip, TipStore
from tests.chroma_server import chroma_server
from tests.ray_cluster import LocalCluster

pytestmark = pytest.mark.slow  # a cluster, a Chroma server and actor processes

#: One lesson, learnt by four actors in nearly the same words (each its own tip id).
LESSON = [
    "Tap + at the bottom right to add a task.",
    "Tap + at the bottom right to add a task",
    "tap + at the bottom right to add a task.",
    "Tap + at the bottom right to add a task!",
]


class Learner:
    """An actor standing in for an episode's reflection: it proposes what it learnt and
    reads tips, through the store an actor of a Ray run gets."""

    def __init__(self, settings: Settings, hub: Any) -> None:
        self.settings = settings
        self.hub = hub
        self.store: TipStore | None = None

    async def _open(self) -> TipStore:
        if self.store is None:
            self.store = await open_shared_tip_store(self.settings, self.hub)
        return self.store

    async def propose(self, text: str) -> Tip | None:
        store = await self._open()
        return await store.propose(Tip(app="org.tasks", text=text))

    async def retrieve(self, task: str) -> list[str]:
        store = await self._open()
        return [t.tip.text for t in await store.retrieve(app="org.tasks", task=task, k=3)]


async def test_proposals_from_many_actors_store_a_lesson_once_for_every_node(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    import ray

    with chroma_server(tmp_path / "server") as (url, _):
        settings = Settings(
            data_dir=tmp_path / "data", tips={"chroma_url": url, "auto_accept": True}
        )
        hub = start_hub(ray, settings, ray.get_runtime_context().get_node_id())
        await hub.open.remote()  # seeds the server's store from the corpus, once
        learner: Any = ray.remote(Learner).options(scheduling_strategy="SPREAD")
        actors = [learner.remote(settings, hub) for _ in LESSON]
        stored = await asyncio.gather(
            *(a.propose.remote(text) for a, text in zip(actors, LESSON, strict=True))
        )
        assert sum(t is not None for t in stored) == 1, stored
        kept = next(t for t in stored if t is not None)
        for actor in actors:  # every actor, whatever its node, reads it from the server
            assert kept.text in await actor.retrieve.remote("add a task")
        for actor in actors:
            ray.kill(actor)
        await hub.close.remote()
        ray.kill(hub)
