"""The syntax of the simulated phone's shell: a small subset of POSIX sh (as Android's mksh).

Supported: single and double quotes, backslash escapes, `$NAME`, `${NAME}`, `$?`, command
substitution (`$(...)` and backquotes, run inside the simulated phone), `;`, `&`, newlines,
`&&`, `||`, `|`, `!`, `( ... )`, `{ ...; }`, redirects `<`, `>`, `>>`, `>|`, `N>`, `N>&M`, and
`NAME=value` assignments. Anything else is a syntax error, never a host command.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from artemis.sim.shell.lexer import Lexer, Tok, is_name_char, is_name_start
from artemis.sim.shell.words import (
    CmdSub,
    Lit,
    Param,
    Part,
    ShellSyntaxError,
    Word,
    is_plain,
    word_text,
)

__all__ = [
    "AndOr",
    "CmdSub",
    "Command",
    "Group",
    "Lit",
    "Param",
    "Part",
    "Pipeline",
    "Redirect",
    "Script",
    "ShellSyntaxError",
    "Simple",
    "Word",
    "is_plain",
    "parse",
    "word_text",
]


# --- commands -------------------------------------------------------------------------------


@dataclass(slots=True)
class Redirect:
    fd: int
    op: str  # "<", ">", ">>", ">|", ">&", "<&"
    target: Word


@dataclass(slots=True)
class Simple:
    assigns: list[tuple[str, Word]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Group:
    body: list[AndOr]
    subshell: bool
    redirects: list[Redirect] = field(default_factory=list)


Command = Simple | Group


@dataclass(slots=True)
class Pipeline:
    commands: list[Command]
    negate: bool = False


@dataclass(slots=True)
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)


Script = list[AndOr]

# --- parser -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[Tok]) -> None:
        self.toks = tokens
        self.i = 0

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.op in ops

    def at_word(self, text: str) -> bool:
        return self.tok.kind == "word" and is_plain(self.tok.word, text)

    def script(self, closers: tuple[str, ...] = ()) -> Script:
        items: Script = []
        while True:
            while self.at_op("\n"):
                self.take()
            if (
                self.tok.kind == "eof"
                or self.at_op(*closers)
                or ("}" in closers and self.at_word("}"))
            ):
                return items
            items.append(self.and_or())
            if self.at_op(";", "&", "\n"):
                self.take()
            elif not (
                self.tok.kind == "eof"
                or self.at_op(*closers)
                or ("}" in closers and self.at_word("}"))
            ):
                raise ShellSyntaxError(f"syntax error: {self._describe()} unexpected")

    def and_or(self) -> AndOr:
        node = AndOr(self.pipeline())
        while self.at_op("&&", "||"):
            op = self.take().op
            while self.at_op("\n"):
                self.take()
            node.rest.append((op, self.pipeline()))
        return node

    def pipeline(self) -> Pipeline:
        negate = False
        if self.at_word("!"):
            self.take()
            negate = True
        cmds = [self.command()]
        while self.at_op("|"):
            self.take()
            while self.at_op("\n"):
                self.take()
            cmds.append(self.command())
        return Pipeline(cmds, negate)

    def command(self) -> Command:
        if self.at_op("("):
            self.take()
            body = self.script(closers=(")",))
            if not self.at_op(")"):
                raise ShellSyntaxError("syntax error: missing ')'")
            self.take()
            return Group(body, True, self._redirects())
        if self.at_word("{"):
            self.take()
            body = self.script(closers=("}",))
            if not self.at_word("}"):
                raise ShellSyntaxError("syntax error: missing '}'")
            self.take()
            return Group(body, False, self._redirects())
        cmd = Simple()
        while True:
            tok = self.tok
            if tok.kind == "redir":
                cmd.redirects.append(self._redirect())
            elif tok.kind == "word":
                self.take()
                assign = None if cmd.words else _assignment(tok.word)
                if assign is not None:
                    cmd.assigns.append(assign)
                else:
                    cmd.words.append(tok.word)
            else:
                break
        if not (cmd.words or cmd.assigns or cmd.redirects):
            raise ShellSyntaxError(f"syntax error: {self._describe()} unexpected")
        return cmd

    def _redirects(self) -> list[Redirect]:
        out = []
        while self.tok.kind == "redir":
            out.append(self._redirect())
        return out

    def _redirect(self) -> Redirect:
        tok = self.take()
        target = self.take()
        if target.kind != "word":
            raise ShellSyntaxError(f"syntax error: {tok.op!r} needs a file name")
        return Redirect(tok.fd, tok.op, target.word)

    def _describe(self) -> str:
        tok = self.tok
        if tok.kind == "eof":
            return "unexpected end of input,"
        if tok.kind == "op":
            return "'newline'" if tok.op == "\n" else repr(tok.op)
        return repr(word_text(tok.word) or "word")


def _assignment(word: Word) -> tuple[str, Word] | None:
    if not word or not isinstance(word[0], Lit) or word[0].quoted:
        return None
    first = word[0].text
    eq = first.find("=")
    if eq <= 0:
        return None
    name = first[:eq]
    if not (is_name_start(name[0]) and all(is_name_char(c) for c in name)):
        return None
    rest: list[Part] = []
    if first[eq + 1 :]:
        rest.append(Lit(first[eq + 1 :], False))
    rest.extend(word[1:])
    return name, tuple(rest)


def parse(src: str) -> Script:
    """Parse a shell script; raises `ShellSyntaxError`."""
    return _Parser(Lexer(src).tokens()).script()
