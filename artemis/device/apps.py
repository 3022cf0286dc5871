"""App names to packages: the resolution `open_app` uses, on the app table (`artemis.apps`).

A name resolves, in order: to itself when it is an installed package; through the label table
to the first of its candidate packages that is installed (the simulated phone's stock apps
and AndroidWorld's apps share names such as "Clock" and "Contacts"); to the one installed
package whose last component is the name ("markor" -> net.gsantner.markor). Otherwise it is
an `UnknownAppError` that suggests close names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import process

from artemis.apps import APPS, is_package_name
from artemis.errors import UnknownAppError


def normalize(name: str) -> str:
    """Lower case, one space between words, no surrounding punctuation ("Pro Expense!")."""
    words = re.findall(r"[\w.]+", name.lower())
    return " ".join(words).strip(".")


#: A name (lower case) -> candidate packages, preferred first: every app's label and other
#: names, from the one app table.
LABELS: dict[str, tuple[str, ...]] = {
    name: app.packages for app in APPS for name in (normalize(app.label), *app.names)
}


def resolve_app(name: str, installed: Sequence[str]) -> str:
    """The installed package `name` refers to; `UnknownAppError` when there is none."""
    have = set(installed)
    clean = name.strip()
    if is_package_name(clean):
        if clean in have:
            return clean
        raise UnknownAppError(f"package {clean!r} is not installed on the device")
    key = normalize(clean)
    for package in LABELS.get(key, ()):
        if package in have:
            return package
    compact = key.replace(" ", "")
    tail = [p for p in installed if p.rsplit(".", 1)[-1].lower() == compact]
    if len(tail) == 1:
        return tail[0]
    raise UnknownAppError(_unknown_message(name, have))


def _unknown_message(name: str, installed: set[str]) -> str:
    labels = [label for label, pkgs in LABELS.items() if any(p in installed for p in pkgs)]
    near = process.extract(normalize(name), labels, limit=3, score_cutoff=60)
    hint = f"; did you mean {', '.join(repr(m[0]) for m in near)}?" if near else ""
    return f"no installed app is called {name!r}{hint}"
