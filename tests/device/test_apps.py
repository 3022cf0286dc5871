from __future__ import annotations

import pytest

from artemis.device.apps import LABELS, normalize, resolve_app
from artemis.errors import UnknownAppError

SIM = [
    "com.android.launcher3", "com.android.settings", "com.android.contacts",
    "com.android.deskclock", "net.gsantner.markor", "com.android.messaging",
    "com.android.calendar", "com.android.documentsui", "com.arduia.expense",
]  # fmt: skip
ANDROID_WORLD = [
    "com.android.settings", "com.google.android.deskclock", "com.google.android.contacts",
    "com.google.android.apps.messaging", "com.simplemobiletools.calendar.pro",
    "net.gsantner.markor", "com.arduia.expense", "org.tasks", "ca.zgrs.clipper",
    "com.google.android.documentsui",
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "package"),
    [
        ("Settings", "com.android.settings"),
        ("Contacts", "com.android.contacts"),
        ("Clock", "com.android.deskclock"),
        ("Markor", "net.gsantner.markor"),
        ("Messages", "com.android.messaging"),
        ("Calendar", "com.android.calendar"),
        ("Files", "com.android.documentsui"),
        ("Pro Expense", "com.arduia.expense"),
        ("  pro   expense! ", "com.arduia.expense"),
        ("com.android.settings", "com.android.settings"),
    ],
)
def test_sim_labels(name: str, package: str) -> None:
    assert resolve_app(name, SIM) == package


@pytest.mark.parametrize(
    ("name", "package"),
    [
        ("Clock", "com.google.android.deskclock"),
        ("contacts", "com.google.android.contacts"),
        ("Messages", "com.google.android.apps.messaging"),
        ("Simple Calendar Pro", "com.simplemobiletools.calendar.pro"),
        ("calendar", "com.simplemobiletools.calendar.pro"),
        ("Tasks", "org.tasks"),
        ("files", "com.google.android.documentsui"),
    ],
)
def test_android_world_names_resolve_to_what_is_installed(name: str, package: str) -> None:
    assert resolve_app(name, ANDROID_WORLD) == package


def test_last_package_component_as_a_name() -> None:
    assert resolve_app("Clipper", ["ca.zgrs.clipper"]) == "ca.zgrs.clipper"
    assert resolve_app("expense", ["com.arduia.expense"]) == "com.arduia.expense"


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(UnknownAppError, match="did you mean 'contacts'"):
        resolve_app("Contcts", SIM)
    with pytest.raises(UnknownAppError, match="not installed"):
        resolve_app("com.whatsapp", SIM)
    with pytest.raises(UnknownAppError):
        resolve_app("YouTube", SIM)  # known name, but not installed here


def test_labels_are_normalised() -> None:
    assert all(normalize(label) == label for label in LABELS)
