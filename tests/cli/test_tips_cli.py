"""`artemis tips ...` on a fresh HOME with no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from artemis.cli import app
from artemis.errors import TipCorpusError, TipStoreError

runner = CliRunner()


def _artemis(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    # Any attempt to reach the network would go through a dead proxy and fail.
    dead = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead, "NO_PROXY": ""}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "artemis", *args], capture_output=True, text=True, env=env
    )


def test_search_wifi_in_settings_on_a_fresh_home(_isolated_home: Path) -> None:
    out = _artemis("tips", "search", "turn on wifi", "--app", "com.android.settings", "-k", "3")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all("com.android.settings" in line for line in lines[:2])
    assert all("Wi-Fi" in line for line in lines[:2])
    store = _isolated_home / "xdg_data_home" / "artemis" / "tips" / "chroma.sqlite3"
    assert store.is_file()


def test_a_corpus_problem_is_printed_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tip = '  - text: "Wi-Fi is under Network & internet > Internet."\n'
    (corpus / "com.android.settings.yaml").write_text(
        "app: com.android.settings\ntips:\n" + tip + tip, encoding="utf-8"
    )
    args = ("tips", "search", "x", "--app", "com.android.settings")
    out = _artemis(*args, ARTEMIS_TIPS__CORPUS=str(corpus), COLUMNS="300")
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("duplicate tip") == 1, out.stderr
    assert out.stderr.startswith("warning: ") and ":4: duplicate tip, already at " in out.stderr
    assert "Wi-Fi" in out.stdout


def test_unknown_candidate_is_one_line_and_exit_1() -> None:
    out = _artemis("tips", "accept", "no-such-id")
    assert out.returncode == 1
    assert out.stderr.startswith("error: no tip with id 'no-such-id'")
    assert "Traceback" not in out.stderr


def test_add_list_export_import_round_trip(tmp_path: Path) -> None:
    r = runner.invoke(app, ["tips", "add", "--app", "org.tasks", "Swipe a task to finish it."])
    assert r.exit_code == 0, r.output
    assert "added org-tasks-" in r.output
    r = runner.invoke(app, ["tips", "add", "--app", "org.tasks", "Swipe a task to finish it."])
    assert "already stored" in r.output

    r = runner.invoke(app, ["tips", "list", "--app", "org.tasks"])
    assert "Swipe a task to finish it." in r.output and "[user]" not in r.output

    out = tmp_path / "export.yaml"
    r = runner.invoke(app, ["tips", "export", "--out", str(out)])
    assert r.exit_code == 0, r.output
    docs = list(yaml.safe_load_all(out.read_text()))
    tasks = next(d for d in docs if d["app"] == "org.tasks")
    assert {"text": "Swipe a task to finish it."} in tasks["tips"]

    folder = tmp_path / "per-app"
    r = runner.invoke(app, ["tips", "export", "--out", str(folder)])
    assert (folder / "_general.yaml").is_file() and (folder / "org.tasks.yaml").is_file()

    r = runner.invoke(app, ["tips", "export"])
    assert r.exit_code == 0 and "app: com.android.settings" in r.stdout

    r = runner.invoke(app, ["tips", "import", str(out)])
    assert r.exit_code == 0, r.output
    assert "imported 0 new tips" in r.output


def test_import_reports_bad_files_and_keeps_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("app: net.osmand\ntips:\n  - text: Long-press the map.\n")
    (tmp_path / "bad.yaml").write_text("app: net.osmand\ntips:\n  - text: 'unterminated\n")
    (tmp_path / "mine.yaml").write_text("app: com.example.app\ntips:\n  - text: Mine.\n")
    r = runner.invoke(app, ["tips", "import", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "bad.yaml:" in r.output and "malformed YAML" in r.output
    assert "com.example.app is not one artemis knows" in r.output
    assert "imported 2 new tips from 3 files" in r.output

    r = runner.invoke(app, ["tips", "import", str(tmp_path / "bad.yaml")])
    assert isinstance(r.exception, TipCorpusError)


def test_search_without_app_looks_everywhere() -> None:
    r = runner.invoke(app, ["tips", "search", "record a video", "-k", "2"])
    assert r.exit_code == 0, r.output
    assert "com.android.camera2" in r.output.splitlines()[0]


def test_accept_and_remove() -> None:
    r = runner.invoke(app, ["tips", "remove", "nope"])
    assert isinstance(r.exception, TipStoreError)
    r = runner.invoke(app, ["tips", "list", "--status", "candidate"])
    assert r.exit_code == 0 and r.stdout == ""


def test_rebuild_after_changing_the_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["tips", "list"]).exit_code == 0
    monkeypatch.setenv("ARTEMIS_TIPS__EMBEDDING", "hash:128")
    r = runner.invoke(app, ["tips", "list"])
    assert "artemis tips rebuild" in str(r.exception)
    r = runner.invoke(app, ["tips", "rebuild"])
    assert r.exit_code == 0 and "re-embedded" in r.output
    assert runner.invoke(app, ["tips", "list"]).exit_code == 0


def test_a_failed_rebuild_offline_then_a_plain_one_keeps_every_tip() -> None:
    listed = _artemis("tips", "list")
    assert listed.returncode == 0, listed.stderr
    count = len(listed.stdout.splitlines())
    assert count > 100
    # MiniLM's model files are not here and are never downloaded: the rebuild fails.
    failed = _artemis("tips", "rebuild", ARTEMIS_TIPS__EMBEDDING="minilm")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "error:" in failed.stderr
    again = _artemis("tips", "list")
    assert len(again.stdout.splitlines()) == count
    rebuilt = _artemis("tips", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"re-embedded {count} tips" in rebuilt.stdout
    assert len(_artemis("tips", "list").stdout.splitlines()) == count
