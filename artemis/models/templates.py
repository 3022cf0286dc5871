"""Prompt templates shipped as package data: `string.Template` text (`$task`), so the JSON in
them needs no escaping, with a system part and a user part separated by a line `---user---`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

_SPLIT = "\n---user---\n"


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    name: str
    system: Template
    user: Template

    def render(self, **values: object) -> tuple[str, str]:
        """(system text, user text); a missing value is a KeyError, never silent."""
        text = {k: str(v) for k, v in values.items()}
        return self.system.substitute(text).strip(), self.user.substitute(text).strip()


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
