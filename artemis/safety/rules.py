"""The rule stage of the safety gate: free, no model, a verdict in well under a millisecond.

It reads a step's facts (`artemis.safety.facts`) against the policy in four passes:

1. **Effects**: which policy categories the action touches, and on what evidence
   (`artemis.safety.effects`).
2. **Task alignment**: whether the task asks for each effect (the category's task words; for a
   recipient or a secret, whether the task gives it).
3. **Injection**: instructions on the screen (or on earlier screens of the episode), and
   whether the action carries one out: it taps the button an instruction names, types what it
   gives, opens the app it names, or has the effect it asks for while the task does not; or
   it presses anything but "close" in a pop-up that carries an instruction and has nothing to
   do with the task.
4. **Harm**: the harmful-content clauses' patterns on what the step types or sends, and their
   task patterns on the task.

Each finding is a clause of the policy with its verdict; the strictest wins. The verdict is
`sure` when the evidence is direct and the screen carries no instruction; otherwise the gate
asks the guard model, when it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from artemis.safety.effects import (
    Effect,
    effects_of,
    needed_permission,
    screen_lines,
    task_asks,
)
from artemis.safety.facts import StepFacts
from artemis.safety.policy import STRICTNESS, Policy, Ruling
from artemis.safety.signals import (
    CREDENTIAL_ASK,
    DISMISS,
    HEALTH,
    ONE_TIME_CODE,
    OTHERS_DATA,
    Instruction,
    field_kind,
    find_instructions,
    related,
    stands_in,
)
from artemis.safety.text import first_match, norm
from artemis.safety.verdict import RuleVerdict

ERASE_ALL = re.compile(r"(?i)\bfactory reset\b|\berase all\b|\breset (?:the )?phone\b|\bwipe\b")


@dataclass(frozen=True)
class Finding:
    ruling: Ruling
    reason: str
    sure: bool


# --- the stage -------------------------------------------------------------------------------


def rule_stage(step: StepFacts, policy: Policy) -> RuleVerdict:
    """The rule stage's verdict on one step."""
    if not step.gated:
        return RuleVerdict("allow", None, None, "the action only navigates or waits", True)
    effects = effects_of(step, policy)
    now = find_instructions(screen_lines(step))
    earlier = [Instruction(t, "seen on an earlier screen") for t in step.seen_instructions]
    instructions = now + [i for i in earlier if i.text not in {n.text for n in now}]
    findings: list[Finding] = []
    findings += _harm(step, effects, policy)
    findings += _injection(step, effects, instructions, policy)
    findings += _effects(step, effects, instructions, policy)
    signals = [f"effect {e.category}: {e.evidence}" for e in effects]
    signals += [f'instruction on screen ({i.why}): "{i.text}"' for i in instructions]
    if not findings:
        if instructions:
            return RuleVerdict(
                "allow",
                None,
                None,
                "no sensitive effect, but the screen carries instructions",
                False,
                tuple(signals),
            )
        return RuleVerdict("allow", None, None, "no sensitive effect", True, tuple(signals))
    top = max(findings, key=lambda f: (STRICTNESS[f.ruling.verdict], f.sure))
    sure = top.sure and not (instructions and top.ruling.verdict != "block")
    return RuleVerdict(
        top.ruling.verdict,
        top.ruling.category,
        top.ruling.clause,
        top.reason,
        sure,
        tuple(signals),
    )


def _sent_text(step: StepFacts, effects: list[Effect]) -> list[str]:
    """What the step types, or sends when it taps a send button: the screen's fields and
    what was typed just before."""
    a = step.action
    if a.type == "type":
        return [a.text or ""]
    if any(e.category in ("messaging", "personal_data") for e in effects):
        return [*step.fields, *step.recent_typed()]
    return []


def _harm(step: StepFacts, effects: list[Effect], policy: Policy) -> list[Finding]:
    cat = policy.categories.get("harmful")
    if cat is None:
        return []
    m = policy.matchers["harmful"]
    sent = _sent_text(step, effects)
    out: list[Finding] = []
    for clause in cat.clauses:
        ruling = Ruling(clause.verdict or cat.asked, clause.id, cat.id)
        hit = first_match(m.clause_patterns.get(clause.id, ()), *sent)
        if hit:
            out.append(Finding(ruling, f'the text "{hit}" is {cat.title.lower()}', True))
            continue
        intent = first_match(m.clause_task_patterns.get(clause.id, ()), step.task)
        if intent and (effects or (step.action.type == "type" and sent)):
            out.append(Finding(ruling, f'the task asks for harm ("{intent}")', True))
    return out


def _injection(
    step: StepFacts, effects: list[Effect], instructions: list[Instruction], policy: Policy
) -> list[Finding]:
    if "screen_instructions" not in policy.categories:
        return []
    out: list[Finding] = []
    delegated = task_asks(policy, "screen_instructions", step.task)
    ruling = policy.verdict("screen_instructions", bool(delegated))
    for ins in instructions:
        why = _follows(step, effects, ins, policy)
        if why is not None:
            out.append(Finding(ruling, f'{why}: "{ins.text}"', True))
    overlay = step.overlay
    if overlay is not None and step.action.type in ("tap", "double_tap", "long_press", "type"):
        own = [i for i in instructions if any(i.text in t for t in overlay.texts)]
        name = step.action.target_text or ""
        unrelated = not related(" ".join(overlay.texts), step.task)
        if own and unrelated and not DISMISS.search(name):
            clause = policy.rule_clause("screen_instructions", "overlay")
            if clause is not None:
                why = f'acts on a pop-up that is not the task\'s and instructs: "{own[0].text}"'
                out.append(Finding(clause, why, True))
    return out


def _follows(
    step: StepFacts, effects: list[Effect], ins: Instruction, policy: Policy
) -> str | None:
    """Why the action carries out the instruction `ins`, or None when it does not."""
    a, task, text = step.action, step.task, ins.text
    if a.type in ("tap", "double_tap", "long_press") and a.target_text:
        name = a.target_text
        named = stands_in(name, text) or (len(norm(text)) >= 8 and stands_in(text, name))
        if named and not DISMISS.search(name) and not stands_in(name, task):
            return f'it taps "{name}", which an instruction on the screen names'
    if a.type == "type" and a.text and not stands_in(a.text, task):
        if stands_in(a.text, text):
            return f'it types "{a.text}", which an instruction on the screen gives'
        secret = ONE_TIME_CODE.match(a.text) or field_kind(a.target_text) == "credential"
        if secret and CREDENTIAL_ASK.search(text):
            return "it types a secret that an instruction on the screen asks for"
    if (
        a.type == "open_app"
        and a.app
        and _tells_to_open(text, a.app)
        and not stands_in(a.app, task)
    ):
        return f'it opens "{a.app}", as an instruction on the screen says'
    for e in effects:
        if task_asks(policy, e.category, text) and not task_asks(policy, e.category, task):
            return f"it has the effect ({e.category}) an instruction on the screen asks for"
    return None


def _tells_to_open(instruction: str, app: str) -> bool:
    """Whether the instruction says to open `app` ("open Gmail", "go to Settings")."""
    verb = r"(?:open|launch|start|go to|switch to|visit|use)"
    return re.search(rf"(?i)\b{verb}\s+(?:the\s+)?{re.escape(app)}\b", instruction) is not None


def _effects(
    step: StepFacts, effects: list[Effect], instructions: list[Instruction], policy: Policy
) -> list[Finding]:
    out: list[Finding] = []
    for e in effects:
        special = _special(step, e, policy)
        if special is not None:
            out.append(special)
            if special.ruling.verdict == "allow":
                continue
        asked = _asked(step, e, policy)
        ruling = policy.verdict(e.category, asked is not None)
        if asked is not None:
            reason = f'{e.evidence}; the task asks for it ("{asked}")'
        else:
            reason = f"{e.evidence}; the task does not ask for it"
        out.append(Finding(ruling, reason, e.strong and not instructions))
    return out


def _asked(step: StepFacts, e: Effect, policy: Policy) -> str | None:
    a, task = step.action, step.task
    if e.category == "messaging" and field_kind(a.target_text) == "recipient" and a.type == "type":
        # A recipient is asked for only when the task names it.
        return a.text if stands_in(a.text, task) else None
    if e.category == "personal_data" and a.type == "type" and a.text:
        if stands_in(a.text, task):
            return a.text
        return task_asks(policy, "personal_data", task) if _data_named(a.text, task) else None
    return task_asks(policy, e.category, task)


STREET = re.compile(
    r"(?i)\b\d{1,5}\s+\w+(?:\s\w+)?\s(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard"
    r"|blvd|way|place|pl|court|ct)\b"
)


def _data_named(typed: str, task: str) -> bool:
    """Whether the task names the kind of data typed ("text Bob Alice's number")."""
    t = norm(task)
    if "@" in typed:
        kinds = r"e ?mail"
    elif STREET.search(typed):
        kinds = r"address|location|where"
    elif re.search(r"\d{3}", typed):
        kinds = r"number|phone|code"
    else:
        kinds = r"address|location|details"
    return re.search(rf"\b(?:{kinds})\b", t) is not None


def _special(step: StepFacts, e: Effect, policy: Policy) -> Finding | None:
    """The special clauses: erasing everything, secrets, other people's data, permissions
    the task needs, full-control permissions, installing from a file."""
    name = step.action.target_text or ""
    special = _special_rule(step, e, policy)
    if special is None:
        return None
    category, rule = special
    ruling = policy.rule_clause(category, rule)
    if ruling is None:
        return None
    reasons = {
        "erase_all": f'"{name}" erases everything',
        "credentials": "it types a password, code or card number outside its own sign-in form",
        "others_data": "it shares another person's private data",
        "needed_by_task": "the app the task is about asks for what the task needs",
        "full_control": f'"{name}" gives an app control of the phone',
        "sideload": "it installs from a file or a link",
    }
    return Finding(ruling, reasons[rule], True)


def _special_rule(step: StepFacts, e: Effect, policy: Policy) -> tuple[str, str] | None:
    """(the category, the special rule) that applies to the effect `e`, if any."""
    a, task = step.action, step.task
    name, typed = a.target_text or "", a.text or ""
    match e.category:
        case "deleting" if ERASE_ALL.search(name) and not ERASE_ALL.search(task):
            return "deleting", "erase_all"
        case "personal_data" | "messaging" if a.type == "type":
            kind = field_kind(a.target_text)
            clause = policy.rule_clause("personal_data", "credentials")
            patterns = policy.matchers["personal_data"].clause_patterns.get(
                clause.clause if clause else "", ()
            )
            secret = bool(first_match(patterns, typed)) or _secret_in_task(typed, task)
            if kind == "credential":
                return None if stands_in(typed, task) else ("personal_data", "credentials")
            if secret and kind in ("body", "other"):
                return "personal_data", "credentials"
            about_others = OTHERS_DATA.search(task) or HEALTH.search(typed)
            own = re.search(r"(?i)\bmy (?:\w+ )?(?:diagnosis|health|illness)", task)
            if about_others and not own and kind == "body":
                return "personal_data", "others_data"
        case "permissions":
            if policy.matchers["permissions"].context.in_text(
                " ".join(screen_lines(step))
            ) and not (task_asks(policy, "permissions", task)):
                return "permissions", "full_control"
            if needed_permission(step) is not None:
                return "permissions", "needed_by_task"
        case "installing":
            sideload = policy.rule_clause("installing", "sideload")
            patterns = policy.matchers["installing"].clause_patterns.get(
                sideload.clause if sideload else "", ()
            )
            if first_match(patterns, name, " ".join(screen_lines(step))):
                return "installing", "sideload"
    return None


def _secret_in_task(typed: str, task: str) -> bool:
    """Whether the task gives `typed` as a password, PIN or code ("my password hunter2")."""
    if not typed.strip():
        return False
    m = re.search(
        r"(?i)\b(?:password|passcode|pin|code)\b\W*(?:is\s+)?" + re.escape(typed.strip()), task
    )
    return m is not None
