"""The run's tip store, shared by every actor of a Ray run.

One `TipHub` actor, on the driver's node, owns the store the settings describe (the embedded
one in the driver's data folder, or the Chroma server at `tips.chroma_url`). Every learnt-tip
proposal of every actor goes through it, one at a time, so the store's check for a duplicate
and the write that follows are never interleaved with another actor's: two actors that learn
the same lesson at once store it once.

Retrieval goes straight to the Chroma server when there is one (each actor opens its own
client, so reads scale with the actors); with an embedded store, whose folder only the
driver's node has, the hub answers retrievals too.
"""

from __future__ import annotations

from typing import Any

from artemis.config import Settings
from artemis.errors import TipStoreError
from artemis.tips.base import ScoredTip, Tip, TipStore
from artemis.tips.factory import NoTipStore, TolerantTipStore, open_tip_store


class TipHub:
    """The actor class (made remote by `start_hub`) that owns the run's tip store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: TipStore | None = None

    async def _open(self) -> TipStore:
        if self.store is None:
            self.store = await open_tip_store(self.settings)
        return self.store

    async def open(self) -> None:
        """Open (and on first use seed) the store before any actor reads it."""
        await self._open()

    async def retrieve(
        self, app: str | None, task: str, screen_text: str, k: int
    ) -> list[ScoredTip]:
        store = await self._open()
        return await store.retrieve(app=app, task=task, screen_text=screen_text, k=k)

    async def propose(self, tip: Tip) -> Tip | None:
        store = await self._open()
        return await store.propose(tip)

    async def close(self) -> None:
        if self.store is not None:
            await self.store.aclose()
            self.store = None


def start_hub(ray: Any, settings: Settings, node_id: str) -> Any:
    """The hub actor, on node `node_id` (the driver's), serving one call at a time."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    remote = ray.remote(max_concurrency=1, num_cpus=0)(TipHub)
    strategy = NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)
    return remote.options(scheduling_strategy=strategy).remote(settings)


class SharedTipStore:
    """An actor's TipStore: proposals through the hub, retrieval from `reader` (a client of
    the Chroma server) or, without one, through the hub too."""

    def __init__(self, hub: Any, reader: TipStore | None = None) -> None:
        self.hub = hub
        self.reader = reader

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        if self.reader is not None:
            return await self.reader.retrieve(app=app, task=task, screen_text=screen_text, k=k)
        return await self._call("retrieve", app, task, screen_text, k)

    async def propose(self, tip: Tip) -> Tip | None:
        result: Tip | None = await self._call("propose", tip)
        return result

    async def _call(self, method: str, *args: Any) -> Any:
        import ray

        try:
            return await getattr(self.hub, method).remote(*args)
        except ray.exceptions.RayError as exc:
            raise TipStoreError(f"the run's tip store is out of reach: {exc}") from exc

    async def aclose(self) -> None:
        if self.reader is not None:
            await self.reader.aclose()


async def open_shared_tip_store(settings: Settings, hub: Any | None) -> TipStore:
    """The TipStore an actor's episodes use (what `open_tip_store` is to a local run)."""
    if hub is None or not settings.agent.use_tips:
        return NoTipStore()
    reader = await open_tip_store(settings) if settings.tips.chroma_url else None
    store = SharedTipStore(hub, reader)
    return store if settings.tips.required else TolerantTipStore(store)
