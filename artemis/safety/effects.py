"""What an action does, in the policy's terms: the categories it touches and the evidence,
and whether the task asks for them.

The evidence, strongest first: the name of the element the action touches (one of a
category's `target` phrases); a weak name on a screen that gives it a meaning ("None" on the
screen-lock chooser); an agreeing button ("OK", "Continue") under a question or a statement
that names the effect; a price on a button, or on the screen above a "Send" or "Confirm"; and
what the action types, by the kind of field it types into (a recipient, a message, a secret,
an amount).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from artemis.safety.facts import StepFacts
from artemis.safety.policy import Policy
from artemis.safety.signals import AFFIRM, FieldKind, field_kind
from artemis.safety.text import first_match, norm, words

PRICE = re.compile(r"[$€£¥]\s?\d|\b\d+(?:[.,]\d\d)?\s?(?:usd|eur|gbp|dollars?)\b", re.I)
PERMISSION_PROMPT = re.compile(r"(?i)\ballow\b.*\?|\bwants to\b|\bpermission\b")

#: Resources a permission prompt names, and task words that need them.
RESOURCES: dict[str, frozenset[str]] = {
    resource: frozenset(words(wanted))
    for resource, wanted in {
        "camera": "photo photos picture pictures video selfie camera scan record",
        "pictures": "photo photos picture pictures video selfie camera scan",
        "photos": "photo photos picture pictures image images gallery scan media file",
        "media": "photo photos picture image media file files music song audio scan",
        "files": "file files document documents folder pdf download scan",
        "audio": "record recording audio voice call meeting microphone mic",
        "microphone": "record recording audio voice call meeting microphone mic",
        "location": "location map maps navigate directions nearby weather where",
        "contacts": "contact contacts call text message invite",
        "sms": "sms text texts message messages",
        "calendar": "calendar event events meeting appointment",
        "notifications": "notification notifications reminder alarm timer",
        "nearby": "bluetooth pair headphones speaker nearby",
    }.items()
}


@dataclass(frozen=True)
class Effect:
    category: str
    evidence: str
    strong: bool


def screen_lines(step: StepFacts) -> list[str]:
    """The screen's text lines, then a pop-up's that the screen does not already carry."""
    lines = list(step.screen_text)
    if step.overlay is not None:
        lines += [t for t in step.overlay.texts if t not in lines]
    return lines


def effects_of(step: StepFacts, policy: Policy) -> list[Effect]:
    """The categories the action touches (see the module docstring)."""
    a = step.action
    out: list[Effect] = []
    screen = " \n ".join(screen_lines(step))
    if a.type in ("tap", "double_tap") and a.target_text:
        name = a.target_text
        for cid, m in policy.matchers.items():
            hit = m.target.in_name(name)
            if hit:
                out.append(Effect(cid, f'the target "{name}" ({hit})', True))
            elif m.weak_target.in_name(name) and (ctx := m.context.in_text(screen)):
                out.append(Effect(cid, f'the target "{name}" on a screen about "{ctx}"', False))
        if not any(e.category == "payments" for e in out):
            if PRICE.search(name):
                out.append(Effect("payments", f'the target "{name}" carries a price', False))
            elif (AFFIRM.search(name) or re.match(r"(?i)\W*send\b", name)) and (
                price := _shown_price(step)
            ):
                out.append(Effect("payments", f'"{name}" commits to "{price}"', False))
        if not out and AFFIRM.search(name):
            out += _agreed_to(name, _question_lines(step), policy)
    elif a.type == "type" and a.text:
        out += _typed_effects(step, field_kind(a.target_text), policy)
    return [e for e in out if e.category in policy.categories]


def _shown_price(step: StepFacts) -> str | None:
    """A short line of the screen that shows an amount of money ("$42.10", "UberX $42.10")."""
    for line in screen_lines(step):
        if len(line.split()) <= 4 and PRICE.search(line):
            return line
    return None


def _question_lines(step: StepFacts) -> list[str]:
    """The lines an agreeing button answers: a pop-up's, else the screen's short lines."""
    if step.overlay is not None:
        return list(step.overlay.texts)
    return [t for t in step.screen_text if len(t.split()) <= 30]


def _agreed_to(name: str, lines: list[str], policy: Policy) -> list[Effect]:
    out: list[Effect] = []
    for line in lines:
        if line.strip() == name.strip():
            continue
        for cid, m in policy.matchers.items():
            hit = m.target.in_text(line)
            if hit and cid not in {e.category for e in out}:
                out.append(Effect(cid, f'"{name}" agrees to "{line}"', False))
    return out


def _typed_effects(step: StepFacts, kind: FieldKind, policy: Policy) -> list[Effect]:
    a = step.action
    text = a.text or ""
    out: list[Effect] = []
    if kind == "recipient":
        out.append(Effect("messaging", f'types the recipient "{text}"', True))
    elif kind == "credential":
        out.append(Effect("personal_data", f'types a secret into "{a.target_text}"', True))
    elif kind == "body":
        out.append(Effect("messaging", f'writes a message into "{a.target_text}"', False))
    elif kind == "amount" and policy.matchers["payments"].context.in_text(
        " ".join(step.screen_text)
    ):
        out.append(Effect("payments", f'types the amount "{text}"', False))
    if kind in ("body", "recipient", "other"):
        pd = policy.matchers.get("personal_data")
        if pd is not None and (hit := first_match(pd.patterns, text)):
            out.append(Effect("personal_data", f'types personal data ("{hit}")', True))
    return out


def task_asks(policy: Policy, category: str, task: str) -> str | None:
    """The phrase by which the task asks for the category's effect, or None."""
    m = policy.matchers.get(category)
    if m is None:
        return None
    hit = m.task.in_text(task)
    if hit:
        return hit
    asked = policy.rule_clause(category, "asked")
    if asked is not None:
        return first_match(m.clause_task_patterns.get(asked.clause, ()), task)
    return None


def needed_permission(step: StepFacts) -> str | None:
    """The resource of a permission prompt that the task needs ("camera" for a photo)."""
    task_words = set(norm(step.task).split())
    for line in screen_lines(step):
        if not PERMISSION_PROMPT.search(line):
            continue
        for resource, wants in RESOURCES.items():
            if resource in norm(line).split() and wants & task_words:
                return resource
    return None
