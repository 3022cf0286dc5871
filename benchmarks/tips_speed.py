"""Speed of the tip store: ingestion rate and retrieval latency at 1k and 10k tips (100k with
`--full`), on an embedded ChromaDB in a temporary folder, with the default `hash` embedding.

    python benchmarks/tips_speed.py [--full] [--queries 200]

Retrieval is what the agent loop does each step: one app's tips plus the general ones, ranked
against a task. It is timed through `TipDatabase.retrieve` and through the async `retrieve`
(worker thread), and, alternated with the first, without the store's inter-process lock and
generation check (`TipDatabase.reader.retrieve`): what sharing a store across processes costs.
Beside it, on the same vectors, the two layouts ChromaDB allows are timed query by query: one
collection per app (what the store does) and one collection filtered on the `app` metadata.
Target: p50 <= 10 ms at 10k tips with an app filter.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from artemis.config import Settings  # noqa: E402
from artemis.tips.base import Tip  # noqa: E402
from artemis.tips.corpus import bundled_corpus_dir, load_corpus  # noqa: E402
from artemis.tips.store import ChromaTipStore, embed_text  # noqa: E402

APPS = 50


def vocabulary() -> list[str]:
    corpus = bundled_corpus_dir()
    assert corpus is not None
    words = {w.strip(".,;:()") for t in load_corpus(corpus).tips for w in t.text.split()}
    return sorted(w for w in words if w.isalpha() and len(w) > 2)


def synthetic(n: int, words: list[str], rng: random.Random) -> list[Tip]:
    tips = []
    for i in range(n):
        app = "*" if i % 53 == 0 else f"com.example.app{i % APPS}"
        text = " ".join(rng.choices(words, k=rng.randint(10, 22))) + f" ({i})."
        tips.append(Tip(app=app, text=text))
    return tips


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def fmt(values: list[float]) -> str:
    return f"p50 {pct(values, 50):6.2f} ms  p95 {pct(values, 95):6.2f} ms"


def run(n: int, queries: int, words: list[str]) -> dict[str, str]:
    rng = random.Random(n)
    tips = synthetic(n, words, rng)
    tasks = [
        (f"com.example.app{rng.randrange(APPS)}", " ".join(rng.choices(words, k=8)))
        for _ in range(queries)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), tips={"corpus": Path(tmp) / "none"})
        with ChromaTipStore.connect(settings, seed=False) as store:
            t0 = time.perf_counter()
            store.db.add(tips)
            ingest = n / (time.perf_counter() - t0)

            for i in range(APPS):  # warm-up: the first query of each collection loads its index
                store.db.retrieve(app=f"com.example.app{i}", task="warm up", k=3)
            sync_ms, unlocked_ms = [], []
            for app, task in tasks:  # alternated, so that both see the same machine
                t = time.perf_counter()
                store.db.retrieve(app=app, task=task, k=3)
                sync_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                store.db.reader.retrieve(app=app, task=task, k=3)
                unlocked_ms.append((time.perf_counter() - t) * 1000)

            async def timed() -> list[float]:
                out = []
                for app, task in tasks:
                    t = time.perf_counter()
                    await store.retrieve(app=app, task=task, k=3)
                    out.append((time.perf_counter() - t) * 1000)
                return out

            async_ms = asyncio.run(timed())

            # The two layouts side by side on identical vectors, query only (no embedding).
            vecs = store.db.embedding([embed_text(t) for t in tips])
            single = store.db.cols.client.create_collection(
                "bench-single", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
            for s in range(0, n, 1000):
                single.add(
                    ids=[t.with_id().id for t in tips[s : s + 1000]],
                    embeddings=vecs[s : s + 1000],
                    metadatas=[{"app": t.app} for t in tips[s : s + 1000]],
                )
            qvecs = store.db.embedding([task for _, task in tasks])
            for (app, _), q in list(zip(tasks, qvecs, strict=True))[:20]:
                single.query(query_embeddings=[q], n_results=3, where={"app": app})
            per_app_ms, filtered_ms = [], []
            for (app, _), q in zip(tasks, qvecs, strict=True):
                col = store.db.cols.of_app(app)
                assert col is not None
                t = time.perf_counter()
                col.query(query_embeddings=[q], n_results=3)
                per_app_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                single.query(query_embeddings=[q], n_results=3, where={"app": app})
                filtered_ms.append((time.perf_counter() - t) * 1000)
    return {
        "tips": f"{n:,}",
        "ingest": f"{ingest:,.0f} tips/s",
        "retrieve (sync)": fmt(sync_ms),
        "retrieve, no lock": fmt(unlocked_ms),
        "retrieve (async)": fmt(async_ms),
        "query, collection per app": fmt(per_app_ms),
        "query, one collection + where app": fmt(filtered_ms),
        "ratio filtered/per-app p50": f"{pct(filtered_ms, 50) / pct(per_app_ms, 50):.1f}x",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 100k tips (minutes)")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    words = vocabulary()
    sizes = [1_000, 10_000] + ([100_000] if args.full else [])
    rows = []
    for n in sizes:
        rows.append(run(n, args.queries, words))
        print(rows[-1], flush=True)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(row[k] for k in keys) + " |")


if __name__ == "__main__":
    main()
