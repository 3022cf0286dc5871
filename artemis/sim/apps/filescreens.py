"""The screens Files and Markor share: a folder listing with multi-select, the dialog that
asks for a name (rename, new folder, new file) and the confirmation before deleting.

Each app subclasses them with its package, resource ids, colour and what happens after the
dialog closes; the mechanics (what a tap or long-press does, which names are refused, how a
rename or delete touches the filesystem) live here once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Sequence
from typing import ClassVar, Self

from pydantic import Field

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import Ctx, Screen
from artemis.sim.apps.fileops import human_size, icon_for, modified, name_error
from artemis.sim.fs import Entry
from artemis.sim.simtime import to_epoch
from artemis.sim.views import WRAP, Callback, Color, View


class FolderListing(Screen):
    """A folder's entries. A tap opens one (or, while selecting, toggles it), a long-press
    selects it, and BACK clears the selection first."""

    #: Each entry row's resource id.
    row_rid: ClassVar[str]
    accent: ClassVar[Color]

    path: str
    selected: list[str] = Field(default_factory=list)

    def open_file(self, ctx: Ctx, path: str) -> None:
        raise NotImplementedError

    def chosen(self, ctx: Ctx) -> list[str]:
        """The selected entries that still exist, as paths."""
        paths = [posixpath.join(self.path, n) for n in self.selected]
        return [p for p in paths if ctx.fs.exists(p)]

    def chosen_names(self, ctx: Ctx) -> list[str]:
        return [posixpath.basename(p) for p in self.chosen(ctx)]

    def toggle(self, name: str) -> None:
        if name in self.selected:
            self.selected.remove(name)
        else:
            self.selected.append(name)

    def open_entry(self, ctx: Ctx, name: str) -> None:
        if self.selected:
            self.toggle(name)
            return
        path = posixpath.join(self.path, name)
        if ctx.fs.is_dir(path):
            ctx.push(type(self)(path=path))
        else:
            self.open_file(ctx, path)

    def entry_rows(
        self, ctx: Ctx, entries: Sequence[Entry], selected: Collection[str]
    ) -> list[View]:
        rows = []
        for e in entries:
            sub = modified(e) if e.is_dir else f"{modified(e)} · {human_size(e.size)}"
            rows.append(
                ui.list_row(
                    e.name,
                    sub,
                    icon=icon_for(e),
                    icon_fg=self.accent,
                    rid=self.row_rid,
                    selected=e.name in selected,
                    on_click=ctx.cb(self.open_entry, ctx, e.name),
                    on_long_click=ctx.cb(self.toggle, e.name),
                )
            )
        return rows

    def selection_bar(self, ctx: Ctx, count: int, actions: Sequence[View]) -> View:
        return ui.app_bar(
            f"{count} selected",
            back=ctx.cb(self.selected.clear),
            actions=actions,
            bg=w.tint(self.accent, 0.85),
        )

    def on_back(self, ctx: Ctx) -> bool:
        if self.selected:
            self.selected.clear()
            return True
        return False


def dialog_error(message: str) -> View:
    """The reason a dialog's input was refused, under its fields."""
    return w.text(message, fg=w.RED, size=36, h=WRAP, max_lines=2, rid="error")


class NameDialog(Screen):
    """A dialog with one name field; OK or ENTER calls `ok`, which shows why a name is
    refused instead of closing."""

    is_dialog: ClassVar[bool] = True
    heading: ClassVar[str]
    hint: ClassVar[str] = "Name"
    field_rid: ClassVar[str]
    accent: ClassVar[Color]

    error: str = ""

    def ok(self, ctx: Ctx) -> None:
        raise NotImplementedError

    def name(self) -> str:
        return self.text("name").strip()

    def extra(self, ctx: Ctx) -> list[View]:
        """Controls between the field and the error."""
        return []

    def buttons(self, ctx: Ctx) -> list[tuple[str, Callback | None]]:
        return [("Cancel", ctx.cb(ctx.pop)), ("OK", ctx.cb(self.ok, ctx))]

    def build(self, ctx: Ctx) -> View:
        field = w.edit_text(self, "name", self.hint, accent=self.accent, rid=self.field_rid)
        body = [field, *self.extra(ctx)]
        if self.error:
            body.append(dialog_error(self.error))
        return ui.dialog(self.heading, body=body, buttons=self.buttons(ctx), accent=self.accent)

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.ok(ctx)


def make_folder(ctx: Ctx, folder: str, name: str) -> str:
    """Create the folder `name` in `folder`; why it cannot be, or "" when it was made."""
    error = name_error(ctx.fs, folder, name)
    if not error:
        ctx.fs.mkdir(posixpath.join(folder, name)).mtime = to_epoch(ctx.now)
    return error


class RenameDialog(NameDialog):
    """Rename the file or folder at `path`; `renamed` runs once the dialog has closed."""

    heading: ClassVar[str] = "Rename"

    path: str

    @classmethod
    def of(cls, path: str) -> Self:
        name = posixpath.basename(path)
        return cls(path=path, texts={"name": name}, focus="name", ime=True, cursor=len(name))

    def renamed(self, ctx: Ctx, new: str) -> None:
        """What the screen below does about the new path."""

    def ok(self, ctx: Ctx) -> None:
        folder, old = posixpath.split(self.path)
        name = self.name()
        self.error = name_error(ctx.fs, folder, name, current=old)
        if self.error:
            return
        new = posixpath.join(folder, name)
        if name != old:
            ctx.fs.rename(self.path, new)
        ctx.pop()
        self.renamed(ctx, new)


class DeleteDialog(Screen):
    """Confirm, then delete `paths` (folders with what they hold); `deleted` runs after."""

    is_dialog: ClassVar[bool] = True
    message: ClassVar[str] = ""
    confirm: ClassVar[str]
    accent: ClassVar[Color]

    paths: list[str]

    def deleted(self, ctx: Ctx) -> None:
        """What the screen below does once the files are gone."""

    def build(self, ctx: Ctx) -> View:
        what = (
            f'"{posixpath.basename(self.paths[0])}"'
            if len(self.paths) == 1
            else f"{len(self.paths)} items"
        )
        return ui.dialog(
            f"Delete {what}?",
            message=self.message,
            buttons=[("Cancel", ctx.cb(ctx.pop)), (self.confirm, ctx.cb(self.ok, ctx))],
            accent=self.accent,
        )

    def ok(self, ctx: Ctx) -> None:
        for p in self.paths:
            if ctx.fs.exists(p):
                ctx.fs.remove(p, recursive=True)
        ctx.pop()
        self.deleted(ctx)
