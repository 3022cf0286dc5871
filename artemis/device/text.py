"""Text that reaches a device shell: quoting, `input text` encoding and the non-ASCII fallbacks.

Every string from a model goes through `quote()` before it is part of a command line, so the
device shell sees it as one literal word: no expansion, no command substitution, no splitting.

`input text` has rules of its own on top of the shell's (Android's `Input` tool):
- it reads one argument, and a `%s` in it becomes a space, so spaces are sent as `%s`;
- a `%` arms that escape for the next character, so a literal `%` followed by `s` cannot be
  sent in one call: the text is split there and sent in several `input text` calls;
- only what the virtual keyboard map can type (printable ASCII here) gets through.

Anything else (accents, emoji, CJK, newlines) goes through a fallback:
- `clipboard` (default): `am broadcast -a clipper.set -e text TEXT` (the Clipper app,
  ca.zgrs.clipper, which AndroidWorld's image has), then `input keyevent 279` (PASTE);
- `adbkeyboard`: `am broadcast -a ADB_INPUT_B64 --es msg BASE64` (the ADB Keyboard IME,
  com.android.adbkeyboard, must be installed and selected).
"""

from __future__ import annotations

import base64
import shlex

KEYCODE_PASTE = 279
CLIPPER_OK = "result=-1"


def quote(arg: str) -> str:
    """One literal word for a POSIX shell (mksh on Android, the sim's shell)."""
    return shlex.quote(arg)


def command(*args: str | int) -> str:
    """A command line with every argument quoted."""
    return " ".join(quote(str(a)) for a in args)


def typeable(text: str) -> bool:
    """True when `input text` can type all of it: printable ASCII only."""
    return all(" " <= c <= "~" for c in text)


def input_text_chunks(text: str) -> list[str]:
    """Split `text` so no chunk holds a literal `%s`, and encode each for `input text`.

    Decoding each chunk as Android does gives back the chunk: `%` stays `%` unless followed
    by `s`, and an encoded space `%s` becomes ` ` even right after a literal `%` (`%%s`).
    """
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for i in range(1, len(text)):
        if text[i - 1] == "%" and text[i] == "s":
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return [p.replace(" ", "%s") for p in pieces]


def input_text_commands(text: str) -> list[str]:
    """The `input text` command lines that type `text` (printable ASCII)."""
    if not typeable(text):
        raise ValueError("input text can type printable ASCII only; use a fallback")
    return [command("input", "text", chunk) for chunk in input_text_chunks(text)]


def clipper_set_command(text: str) -> str:
    return command("am", "broadcast", "-a", "clipper.set", "-e", "text", text)


def paste_command() -> str:
    return command("input", "keyevent", KEYCODE_PASTE)


def adb_keyboard_command(text: str) -> str:
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return command("am", "broadcast", "-a", "ADB_INPUT_B64", "--es", "msg", encoded)
