"""The interpreter of the simulated phone's shell.

It runs the syntax tree of `artemis.sim.shell.syntax` against the simulated phone: every
command is a Python coroutine from a table (`artemis.sim.shell.commands`), every file is in
the phone's `SimFS`. Nothing here starts a process or touches a host file.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from artemis.sim.context import SimContext
from artemis.sim.fs import FSError, SimFS
from artemis.sim.shell.io import BufferWriter, BytesStdin, EmptyStdin, Stdin, Writer, open_for_write
from artemis.sim.shell.syntax import (
    AndOr,
    CmdSub,
    Command,
    Group,
    Lit,
    Param,
    Pipeline,
    Redirect,
    Script,
    ShellSyntaxError,
    Simple,
    Word,
    parse,
)

SHELL = "/system/bin/sh"
ENCODING = "utf-8"
ERRORS = "surrogateescape"  # arbitrary bytes survive a round trip through str
MAX_DEPTH = 32  # nested command substitutions and `sh -c`
_BIN_DIRS = {"/system/bin", "/system/xbin", "/bin", "/vendor/bin", "/product/bin"}

DEFAULT_ENV = {
    "PATH": "/product/bin:/apex/com.android.runtime/bin:/system/bin:/system/xbin:/vendor/bin",
    "HOME": "/",
    "SHELL": SHELL,
    "USER": "shell",
    "HOSTNAME": "localhost",
    "ANDROID_DATA": "/data",
    "ANDROID_ROOT": "/system",
    "EXTERNAL_STORAGE": "/sdcard",
    "TMPDIR": "/data/local/tmp",
    "IFS": " \t\n",
}


def encode(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(slots=True)
class IO:
    stdin: Stdin
    stdout: Writer
    stderr: Writer


@dataclass(slots=True)
class Call:
    """One command invocation, as a command implementation sees it."""

    argv: list[str]
    io: IO
    shell: Shell

    @property
    def ctx(self) -> SimContext:
        return self.shell.ctx

    @property
    def fs(self) -> SimFS:
        return self.shell.ctx.phone.fs

    def path(self, p: str) -> str:
        return SimFS.norm(p, self.shell.cwd)

    async def out(self, text: str | bytes) -> None:
        await self.io.stdout.write(encode(text) if isinstance(text, str) else text)

    async def err(self, text: str | bytes) -> None:
        await self.io.stderr.write(encode(text) if isinstance(text, str) else text)


CommandFn = Callable[[Call], Awaitable[int]]


class Shell:
    """One shell process: variables, `$?` and the working folder."""

    def __init__(
        self,
        ctx: SimContext,
        commands: Mapping[str, CommandFn],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str = "/",
        depth: int = 0,
    ) -> None:
        self.ctx = ctx
        self.commands = commands
        self.vars = dict(DEFAULT_ENV if env is None else env)
        self.cwd = cwd
        self.status = 0
        self.depth = depth

    def child(self) -> Shell:
        """A subshell: a copy whose changes do not leak back."""
        sub = Shell(self.ctx, self.commands, env=self.vars, cwd=self.cwd, depth=self.depth + 1)
        sub.status = self.status
        return sub

    async def run(
        self,
        script: str,
        *,
        stdin: Stdin | None = None,
        stdout: Writer,
        stderr: Writer,
    ) -> int:
        """Run a script (what `sh -c SCRIPT` does); returns its exit status."""
        io = IO(stdin or EmptyStdin(), stdout, stderr)
        if self.depth > MAX_DEPTH:
            await stderr.write(encode(f"{SHELL}: too deeply nested\n"))
            return 2
        try:
            tree = parse(script)
        except ShellSyntaxError as exc:
            await stderr.write(encode(f"{SHELL}: {exc}\n"))
            self.status = 1
            return 1
        try:
            return await self._script(tree, io)
        except ShellExit as exc:
            self.status = exc.code
            return exc.code

    # --- structure -------------------------------------------------------------------------
    async def _script(self, tree: Script, io: IO) -> int:
        for item in tree:
            await self._and_or(item, io)
        return self.status

    async def _and_or(self, node: AndOr, io: IO) -> int:
        status = await self._pipeline(node.first, io)
        for op, pipe in node.rest:
            if (op == "&&" and status == 0) or (op == "||" and status != 0):
                status = await self._pipeline(pipe, io)
        return status

    async def _pipeline(self, pipe: Pipeline, io: IO) -> int:
        stdin = io.stdin
        status = 0
        for i, cmd in enumerate(pipe.commands):
            last = i == len(pipe.commands) - 1
            out: Writer = io.stdout if last else BufferWriter()
            status = await self._command(cmd, IO(stdin, out, io.stderr))
            if isinstance(out, BufferWriter):
                stdin = BytesStdin(out.getvalue())
        if pipe.negate:
            status = 0 if status else 1
        self.status = status
        return status

    async def _command(self, cmd: Command, io: IO) -> int:
        if isinstance(cmd, Group):
            io2 = await self._redirect(cmd.redirects, io)
            if io2 is None:
                return 1
            if cmd.subshell:
                sub = self.child()
                try:
                    return await sub._script(cmd.body, io2)
                except ShellExit as exc:
                    return exc.code
            return await self._script(cmd.body, io2)
        return await self._simple(cmd, io)

    async def _simple(self, cmd: Simple, io: IO) -> int:
        self._sub_status: int | None = None
        argv: list[str] = []
        for word in cmd.words:
            argv.extend(await self._expand(word, io))
        assigned = {
            name: " ".join(await self._expand(w, io, split=False)) for name, w in cmd.assigns
        }
        io2 = await self._redirect(cmd.redirects, io)
        if io2 is None:
            return 1
        if not argv:
            self.vars.update(assigned)
            return self._sub_status if self._sub_status is not None else 0
        fn = self._lookup(argv[0])
        if fn is None:
            await io2.stderr.write(encode(f"{SHELL}: {argv[0]}: inaccessible or not found\n"))
            return 127
        return await fn(Call(argv, io2, self))

    def _lookup(self, name: str) -> CommandFn | None:
        if "/" in name:
            folder, base = posixpath.split(SimFS.norm(name, self.cwd))
            if folder not in _BIN_DIRS:
                return None
            name = base
        return self.commands.get(name)

    # --- redirects ---------------------------------------------------------------------------
    async def _redirect(self, redirects: list[Redirect], io: IO) -> IO | None:
        if not redirects:
            return io
        fds: dict[int, Writer] = {1: io.stdout, 2: io.stderr}
        stdin = io.stdin
        fs = self.ctx.phone.fs
        for r in redirects:
            fields = await self._expand(r.target, io)
            if len(fields) != 1:
                await io.stderr.write(encode(f"{SHELL}: ambiguous redirect\n"))
                return None
            target = fields[0]
            try:
                if r.op in (">&", "<&"):
                    if target == "-":
                        fds[r.fd] = BufferWriter()  # closed: output goes nowhere
                    elif target.isdigit() and int(target) in fds:
                        fds[r.fd] = fds[int(target)]
                    elif target.isdigit() and int(target) == 0 and r.op == "<&":
                        pass
                    else:
                        await io.stderr.write(encode(f"{SHELL}: {target}: bad file descriptor\n"))
                        return None
                elif r.op == "<":
                    path = SimFS.norm(target, self.cwd)
                    if r.fd == 0:
                        stdin = BytesStdin(b"" if path == "/dev/null" else fs.read(path))
                else:
                    path = SimFS.norm(target, self.cwd)
                    fds[r.fd] = open_for_write(fs, path, append=r.op == ">>")
            except FSError as exc:
                verb = "can't open" if r.op == "<" else "can't create"
                reason = str(exc).rsplit(": ", 1)[-1]
                await io.stderr.write(encode(f"{SHELL}: {verb} {target}: {reason}\n"))
                return None
        return IO(stdin, fds[1], fds[2])

    # --- expansion ----------------------------------------------------------------------------
    async def _param(self, name: str) -> str:
        if name == "?":
            return str(self.status)
        if name == "$":
            return "4242"
        if name == "#":
            return "0"
        if name == "0":
            return SHELL
        if name in "@*-!123456789":
            return ""
        return self.vars.get(name, "")

    async def _substitute(self, source: str, io: IO) -> str:
        sub = self.child()
        out = BufferWriter()
        status = await sub.run(source, stdin=EmptyStdin(), stdout=out, stderr=io.stderr)
        self._sub_status = status
        return decode(out.getvalue()).rstrip("\n")

    async def _expand(self, word: Word, io: IO, *, split: bool = True) -> list[str]:
        """Expand one word into fields: parameters, substitutions, splitting, globbing."""
        fields: list[tuple[str, str, bool]] = []
        text: list[str] = []
        pattern: list[str] = []
        glob = False
        exists = False

        def add(s: str, quoted: bool) -> None:
            nonlocal glob
            text.append(s)
            if quoted:
                pattern.append("".join(f"[{c}]" if c in "*?[" else c for c in s))
            else:
                pattern.append(s)
                glob = glob or any(c in s for c in "*?[")

        def end_field() -> None:
            nonlocal glob, exists
            if exists:
                fields.append(("".join(text), "".join(pattern), glob))
            text.clear()
            pattern.clear()
            glob = False
            exists = False

        ifs = self.vars.get("IFS", " \t\n")
        for part in word:
            if isinstance(part, Lit):
                add(part.text, part.quoted)
                exists = True
                continue
            if isinstance(part, Param):
                value = await self._param(part.name)
            else:
                assert isinstance(part, CmdSub)
                value = await self._substitute(part.source, io)
            if part.quoted or not split or not ifs:
                add(value, part.quoted)
                exists = exists or part.quoted or bool(value)
                continue
            pieces = _split(value, ifs)
            if value[:1] in ifs and value:
                end_field()
            for j, piece in enumerate(pieces):
                if j:
                    end_field()
                add(piece, False)
                exists = True
            if value and value[-1:] in ifs:
                end_field()
        end_field()
        out: list[str] = []
        for t, pat, g in fields:
            matches = self._glob(pat) if g and split else []
            out.extend(matches or [t])
        return out

    def _glob(self, pattern: str) -> list[str]:
        fs = self.ctx.phone.fs
        absolute = pattern.startswith("/")
        parts = [p for p in pattern.split("/") if p]
        bases = ["/" if absolute else ""]
        for part in parts:
            nxt: list[str] = []
            for base in bases:
                folder = SimFS.norm(base or ".", self.cwd)
                if not any(c in part for c in "*?["):
                    name = fnmatch_unescape(part)
                    cand = posixpath.join(base, name) if base else name
                    if fs.exists(SimFS.norm(cand, self.cwd)):
                        nxt.append(cand)
                    continue
                if not fs.is_dir(folder):
                    continue
                for entry in fs.listdir(folder):
                    if entry.name.startswith(".") and not part.startswith("."):
                        continue
                    if fnmatch.fnmatchcase(entry.name, part):
                        nxt.append(posixpath.join(base, entry.name) if base else entry.name)
            bases = nxt
        return sorted(bases)


def fnmatch_unescape(part: str) -> str:
    """Undo the `[c]` escaping of quoted glob characters in a pattern segment."""
    for c in "*?[":
        part = part.replace(f"[{c}]", c)
    return part


def _split(value: str, ifs: str) -> list[str]:
    pieces: list[str] = []
    cur: list[str] = []
    for c in value:
        if c in ifs:
            if cur:
                pieces.append("".join(cur))
                cur.clear()
        else:
            cur.append(c)
    if cur:
        pieces.append("".join(cur))
    return pieces
