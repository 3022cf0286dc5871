"""A rebuild loses no tip whatever fails and wherever it stops; processes share a store."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from artemis.config import Settings
from artemis.errors import ArtemisError, TipStoreError
from artemis.tips import maintenance
from artemis.tips.base import Tip
from artemis.tips.database import TipDatabase
from tests.tips.conftest import Connect

USER_TIP = Tip(app="org.tasks", text="A user tip survives every rebuild.")


def _texts(db: TipDatabase) -> set[str]:
    return {t.text for t in db.list_tips()}


def _staging(db: TipDatabase) -> list[str]:
    return [c.name for c in db.cols.ours(maintenance.STAGING_MARK)]


def test_a_rebuild_whose_embedding_fails_changes_nothing(
    connect: Connect, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    store = connect(make_settings())
    store.db.add([USER_TIP])
    before = _texts(store.db)
    store.close()
    # MiniLM without its model files (offline, never downloaded): it fails on first use.
    missing = make_settings(embedding=f"minilm:{tmp_path / 'no-model-here'}")
    with (
        TipDatabase.connect(missing, seed=False, check_embedding=False) as db,
        pytest.raises(ArtemisError),
    ):
        db.rebuild()
    again = connect(make_settings()).db
    assert _texts(again) == before and len(before) == 8
    assert again.rebuild() == 8  # and a plain rebuild afterwards keeps every tip
    assert _texts(again) == before and _staging(again) == []


def test_a_rebuild_that_fails_while_staging_drops_its_staging(
    connect: Connect, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = connect(make_settings()).db
    before = _texts(db)
    real = maintenance.upsert
    calls = 0

    def disk_full(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise TipStoreError("tip store: OSError: no space left on device")
        real(*args, **kwargs)

    monkeypatch.setattr(maintenance, "upsert", disk_full)
    with pytest.raises(TipStoreError, match="no space left"):
        db.rebuild()
    assert _staging(db) == [] and _texts(db) == before


@pytest.mark.parametrize("stop_after", [0, 1, 3])
def test_a_rebuild_interrupted_after_its_commit_is_finished_on_the_next_open(
    connect: Connect,
    make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
    stop_after: int,
) -> None:
    """The process dies during the swap, after `stop_after` collections were deleted."""
    connect(make_settings()).close()
    db = connect(make_settings(embedding="hash:256"), check_embedding=False, seed=False).db
    db.add([USER_TIP])
    before = _texts(db)
    real = maintenance._delete_if_there
    deleted = 0

    def dies(*args: Any) -> None:
        nonlocal deleted
        if deleted == stop_after:
            raise KeyboardInterrupt  # the process is killed mid-swap
        deleted += 1
        real(*args)

    monkeypatch.setattr(maintenance, "_delete_if_there", dies)
    with pytest.raises(KeyboardInterrupt):
        db.rebuild()
    monkeypatch.setattr(maintenance, "_delete_if_there", real)
    db.close()
    reopened = connect(make_settings(embedding="hash:256")).db  # recovers, then checks
    assert _texts(reopened) == before and _staging(reopened) == []
    found = reopened.retrieve(app="org.tasks", task="user tip rebuild", k=1)
    assert found[0].tip.text == USER_TIP.text


def test_a_rebuild_interrupted_before_its_commit_is_dropped_on_the_next_open(
    connect: Connect, make_settings: Callable[..., Settings]
) -> None:
    db = connect(make_settings()).db
    before = _texts(db)
    maintenance._stage(db.cols, "deadbeef", 0, "tips.org.tasks", db.cols.metadata("org.tasks"))
    db.close()
    reopened = connect(make_settings()).db
    assert _staging(reopened) == [] and _texts(reopened) == before


_PROPOSER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from artemis.config import Settings
    from artemis.tips.base import Tip, TipSource
    from artemis.tips.database import TipDatabase

    store, corpus, me, go = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    settings = Settings(data_dir=store.parent, tips={"path": store, "corpus": corpus})
    with TipDatabase.connect(settings) as db:
        (go / me).touch()
        deadline = time.monotonic() + 60
        while len(list(go.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)  # both processes propose at the same moment
        for i in range(25):
            text = f"Process {me} learnt lesson {i}: zq{me}x{i} toggles {i * 7 + len(me)}."
            source = TipSource(kind="learnt", episode=f"ep-{me}", step=i)
            db.propose(Tip(app="com.android.settings", text=text, source=source))
    """
)


@pytest.mark.parametrize("shared", ["fresh store", "seeded store"])
def test_two_processes_proposing_at_once_lose_nothing(
    tmp_path: Path, corpus: Path, make_settings: Callable[..., Settings], shared: str
) -> None:
    store = tmp_path / "store"
    if shared == "seeded store":
        TipDatabase.connect(make_settings()).close()
    go = tmp_path / "go"
    go.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PROPOSER, str(store), str(corpus), name, str(go)],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        for name in ("a", "b")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with TipDatabase.connect(make_settings()) as db:
        candidates = db.list_tips(status="candidate")
    assert len(candidates) == 50
    assert {t.source.episode for t in candidates} == {"ep-a", "ep-b"}


def test_a_store_open_in_one_process_sees_what_another_wrote_meanwhile(
    tmp_path: Path, corpus: Path, make_settings: Callable[..., Settings]
) -> None:
    """A long-lived client (an agent run) and short runs of another process in between: the
    client's own view of the store goes out of date unless it is refreshed."""
    store = tmp_path / "store"
    with TipDatabase.connect(make_settings()) as db:
        for round_ in range(3):
            mine = Tip(
                app="com.android.settings", text=f"Round {round_}: this process, qq{round_}."
            )
            assert db.propose(mine) is not None
            assert db.retrieve(app="com.android.settings", task="wifi", k=1)
            go = tmp_path / f"go{round_}"
            go.mkdir()
            (go / "here").touch()  # the other process does not wait for a second one
            name = f"r{round_}"
            other = subprocess.run(
                [sys.executable, "-c", _PROPOSER, str(store), str(corpus), name, str(go)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert other.returncode == 0, other.stderr
        assert db.propose(Tip(app="com.android.settings", text="Last: zzk opens it.")) is not None
        candidates = db.list_tips(status="candidate")
    assert len(candidates) == 3 * 26 + 1
    assert {t.source.episode for t in candidates} >= {"ep-r0", "ep-r1", "ep-r2"}
