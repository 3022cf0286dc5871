"""Android's input and screen tools: `input`, `screencap`, `uiautomator dump`."""

from __future__ import annotations

import asyncio

from artemis.sim.fs import FSError
from artemis.sim.screencap import black_frame
from artemis.sim.shell.interp import Call, CommandFn

KEYCODES: dict[str, int] = {
    "UNKNOWN": 0, "SOFT_LEFT": 1, "SOFT_RIGHT": 2, "HOME": 3, "BACK": 4, "CALL": 5,
    "ENDCALL": 6, "STAR": 17, "POUND": 18, "DPAD_UP": 19, "DPAD_DOWN": 20, "DPAD_LEFT": 21,
    "DPAD_RIGHT": 22, "DPAD_CENTER": 23, "VOLUME_UP": 24, "VOLUME_DOWN": 25, "POWER": 26,
    "CAMERA": 27, "CLEAR": 28, "COMMA": 55, "PERIOD": 56, "ALT_LEFT": 57, "ALT_RIGHT": 58,
    "SHIFT_LEFT": 59, "SHIFT_RIGHT": 60, "TAB": 61, "SPACE": 62, "SYM": 63, "EXPLORER": 64,
    "ENVELOPE": 65, "ENTER": 66, "DEL": 67, "GRAVE": 68, "MINUS": 69, "EQUALS": 70,
    "LEFT_BRACKET": 71, "RIGHT_BRACKET": 72, "BACKSLASH": 73, "SEMICOLON": 74,
    "APOSTROPHE": 75, "SLASH": 76, "AT": 77, "NUM": 78, "HEADSETHOOK": 79, "FOCUS": 80,
    "PLUS": 81, "MENU": 82, "NOTIFICATION": 83, "SEARCH": 84, "PAGE_UP": 92, "PAGE_DOWN": 93,
    "ESCAPE": 111, "FORWARD_DEL": 112, "CTRL_LEFT": 113, "CTRL_RIGHT": 114,
    "MOVE_HOME": 122, "MOVE_END": 123, "SLEEP": 223, "WAKEUP": 224, "APP_SWITCH": 187,
    "PASTE": 279, "COPY": 278, "CUT": 277,
}  # fmt: skip
KEYCODES.update({str(d): 7 + d for d in range(10)})
KEYCODES.update({chr(ord("A") + i): 29 + i for i in range(26)})

_SOURCES = {
    "keyboard", "mouse", "joystick", "touchnavigation", "touchpad", "trackball", "stylus",
    "dpad", "gesture", "touchscreen", "gamepad", "rotaryencoder",
}  # fmt: skip

INPUT_USAGE = """Usage: input [<source>] [-d DISPLAY_ID] <command> [<arg>...]

The sources are:
      dpad
      keyboard
      mouse
      touchpad
      gamepad
      touchnavigation
      joystick
      touchscreen
      stylus
      trackball

-d: specify the display ID.
      (Default: -1 for key event, 0 for motion event if not specified.)
The commands and default sources are:
      text <string> (Default: touchscreen)
      keyevent [--longpress|--doubletap] <key code number or name> ... (Default: keyboard)
      tap <x> <y> (Default: touchscreen)
      swipe <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)
      draganddrop <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)
      press (Default: trackball)
      roll <dx> <dy> (Default: trackball)
"""


class _Usage(Exception):
    pass


def decode_input_text(text: str) -> str:
    """What Android's `input text` makes of its argument: each `%s` becomes a space.

    The rule is the device's: a `%` arms an escape, and the next character, if it is `s`,
    turns into a space and eats the `%`. So `%%s` gives `% `, and a literal `%s` cannot be typed.
    """
    buf = list(text)
    escape = False
    i = 0
    while i < len(buf):
        if escape:
            escape = False
            if buf[i] == "s":
                buf[i] = " "
                del buf[i - 1]
                i -= 1
        if buf[i] == "%":
            escape = True
        i += 1
    return "".join(buf)


def typeable(ch: str) -> bool:
    """Characters the virtual keyboard map can type: printable ASCII, tab and newline."""
    return ch in "\t\n" or " " <= ch <= "~"


def _coord(text: str) -> int:
    try:
        return round(float(text))
    except ValueError as exc:
        raise _Usage from exc


def _keycode(name: str) -> int:
    if name.lstrip("-").isdigit():
        return int(name)
    key = name.upper()
    key = key.removeprefix("KEYCODE_")
    return KEYCODES.get(key, 0)


async def input_(call: Call) -> int:
    args = call.argv[1:]
    if args and args[0] in _SOURCES:
        args = args[1:]
    if len(args) >= 2 and args[0] == "-d":
        args = args[2:]
    if not args:
        await call.err(INPUT_USAGE)
        return 1
    command, rest = args[0], args[1:]
    phone = call.ctx.phone
    try:
        if command == "text":
            if not rest:
                raise _Usage
            text = decode_input_text(rest[0])
            if not all(typeable(c) for c in text):
                await call.err(
                    "Exception occurred while executing 'text':\n"
                    "java.lang.NullPointerException: Attempt to get length of null array\n"
                )
                return 255
            await call.ctx.call(phone.input_text, text)
        elif command == "keyevent":
            longpress = bool(rest) and rest[0] in ("--longpress", "--doubletap")
            double = bool(rest) and rest[0] == "--doubletap"
            codes = rest[1:] if longpress else rest
            if not codes:
                raise _Usage
            for name in codes:
                code = _keycode(name)
                for _ in range(2 if double else 1):
                    await call.ctx.call(phone.keyevent, code, longpress=longpress and not double)
        elif command == "tap":
            if len(rest) != 2:
                raise _Usage
            await call.ctx.call(phone.tap, _coord(rest[0]), _coord(rest[1]))
        elif command in ("swipe", "draganddrop"):
            if len(rest) not in (4, 5):
                raise _Usage
            x1, y1, x2, y2 = (_coord(v) for v in rest[:4])
            default = 300 if command == "swipe" else 1000
            duration = _coord(rest[4]) if len(rest) == 5 else default
            if duration < 0:
                duration = default
            fn = phone.swipe if command == "swipe" else phone.drag_and_drop
            await call.ctx.call(fn, x1, y1, x2, y2, duration)
        elif command in ("press", "roll"):
            return 0
        else:
            await call.err(f"Error: Unknown command: {command}\n{INPUT_USAGE}")
            return 1
    except _Usage:
        await call.err(f"Error: Invalid arguments for command: {command}\n{INPUT_USAGE}")
        return 1
    return 0


SCREENCAP_USAGE = """usage: screencap [-hp] [-d display-id] [FILENAME]
   -h: this message
   -p: save the file as a png.
   -d: specify the physical display ID to capture (default: 0)
If FILENAME ends with .png it will be saved as a png.
If FILENAME is not given, the results will be printed to stdout.
"""


async def screencap(call: Call) -> int:
    png = False
    target: str | None = None
    args = call.argv[1:]
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-p":
            png = True
        elif a == "-d":
            i += 1
        elif a.startswith("-"):
            await call.err(SCREENCAP_USAGE)
            return 1
        else:
            target = a
        i += 1
    if target is not None and target.endswith(".png"):
        png = True
    phone = call.ctx.phone
    windows = call.ctx.windows
    package, _ = await call.ctx.call(phone.foreground)
    if not windows.is_secure(package):
        data = await call.ctx.call_heavy(phone.screencap_png if png else phone.screencap_raw)
    elif windows.capture == "empty":  # some builds capture nothing at all
        data = b""
    else:
        data = await asyncio.to_thread(black_frame, phone.width, phone.height, png)
    if target is None:
        await call.out(data)
        return 0
    try:
        call.fs.write(call.path(target), data)
    except FSError as exc:
        await call.err(f"Error opening file: {target} ({str(exc).rsplit(': ', 1)[-1]})\n")
        return 1
    return 0


UIAUTOMATOR_USAGE = """Usage: uiautomator <subcommand> [options]

Available subcommands:

help: displays help message

dump: creates an XML dump of current UI hierarchy
    dump [--verbose][file]
      [--compressed]: dumps compressed layout information.
      [file]: the location where the dumped XML should be stored, default is
      /sdcard/window_dump.xml

events: prints out accessibility events until terminated
"""

DEFAULT_DUMP = "/sdcard/window_dump.xml"


async def uiautomator(call: Call) -> int:
    args = call.argv[1:]
    if not args or args[0] != "dump":
        await call.err(UIAUTOMATOR_USAGE)
        return 0 if args and args[0] == "help" else 1
    files = [a for a in args[1:] if not a.startswith("--")]
    target = files[0] if files else DEFAULT_DUMP
    if call.ctx.faults.take_uidump_failure():
        await call.err("ERROR: could not get idle state.\n")
        return 0
    xml = await call.ctx.call_heavy(call.ctx.phone.ui_xml)
    path = call.path(target)
    try:
        call.fs.write(path, xml.encode("utf-8"))
    except FSError as exc:
        await call.err(f"ERROR: could not write {path}: {str(exc).rsplit(': ', 1)[-1]}\n")
        return 1
    await call.out(f"UI hierchary dumped to: {path}\n")
    return 0


COMMANDS: dict[str, CommandFn] = {
    "input": input_,
    "screencap": screencap,
    "uiautomator": uiautomator,
}
