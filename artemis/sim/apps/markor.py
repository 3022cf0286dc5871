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

from pydantic import Field

from artemis.sim import components as ui
from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.apps.fileops import extension, human_size, icon_for, listing, modified, name_error
from artemis.sim.fs import FSError
from artemis.sim.simtime import to_epoch
from artemis.sim.state import NOTES_DIR
from artemis.sim.views import FRAME, WRAP, View

PKG = "net.gsantner.markor"
ACCENT = (55, 71, 79)


class MarkorScreen(Screen):
    package = PKG


class MarkorFiles(MarkorScreen):
    activity = ".activity.MainActivity"
    path: str = NOTES_DIR
    selected: list[str] = Field(default_factory=list)

    def title(self, ctx: Ctx) -> str:
        return "Markor" if self.path == NOTES_DIR else posixpath.basename(self.path)

    def build(self, ctx: Ctx) -> View:
        folders, files = listing(ctx.fs, self.path)
        names = {e.name for e in folders + files}
        sel = [n for n in self.selected if n in names]
        if sel:
            bar = ui.app_bar(
                f"{len(sel)} selected",
                back=ctx.cb(self.selected.clear),
                actions=[
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
                bg=w.tint(ACCENT, 0.85),
            )
        else:
            back = ctx.cb(ctx.pop) if self.path != NOTES_DIR else None
            bar = ui.app_bar(self.title(ctx), back=back, rid="toolbar")
        rows: list[View] = []
        for e in folders + files:
            sub = modified(e) if e.is_dir else f"{modified(e)} · {human_size(e.size)}"
            rows.append(
                ui.list_row(
                    e.name,
                    sub,
                    icon=icon_for(e),
                    icon_fg=ACCENT,
                    rid="ui__filesystem_item__root",
                    selected=e.name in sel,
                    on_click=ctx.cb(self._open, ctx, e.name),
                    on_long_click=ctx.cb(self._toggle, e.name),
                )
            )
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

    def _toggle(self, name: str) -> None:
        if name in self.selected:
            self.selected.remove(name)
        else:
            self.selected.append(name)

    def _open(self, ctx: Ctx, name: str) -> None:
        if self.selected:
            self._toggle(name)
            return
        path = posixpath.join(self.path, name)
        if ctx.fs.is_dir(path):
            ctx.push(MarkorFiles(path=path))
        else:
            ctx.push(MarkorEditor.open(ctx, path))

    def _chosen(self, ctx: Ctx) -> list[str]:
        paths = [posixpath.join(self.path, n) for n in self.selected]
        return [p for p in paths if ctx.fs.exists(p)]

    def _rename(self, ctx: Ctx) -> None:
        chosen = self._chosen(ctx)
        if len(chosen) == 1:
            ctx.push(Rename.of(chosen[0]))

    def _delete(self, ctx: Ctx) -> None:
        chosen = self._chosen(ctx)
        if chosen:
            ctx.push(Delete(paths=chosen))

    def on_back(self, ctx: Ctx) -> bool:
        if self.selected:
            self.selected.clear()
            return True
        return False


class NewItem(MarkorScreen):
    activity = ".activity.MainActivity"
    is_dialog: ClassVar[bool] = True
    folder: str
    kind: str = "Markdown"
    error: str = ""

    def build(self, ctx: Ctx) -> View:
        name = w.edit_text(self, "name", "Name", accent=ACCENT, rid="new_file_dialog__name")
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
        body: list[View] = [name, kinds]
        if self.error:
            body.append(w.text(self.error, fg=w.RED, size=36, h=WRAP, max_lines=2, rid="error"))
        return ui.dialog(
            "Create new file",
            body=body,
            buttons=[
                ("Folder", ctx.cb(self._folder, ctx)),
                ("Cancel", ctx.cb(ctx.pop)),
                ("OK", ctx.cb(self._file, ctx)),
            ],
            accent=ACCENT,
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self._file(ctx)

    def _file(self, ctx: Ctx) -> None:
        name = self.text("name").strip()
        if name and not extension(name):
            name += ".md" if self.kind == "Markdown" else ".txt"
        self.error = name_error(ctx.fs, self.folder, name)
        if self.error:
            return
        path = posixpath.join(self.folder, name)
        ctx.fs.write(path, b"", make_parents=True, mtime=to_epoch(ctx.now))
        ctx.replace(MarkorEditor.open(ctx, path, focus=True))

    def _folder(self, ctx: Ctx) -> None:
        name = self.text("name").strip()
        self.error = name_error(ctx.fs, self.folder, name)
        if self.error:
            return
        ctx.fs.mkdir(posixpath.join(self.folder, name)).mtime = to_epoch(ctx.now)
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


class Rename(MarkorScreen):
    activity = ".activity.MainActivity"
    is_dialog: ClassVar[bool] = True
    path: str
    error: str = ""

    @classmethod
    def of(cls, path: str) -> Rename:
        name = posixpath.basename(path)
        return cls(path=path, texts={"name": name}, focus="name", ime=True, cursor=len(name))

    def build(self, ctx: Ctx) -> View:
        body: list[View] = [w.edit_text(self, "name", "Name", accent=ACCENT, rid="rename_name")]
        if self.error:
            body.append(w.text(self.error, fg=w.RED, size=36, h=WRAP, max_lines=2, rid="error"))
        return ui.dialog(
            "Rename",
            body=body,
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("OK", ctx.cb(self.ok, ctx))],
            accent=ACCENT,
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        self.ok(ctx)

    def ok(self, ctx: Ctx) -> None:
        folder, old = posixpath.split(self.path)
        name = self.text("name").strip()
        self.error = name_error(ctx.fs, folder, name, current=old)
        if self.error:
            return
        new = posixpath.join(folder, name)
        if name != old:
            ctx.fs.rename(self.path, new)
        ctx.pop()
        below = ctx.phone.nav.top()
        if isinstance(below, MarkorEditor) and below.path == self.path:
            below.path = new
        if isinstance(below, MarkorFiles):
            below.selected.clear()


class Delete(MarkorScreen):
    activity = ".activity.MainActivity"
    is_dialog: ClassVar[bool] = True
    paths: list[str]

    def build(self, ctx: Ctx) -> View:
        what = (
            f'"{posixpath.basename(self.paths[0])}"'
            if len(self.paths) == 1
            else f"{len(self.paths)} items"
        )
        return ui.dialog(
            f"Delete {what}?",
            message="This cannot be undone.",
            buttons=[("Cancel", ctx.cb(ctx.pop)), ("OK", ctx.cb(self.ok, ctx))],
            accent=ACCENT,
        )

    def ok(self, ctx: Ctx) -> None:
        for p in self.paths:
            if ctx.fs.exists(p):
                ctx.fs.remove(p, recursive=True)
        ctx.pop()
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
