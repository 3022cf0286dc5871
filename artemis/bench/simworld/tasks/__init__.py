"""The SimWorld task templates, one module per app plus the cross-app tasks. Importing this
package registers them all (`artemis.bench.simworld.registry.templates`)."""

from artemis.bench.simworld.tasks import (
    calendar,
    clock,
    contacts,
    cross,
    expenses,
    files,
    markor,
    messages,
    settings,
)

__all__ = [
    "calendar",
    "clock",
    "contacts",
    "cross",
    "expenses",
    "files",
    "markor",
    "messages",
    "settings",
]
