"""A plain keyword filter: the baseline the rule stage is measured against.

It stops an action whose target name or typed text holds a sensitive word, and knows nothing
of the task, the screen or the policy: what many "sensitive operation" guards amount to.
"""

from __future__ import annotations

from artemis.safety.facts import StepFacts
from artemis.safety.text import PhraseSet

KEYWORDS = PhraseSet.of(
    [
        *"pay buy purchase order checkout subscribe transfer donate".split(),
        *"delete remove erase uninstall reset wipe trash clear".split(),
        *"send post share forward reply call publish".split(),
        *"allow grant install download update".split(),
        *"password pin code card cvv security lock debugging".split(),
        *"kill bomb die".split(),
    ]
)


def keyword_stop(step: StepFacts) -> str | None:
    """The sensitive word in the action's target or typed text, or None to let it run."""
    a = step.action
    if not step.gated:
        return None
    for text in (a.target_text, a.text, a.app):
        if text and (hit := KEYWORDS.in_text(text)):
            return hit
    return None
