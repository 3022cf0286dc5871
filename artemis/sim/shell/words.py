"""Words of the simulated shell: literal text and the expansions inside it."""

from __future__ import annotations

from dataclasses import dataclass


class ShellSyntaxError(Exception):
    """The script cannot be parsed; the message is what the shell prints after its name."""


@dataclass(frozen=True, slots=True)
class Lit:
    text: str
    quoted: bool


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    quoted: bool


@dataclass(frozen=True, slots=True)
class CmdSub:
    source: str
    quoted: bool


Part = Lit | Param | CmdSub
Word = tuple[Part, ...]


def word_text(word: Word) -> str | None:
    """The word's text when it is all literal (no expansion), else None."""
    if all(isinstance(p, Lit) for p in word):
        return "".join(p.text for p in word)  # type: ignore[union-attr]
    return None


def is_plain(word: Word, text: str) -> bool:
    """True when `word` is exactly the unquoted literal `text` (a reserved word)."""
    return (
        len(word) == 1 and isinstance(word[0], Lit) and not word[0].quoted and word[0].text == text
    )
