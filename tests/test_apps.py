"""The one app table, and the parts that read it."""

from __future__ import annotations

import pytest

from artemis.agent.heuristic import KNOWN_APPS as HEURISTIC_APPS
from artemis.apps import ANDROIDWORLD_APPS, APPS, KNOWN_APPS, SIM_APPS, is_package_name
from artemis.bench.simworld.tasks.common import LABELS as TASK_LABELS
from artemis.device.apps import LABELS, normalize, resolve_app
from artemis.device.parsing import parse_packages
from artemis.tips.base import is_app_key, is_known_app


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("com.android.settings", True),
        ("org.tasks", True),
        ("com.example.app_2", True),
        ("com.example.2app", False),  # a segment starts with a letter (Android's rule)
        ("com._private", False),
        ("android", False),
        ("*", False),
        ("com..x", False),
    ],
)
def test_one_rule_for_package_names(text: str, ok: bool) -> None:
    assert is_package_name(text) is ok
    assert (text in parse_packages(f"package:{text}\n")) is ok
    assert is_app_key(text) is (ok or text == "*")


def test_the_general_key_is_a_tip_key_but_not_a_package() -> None:
    assert is_app_key("*") and not is_package_name("*") and is_known_app("*")


def test_every_reader_of_the_table_agrees_with_it() -> None:
    assert len(ANDROIDWORLD_APPS) == 20
    assert KNOWN_APPS == {**SIM_APPS, **ANDROIDWORLD_APPS}
    assert {a.package: a.label for a in HEURISTIC_APPS} == {
        p: label for p, label in SIM_APPS.items() if label != "Launcher"
    }
    assert {p: label for p, label in SIM_APPS.items() if label != "Launcher"} == TASK_LABELS
    for app in APPS:
        assert LABELS[normalize(app.label)] == app.packages
        assert all(LABELS[name] == app.packages for name in app.names)
        assert resolve_app(app.label, [app.packages[-1]]) == app.packages[-1]
