"""The tip files for the simulated apps parse as tips and cover every app."""

from __future__ import annotations

import yaml

from artemis.sim.apps import APPS
from artemis.tips.base import Tip
from tests.conftest import REPO


def test_every_simulated_app_has_a_valid_tip_file() -> None:
    for package, app in APPS.items():
        path = REPO / "tips" / f"{package}.yaml"
        assert path.is_file(), path
        data = yaml.safe_load(path.read_text())
        assert data["app"] == package
        assert data["name"] == app.label
        tips = [Tip(app=package, **t) for t in data["tips"]]
        assert tips
