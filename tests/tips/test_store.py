"""ChromaTipStore on an embedded ChromaDB in tmp_path."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from artemis.config import Settings
from artemis.errors import EmbeddingMismatchError, TipStoreError
from artemis.tips.base import GENERAL_APP, Tip, TipSource, TipStore
from artemis.tips.database import TipDatabase
from artemis.tips.store import ChromaTipStore, collection_name
from tests.tips.conftest import SMALL_CORPUS, Connect, write_corpus

SETTINGS = "com.android.settings"


def _learnt(text: str, app: str = SETTINGS) -> Tip:
    return Tip(
        app=app,
        text=text,
        source=TipSource(kind="learnt", episode="ep-7", step=3, date=dt.date(2026, 11, 2)),
    )


def test_store_satisfies_the_contract(store: ChromaTipStore) -> None:
    assert isinstance(store, TipStore)


async def test_retrieve_ranks_the_apps_tips_by_meaning(store: ChromaTipStore) -> None:
    got = await store.retrieve(app=SETTINGS, task="turn on wifi", k=3)
    assert "Wi-Fi" in got[0].tip.text
    assert all(t.tip.app in (SETTINGS, GENERAL_APP) for t in got)
    assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)
    got = await store.retrieve(app=SETTINGS, task="set the brightness level to the maximum", k=1)
    assert "Brightness" in got[0].tip.text


async def test_screen_text_helps_when_the_task_is_vague(store: ChromaTipStore) -> None:
    got = await store.retrieve(
        app=SETTINGS, task="change this", screen_text="Connected devices Bluetooth Pair new device"
    )
    assert "Bluetooth" in got[0].tip.text


async def test_general_tips_are_weighted_lower(
    connect: Connect, make_settings: Callable[..., Settings]
) -> None:
    full = connect(make_settings(general_weight=1.0))
    half = connect(make_settings(general_weight=0.5))
    task = "use open_app to launch an app"
    a = {s.tip.id: s.score for s in await full.retrieve(app=SETTINGS, task=task, k=10)}
    b = {s.tip.id: s.score for s in await half.retrieve(app=SETTINGS, task=task, k=10)}
    general = [i for i in a if i.startswith("general-")]
    assert general
    for tip_id in general:
        assert b[tip_id] == pytest.approx(a[tip_id] * 0.5, abs=1e-6)
    for tip_id in set(a) - set(general):
        assert b[tip_id] == pytest.approx(a[tip_id], abs=1e-6)


async def test_unknown_or_missing_app_gets_general_tips_only(store: ChromaTipStore) -> None:
    for app in (None, "com.example.none"):
        got = await store.retrieve(app=app, task="open an app", k=5)
        assert got and {t.tip.app for t in got} == {GENERAL_APP}
    assert await store.retrieve(app=SETTINGS, task="wifi", k=0) == []


async def test_candidates_stay_out_of_retrieval_until_accepted(store: ChromaTipStore) -> None:
    proposed = await store.propose(_learnt("Dark theme is a switch under Display."))
    assert proposed is not None and proposed.status == "candidate"
    assert proposed.source.episode == "ep-7" and proposed.source.step == 3
    got = await store.retrieve(app=SETTINGS, task="turn on dark theme", k=10)
    assert proposed.id not in {s.tip.id for s in got}
    assert [t.id for t in store.db.list_tips(status="candidate")] == [proposed.id]

    accepted = store.db.accept(proposed.id)
    assert accepted.status == "accepted" and accepted.source == proposed.source
    got = await store.retrieve(app=SETTINGS, task="turn on dark theme", k=1)
    assert got[0].tip.id == proposed.id
    assert store.db.list_tips(status="candidate") == []
    assert store.db.accept(proposed.id).status == "accepted"  # idempotent
    with pytest.raises(TipStoreError, match="no tip with id"):
        store.db.accept("nope")


async def test_auto_accept_makes_learnt_tips_retrievable_at_once(
    connect: Connect,
    make_settings: Callable[..., Settings],
) -> None:
    store = connect(make_settings(auto_accept=True))
    proposed = await store.propose(_learnt("Dark theme is a switch under Display."))
    assert proposed is not None and proposed.status == "accepted"
    got = await store.retrieve(app=SETTINGS, task="dark theme", k=1)
    assert got[0].tip.id == proposed.id


async def test_propose_drops_duplicates_of_stored_tips(store: ChromaTipStore) -> None:
    same = "Wi-Fi is under Network & internet > Internet; the Wi-Fi switch is at the top."
    assert await store.propose(_learnt(same)) is None
    near = "Wi-Fi is under Network & internet > Internet; the Wi-Fi switch is at the top"
    assert await store.propose(_learnt(near)) is None
    first = await store.propose(_learnt("Night Light is under Display."))
    assert first is not None
    assert await store.propose(_learnt("Night Light is under Display!")) is None  # vs candidate
    other_app = await store.propose(_learnt("Night Light is under Display.", app="org.tasks"))
    assert other_app is not None


async def test_propose_rejects_a_non_package_app(store: ChromaTipStore) -> None:
    with pytest.raises(TipStoreError, match="package name"):
        await store.propose(_learnt("x", app="Settings app"))


async def test_concurrent_retrievals_agree(store: ChromaTipStore) -> None:
    tasks = ["turn on wifi", "bluetooth off", "brightness max", "set a timer"] * 5
    results = await asyncio.gather(*(store.retrieve(app=SETTINGS, task=t, k=2) for t in tasks))
    alone = await store.retrieve(app=SETTINGS, task="turn on wifi", k=2)
    assert [s.tip.id for s in results[0]] == [s.tip.id for s in alone]


def test_seeding_happens_once_and_again_when_the_corpus_changes(
    connect: Connect, make_settings: Callable[..., Settings], corpus: Path
) -> None:
    store = connect(make_settings())
    assert store.db.seed_report is not None and len(store.db.seed_report.tips) == 7
    user = store.db.add([Tip(app=SETTINGS, text="A user's own tip.")])
    assert len(user) == 1
    assert connect(make_settings()).db.seed_report is None  # unchanged corpus

    (corpus / "com.google.android.deskclock.yaml").unlink()
    (corpus / "_general.yaml").write_text('app: "*"\ntips:\n  - text: "A new general tip."\n')
    again = connect(make_settings())
    assert again.db.seed_report is not None
    texts = {t.text for t in again.db.list_tips()}
    assert "A new general tip." in texts and "A user's own tip." in texts
    assert not any("Timer" in t or "open_app" in t for t in texts)


def test_a_broken_corpus_file_loses_only_itself(
    connect: Connect, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    files = dict(SMALL_CORPUS)
    files["broken.yaml"] = "app: org.tasks\ntips: [\n"
    folder = write_corpus(tmp_path / "c2", files)
    store = connect(make_settings(corpus=folder))
    assert store.db.seed_report is not None and len(store.db.seed_report.errors) == 1
    assert "broken.yaml:3" in str(store.db.seed_report.errors[0])
    assert len(store.db.list_tips()) == 7


def test_add_import_export_list(store: ChromaTipStore) -> None:
    added = store.db.add(
        [Tip(app="org.tasks", text="Tap + to add a task."), Tip(app="org.tasks", text="Again.")]
    )
    assert len(added) == 2
    assert store.db.add([Tip(app="org.tasks", text="Tap + to add a task.")]) == []
    assert {t.text for t in store.db.list_tips(app="org.tasks")} == {
        "Tap + to add a task.",
        "Again.",
    }
    removed = store.db.remove(added[1].id)
    assert removed.text == "Again."
    assert [t.text for t in store.db.list_tips(app="org.tasks")] == ["Tap + to add a task."]


def test_a_persisted_collection_reopens_by_text_in_a_new_process(
    store: ChromaTipStore, make_settings: Callable[..., Settings]
) -> None:
    path = make_settings().tips_path
    code = f"""
import chromadb, artemis.tips.embeddings
from chromadb.config import Settings
client = chromadb.PersistentClient({str(path)!r}, settings=Settings(anonymized_telemetry=False))
col = client.get_collection({collection_name(SETTINGS)!r})
print(col.query(query_texts=["turn on wifi"], n_results=1)["documents"][0][0])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Wi-Fi" in out.stdout


async def test_another_embedding_is_refused_until_rebuilt(
    store: ChromaTipStore, connect: Connect, make_settings: Callable[..., Settings]
) -> None:
    store.db.add([Tip(app="org.tasks", text="A user tip survives a rebuild.")])
    with pytest.raises(EmbeddingMismatchError) as info:
        ChromaTipStore.connect(make_settings(embedding="hash:256"))
    message = str(info.value)
    assert "hash-v1-d512" in message and "hash:256" in message
    assert "artemis tips rebuild" in message and "ARTEMIS_TIPS__EMBEDDING=hash" in message

    other = connect(make_settings(embedding="hash:256"), seed=False, check_embedding=False)
    assert other.db.rebuild() == 8
    reopened = connect(make_settings(embedding="hash:256"))
    got = await reopened.retrieve(app=SETTINGS, task="turn on wifi", k=1)
    assert "Wi-Fi" in got[0].tip.text
    assert "A user tip survives a rebuild." in {t.text for t in reopened.db.list_tips()}
    with pytest.raises(EmbeddingMismatchError):
        ChromaTipStore.connect(make_settings())


def test_odd_app_names_get_valid_collection_names() -> None:
    assert collection_name(SETTINGS) == "tips.com.android.settings"
    assert collection_name(GENERAL_APP) == "tips-general"
    assert collection_name("a.b_").startswith("tips.x")


def test_the_async_store_is_the_contract_and_the_rest_is_the_database() -> None:
    public = {n for n in dir(ChromaTipStore) if not n.startswith("_")}
    assert public == {"connect", "closed", "retrieve", "propose", "close", "aclose"}
    assert not [n for n in dir(TipDatabase) if n.endswith("_sync")]  # no sync/async twins
