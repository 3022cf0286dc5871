"""Markor tasks: a new note, appending a line, a confirmed delete, a rename that needs the
name cleared, a folder, and a question about a note's content."""

from __future__ import annotations

import posixpath
import random
from collections.abc import Sequence

from artemis.bench.simworld.ops import (
    Find,
    Launch,
    LongPressOn,
    Op,
    PressKey,
    Remember,
    Reply,
    tap,
    type_into,
)
from artemis.bench.simworld.registry import template
from artemis.bench.simworld.task import Params, SimTask, same_text
from artemis.bench.simworld.tasks.common import MARKOR, drop_path, pick
from artemis.sim.phone import Phone
from artemis.sim.state import NOTES_DIR

EDITOR = Find(rid="document__fragment__edit__highlighting_editor")
TOPICS = ("Trip plan", "Book ideas", "Garden", "Birthday gifts", "Workout log", "Packing list")
LINES = (
    "Buy sunscreen",
    "Call the landlord",
    "Pick up dry cleaning",
    "Book the campsite",
    "Water the tomatoes",
    "Renew the library card",
)


def put_note(phone: Phone, name: str, text: str) -> None:
    phone.fs.write(f"{NOTES_DIR}/{name}", text.encode(), make_parents=True)


def _others(phone: Phone, name: str) -> dict[str, str]:
    return {k: v for k, v in phone.notes().items() if k != name}


class NewNote(Params):
    name: str
    text: str


@template
class MarkorCreateNote(SimTask[NewNote]):
    template = 'In Markor, create a note named "{name}" that says "{text}".'
    apps = (MARKOR,)
    kinds = ("form",)
    complexity = 1.2
    params_type = NewNote

    @classmethod
    def random_params(cls, rng: random.Random) -> NewNote:
        return NewNote(name=f"{pick(rng, TOPICS)}.md", text=pick(rng, LINES))

    def setup(self, phone: Phone) -> None:
        drop_path(phone, f"{NOTES_DIR}/{self.params.name}")
        self.others = _others(phone, self.params.name)

    def check(self, phone: Phone, answer: str | None) -> bool:
        text = phone.notes().get(self.params.name)
        return (
            text is not None
            and text.strip() == self.params.text
            and _others(phone, self.params.name) == self.others
        )

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Markor"),
            tap(desc="Create a new file"),
            type_into(Find(rid="new_file_dialog__name"), self.params.name),
            tap("OK"),
            type_into(EDITOR, self.params.text),
            tap(desc="Save"),
        ]


class Append(Params):
    note: str
    line: str


@template
class MarkorAppendLine(SimTask[Append]):
    template = 'Add the line "{line}" at the end of the Markor note "{note}".'
    apps = (MARKOR,)
    kinds = ("edit",)
    complexity = 1.2
    params_type = Append

    @classmethod
    def random_params(cls, rng: random.Random) -> Append:
        return Append(note="To do.md", line=pick(rng, LINES))

    def setup(self, phone: Phone) -> None:
        self.original = "# To do\n\n- Answer emails\n- Fix the bike\n"
        put_note(phone, self.params.note, self.original)
        self.others = _others(phone, self.params.note)

    def check(self, phone: Phone, answer: str | None) -> bool:
        text = phone.notes().get(self.params.note, "")
        head, _, last = text.rstrip().rpartition("\n")
        return (
            last.strip() == self.params.line
            and head.rstrip() == self.original.rstrip()
            and _others(phone, self.params.note) == self.others
        )

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Markor"),
            tap(self.params.note),
            tap(rid="document__fragment__edit__highlighting_editor"),
            PressKey("enter", "Start a new line at the end of the note."),
            type_into(EDITOR, self.params.line),
            tap(desc="Save"),
        ]


class NoteName(Params):
    note: str


@template
class MarkorDeleteNote(SimTask[NoteName]):
    template = 'Delete the note "{note}" in Markor.'
    apps = (MARKOR,)
    kinds = ("delete",)
    traps = ("confirm_dialog",)
    params_type = NoteName

    @classmethod
    def random_params(cls, rng: random.Random) -> NoteName:
        return NoteName(note=pick(rng, ("Old receipts.txt", "Draft.md", "Scratch.md")))

    def setup(self, phone: Phone) -> None:
        put_note(phone, self.params.note, "Nothing important.\n")
        self.others = _others(phone, self.params.note)

    def check(self, phone: Phone, answer: str | None) -> bool:
        notes = phone.notes()
        return self.params.note not in notes and _others(phone, self.params.note) == self.others

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Markor"),
            LongPressOn(Find(text=self.params.note)),
            tap(desc="Delete"),
            tap("OK"),
        ]


class Renaming(Params):
    old: str
    new: str


@template
class MarkorRenameNote(SimTask[Renaming]):
    template = 'Rename the Markor note "{old}" to "{new}".'
    apps = (MARKOR,)
    kinds = ("edit",)
    traps = ("clear_field",)
    complexity = 1.2
    params_type = Renaming

    @classmethod
    def random_params(cls, rng: random.Random) -> Renaming:
        old, new = rng.sample(TOPICS, 2)
        return Renaming(old=f"{old}.md", new=f"{new}.md")

    def setup(self, phone: Phone) -> None:
        self.text = f"# {posixpath.splitext(self.params.old)[0]}\n\nSome notes.\n"
        put_note(phone, self.params.old, self.text)
        drop_path(phone, f"{NOTES_DIR}/{self.params.new}")
        self.others = _others(phone, self.params.old)

    def check(self, phone: Phone, answer: str | None) -> bool:
        notes = phone.notes()
        p = self.params
        return (
            p.old not in notes
            and notes.get(p.new) == self.text
            and _others(phone, p.new) == self.others
        )

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Markor"),
            LongPressOn(Find(text=self.params.old)),
            tap(desc="Rename"),
            type_into(Find(rid="rename_name"), self.params.new, clear=True),
            tap("OK"),
        ]


class Folder(Params):
    folder: str


@template
class MarkorCreateFolder(SimTask[Folder]):
    template = 'Create a folder named "{folder}" in Markor.'
    apps = (MARKOR,)
    kinds = ("form",)
    params_type = Folder

    @classmethod
    def random_params(cls, rng: random.Random) -> Folder:
        return Folder(folder=pick(rng, ("Journal", "Work", "Recipes 2025", "Travel")))

    def setup(self, phone: Phone) -> None:
        drop_path(phone, f"{NOTES_DIR}/{self.params.folder}")

    def check(self, phone: Phone, answer: str | None) -> bool:
        return phone.fs.is_dir(f"{NOTES_DIR}/{self.params.folder}")

    def solution(self) -> Sequence[Op]:
        return [
            Launch("Markor"),
            tap(desc="Create a new file"),
            type_into(Find(rid="new_file_dialog__name"), self.params.folder),
            tap("Folder"),
        ]


ORDINALS = ("first", "second", "third", "fourth")
ITEMS = ("Oat milk", "Lemons", "Rice", "Tomatoes", "Cheddar", "Basil", "Yogurt", "Tea")


class ListItem(Params):
    nth: str
    items: list[str]

    @property
    def index(self) -> int:
        return ORDINALS.index(self.nth)


def _list_item(text: str, index: int) -> str:
    items = [ln[2:].strip() for ln in text.splitlines() if ln.startswith("- ")]
    return items[index] if index < len(items) else ""


@template
class MarkorListItem(SimTask[ListItem]):
    template = 'What is the {nth} item on the list in the Markor note "Groceries.md"?'
    apps = (MARKOR,)
    kinds = ("question",)
    params_type = ListItem

    @classmethod
    def random_params(cls, rng: random.Random) -> ListItem:
        return ListItem(nth=pick(rng, ORDINALS), items=rng.sample(ITEMS, 4))

    def setup(self, phone: Phone) -> None:
        body = "".join(f"- {item}\n" for item in self.params.items)
        put_note(phone, "Groceries.md", f"# Groceries\n\n{body}")

    def check(self, phone: Phone, answer: str | None) -> bool:
        return same_text(answer, self.params.items[self.params.index])

    def solution(self) -> Sequence[Op]:
        index = self.params.index
        return [
            Launch("Markor"),
            tap("Groceries.md"),
            Remember(EDITOR, key="item", read=lambda e: _list_item(e.text, index)),
            Reply(lambda m: m["item"]),
        ]
