"""Markor (net.gsantner.markor): a notebook of text files under /sdcard/Documents/Markor.

The file list shows folders, then files; tap to open, long-press to select (then Rename or
Delete in the toolbar). The "+" button creates a Markdown or plain-text file (".md" or ".txt"
is added when the name has no extension) or, with "Folder", a folder. The editor saves with
Save, and on BACK (as Markor saves when you leave); its menu renames or deletes the file.
Everything lives in the phone's filesystem, so `cat` over ADB sees what the app wrote.
"""

from __future__ import annotations

import posixpath
from typing import ClassVar

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.apps.fileops import extension, listing, name_error
from artemis.sim.apps.filescreens import (
    DeleteDialog,
    FolderListing,
    NameDialog,
    RenameDialog,
    make_folder,
)
from artemis.sim.fs import FSError
from artemis.sim.simtime import to_epoch
from artemis.sim.state import NOTES_DIR
from artemis.sim.views import FRAME, WRAP, Callback, Color, View

PKG = "net.gsantner.markor"
ACCENT = (55, 71, 79)


class MarkorScreen(Screen):
    package = PKG
    activity = ".activity.MainActivity"
    accent: ClassVar[Color] = ACCENT


class MarkorFiles(MarkorScreen, FolderListing):
    row_rid: ClassVar[str] = "ui__filesystem_item__root"
    path: str = NOTES_DIR

    def title(self, ctx: Ctx) -> str:
        return "Markor" if self.path == NOTES_DIR else posixpath.basename(self.path)

    def build(self, ctx: Ctx) -> View:
        folders, files = listing(ctx.fs, self.path)
        sel = self.chosen_names(ctx)
        if sel:
            bar = self.selection_bar(
                ctx,
                len(sel),
                [
                    w.icon_button(
                        "rename",
                        "Rename",
                        ctx.cb(self._rename, ctx),
                        rid="action_rename",
                        enabled=len(sel) == 1,
                    ),
                    w.icon_button(
                        "delete", "Delete", ctx.cb(self._delete, ctx), rid="action_delete"
                    ),
                ],
            )
        else:
            back = ctx.cb(ctx.pop) if self.path != NOTES_DIR else None
            bar = ui.app_bar(self.title(ctx), back=back, rid="toolbar")
        rows = self.entry_rows(ctx, folders + files, sel)
        if not rows:
            rows.append(ui.empty_state("No files"))
        body = w.column(
            bar,
            w.scroll_list(self, "files", rows, rid="recycler_view", pad=(0, 0, 0, 240)),
            cls=FRAME,
        )
        fab = ui.fab(
            "add",
            "Create a new file",
            ctx.cb(ctx.push, NewItem(folder=self.path, focus="name", ime=True)),
            accent=ACCENT,
            rid="fab_add_new_item",
        )
        return w.stack(body, fab, bg=w.SURFACE)

    def open_file(self, ctx: Ctx, path: str) -> None:
        ctx.push(MarkorEditor.open(ctx, path))

    def _rename(self, ctx: Ctx) -> None:
        chosen = self.chosen(ctx)
        if len(chosen) == 1:
            ctx.push(Rename.of(chosen[0]))

    def _delete(self, ctx: Ctx) -> None:
        chosen = self.chosen(ctx)
        if chosen:
            ctx.push(Delete(paths=chosen))


class NewItem(MarkorScreen, NameDialog):
    """A new file, or with "Folder" a new folder, named in one dialog."""

    heading: ClassVar[str] = "Create new file"
    field_rid: ClassVar[str] = "new_file_dialog__name"
    folder: str
    kind: str = "Markdown"

    def extra(self, ctx: Ctx) -> list[View]:
        kinds = w.row(h=WRAP, gap=20, pad=(0, 24, 0, 0))
        for k in ("Markdown", "Plain text"):
            kinds.add(
                w.chip(
                    k,
                    k == self.kind,
                    ctx.cb(setattr, self, "kind", k),
                    accent=ACCENT,
                    rid="new_file_dialog__type",
                )
            )
        return [kinds]

    def buttons(self, ctx: Ctx) -> list[tuple[str, Callback | None]]:
        return [("Folder", ctx.cb(self._folder, ctx)), *super().buttons(ctx)]

    def ok(self, ctx: Ctx) -> None:
        name = self.name()
        if name and not extension(name):
            name += ".md" if self.kind == "Markdown" else ".txt"
        self.error = name_error(ctx.fs, self.folder, name)
        if self.error:
            return
        path = posixpath.join(self.folder, name)
        ctx.fs.write(path, b"", make_parents=True, mtime=to_epoch(ctx.now))
        ctx.replace(MarkorEditor.open(ctx, path, focus=True))

    def _folder(self, ctx: Ctx) -> None:
        self.error = make_folder(ctx, self.folder, self.name())
        if not self.error:
            ctx.pop()


class MarkorEditor(MarkorScreen):
    activity = ".activity.DocumentActivity"
    path: str
    saved: str = ""

    @classmethod
    def open(cls, ctx: Ctx, path: str, *, focus: bool = False) -> MarkorEditor:
        try:
            text = ctx.fs.read(path).decode("utf-8", errors="replace")
        except FSError:
            text = ""
        ed = cls(path=path, saved=text, texts={"body": text})
        if focus:
            ed.set_focus("body")
        return ed

    def title(self, ctx: Ctx) -> str:
        return posixpath.basename(self.path)

    def build(self, ctx: Ctx) -> View:
        actions = [
            w.icon_button(
                "save",
                "Save",
                ctx.cb(self.save, ctx),
                rid="action_save",
                enabled=self.text("body") != self.saved,
            ),
            w.icon_button("more", "More options", ctx.cb(ctx.push, EditorMenu(path=self.path))),
        ]
        bar = ui.app_bar(
            posixpath.basename(self.path),
            back=ctx.cb(self._leave, ctx),
            actions=actions,
            size=50,
            rid="toolbar",
        )
        body = w.edit_text(
            self,
            "body",
            "Start writing",
            rid="document__fragment__edit__highlighting_editor",
            multiline=True,
            h=None,
            accent=ACCENT,
            size=42,
        )
        body.border = (255, 255, 255)
        body.pad = (48, 30, 48, 30)
        return w.column(bar, body, cls=FRAME, bg=w.SURFACE)

    def save(self, ctx: Ctx) -> None:
        text = self.text("body")
        ctx.fs.write(self.path, text.encode("utf-8"), make_parents=True, mtime=to_epoch(ctx.now))
        self.saved = text

    def _leave(self, ctx: Ctx) -> None:
        if self.text("body") != self.saved:
            self.save(ctx)
        ctx.pop()

    def on_back(self, ctx: Ctx) -> bool:
        self._leave(ctx)
        return True


class EditorMenu(MarkorScreen):
    activity = ".activity.DocumentActivity"
    is_dialog: ClassVar[bool] = True
    is_popup: ClassVar[bool] = True
    path: str

    def build(self, ctx: Ctx) -> View:
        def rename() -> None:
            ctx.replace(Rename.of(self.path))

        def delete() -> None:
            ctx.replace(Delete(paths=[self.path]))

        return ui.popup_menu([("Rename", rename), ("Delete", delete)])


class Rename(MarkorScreen, RenameDialog):
    field_rid: ClassVar[str] = "rename_name"

    def renamed(self, ctx: Ctx, new: str) -> None:
        below = ctx.phone.nav.top()
        if isinstance(below, MarkorEditor) and below.path == self.path:
            below.path = new
        if isinstance(below, MarkorFiles):
            below.selected.clear()


class Delete(MarkorScreen, DeleteDialog):
    message: ClassVar[str] = "This cannot be undone."
    confirm: ClassVar[str] = "OK"

    def deleted(self, ctx: Ctx) -> None:
        below = ctx.phone.nav.top()
        if isinstance(below, MarkorEditor) and below.path in self.paths:
            ctx.pop()
        elif isinstance(below, MarkorFiles):
            below.selected.clear()


APP = App(
    package=PKG,
    label="Markor",
    icon="note",
    color=ACCENT,
    main=MarkorFiles,
    launcher_activity=".activity.MainActivity",
)
