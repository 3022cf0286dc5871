"""Android's system tools: getprop, wm, dumpsys, settings, svc, am, monkey, pm/cmd, reboot."""

from __future__ import annotations

import base64
import binascii

from artemis.sim.shell.interp import Call, CommandFn
from artemis.sim.windows import full_activity

#: What `am broadcast` answers for the text-input helpers the sim understands.
CLIPPER_SET = "clipper.set"
CLIPPER_GET = "clipper.get"
ADB_INPUT_TEXT = "ADB_INPUT_TEXT"
ADB_INPUT_B64 = "ADB_INPUT_B64"


async def getprop(call: Call) -> int:
    args = call.argv[1:]
    phone = call.ctx.phone
    if not args:
        props = await call.ctx.call(phone.all_props)
        await call.out("".join(f"[{k}]: [{v}]\n" for k, v in sorted(props.items())))
        return 0
    value = await call.ctx.call(phone.getprop, args[0])
    if value is None:
        value = args[1] if len(args) > 1 else ""
    await call.out(value + "\n")
    return 0


async def wm(call: Call) -> int:
    args = call.argv[1:]
    phone = call.ctx.phone
    if args[:1] == ["size"]:
        if len(args) == 1:
            out = f"Physical size: {phone.width}x{phone.height}\n"
            if call.ctx.size_override is not None:
                w, h = call.ctx.size_override
                out += f"Override size: {w}x{h}\n"
            await call.out(out)
            return 0
        if args[1] == "reset":
            call.ctx.size_override = None
            return 0
        w_text, sep, h_text = args[1].partition("x")
        if sep and w_text.isdigit() and h_text.isdigit():
            call.ctx.size_override = (int(w_text), int(h_text))
            return 0
        await call.err(f"Error: bad size {args[1]}\n")
        return 255
    if args[:1] == ["density"]:
        await call.out("Physical density: 420\n")
        return 0
    await call.err("usage: wm [subcommand] [options]\n       wm size [reset|WxH|WdpxHdp]\n")
    return 255


async def dumpsys(call: Call) -> int:
    args = call.argv[1:]
    service = args[0] if args else ""
    windows = call.ctx.windows
    if service == "window":
        section = args[1] if len(args) > 1 else None
        await call.out(await call.ctx.call(windows.dumpsys_window, call.ctx.phone, section))
        return 0
    if service == "activity":
        await call.out(await call.ctx.call(windows.dumpsys_activities, call.ctx.phone))
        return 0
    await call.err(f"Can't find service: {service}\n")
    return 0


async def settings(call: Call) -> int:
    args = call.argv[1:]
    if len(args) >= 2 and args[0] == "--user":
        args = args[2:]
    phone = call.ctx.phone
    usage = "usage:  settings [--user <USER_ID> | current] get namespace key\n"
    if len(args) < 3 or args[0] not in ("get", "put") or (args[0] == "put" and len(args) < 4):
        await call.err(usage)
        return 255
    verb, namespace, key = args[0], args[1], args[2]
    if namespace not in ("system", "secure", "global"):
        await call.err(f"Invalid namespace '{namespace}'\n{usage}")
        return 255
    if verb == "get":
        value = await call.ctx.call(phone.settings_get, namespace, key)
        await call.out(("null" if value is None else value) + "\n")
    else:
        await call.ctx.call(phone.settings_put, namespace, key, args[3])
    return 0


async def svc(call: Call) -> int:
    args = call.argv[1:]
    if args[:1] == ["wifi"] and len(args) == 2 and args[1] in ("enable", "disable"):
        await call.ctx.call(call.ctx.phone.set_wifi, args[1] == "enable")
        return 0
    await call.err(
        "Control the Wi-Fi manager\n\nusage: svc wifi [enable|disable]\n"
        "         Turn Wi-Fi on or off.\n"
    )
    return 1


def _intent_extras(args: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Options and string extras of an `am` intent (`-e/--es KEY VALUE`, others skipped)."""
    opts: dict[str, str] = {}
    extras: dict[str, str] = {}
    i = 0
    with_value = {"-a", "-n", "-c", "-d", "-t", "-f", "-p", "--user"}
    typed_extra = {"--ei", "--el", "--ez", "--ef", "--eu", "--ecn", "--eia", "--esa"}
    while i < len(args):
        a = args[i]
        if (a in ("-e", "--es") or a in typed_extra) and i + 2 < len(args):
            extras[args[i + 1]] = args[i + 2]
            i += 3
        elif a in with_value and i + 1 < len(args):
            opts[a] = args[i + 1]
            i += 2
        elif a.startswith("-"):
            i += 1
        else:
            opts.setdefault("target", a)
            i += 1
    return opts, extras


def _intent_text(opts: dict[str, str], extras: dict[str, str]) -> str:
    parts = []
    if "-a" in opts:
        parts.append(f"act={opts['-a']}")
    if "-c" in opts:
        parts.append(f"cat=[{opts['-c']}]")
    if "-n" in opts:
        parts.append(f"cmp={opts['-n']}")
    parts.append("flg=0x400000")
    if extras:
        parts.append("(has extras)")
    return "Intent { " + " ".join(parts) + " }"


async def _broadcast(call: Call, args: list[str]) -> int:
    opts, extras = _intent_extras(args)
    action = opts.get("-a", "")
    await call.out(f"Broadcasting: {_intent_text(opts, extras)}\n")
    ctx = call.ctx
    if action == CLIPPER_SET and "text" in extras:
        await ctx.call(ctx.phone.set_clipboard, extras["text"])
        await call.out('Broadcast completed: result=-1, data="Text is copied into clipboard."\n')
        return 0
    if action == CLIPPER_GET:
        text = await ctx.call(ctx.phone.get_clipboard)
        await call.out(f'Broadcast completed: result=-1, data="{text}"\n')
        return 0
    if action in (ADB_INPUT_TEXT, ADB_INPUT_B64) and "msg" in extras:
        text = extras["msg"]
        if action == ADB_INPUT_B64:
            try:
                text = base64.b64decode(text, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                text = ""
        if text:
            await ctx.call(ctx.phone.input_text, text)
    await call.out("Broadcast completed: result=0\n")
    return 0


async def am(call: Call) -> int:
    args = call.argv[1:]
    if not args:
        await call.err("Activity manager (activity) commands:\n  help\n  start\n  broadcast\n")
        return 1
    verb, rest = args[0], args[1:]
    phone = call.ctx.phone
    if verb in ("start", "start-activity"):
        opts, extras = _intent_extras(rest)
        await call.out(f"Starting: {_intent_text(opts, extras)}\n")
        if "-n" in opts:
            package, _, activity = opts["-n"].partition("/")
            if not activity:
                await call.err(f"Error: Bad component name: {opts['-n']}\n")
                return 1
            if await call.ctx.call(phone.start_activity, package, activity):
                return 0
            full = full_activity(package, activity)
            await call.err(
                f"Error type 3\nError: Activity class {{{package}/{full}}} does not exist.\n"
            )
            return 1
        if opts.get("-c") == "android.intent.category.HOME":
            await call.ctx.call(phone.keyevent, 3)
            return 0
        await call.err("Error: Activity not started, unable to resolve Intent\n")
        return 1
    if verb == "force-stop" and rest:
        await call.ctx.call(phone.force_stop, rest[-1])
        return 0
    if verb == "broadcast":
        return await _broadcast(call, rest)
    await call.err(f"Error: Unknown command: {verb}\n")
    return 1


async def monkey(call: Call) -> int:
    args = call.argv[1:]
    # The monkey wrapper script echoes its arguments to stderr, then the tool to stdout.
    await call.err("".join(f"  bash arg: {a}\n" for a in args))
    lines = ["args: [" + ", ".join(args) + "]\n"]
    lines.extend(f' arg: "{a}"\n' for a in args)
    packages: list[str] = []
    i = 0
    count = None
    while i < len(args):
        a = args[i]
        if a in ("-p", "-c", "--throttle", "-s", "--pct-touch") and i + 1 < len(args):
            if a == "-p":
                packages.append(args[i + 1])
            lines.append(f'data="{args[i + 1]}"\n')
            i += 2
        elif a.isdigit():
            count = int(a)
            i += 1
        else:
            i += 1
    await call.out("".join(lines))
    if count is None:
        await call.err("** Error: Count not specified\n")
        return 1
    installed = await call.ctx.call(call.ctx.phone.packages)
    targets = [p for p in packages if p in installed] if packages else []
    if not targets:
        await call.err("** No activities found to run, monkey aborted.\n")
        return 252
    launched = 0
    for _ in range(min(count, 1) if count else 0):
        if await call.ctx.call(call.ctx.phone.launch, targets[0]):
            launched += 1
    await call.out(
        f"Events injected: {launched}\n"
        "## Network stats: elapsed time=12ms (0ms mobile, 0ms wifi, 12ms not connected)\n"
    )
    return 0


async def _list_packages(call: Call, args: list[str]) -> int:
    filters = [a for a in args if not a.startswith("-")]
    names = await call.ctx.call(call.ctx.phone.packages)
    chosen = [n for n in names if not filters or filters[0] in n]
    await call.out("".join(f"package:{n}\n" for n in chosen))
    return 0


async def pm(call: Call) -> int:
    args = call.argv[1:]
    if args[:2] == ["list", "packages"]:
        return await _list_packages(call, args[2:])
    await call.err("usage: pm list packages [FILTER]\n")
    return 1


async def cmd(call: Call) -> int:
    args = call.argv[1:]
    if args[:3] == ["package", "list", "packages"]:
        return await _list_packages(call, args[3:])
    if args[:1] == ["input"]:
        from artemis.sim.shell.screen_cmds import input_

        return await input_(Call(["input", *args[1:]], call.io, call.shell))
    service = args[0] if args else ""
    await call.err(f"cmd: Can't find service: {service}\n")
    return 20


async def reboot(call: Call) -> int:
    call.ctx.reboots += 1
    return 0


COMMANDS: dict[str, CommandFn] = {
    "getprop": getprop,
    "wm": wm,
    "dumpsys": dumpsys,
    "settings": settings,
    "svc": svc,
    "am": am,
    "monkey": monkey,
    "pm": pm,
    "cmd": cmd,
    "reboot": reboot,
}
