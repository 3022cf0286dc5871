"""File operations shared by Markor and Files: listing, naming rules, copy, sizes and dates."""

from __future__ import annotations

import posixpath

from artemis.sim.apps.formats import fmt_date
from artemis.sim.fs import Entry, FSError, SimFS
from artemis.sim.simtime import from_epoch

ICONS = {
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "gif": "image",
    "webp": "image",
    "mp3": "music",
    "m4a": "music",
    "wav": "music",
    "ogg": "music",
    "mp4": "video",
    "mkv": "video",
    "webm": "video",
    "md": "note",
    "txt": "note",
}
TEXT_EXTENSIONS = ("md", "txt", "csv", "json", "log")


def listing(fs: SimFS, path: str) -> tuple[list[Entry], list[Entry]]:
    """(folders, files) in a folder, each sorted by name case-insensitively; empty if missing."""
    if not fs.is_dir(path):
        return [], []
    entries = fs.listdir(path)
    key = lambda e: e.name.casefold()  # noqa: E731
    folders = sorted((e for e in entries if e.is_dir), key=key)
    files = sorted((e for e in entries if not e.is_dir), key=key)
    return folders, files


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].casefold() if "." in name.strip(".") else ""


def icon_for(e: Entry) -> str:
    return "folder" if e.is_dir else ICONS.get(extension(e.name), "file")


def human_size(n: int) -> str:
    """Sizes as Android writes them (SI units)."""
    if n < 1000:
        return f"{n} B"
    value = float(n)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000 or unit == "GB":
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{n} B"


def modified(e: Entry) -> str:
    return fmt_date(from_epoch(e.mtime).date())


def name_error(fs: SimFS, folder: str, name: str, *, current: str = "") -> str:
    """Why `name` cannot be used in `folder`, or "" when it can."""
    name = name.strip()
    if not name:
        return "Enter a name"
    if "/" in name or name in (".", ".."):
        return "Names cannot contain /"
    if name != current and fs.exists(posixpath.join(folder, name)):
        return f'"{name}" already exists'
    return ""


def copy_tree(fs: SimFS, src: str, dst: str, mtime: int) -> None:
    e = fs.lookup(src)
    if e is None:
        raise FSError(f"{src}: No such file or directory")
    if e.is_dir:
        fs.mkdir(dst).mtime = mtime
        for child in fs.listdir(src):
            copy_tree(fs, posixpath.join(src, child.name), posixpath.join(dst, child.name), mtime)
    else:
        fs.write(dst, e.data, mtime=mtime)


def inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies below it."""
    p, f = SimFS.norm(path), SimFS.norm(folder)
    return p == f or p.startswith(f.rstrip("/") + "/")
