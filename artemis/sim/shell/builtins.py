"""General commands of the simulated shell: files, echo, sleep and the shell's own builtins.

Messages follow Android's toybox and mksh, so clients that parse them see what a device says.
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import re
import time

from artemis.sim.fs import FSError
from artemis.sim.shell.interp import SHELL, Call, CommandFn, ShellExit, decode

_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPES.update({"v": "\v", "\\": "\\"})


def _reason(exc: FSError) -> str:
    return str(exc).rsplit(": ", 1)[-1]


def _echo_escapes(text: str) -> tuple[str, bool]:
    """mksh's echo interprets backslash escapes; `\\c` stops output (and the newline)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "c":
                return "".join(out), True
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "0":
                j = i + 2
                while j < min(len(text), i + 5) and text[j] in "01234567":
                    j += 1
                out.append(chr(int(text[i + 2 : j] or "0", 8)))
                i = j
                continue
        out.append(c)
        i += 1
    return "".join(out), False


async def echo(call: Call) -> int:
    args = call.argv[1:]
    newline = True
    escapes = True
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en", "-nE", "-En"):
        opt = args.pop(0)
        if "n" in opt:
            newline = False
        if "E" in opt:
            escapes = False
        elif "e" in opt:
            escapes = True
    text = " ".join(args)
    stop = False
    if escapes:
        text, stop = _echo_escapes(text)
    await call.out(text + ("\n" if newline and not stop else ""))
    return 0


async def cat(call: Call) -> int:
    status = 0
    paths = call.argv[1:] or ["-"]
    for p in paths:
        if p == "-":
            await call.out(await call.io.stdin.read())
            continue
        path = call.path(p)
        if path == "/dev/null":
            continue
        try:
            data = call.fs.read(path)
        except FSError as exc:
            await call.err(f"cat: {p}: {_reason(exc)}\n")
            status = 1
            continue
        await call.out(data)
    return status


async def md5sum(call: Call) -> int:
    """toybox md5sum: `HASH  NAME` for each file, `-` for stdin."""
    status = 0
    for p in call.argv[1:] or ["-"]:
        if p == "-":
            data = await call.io.stdin.read()
        else:
            try:
                data = call.fs.read(call.path(p))
            except FSError as exc:
                await call.err(f"md5sum: {p}: {_reason(exc)}\n")
                status = 1
                continue
        await call.out(f"{hashlib.md5(data).hexdigest()}  {p}\n")
    return status


def _flags(args: list[str], allowed: str) -> tuple[set[str], list[str], str | None]:
    flags: set[str] = set()
    rest: list[str] = []
    only_args = False
    for a in args:
        if not only_args and a == "--":
            only_args = True
        elif not only_args and a.startswith("-") and len(a) > 1:
            for ch in a[1:]:
                if ch not in allowed:
                    return flags, rest, ch
                flags.add(ch)
        else:
            rest.append(a)
    return flags, rest, None


async def rm(call: Call) -> int:
    flags, paths, bad = _flags(call.argv[1:], "frRv")
    if bad is not None:
        await call.err(f"rm: Unknown option '{bad}'\n")
        return 1
    if not paths and "f" not in flags:
        await call.err("rm: Needs 1 argument\n")
        return 1
    status = 0
    for p in paths:
        try:
            call.fs.remove(call.path(p), recursive=bool(flags & {"r", "R"}))
        except FSError as exc:
            reason = _reason(exc)
            if "f" in flags and reason == "No such file or directory":
                continue
            await call.err(f"rm: {p}: {reason}\n")
            status = 1
    return status


async def touch(call: Call) -> int:
    status = 0
    for p in call.argv[1:]:
        if p.startswith("-"):
            continue
        path = call.path(p)
        try:
            if call.fs.exists(path):
                entry = call.fs.lookup(path)
                assert entry is not None
                entry.mtime = int(time.time())
            else:
                call.fs.write(path, b"")
        except FSError as exc:
            await call.err(f"touch: {p}: {_reason(exc)}\n")
            status = 1
    return status


async def mkdir(call: Call) -> int:
    flags, paths, bad = _flags(call.argv[1:], "pv")
    if bad is not None:
        await call.err(f"mkdir: Unknown option '{bad}'\n")
        return 1
    status = 0
    for p in paths:
        path = call.path(p)
        if call.fs.exists(path) and "p" not in flags:
            await call.err(f"mkdir: {p}: File exists\n")
            status = 1
            continue
        try:
            call.fs.mkdir(path, parents="p" in flags)
        except FSError as exc:
            await call.err(f"mkdir: {p}: {_reason(exc)}\n")
            status = 1
    return status


async def ls(call: Call) -> int:
    flags, paths, _ = _flags(call.argv[1:], "laAR1dhs")
    status = 0
    for p in paths or ["."]:
        path = call.path(p)
        entry = call.fs.lookup(path)
        if entry is None:
            await call.err(f"ls: {p}: No such file or directory\n")
            status = 1
            continue
        if not entry.is_dir or "d" in flags:
            await call.out(p + "\n")
            continue
        names = [
            e.name for e in call.fs.listdir(path) if "a" in flags or not e.name.startswith(".")
        ]
        if names:
            await call.out("\n".join(names) + "\n")
    return status


async def sleep(call: Call) -> int:
    args = call.argv[1:]
    if not args:
        await call.err("sleep: Needs 1 argument\n")
        return 1
    total = 0.0
    for a in args:
        try:
            value = float(a.rstrip("smhd") or "x")
        except ValueError:
            await call.err(f"sleep: invalid number '{a}'\n")
            return 1
        if not math.isfinite(value) or value < 0:
            await call.err(f"sleep: invalid number '{a}'\n")
            return 1
        unit = {"m": 60, "h": 3600, "d": 86400}.get(a[-1:], 1)
        total += value * unit
    await call.ctx.sleep(total)
    return 0


async def true(call: Call) -> int:
    return 0


async def false(call: Call) -> int:
    return 1


async def exit_(call: Call) -> int:
    arg = call.argv[1] if len(call.argv) > 1 else None
    if arg is None:
        raise ShellExit(call.shell.status)
    if not arg.lstrip("-").isdigit():
        await call.err(f"{SHELL}: exit: {arg}: bad number\n")
        raise ShellExit(1)
    raise ShellExit(int(arg) & 0xFF)


async def cd(call: Call) -> int:
    target = call.argv[1] if len(call.argv) > 1 else "/"
    path = call.path(target)
    if not call.fs.is_dir(path):
        await call.err(f"{SHELL}: cd: {target}: No such file or directory\n")
        return 2
    call.shell.cwd = path
    return 0


async def pwd(call: Call) -> int:
    await call.out(call.shell.cwd + "\n")
    return 0


async def sh(call: Call) -> int:
    args = call.argv[1:]
    if len(args) >= 2 and args[0] == "-c":
        sub = call.shell.child()
        return await sub.run(
            args[1], stdin=call.io.stdin, stdout=call.io.stdout, stderr=call.io.stderr
        )
    if args:
        path = call.path(args[0])
        try:
            script = decode(call.fs.read(path))
        except FSError as exc:
            await call.err(f"{SHELL}: {args[0]}: {_reason(exc)}\n")
            return 127
        sub = call.shell.child()
        return await sub.run(
            script, stdin=call.io.stdin, stdout=call.io.stdout, stderr=call.io.stderr
        )
    script = decode(await call.io.stdin.read())
    sub = call.shell.child()
    return await sub.run(script, stdout=call.io.stdout, stderr=call.io.stderr)


async def id_(call: Call) -> int:
    await call.out(
        "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),"
        "1011(adb),1015(sdcard_rw),1028(sdcard_r),3001(net_bt_admin),3002(net_bt),"
        "3003(inet),3006(net_bw_stats) context=u:r:shell:s0\n"
    )
    return 0


async def whoami(call: Call) -> int:
    await call.out("shell\n")
    return 0


async def basename(call: Call) -> int:
    if len(call.argv) < 2:
        await call.err("basename: Needs 1 argument\n")
        return 1
    await call.out(posixpath.basename(call.argv[1].rstrip("/")) + "\n")
    return 0


async def grep(call: Call) -> int:
    """toybox grep, the common part: -E -F -i -v -c -q -e PATTERN, files or stdin."""
    args = call.argv[1:]
    patterns: list[str] = []
    flags: set[str] = set()
    files: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-e" and i + 1 < len(args):
            patterns.append(args[i + 1])
            i += 2
            continue
        if a.startswith("-") and len(a) > 1:
            bad = set(a[1:]) - set("EFivcqsw")
            if bad:
                await call.err(f"grep: Unknown option '{sorted(bad)[0]}'\n")
                return 2
            flags |= set(a[1:])
        elif not patterns:
            patterns.append(a)
        else:
            files.append(a)
        i += 1
    if not patterns:
        await call.err("grep: Needs 1 argument\n")
        return 2
    try:
        regexes = [
            re.compile(
                re.escape(p) if "F" in flags else _ere(p), re.IGNORECASE if "i" in flags else 0
            )
            for p in patterns
        ]
    except re.error as exc:
        await call.err(f"grep: bad regex: {exc}\n")
        return 2
    sources: list[tuple[str, bytes]] = []
    status = 1
    for f in files or ["-"]:
        if f == "-":
            sources.append((f, await call.io.stdin.read()))
            continue
        try:
            sources.append((f, call.fs.read(call.path(f))))
        except FSError as exc:
            if "s" not in flags:
                await call.err(f"grep: {f}: {_reason(exc)}\n")
            status = 2
    count = 0
    out: list[str] = []
    for name, data in sources:
        for line in decode(data).splitlines():
            hit = any(
                (r.search(line) if "w" not in flags else re.search(rf"\b(?:{r.pattern})\b", line))
                for r in regexes
            )
            if hit != ("v" in flags):
                count += 1
                prefix = f"{name}:" if len(files) > 1 else ""
                out.append(prefix + line + "\n")
    if count:
        status = 0
    if "q" in flags:
        return status
    await call.out(f"{count}\n" if "c" in flags else "".join(out))
    return status


def _ere(pattern: str) -> str:
    """A POSIX ERE in Python's syntax (bracket classes such as [[:digit:]])."""
    classes = {
        "[:digit:]": r"\d", "[:alpha:]": "a-zA-Z", "[:alnum:]": "a-zA-Z0-9",
        "[:space:]": r"\s", "[:upper:]": "A-Z", "[:lower:]": "a-z",
    }  # fmt: skip
    for posix, py in classes.items():
        pattern = pattern.replace(posix, py)
    return pattern


COMMANDS: dict[str, CommandFn] = {
    "echo": echo,
    "cat": cat,
    "rm": rm,
    "touch": touch,
    "mkdir": mkdir,
    "ls": ls,
    "sleep": sleep,
    "true": true,
    "false": false,
    ":": true,
    "exit": exit_,
    "cd": cd,
    "pwd": pwd,
    "sh": sh,
    "id": id_,
    "whoami": whoami,
    "basename": basename,
    "grep": grep,
    "md5sum": md5sum,
}
