"""Retrieval quality of the tip store on a labelled set, for each embedding available offline.

    python benchmarks/tips_quality.py

For each case of benchmarks/data/tips_labelled.yaml (an AndroidWorld-style task, its app, and
the tips that should come first) it asks the store for the best k tips and prints recall@k
(the share of expected tips among the first k, averaged over cases) and hit@1. The word-overlap
InMemoryTipStore runs beside it as a baseline. It also prints the cosine similarity of
restated-tip pairs and of different-tip pairs, which is what the dedup threshold rests on.
MiniLM runs only when its files are present locally; it is never downloaded.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from artemis.config import Settings  # noqa: E402
from artemis.tips.base import InMemoryTipStore, Tip, TipStore  # noqa: E402
from artemis.tips.corpus import bundled_corpus_dir, load_corpus  # noqa: E402
from artemis.tips.embeddings import MiniLMEmbedding, make_embedding  # noqa: E402
from artemis.tips.store import DEDUP_THRESHOLD, ChromaTipStore  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
KS = (1, 3, 5)


def resolve(cases: list[dict[str, Any]], tips: list[Tip]) -> Labelled:
    out = []
    for case in cases:
        ids: set[str] = set()
        for piece in case["expect"]:
            hits = [t.id for t in tips if t.app in (case["app"], "*") and piece in t.text]
            if len(hits) != 1:
                raise SystemExit(f"label {piece!r} for {case['app']} matches {len(hits)} tips")
            ids.add(hits[0])
        out.append((case, ids))
    return out


Labelled = list[tuple[dict[str, Any], set[str]]]


async def evaluate(store: TipStore, labelled: Labelled) -> dict[str, float]:
    recall = {k: 0.0 for k in KS}
    hit1 = 0
    for case, expected in labelled:
        got = await store.retrieve(app=case["app"], task=case["task"], k=max(KS))
        ids = [s.tip.id for s in got]
        for k in KS:
            recall[k] += len(expected & set(ids[:k])) / len(expected)
        hit1 += bool(ids) and ids[0] in expected
    n = len(labelled)
    return {**{f"recall@{k}": recall[k] / n for k in KS}, "hit@1": hit1 / n}


def similarities(spec: str) -> dict[str, list[float]]:
    pairs = yaml.safe_load((DATA / "tips_paraphrases.yaml").read_text())
    ef = make_embedding(spec)

    def cos(a: str, b: str) -> float:
        va, vb = ef([a, b])
        return float(np.dot(va, vb))

    return {kind: [cos(a, b) for a, b in pairs[kind]] for kind in pairs}


async def main() -> None:
    corpus = bundled_corpus_dir()
    assert corpus is not None, "no tip corpus"
    tips = load_corpus(corpus).tips
    cases = yaml.safe_load((DATA / "tips_labelled.yaml").read_text())["cases"]
    labelled = resolve(cases, tips)
    print(f"{len(labelled)} labelled cases, {len(tips)} tips in the corpus\n")

    specs = ["hash", "hash:256", "hash:1024"]
    minilm = MiniLMEmbedding()
    if minilm.missing_files():
        print(f"minilm: skipped, its files are not in {minilm.model_dir}\n")
    else:
        specs.append("minilm")

    rows: list[tuple[str, dict[str, float]]] = [
        ("word overlap (InMemoryTipStore)", await evaluate(InMemoryTipStore(tips), labelled))
    ]
    for spec in specs:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), tips={"embedding": spec, "corpus": corpus})
            with ChromaTipStore.connect(settings) as store:
                rows.append((f"chroma + {spec}", await evaluate(store, labelled)))

    head = ["embedding", *[f"recall@{k}" for k in KS], "hit@1"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, r in rows:
        print(f"| {name} | " + " | ".join(f"{r[h]:.2f}" for h in head[1:]) + " |")

    print("\ndedup: cosine similarity of tip pairs of one app, and what the threshold does:")
    for spec in specs:
        sims = similarities(spec)
        limit = DEDUP_THRESHOLD[spec.partition(":")[0]]
        parts = []
        for kind, values in sims.items():
            over = sum(v >= limit for v in values)
            parts.append(
                f"{kind} {min(values):.2f}-{max(values):.2f} ({over}/{len(values)} >= {limit})"
            )
        print(f"  {spec:10s} " + " | ".join(parts))


if __name__ == "__main__":
    asyncio.run(main())
