"""The simulated phone's apps, in the order the launcher shows them."""

from __future__ import annotations

from artemis.sim.apps import (
    calendar,
    clock,
    contacts,
    expenses,
    files,
    markor,
    messages,
    settings,
)
from artemis.sim.apps.base import App

APPS: dict[str, App] = {
    app.package: app
    for app in (
        settings.APP,
        contacts.APP,
        clock.APP,
        markor.APP,
        messages.APP,
        calendar.APP,
        files.APP,
        expenses.APP,
    )
}

__all__ = ["APPS", "App"]
