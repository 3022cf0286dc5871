"""The simulated shell's lexer: a script into words, operators and redirections."""

from __future__ import annotations

from dataclasses import dataclass

from artemis.sim.shell.words import CmdSub, Lit, Param, Part, ShellSyntaxError, Word

_META = set(" \t\n;&|()<>")
_OPERATORS = ("&&", "||", ">>", ">&", ">|", "<&", "<<", ";;", ";", "&", "|", "(", ")", "<", ">")
_SPECIAL_PARAMS = set("?$!#@*-0123456789")


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # "word", "op", "redir", "eof"
    word: Word = ()
    op: str = ""
    fd: int = -1


def is_name_start(c: str) -> bool:
    return c.isascii() and (c.isalpha() or c == "_")


def is_name_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


class Lexer:
    def __init__(self, src: str) -> None:
        self.src = src
        self.i = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.src[j] if j < len(self.src) else ""

    def tokens(self) -> list[Tok]:
        out: list[Tok] = []
        while True:
            tok = self.next()
            out.append(tok)
            if tok.kind == "eof":
                return out

    def next(self) -> Tok:
        src = self.src
        while self.i < len(src):
            c = src[self.i]
            if c in " \t":
                self.i += 1
            elif c == "\\" and self.peek(1) == "\n":
                self.i += 2
            elif c == "#":
                while self.i < len(src) and src[self.i] != "\n":
                    self.i += 1
            else:
                break
        if self.i >= len(src):
            return Tok("eof")
        c = src[self.i]
        if c == "\n":
            self.i += 1
            return Tok("op", op="\n")
        # An IO number: digits directly followed by a redirection operator.
        j = self.i
        while j < len(src) and src[j].isdigit():
            j += 1
        if j > self.i and j < len(src) and src[j] in "<>":
            fd = int(src[self.i : j])
            self.i = j
            return self._redirect(fd)
        if c in "<>":
            return self._redirect(-1)
        for op in _OPERATORS:
            if src.startswith(op, self.i):
                if op == ";;":
                    raise ShellSyntaxError("syntax error: ';;' unexpected")
                self.i += len(op)
                return Tok("op", op=op)
        return Tok("word", word=self._word())

    def _redirect(self, fd: int) -> Tok:
        for op in (">>", ">&", ">|", "<&", "<<", ">", "<"):
            if self.src.startswith(op, self.i):
                if op == "<<":
                    raise ShellSyntaxError("syntax error: here-documents are not supported")
                self.i += len(op)
                return Tok("redir", op=op, fd=(1 if op[0] == ">" else 0) if fd < 0 else fd)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- words ------------------------------------------------------------------------------
    def _word(self) -> Word:
        parts: list[Part] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                parts.append(Lit("".join(buf), False))
                buf.clear()

        src = self.src
        while self.i < len(src) and src[self.i] not in _META:
            c = src[self.i]
            if c == "\\":
                if self.i + 1 >= len(src):
                    buf.append("\\")
                    self.i += 1
                elif src[self.i + 1] == "\n":
                    self.i += 2
                else:
                    flush()
                    parts.append(Lit(src[self.i + 1], True))
                    self.i += 2
            elif c == "'":
                end = src.find("'", self.i + 1)
                if end < 0:
                    raise ShellSyntaxError("syntax error: unterminated quoted string")
                flush()
                parts.append(Lit(src[self.i + 1 : end], True))
                self.i = end + 1
            elif c == '"':
                flush()
                parts.extend(self._double_quoted())
            elif c == "$":
                part = self._dollar(quoted=False)
                if part is None:
                    buf.append("$")
                else:
                    flush()
                    parts.append(part)
            elif c == "`":
                flush()
                parts.append(CmdSub(self._backquoted(), False))
            else:
                buf.append(c)
                self.i += 1
        flush()
        return tuple(parts)

    def _double_quoted(self) -> list[Part]:
        src = self.src
        self.i += 1  # opening quote
        parts: list[Part] = [Lit("", True)]  # "" is an (empty) field of its own
        buf: list[str] = []

        def flush() -> None:
            if buf:
                parts.append(Lit("".join(buf), True))
                buf.clear()

        while True:
            if self.i >= len(src):
                raise ShellSyntaxError("syntax error: unterminated quoted string")
            c = src[self.i]
            if c == '"':
                self.i += 1
                flush()
                return parts
            if c == "\\" and self.i + 1 < len(src) and src[self.i + 1] in '$`"\\\n':
                if src[self.i + 1] != "\n":
                    buf.append(src[self.i + 1])
                self.i += 2
            elif c == "$":
                part = self._dollar(quoted=True)
                if part is None:
                    buf.append("$")
                else:
                    flush()
                    parts.append(part)
            elif c == "`":
                flush()
                parts.append(CmdSub(self._backquoted(), True))
            else:
                buf.append(c)
                self.i += 1

    def _dollar(self, *, quoted: bool) -> Part | None:
        """At a `$`: an expansion, or None for a literal dollar sign (consumed)."""
        src = self.src
        nxt = self.peek(1)
        if nxt == "(":
            if self.peek(2) == "(":
                raise ShellSyntaxError("syntax error: arithmetic expansion is not supported")
            start = self.i + 2
            end = _matching_paren(src, start)
            self.i = end + 1
            return CmdSub(src[start:end], quoted)
        if nxt == "{":
            end = src.find("}", self.i + 2)
            if end < 0:
                raise ShellSyntaxError("syntax error: missing '}'")
            name = src[self.i + 2 : end]
            if not (
                name in _SPECIAL_PARAMS
                or (name and is_name_start(name[0]) and all(is_name_char(ch) for ch in name))
            ):
                raise ShellSyntaxError(f"${{{name}}}: bad substitution")
            self.i = end + 1
            return Param(name, quoted)
        if nxt and nxt in _SPECIAL_PARAMS:
            self.i += 2
            return Param(nxt, quoted)
        if nxt and is_name_start(nxt):
            j = self.i + 1
            while j < len(src) and is_name_char(src[j]):
                j += 1
            name = src[self.i + 1 : j]
            self.i = j
            return Param(name, quoted)
        self.i += 1
        return None

    def _backquoted(self) -> str:
        src = self.src
        self.i += 1
        out: list[str] = []
        while True:
            if self.i >= len(src):
                raise ShellSyntaxError("syntax error: unterminated `")
            c = src[self.i]
            if c == "`":
                self.i += 1
                return "".join(out)
            if c == "\\" and self.i + 1 < len(src) and src[self.i + 1] in "`\\$":
                out.append(src[self.i + 1])
                self.i += 2
            else:
                out.append(c)
                self.i += 1


def _matching_paren(src: str, start: int) -> int:
    """Index of the `)` closing a `$(` whose body starts at `start`, skipping quotes."""
    depth = 1
    i = start
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            end = src.find("'", i + 1)
            if end < 0:
                break
            i = end + 1
            continue
        if c == '"':
            i += 1
            while i < len(src) and src[i] != '"':
                i += 2 if src[i] == "\\" else 1
            i += 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ShellSyntaxError("syntax error: missing ')'")
