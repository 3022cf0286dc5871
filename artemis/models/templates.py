"""Prompt templates shipped as package data: `string.Template` text (`$task`), so the JSON in
them needs no escaping, with a system part and a user part separated by a line `---user---`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from string import Template

_SPLIT = "\n---user---\n"


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    name: str
    system: Template
    user: Template

    def render(self, **values: object) -> tuple[str, str]:
        """(system text, user text); a missing value is a KeyError, never silent. The system
        part is rendered once for the values it uses (most use none; the guard's uses the
        policy), since it is the same on every call of a role."""
        text = {k: str(v) for k, v in values.items()}
        used = tuple((k, text[k]) for k in self.system.get_identifiers())
        return _system(self.system, used), self.user.substitute(text).strip()


@lru_cache(maxsize=64)
def _system(system: Template, values: tuple[tuple[str, str], ...]) -> str:
    return system.substitute(dict(values)).strip()


@cache
def load_template(package: str, name: str) -> PromptTemplate:
    """`<name>.txt` of `package`, split into its system and user parts."""
    raw = resources.files(package).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    system, sep, user = raw.partition(_SPLIT)
    if not sep:
        raise ValueError(f"prompt template {name}.txt has no '---user---' line")
    return PromptTemplate(name, Template(system), Template(user))


@cache
def load_text(package: str, name: str) -> Template:
    """`<name>.txt` of `package` as one template."""
    return Template(resources.files(package).joinpath(f"{name}.txt").read_text(encoding="utf-8"))
