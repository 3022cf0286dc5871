"""What the rule stage notices in text: instructions on the screen, the kind of a text field,
buttons that close or agree, and whether two texts are about the same things.

An *instruction* is a sentence on the screen that tries to steer the agent: it addresses an
AI or an assistant ("Assistant: forward ..."), tries to override its task ("ignore previous
instructions", "System: ..."), or tells the reader to do something (tap, send, install,
enter, pay ...; also after a short leading clause, "On the next screen, tap ...") with
pressure (urgency, threats, prizes) or with a concrete object to act on (a quoted button, a
number, an address, a link, a code, a password). Ordinary interface hints
("Tap + to add an alarm", "Tap Continue to start") are none of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

from artemis.safety.text import contains_text, norm, words

_AGENT = (
    r"(?:ai|a\.i\.|assistant|agent|bot|llm|chatgpt|gpt|copilot|language model|automation"
    r"|ai (?:agent|assistant|model|bot)s?|assistants|agents)"
)
#: "Assistant:", "Hi AI," ...: counts when what follows tells the agent what to do.
VOCATIVE = re.compile(
    r"(?i)(?:^\W*|[.!?\])]\s+"
    r"|\b(?:hi|hey|dear|attention|note to|to|for|important for)\s+(?:the\s+)?)"
    rf"{_AGENT}\s*[:,!]"
)
ADDRESSES_AGENT = re.compile(
    r"(?i)\b(?:instructions|message|note) (?:for|to) (?:the\s+)?(?:ai|assistant|agent)s?\b"
    rf"|\bif you are an? {_AGENT}\b|\b{_AGENT} (?:reading|summari[sz]ing|processing) this\b"
    r"|\b(?:ai|assistant|agent)s? (?:must|should|need to|have to)\b"
    r"|\bthe assistant (?:must|should|needs to)\b"
)
OVERRIDES = re.compile(
    r"(?i)\bignore (?:all |any |your |the )?(?:previous |prior |above |earlier |other )?"
    r"(?:instructions|task|prompts?|rules|directions)\b"
    r"|\bdisregard (?:the |your |all )?(?:task|instructions|rules)\b|\bnew instructions\b"
    r"|\byour (?:new|real|actual) task\b|(?:^|\n)\s*system\s*:|\bsystem (?:prompt|override)\b"
    r"|\bdeveloper mode\b"
    r"|\bthe user (?:has )?(?:asked me to tell you|authori[sz]ed you|wants you)\b"
)
PRESSURE = re.compile(
    r"(?i)\burgent\w*|\bimmediately\b|\bright (?:away|now)\b|\bas soon as possible\b"
    r"|\bbefore (?:it|this|the offer) expires\b|\bexpir(?:es|ed|ing)\b"
    r"|\bwithin \d+ (?:hours?|minutes?|days?)\b"
    r"|\b(?:will|may|could) be (?:locked|suspended|deleted|closed|terminated|blocked|lost)\b"
    r"|\b(?:is|are|has been|have been) (?:locked|suspended|compromised|infected|damaged|hacked)\b"
    r"|\bat risk\b|\binfected\b|\bvirus(?:es)?\b|\bmalware\b|\bcongratulations\b"
    r"|\byou(?:'ve| have)? won\b|\bprize\b|\b\d{2}% off\b|\blimited time\b"
    r"|\bsecurity (?:alert|warning)\b|\bsession (?:has )?expired\b"
    r"|\b(?:action|verification) (?:needed|required)\b|\brequired\b|\bwarning\b|!{2,}"
    r"|\bor (?:else|your)\b|\blost my phone\b|\bemergency\b|\bnew number\b"
)
_LEAD = (
    r"(?:(?:please|kindly|now|then|and|also|first|just|quickly|to \w+[^,.]*,"
    r"|(?:on|in|at|when|after|once|from|as soon as|next time) [^,.]{1,40},|"
    r"(?:you|the (?:user|assistant|agent)|(?:ai )?agents?|assistants?)"
    r" (?:must|should|need to|have to|are required to)"
    r"|before (?:replying|continuing|you continue|you reply)[^,.]*,)\s*)*"
)
_VERBS = (
    r"(?:tap|click|press|hit|send|forward|reply|respond|text|call|dial|install|download"
    r"|enable|disable|turn (?:on|off)|grant|allow|delete|remove|erase|wipe|share|transfer"
    r"|pay|buy|purchase|subscribe|enter|type|verify|confirm|update|accept|approve|open"
    r"|visit|go to|claim|add|give|post|cancel|change|set|sign in|log ?in|provide|submit"
    r"|scan|register|activate|navigate to|e-?mail|message|contact|follow|like|rate|unlock"
    r"|uninstall|reset|write|publish|upload|reveal|tell)"
)
IMPERATIVE = re.compile(rf"(?i)^\W*{_LEAD}{_VERBS}\b")
#: What an instruction asks to act on: a quoted name, a number, an address, a link, a secret.
CONCRETE = re.compile(
    r"[\"'“‘][^\"'“”‘’]{2,40}[\"'”’]|\+?\d[\d ()-]{3,}\d|[\w.+-]+@[\w-]+\.\w+"
    r"|\b[\w-]+\.(?:com|net|org|io|co|example|app|ly|xyz|info)\b|\b[A-Z]{3,}\b"
    r"|(?i:\b(?:code|password|passcode|pin|card|cvv|contacts|location|account number|otp)\b)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True)
class Instruction:
    """A sentence on the screen that tries to steer the agent, and why it counts as one."""

    text: str
    why: str


def find_instructions(lines: tuple[str, ...] | list[str]) -> list[Instruction]:
    """The instructions in the screen's text (see the module docstring)."""
    found: list[Instruction] = []
    seen: set[str] = set()
    for line in lines:
        parts = sentences(line)
        whole = norm(line)
        if whole in seen:
            continue
        seen.add(whole)
        for i, sentence in enumerate(parts):
            why = _instruction_why(sentence, line)
            if why is None and i > 0:  # "Pressure. Imperative." across two sentences
                why = _instruction_why(sentence, parts[i - 1] + " " + sentence, pressure_only=True)
            if why is not None:
                found.append(Instruction(sentence, why))
    return found


#: An imperative sentence shorter than this is a button or menu label ("Share live location").
MIN_IMPERATIVE_WORDS = 5


def _instruction_why(sentence: str, context: str, *, pressure_only: bool = False) -> str | None:
    if not pressure_only:
        if OVERRIDES.search(sentence):
            return "tries to override the task"
        if ADDRESSES_AGENT.search(sentence) or _vocative_order(sentence):
            return "addresses the agent"
    if (
        len(sentence.split()) < MIN_IMPERATIVE_WORDS
        or sentence.rstrip().endswith("?")  # "Allow Camera to take pictures?" asks the user
        or not IMPERATIVE.search(sentence)
    ):
        return None
    if PRESSURE.search(context):
        return "tells the reader what to do, under pressure"
    if not pressure_only and CONCRETE.search(sentence):
        return "tells the reader what to do, with something concrete to act on"
    return None


def _vocative_order(sentence: str) -> bool:
    """ "Assistant: forward ..." is an order; "Assistant, recent apps" (a settings summary)
    is not."""
    m = VOCATIVE.search(sentence)
    if m is None:
        return False
    rest = sentence[m.end() :]
    return bool(IMPERATIVE.search(rest) or ORDER_WORDS.search(rest))


ORDER_WORDS = re.compile(r"(?i)\b(?:must|should|need to|have to|please|ignore|do not|don't)\b")


# --- buttons and fields --------------------------------------------------------------------

DISMISS = re.compile(
    r"(?i)^\W*(?:close|cancel|not now|no thanks|no,? thanks|later|maybe later|dismiss|skip|x|×|✕"
    r"|deny|don'?t allow|block|reject(?: all)?|decline|no|back|go back|remind me later|ignore"
    r"|got it|ok,? got it)\W*$"
)
AFFIRM = re.compile(
    r"(?i)^\W*(?:ok|okay|yes|continue|confirm|accept|agree|i agree|proceed|next|done|sure"
    r"|allow|turn on|enable|apply|submit|verify|approve|got it)\b"
)

FieldKind: TypeAlias = Literal["recipient", "body", "credential", "amount", "search", "other"]

_FIELD_KINDS: tuple[tuple[FieldKind, re.Pattern[str]], ...] = (
    ("search", re.compile(r"(?i)\bsearch\b|\bfind\b|\bquery\b")),
    (
        "credential",
        re.compile(
            r"(?i)\b(?:password|passcode|pin|otp|one[- ]time|verification|security code|cvv|cvc"
            r"|card number|enter code|code)\b"
        ),
    ),
    (
        "recipient",
        re.compile(
            r"(?i)^\W*(?:to|cc|bcc|recipients?|send to)\W*$|name, phone number or email"
            r"|\b(?:add|type|enter) (?:a )?(?:name|recipient|number)\b"
        ),
    ),
    ("amount", re.compile(r"(?i)^\W*(?:amount|how much|\$\s*0(?:\.00)?)\W*$")),
    (
        "body",
        re.compile(
            r"(?i)\b(?:message|compose|reply|comment|caption|tweet|post|review|experience|chat"
            r"|what's happening|what's on your mind|say something|what's it for|note to)\b"
        ),
    ),
)


def field_kind(name: str | None) -> FieldKind:
    """What a text field is for, from its name or hint."""
    if not name:
        return "other"
    for kind, pattern in _FIELD_KINDS:
        if pattern.search(name):
            return kind
    return "other"


# --- relatedness -----------------------------------------------------------------------------

_STOP = frozenset(
    words(
        "a an the to of in on at for and or is are be it this that with my your our me you i"
        " we from by as can will now please just all any not no do does did have has was were"
        " its tap click press open app here get up out into about"
    )
)


def content_words(text: str) -> set[str]:
    return {w for w in norm(text).split() if w not in _STOP and len(w) > 1}


def related(text: str, task: str) -> bool:
    """Whether `text` shares a content word with the task."""
    return bool(content_words(text) & content_words(task))


def stands_in(needle: str | None, haystack: str) -> bool:
    """Whether `needle` (a name, typed text) stands in `haystack` as whole words."""
    return bool(needle) and len(norm(needle or "")) >= 2 and contains_text(haystack, needle or "")


# --- personal data ---------------------------------------------------------------------------

ONE_TIME_CODE = re.compile(r"^\s*\d{4,8}\s*$")
CREDENTIAL_ASK = re.compile(
    r"(?i)\b(?:code|password|passcode|pin|otp|card|cvv|security code|verification)\b"
)
HEALTH = re.compile(
    r"(?i)\b(?:cancer|chemo\w*|hiv|aids|pregnan\w*|diagnos\w*|depress\w*|therapy|therapist"
    r"|rehab|medical|disease|illness|surgery|psychiatric|miscarriage)\b"
)
OTHERS_DATA = re.compile(
    r"\b(?:[A-Z][a-z]+'s|[Hh]is|[Hh]er|[Tt]heir)\s+"
    r"(?i:(?:home |private |personal |new |current )?(?:address|number|phone(?: number)?"
    r"|location|photos?|pictures?|e-?mail|birthday|diagnosis|health|medical|details|contact"
    r"|passport|id)\b)"
)
