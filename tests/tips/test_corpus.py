"""The YAML corpus: the bundled tips, and bad input that loses only what is bad."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from artemis.apps import ANDROIDWORLD_APPS
from artemis.tips import corpus
from artemis.tips.base import GENERAL_APP
from artemis.tips.corpus import (
    bundled_corpus_dir,
    dump_corpus,
    fingerprint,
    load_corpus,
    load_file,
)
from tests.tips.conftest import write_corpus

#: libyaml's loader and PyYAML's own (where PyYAML lacks libyaml): the same tips, errors, lines.
LOADERS = [
    pytest.param(yaml.SafeLoader, id="python"),
    pytest.param(
        getattr(yaml, "CSafeLoader", None),
        id="libyaml",
        marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml"),
    ),
]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "_LOADER", request.param)


def test_bundled_corpus_loads_cleanly_and_covers_every_androidworld_app() -> None:
    folder = bundled_corpus_dir()
    assert folder is not None and (folder / "_general.yaml").is_file()
    load = load_corpus(folder)
    assert load.errors == [] and load.warnings == []
    apps = {t.app for t in load.tips}
    assert set(ANDROIDWORLD_APPS) <= apps
    assert GENERAL_APP in apps
    assert all(t.source.kind == "hand" for t in load.tips)
    assert all(len(t.text) <= 300 for t in load.tips)


def test_settings_tips_of_two_files_load_under_one_app(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "com.android.settings.yaml": "app: com.android.settings\ntips:\n  - text: A\n",
            "com.android.settings.aw.yaml": "app: com.android.settings\ntips:\n  - text: B\n",
        },
    )
    load = load_corpus(tmp_path)
    assert sorted(t.text for t in load.tips) == ["A", "B"]
    assert {t.app for t in load.tips} == {"com.android.settings"}


@pytest.mark.usefixtures("loader")
def test_malformed_yaml_names_file_and_line_and_other_files_still_load(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "good.yaml": "app: org.tasks\ntips:\n  - text: Fine tip.\n",
            "bad.yaml": "app: net.osmand\ntips:\n  - text: [unclosed\n  - text: x\n",
        },
    )
    load = load_corpus(tmp_path)
    assert [t.text for t in load.tips] == ["Fine tip."]
    assert len(load.errors) == 1
    message = str(load.errors[0])
    assert str(tmp_path / "bad.yaml") in message
    assert ":4:" in message  # the line where the flow sequence breaks


@pytest.mark.usefixtures("loader")
def test_a_bad_tip_is_reported_with_its_line_and_its_neighbours_load(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "app: org.tasks\ntips:\n  - text: First.\n  - txt: typo\n  - text: Third.\n  - text: ''\n"
    )
    load = load_file(path)
    assert [t.text for t in load.tips] == ["First.", "Third."]
    lines = sorted(str(e).split(":")[1] for e in load.errors)
    assert lines == ["4", "6"]


@pytest.mark.usefixtures("loader")
def test_documents_of_one_file_load_apart_and_empty_ones_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "app: org.tasks\ntips:\n  - text: One.\n---\n---\n"
        "app: net.osmand\ntips:\n  - text: Two.\n  - txt: typo\n"
    )
    load = load_file(path)
    assert [(t.app, t.text) for t in load.tips] == [("org.tasks", "One."), ("net.osmand", "Two.")]
    assert [str(e).split(":")[1] for e in load.errors] == ["9"]


def test_duplicates_load_once_with_a_warning(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "a.yaml": "app: org.tasks\ntips:\n  - text: Same tip.\n  - text: Same   tip.\n",
            "b.yaml": "app: org.tasks\ntips:\n  - text: Same tip.\n",
        },
    )
    load = load_corpus(tmp_path)
    assert [t.text for t in load.tips] == ["Same tip."]
    assert len(load.warnings) == 2
    assert all("duplicate" in w for w in load.warnings)


def test_unknown_app_is_loaded_with_a_warning_and_a_non_package_is_rejected(
    tmp_path: Path,
) -> None:
    write_corpus(
        tmp_path,
        {
            "mine.yaml": "app: com.example.mine\ntips:\n  - text: Mine.\n",
            "bad.yaml": "app: not a package\ntips:\n  - text: Lost.\n",
        },
    )
    load = load_corpus(tmp_path)
    assert [t.app for t in load.tips] == ["com.example.mine"]
    assert any("com.example.mine" in w and "not one artemis knows" in w for w in load.warnings)
    assert len(load.errors) == 1 and "bad.yaml:1" in str(load.errors[0])


def test_wrong_shapes_are_errors_not_crashes(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "list.yaml": "- a\n- b\n",
            "tips_not_list.yaml": "app: org.tasks\ntips: nope\n",
            "extra.yaml": "app: org.tasks\ncolour: red\ntips: []\n",
            "binary.yaml": "",
        },
    )
    (tmp_path / "latin1.yaml").write_bytes(b"app: org.tasks\ntips:\n  - text: caf\xe9\n")
    load = load_corpus(tmp_path)
    assert load.tips == []
    assert len(load.errors) == 4
    assert any("binary.yaml: empty file" in w for w in load.warnings)


def test_missing_path_is_an_error() -> None:
    load = load_corpus(Path("/nonexistent/tips"))
    assert load.tips == [] and "no such file" in str(load.errors[0])


def test_export_format_round_trips_through_the_loader(tmp_path: Path) -> None:
    folder = bundled_corpus_dir()
    assert folder is not None
    tips = load_corpus(folder).tips
    out = tmp_path / "all.yaml"
    out.write_text(dump_corpus(tips))
    again = load_corpus(out)
    assert again.errors == []
    assert sorted(t.model_dump_json() for t in again.tips) == sorted(
        t.model_dump_json() for t in tips
    )


def test_fingerprint_changes_with_content(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    before = fingerprint(sorted(tmp_path.glob("*.yaml")))
    (tmp_path / "_general.yaml").write_text('app: "*"\ntips:\n  - text: changed\n')
    assert fingerprint(sorted(tmp_path.glob("*.yaml"))) != before
