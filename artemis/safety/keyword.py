"""A plain keyword filter: the baseline the rule stage is measured against.

It stops an action whose target name or typed text holds a sensitive word, and knows nothing
of the task, the screen or the policy: what many "sensitive operation" guards amount to.
"""

from __future__ import annotations

from artemis.safety.facts import StepFacts
from artemis.safety.text import PhraseSet, words

KEYWORDS = PhraseSet.of(
    words(
        "pay buy purchase order checkout subscribe transfer donate"
        " delete remove erase uninstall reset wipe trash clear"
        " send post share forward reply call publish"
        " allow grant install download update"
        " password pin code card cvv security lock debugging"
        " kill bomb die"
    )
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
