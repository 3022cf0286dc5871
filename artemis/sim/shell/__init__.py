"""The simulated phone's shell: a small sh interpreter whose commands act on the phone.

`new_shell(ctx)` gives a `Shell` with every command a client of the phone uses: files
(`cat`, `rm`, `echo`, `sleep`, redirects), input and screen (`input`, `screencap`,
`uiautomator dump`) and system tools (`getprop`, `wm`, `dumpsys`, `settings`, `svc`, `am`,
`monkey`, `pm`, `cmd`). An unknown command answers as a device does, exit status 127.
"""

from __future__ import annotations

from artemis.sim.context import SimContext
from artemis.sim.shell import builtins, screen_cmds, system_cmds
from artemis.sim.shell.interp import Call, CommandFn, Shell
from artemis.sim.shell.syntax import ShellSyntaxError, parse

COMMANDS: dict[str, CommandFn] = {
    **builtins.COMMANDS,
    **screen_cmds.COMMANDS,
    **system_cmds.COMMANDS,
}


def new_shell(ctx: SimContext) -> Shell:
    return Shell(ctx, COMMANDS)


__all__ = ["COMMANDS", "Call", "CommandFn", "Shell", "ShellSyntaxError", "new_shell", "parse"]
