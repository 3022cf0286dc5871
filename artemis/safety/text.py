"""Matching words and phrases the way the policy writes them: whole words, case and punctuation
aside, `*` ending a word with any ending ("deleti*") or standing for any one word, and `^` in
front for a word that counts only where a clause starts, as a verb does ("^email" in "Email
Bob the file" or "... and email it", not in "find Bob's email address").

`PhraseSet` compiles a list of phrases once; its two ways of matching are the policy's:
`in_text` finds a phrase anywhere (task words, screen context), `in_name` applies the rule for
the names of buttons: a one-word phrase must be the name's first word ("Pay $9.99" pays,
"Sort order" does not order), a longer phrase may stand anywhere in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_NON_WORD = re.compile(r"[^\w']+|(?<!\w)'|'(?!\w)")


def norm(text: str) -> str:
    """Lower case, curly quotes straightened, punctuation to single spaces ("Wi-Fi" stays
    two words: "wi fi"); apostrophes inside words are kept ("don't")."""
    return " ".join(_NON_WORD.sub(" ", text.translate(_APOSTROPHES).lower()).split())


def words(text: str) -> tuple[str, ...]:
    """The words of a space-separated list, for word lists written as one string."""
    return tuple(text.split())


#: Words after which a verb starts a clause (punctuation is gone after `norm`).
_CLAUSE_WORDS = "and then to please also or just now first i we"
CLAUSE_START = "(?:^|" + "|".join(rf"(?<=\b{w}\s)" for w in words(_CLAUSE_WORDS)) + ")"


def phrase_pattern(phrase: str) -> str:
    """The regular expression of one phrase, over `norm`ed text."""
    lead = ""
    if phrase.startswith("^"):
        phrase, lead = phrase[1:], CLAUSE_START
    parts: list[str] = []
    for raw in phrase.split():
        if raw == "*":
            parts.append(r"\w+")
            continue
        words = norm(raw.rstrip("*")).split()
        parts += [re.escape(w) for w in words]
        if raw.endswith("*") and parts:
            parts[-1] += r"\w*"
    return lead + r"\s".join(parts)


@dataclass(frozen=True)
class PhraseSet:
    phrases: tuple[str, ...] = ()
    _any: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _first: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        many = [phrase_pattern(p) for p in self.phrases if len(norm(p).split()) > 1]
        one = [phrase_pattern(p.lstrip("^")) for p in self.phrases if len(norm(p).split()) == 1]
        everything = [phrase_pattern(p) for p in self.phrases if norm(p.replace("*", ""))]
        if everything:
            object.__setattr__(self, "_any", re.compile(r"\b(?:" + "|".join(everything) + r")\b"))
        names = ([r"^(?:" + "|".join(one) + r")\b"] if one else []) + (
            [r"\b(?:" + "|".join(many) + r")\b"] if many else []
        )
        if names:
            object.__setattr__(self, "_first", re.compile("|".join(names)))

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseSet:
        return cls(tuple(dict.fromkeys(p for p in phrases if p.strip())))

    def in_text(self, text: str) -> str | None:
        """The first phrase found anywhere in `text`, as it stands there; None when none is."""
        if self._any is None or not text:
            return None
        m = self._any.search(norm(text))
        return m.group(0) if m else None

    def in_name(self, name: str) -> str | None:
        """The phrase a button's name starts with (one word) or holds (several words)."""
        if self._first is None or not name:
            return None
        m = self._first.search(norm(name))
        return m.group(0).strip() if m else None


def compile_patterns(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def first_match(patterns: Sequence[re.Pattern[str]], *texts: str) -> str | None:
    """The text of the first match of any pattern in any of `texts`."""
    for text in texts:
        if not text:
            continue
        for p in patterns:
            m = p.search(text)
            if m:
                return m.group(0)
    return None


def contains_text(haystack: str, needle: str) -> bool:
    """Whether `needle` stands in `haystack` as whole words, `norm`ed; digits compared alone
    for numbers ("+1 650-555-0188" is in "call 1 650 555 0188")."""
    n, h = norm(needle), norm(haystack)
    if not n:
        return False
    if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", h):
        return True
    digits = re.sub(r"\D", "", needle)
    return (
        len(digits) >= 4
        and len(digits) >= len(n.replace(" ", "")) - 3
        and (digits in re.sub(r"\D", "", haystack))
    )
