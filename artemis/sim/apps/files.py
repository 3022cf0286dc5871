"""Files (com.android.documentsui): browse /sdcard ("Pixel 6"); move, copy, rename, delete.

Tap a folder to open it, a file to see its details (and a text file's first lines). Long-press
selects; then the toolbar has Delete (confirmed) and "More options" has Rename, Move to…,
Copy to… and Select all. Move and copy open a folder picker with Move/Copy and Cancel at the
bottom. The overflow menu outside selection makes a new folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import ClassVar

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.apps.fileops import (
    TEXT_EXTENSIONS,
    copy_tree,
    extension,
    human_size,
    icon_for,
    inside,
    listing,
    modified,
)
from artemis.sim.apps.filescreens import (
    DeleteDialog,
    FolderListing,
    NameDialog,
    RenameDialog,
    make_folder,
)
from artemis.sim.simtime import to_epoch
from artemis.sim.views import FRAME, WRAP, Color, View

PKG = "com.android.documentsui"
ACCENT = (11, 87, 208)
ROOT = "/sdcard"
ROOT_NAME = "Pixel 6"


def folder_title(path: str) -> str:
    return ROOT_NAME if posixpath.normpath(path) == ROOT else posixpath.basename(path)


def crumbs(path: str) -> str:
    rel = posixpath.relpath(posixpath.normpath(path), ROOT)
    parts = [ROOT_NAME] + ([] if rel == "." else rel.split("/"))
    return " > ".join(parts)


class FilesScreen(Screen):
    package = PKG
    activity = ".files.FilesActivity"
    accent: ClassVar[Color] = ACCENT


class FilesBrowser(FilesScreen, FolderListing):
    row_rid: ClassVar[str] = "item_root"
    path: str = ROOT

    def title(self, ctx: Ctx) -> str:
        return folder_title(self.path)

    def build(self, ctx: Ctx) -> View:
        folders, files = listing(ctx.fs, self.path)
        sel = self.chosen_names(ctx)
        if sel:
            bar = self.selection_bar(
                ctx,
                len(sel),
                [
                    w.icon_button(
                        "delete", "Delete", ctx.cb(self._delete, ctx), rid="action_menu_delete"
                    ),
                    w.icon_button(
                        "more", "More options", ctx.cb(ctx.push, SelectionMenu(folder=self.path))
                    ),
                ],
            )
        else:
            back = ctx.cb(ctx.pop) if posixpath.normpath(self.path) != ROOT else None
            bar = ui.app_bar(
                folder_title(self.path),
                back=back,
                rid="toolbar",
                actions=[
                    w.icon_button(
                        "more", "More options", ctx.cb(ctx.push, FolderMenu(folder=self.path))
                    )
                ],
            )
        rows: list[View] = [
            w.text(
                crumbs(self.path), size=36, fg=w.TEXT_2, h=100, pad=(48, 0, 48, 0), rid="breadcrumb"
            )
        ]
        rows += self.entry_rows(ctx, folders + files, sel)
        if not folders and not files:
            rows.append(ui.empty_state("No items"))
        return w.column(
            bar, w.scroll_list(self, "items", rows, rid="dir_list"), cls=FRAME, bg=w.SURFACE
        )

    def open_file(self, ctx: Ctx, path: str) -> None:
        ctx.push(FileInfo(path=path))

    def _delete(self, ctx: Ctx) -> None:
        chosen = self.chosen(ctx)
        if chosen:
            ctx.push(DeleteFiles(paths=chosen))


def _browser(ctx: Ctx) -> FilesBrowser | None:
    for s in reversed(ctx.phone.nav.front_task().stack):
        if isinstance(s, FilesBrowser):
            return s
    return None


def _end_selection(ctx: Ctx) -> None:
    """After an operation on the selection, the browser shows no selection."""
    browser = _browser(ctx)
    if browser is not None:
        browser.selected.clear()


class SelectionMenu(FilesScreen):
    is_dialog: ClassVar[bool] = True
    is_popup: ClassVar[bool] = True
    folder: str

    def build(self, ctx: Ctx) -> View:
        browser = _browser(ctx)
        chosen = browser.chosen(ctx) if browser else []

        def then(make: Callable[[], Screen | None]) -> Callable[[], None]:
            def go() -> None:
                screen = make()
                ctx.pop()
                if screen is not None:
                    ctx.push(screen)

            return go

        def select_all() -> None:
            if browser is not None:
                folders, files = listing(ctx.fs, browser.path)
                browser.selected[:] = [e.name for e in folders + files]
            ctx.pop()

        items: list[tuple[str, Callable[[], None]]] = []
        if len(chosen) == 1:
            items.append(("Rename", then(lambda: RenameFile.of(chosen[0]))))
        items += [
            ("Move to…", then(lambda: Picker(mode="Move", sources=chosen, path=ROOT))),
            ("Copy to…", then(lambda: Picker(mode="Copy", sources=chosen, path=ROOT))),
            ("Select all", select_all),
        ]
        return ui.popup_menu(items)


class FolderMenu(FilesScreen):
    is_dialog: ClassVar[bool] = True
    is_popup: ClassVar[bool] = True
    folder: str

    def build(self, ctx: Ctx) -> View:
        def new_folder() -> None:
            ctx.replace(NewFolder(folder=self.folder, focus="name", ime=True))

        def select_all() -> None:
            browser = _browser(ctx)
            if browser is not None:
                folders, files = listing(ctx.fs, browser.path)
                browser.selected[:] = [e.name for e in folders + files]
            ctx.pop()

        return ui.popup_menu([("New folder", new_folder), ("Select all", select_all)])


class FileInfo(FilesScreen):
    path: str

    def title(self, ctx: Ctx) -> str:
        return posixpath.basename(self.path)

    def build(self, ctx: Ctx) -> View:
        e = ctx.fs.lookup(self.path)
        name = posixpath.basename(self.path)
        if e is None:
            return w.column(
                ui.app_bar(name, back=ctx.cb(ctx.pop)), ui.empty_state("File not found")
            )
        rows: list[View] = [
            ui.list_row("Name", name),
            ui.list_row("Location", crumbs(posixpath.dirname(self.path))),
            ui.list_row("Size", human_size(e.size)),
            ui.list_row("Modified", modified(e)),
        ]
        if extension(name) in TEXT_EXTENSIONS:
            preview = e.data[:2000].decode("utf-8", errors="replace")
            rows.append(ui.section("Preview", accent=ACCENT))
            rows.append(
                w.text(preview, size=38, h=WRAP, max_lines=20, pad=(48, 0, 48, 30), rid="preview")
            )
        return w.column(
            ui.app_bar(name, back=ctx.cb(ctx.pop), size=50),
            w.scroll_list(self, "info", rows),
            cls=FRAME,
            bg=w.SURFACE,
        )


class DeleteFiles(FilesScreen, DeleteDialog):
    confirm: ClassVar[str] = "Delete"

    def deleted(self, ctx: Ctx) -> None:
        _end_selection(ctx)


class RenameFile(FilesScreen, RenameDialog):
    field_rid: ClassVar[str] = "rename_text"

    def renamed(self, ctx: Ctx, new: str) -> None:
        _end_selection(ctx)


class NewFolder(FilesScreen, NameDialog):
    heading: ClassVar[str] = "New folder"
    hint: ClassVar[str] = "Folder name"
    field_rid: ClassVar[str] = "new_folder_name"
    folder: str

    def ok(self, ctx: Ctx) -> None:
        self.error = make_folder(ctx, self.folder, self.name())
        if not self.error:
            ctx.pop()


class Picker(FilesScreen):
    """Choose a destination folder for Move to… or Copy to…"""

    activity = ".picker.PickActivity"
    mode: str  # "Move" or "Copy"
    sources: list[str]
    path: str = ROOT
    error: str = ""

    def title(self, ctx: Ctx) -> str:
        return f"{self.mode} to"

    def build(self, ctx: Ctx) -> View:
        folders, files = listing(ctx.fs, self.path)
        back = ctx.cb(self._up) if posixpath.normpath(self.path) != ROOT else None
        bar = ui.app_bar(
            f"{self.mode} to {folder_title(self.path)}", back=back, size=50, rid="toolbar"
        )
        rows: list[View] = [
            w.text(
                crumbs(self.path), size=36, fg=w.TEXT_2, h=100, pad=(48, 0, 48, 0), rid="breadcrumb"
            )
        ]
        for e in folders:
            path = posixpath.join(self.path, e.name)
            ok = not any(inside(path, s) for s in self.sources)
            rows.append(
                ui.list_row(
                    e.name,
                    icon="folder",
                    icon_fg=ACCENT,
                    enabled=ok,
                    on_click=ctx.cb(self._into, e.name) if ok else None,
                )
            )
        for e in files:
            rows.append(ui.list_row(e.name, icon=icon_for(e), enabled=False))
        if self.error:
            rows.insert(
                1,
                w.text(
                    self.error,
                    fg=w.RED,
                    size=38,
                    h=WRAP,
                    max_lines=2,
                    pad=(48, 10, 48, 10),
                    rid="error",
                ),
            )
        buttons = w.row(
            w.spacer(),
            w.button("Cancel", ctx.cb(ctx.pop), style="text", accent=ACCENT, rid="button2"),
            w.button(self.mode, ctx.cb(self.ok, ctx), accent=ACCENT, rid="button1"),
            h=WRAP,
            pad=(36, 24, 36, 24),
            gap=24,
            align="center",
            bg=(241, 243, 244),
        )
        return w.column(
            bar,
            w.scroll_list(self, "folders", rows, rid="dir_list"),
            buttons,
            cls=FRAME,
            bg=w.SURFACE,
        )

    def _into(self, name: str) -> None:
        self.path = posixpath.join(self.path, name)
        self.scroll.clear()
        self.error = ""

    def _up(self) -> None:
        self.path = posixpath.dirname(posixpath.normpath(self.path)) or ROOT
        self.scroll.clear()
        self.error = ""

    def on_back(self, ctx: Ctx) -> bool:
        if posixpath.normpath(self.path) != ROOT:
            self._up()
            return True
        return False

    def ok(self, ctx: Ctx) -> None:
        fs = ctx.fs
        dest = posixpath.normpath(self.path)
        clashes = [
            s
            for s in self.sources
            if fs.exists(posixpath.join(dest, posixpath.basename(s)))
            and posixpath.normpath(posixpath.dirname(s)) != dest
        ]
        if any(inside(dest, s) for s in self.sources):
            self.error = "A folder cannot go inside itself"
            return
        if clashes:
            self.error = f'"{posixpath.basename(clashes[0])}" already exists here'
            return
        for src in self.sources:
            if not fs.exists(src) or posixpath.normpath(posixpath.dirname(src)) == dest:
                continue
            target = posixpath.join(dest, posixpath.basename(src))
            if self.mode == "Move":
                fs.rename(src, target)
            else:
                copy_tree(fs, src, target, to_epoch(ctx.now))
        ctx.pop()
        _end_selection(ctx)


APP = App(
    package=PKG,
    label="Files",
    icon="folder",
    color=(26, 115, 232),
    main=FilesBrowser,
    launcher_activity=".files.FilesActivity",
)
