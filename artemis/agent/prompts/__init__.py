"""The roles' prompt templates, shipped as package data (`*.txt` beside this file); see
`artemis.models.templates`. The Manager's and ACA's prompts belong to the dialect that speaks
to the model (`artemis.models.dialects`)."""

from __future__ import annotations

from artemis.models.templates import PromptTemplate, load_template

__all__ = ["PromptTemplate", "load"]


def load(name: str) -> PromptTemplate:
    return load_template(__name__, name)
