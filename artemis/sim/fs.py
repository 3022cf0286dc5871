"""The simulated phone's filesystem: an in-memory tree of files and folders.

Shell builtins (`cat`, `rm`, redirects), the sync service (push and pull) and apps that keep
files (notes, files) all use this one tree. Paths are absolute POSIX paths; `/sdcard` is the
usual place for user files, as on a device.
"""

from __future__ import annotations

import posixpath
import stat as statmod
import time
from dataclasses import dataclass, field


class FSError(OSError):
    """A filesystem operation failed; `str()` is the message a device shell would print."""


@dataclass(slots=True)
class Entry:
    name: str
    mode: int
    mtime: int
    data: bytes = b""
    children: dict[str, Entry] | None = None  # set for folders

    @property
    def is_dir(self) -> bool:
        return self.children is not None

    @property
    def size(self) -> int:
        return 4096 if self.is_dir else len(self.data)


def _now() -> int:
    return int(time.time())


@dataclass
class SimFS:
    root: Entry = field(
        default_factory=lambda: Entry("", statmod.S_IFDIR | 0o755, _now(), children={})
    )

    @staticmethod
    def norm(path: str, cwd: str = "/") -> str:
        return posixpath.normpath(posixpath.join(cwd, path)).replace("//", "/")

    def _parts(self, path: str) -> list[str]:
        return [p for p in self.norm(path).split("/") if p]

    def lookup(self, path: str) -> Entry | None:
        node = self.root
        for part in self._parts(path):
            if node.children is None or part not in node.children:
                return None
            node = node.children[part]
        return node

    def stat(self, path: str) -> Entry | None:
        return self.lookup(path)

    def exists(self, path: str) -> bool:
        return self.lookup(path) is not None

    def is_dir(self, path: str) -> bool:
        e = self.lookup(path)
        return e is not None and e.is_dir

    def mkdir(self, path: str, *, parents: bool = True, mode: int = 0o771) -> Entry:
        node = self.root
        for part in self._parts(path):
            assert node.children is not None
            child = node.children.get(part)
            if child is None:
                if not parents:
                    raise FSError(f"{path}: No such file or directory")
                child = Entry(part, statmod.S_IFDIR | mode, _now(), children={})
                node.children[part] = child
            elif not child.is_dir:
                raise FSError(f"{path}: Not a directory")
            node = child
        return node

    def _parent(self, path: str) -> tuple[Entry, str]:
        norm = self.norm(path)
        parent_path, name = posixpath.split(norm)
        if not name:
            raise FSError(f"{path}: Is a directory")
        parent = self.lookup(parent_path)
        if parent is None or not parent.is_dir:
            raise FSError(f"{path}: No such file or directory")
        return parent, name

    def read(self, path: str) -> bytes:
        e = self.lookup(path)
        if e is None:
            raise FSError(f"{path}: No such file or directory")
        if e.is_dir:
            raise FSError(f"{path}: Is a directory")
        return e.data

    def write(
        self,
        path: str,
        data: bytes,
        *,
        append: bool = False,
        mode: int = 0o660,
        mtime: int | None = None,
        make_parents: bool = False,
    ) -> None:
        if make_parents:
            self.mkdir(posixpath.dirname(self.norm(path)))
        parent, name = self._parent(path)
        assert parent.children is not None
        e = parent.children.get(name)
        if e is not None and e.is_dir:
            raise FSError(f"{path}: Is a directory")
        if e is None:
            e = Entry(name, statmod.S_IFREG | (mode & 0o7777), _now())
            parent.children[name] = e
        e.data = e.data + data if append else bytes(data)
        e.mtime = mtime if mtime is not None else _now()

    def remove(self, path: str, *, recursive: bool = False) -> None:
        parent, name = self._parent(path)
        assert parent.children is not None
        e = parent.children.get(name)
        if e is None:
            raise FSError(f"{path}: No such file or directory")
        if e.is_dir and not recursive:
            raise FSError(f"{path}: Is a directory")
        del parent.children[name]

    def rename(self, src: str, dst: str) -> None:
        sp, sname = self._parent(src)
        assert sp.children is not None
        e = sp.children.get(sname)
        if e is None:
            raise FSError(f"{src}: No such file or directory")
        target = self.lookup(dst)
        if target is not None and target.is_dir:
            dst = posixpath.join(self.norm(dst), sname)
        dp, dname = self._parent(dst)
        assert dp.children is not None
        del sp.children[sname]
        e.name = dname
        dp.children[dname] = e

    def listdir(self, path: str) -> list[Entry]:
        e = self.lookup(path)
        if e is None:
            raise FSError(f"{path}: No such file or directory")
        if e.children is None:
            return [e]
        return sorted(e.children.values(), key=lambda c: c.name)

    def snapshot(self) -> dict[str, object]:
        """A JSON-able copy of the tree (file contents as latin-1 text)."""

        def dump(e: Entry) -> dict[str, object]:
            if e.children is not None:
                return {
                    "mode": e.mode,
                    "mtime": e.mtime,
                    "children": {k: dump(v) for k, v in e.children.items()},
                }
            return {"mode": e.mode, "mtime": e.mtime, "data": e.data.decode("latin-1")}

        return dump(self.root)

    @classmethod
    def from_snapshot(cls, snap: dict[str, object]) -> SimFS:
        def load(name: str, d: dict[str, object]) -> Entry:
            mode = int(d["mode"])  # type: ignore[call-overload]
            mtime = int(d["mtime"])  # type: ignore[call-overload]
            if "children" in d:
                kids = d["children"]
                assert isinstance(kids, dict)
                return Entry(name, mode, mtime, children={k: load(k, v) for k, v in kids.items()})
            data = d["data"]
            assert isinstance(data, str)
            return Entry(name, mode, mtime, data=data.encode("latin-1"))

        return cls(load("", snap))
