"""Files tasks: a confirmed delete (in a folder below the fold), a rename that needs the name
cleared, move and copy through the folder picker, and a new folder."""

from __future__ import annotations

import posixpath
import random
from collections.abc import Sequence
from typing import Literal

from artemis.bench.simworld.ops import Find, Launch, LongPressOn, Op, tap, type_into
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask
from artemis.bench.simworld.tasks.common import FILES, drop_path, pick
from artemis.sim.phone import Phone

SDCARD = "/sdcard"
NAMES = (
    "old_statement.pdf",
    "concert_tickets.pdf",
    "holiday_photo.jpg",
    "meeting_audio.m4a",
    "lease_2024.pdf",
    "scan_0042.png",
)


def _files(phone: Phone) -> dict[str, bytes]:
    """The user's files in /sdcard's folders. Files at the top of /sdcard are left out:
    tools write there (`uiautomator dump` leaves /sdcard/window_dump.xml)."""
    return {p: phone.fs.read(p) for p in phone.file_paths(SDCARD) if posixpath.dirname(p) != SDCARD}


def _put(phone: Phone, path: str, data: bytes) -> None:
    phone.fs.write(path, data, make_parents=True)


def _select(folder: str, name: str) -> list[Op]:
    return [Launch("Files"), tap(folder), LongPressOn(Find(text=name))]


class InFolder(Params):
    name: str
    folder: str


@template
class FilesDelete(SimTask[InFolder]):
    template = 'Delete the file "{name}" from the {folder} folder.'
    apps = (FILES,)
    kinds = ("delete", "navigation")
    traps = ("confirm_dialog", "below_fold")
    complexity = 1.2
    params_type = InFolder

    @classmethod
    def random_params(cls, rng: random.Random) -> InFolder:
        return InFolder(name=pick(rng, NAMES), folder="Ringtones")

    def setup(self, phone: Phone) -> None:
        self.path = f"{SDCARD}/{self.params.folder}/{self.params.name}"
        _put(phone, self.path, b"\x00" * 2048)
        self.before = _files(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        after = _files(phone)
        return self.path not in after and after == {
            p: d for p, d in self.before.items() if p != self.path
        }

    def solution(self) -> Sequence[Op]:
        return [
            *_select(self.params.folder, self.params.name),
            tap(desc="Delete"),
            tap("Delete", rid="button1"),
        ]


class Renaming(Params):
    old: str
    new: str


@template
class FilesRename(SimTask[Renaming]):
    template = 'In the Documents folder, rename the file "{old}" to "{new}".'
    apps = (FILES,)
    kinds = ("edit", "navigation")
    traps = ("clear_field",)
    complexity = 1.2
    params_type = Renaming

    @classmethod
    def random_params(cls, rng: random.Random) -> Renaming:
        old, new = rng.sample(("notes_draft.txt", "budget.csv", "letter.txt", "plan.txt"), 2)
        return Renaming(old=old, new=new.replace(".", "_final."))

    def setup(self, phone: Phone) -> None:
        self.data = f"Contents of {self.params.old}\n".encode()
        _put(phone, f"{SDCARD}/Documents/{self.params.old}", self.data)
        self.before = _files(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        old = f"{SDCARD}/Documents/{self.params.old}"
        new = f"{SDCARD}/Documents/{self.params.new}"
        want = {p: d for p, d in self.before.items() if p != old}
        want[new] = self.data
        return _files(phone) == want

    def solution(self) -> Sequence[Op]:
        return [
            *_select("Documents", self.params.old),
            tap(desc="More options"),
            tap("Rename"),
            type_into(Find(rid="rename_text"), self.params.new, clear=True),
            tap("OK"),
        ]


class Transfer(Params):
    name: str
    dest: str
    mode: Literal["Move", "Copy"]


class _Transfer(SimTask[Transfer]):
    params_type = Transfer
    apps = (FILES,)
    kinds = ("navigation",)
    complexity = 1.5

    @classmethod
    def random_params(cls, rng: random.Random) -> Transfer:
        mode: Literal["Move", "Copy"] = "Move" if cls.__name__ == "FilesMove" else "Copy"
        dest = pick(rng, ("Documents", "Pictures", "Music", "Podcasts", "Ringtones"))
        return Transfer(name=pick(rng, NAMES), dest=dest, mode=mode)

    def setup(self, phone: Phone) -> None:
        self.src = f"{SDCARD}/Download/{self.params.name}"
        self.dst = f"{SDCARD}/{self.params.dest}/{self.params.name}"
        self.data = f"{self.params.name} bytes".encode()
        drop_path(phone, self.dst)
        _put(phone, self.src, self.data)
        self.before = _files(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        want = dict(self.before)
        if self.params.mode == "Move":
            del want[self.src]
        want[self.dst] = self.data
        return _files(phone) == want

    def solution(self) -> Sequence[Op]:
        p = self.params
        return [
            *_select("Download", p.name),
            tap(desc="More options"),
            tap(f"{p.mode} to…"),
            tap(p.dest),
            tap(p.mode, rid="button1"),
        ]


@template
class FilesMove(_Transfer):
    template = 'Move "{name}" from the Download folder to the {dest} folder.'


@template
class FilesCopy(_Transfer):
    template = 'Copy "{name}" from the Download folder into the {dest} folder.'


class NewFolder(Params):
    folder: str
    parent: str


@template
class FilesNewFolder(SimTask[NewFolder]):
    template = 'Create a folder named "{folder}" inside the {parent} folder.'
    apps = (FILES,)
    kinds = ("form", "navigation")
    complexity = 1.2
    params_type = NewFolder

    @classmethod
    def random_params(cls, rng: random.Random) -> NewFolder:
        return NewFolder(
            folder=pick(rng, ("Receipts", "Taxes 2025", "Wallpapers", "Scans")),
            parent=pick(rng, ("Documents", "Pictures", "Download")),
        )

    def setup(self, phone: Phone) -> None:
        self.path = posixpath.join(SDCARD, self.params.parent, self.params.folder)
        drop_path(phone, self.path)
        self.before = _files(phone)

    def check(self, phone: Phone, answer: str | None) -> bool:
        return phone.fs.is_dir(self.path) and _files(phone) == self.before

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Files"),
            tap(self.params.parent),
            tap(desc="More options"),
            tap("New folder"),
            type_into(Find(rid="new_folder_name"), self.params.folder),
            tap("OK"),
        ]
