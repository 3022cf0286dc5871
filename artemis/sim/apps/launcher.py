"""The launcher (com.android.launcher3): the home screen, the all-apps drawer and recents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from artemis.sim import widgets as w
from artemis.sim.apps.base import App, Ctx, Screen
from artemis.sim.views import FRAME, HSCROLL, TEXT, WRAP, View

if TYPE_CHECKING:
    from artemis.sim.nav import Task

PKG = "com.android.launcher3"
WALLPAPER = (28, 49, 68)
COLS = 4


def _apps() -> dict[str, App]:
    from artemis.sim.apps import APPS

    return APPS


def _icon(app: App, ctx: Ctx) -> View:
    return View(
        cls=TEXT,
        kind="appicon",
        text=app.label,
        desc=app.label,
        icon=app.icon,
        icon_fg=app.color,
        fg=(255, 255, 255),
        size=36,
        w=w.W // COLS,
        h=270,
        clickable=True,
        focusable=True,
        on_click=ctx.cb(ctx.launch, app.package),
    )


def _grid(apps: list[App], ctx: Ctx, rid: str) -> View:
    grid = w.column(cls="android.view.ViewGroup", rid=rid, h=WRAP)
    for i in range(0, len(apps), COLS):
        r = w.row(h=270, cls="android.view.ViewGroup")
        for app in apps[i : i + COLS]:
            r.add(_icon(app, ctx))
        grid.add(r)
    return grid


class LauncherHome(Screen):
    package = PKG
    activity = ".Launcher"

    def build(self, ctx: Ctx) -> View:
        date = f"{ctx.now:%A, %b} {ctx.now.day}"
        glance = w.text(
            date, size=54, fg=(255, 255, 255), h=200, pad=(72, 60, 72, 0), rid="date", desc=""
        )
        root = w.column(
            glance,
            _grid(list(_apps().values()), ctx, "workspace"),
            w.spacer(),
            w.text(
                "Swipe up for all apps",
                size=34,
                fg=(200, 210, 220),
                talign="center",
                h=120,
                rid="hint",
            ),
            cls=FRAME,
            bg=WALLPAPER,
            rid="launcher",
        )
        return root

    def on_swipe(self, ctx: Ctx, x1: int, y1: int, x2: int, y2: int) -> None:
        if y1 - y2 > 200 and abs(y1 - y2) > abs(x1 - x2):
            ctx.push(AllApps())


class AllApps(Screen):
    package = PKG
    activity = ".Launcher"

    def build(self, ctx: Ctx) -> View:
        query = self.text("search").strip().casefold()
        apps = sorted(_apps().values(), key=lambda a: a.label.casefold())
        if query:
            apps = [a for a in apps if query in a.label.casefold()]
        search = w.edit_text(
            self, "search", "Search apps", rid="search_box_input", h=140, underline=True
        )
        search.radius = 70
        search.bg = (235, 240, 245)
        search.fg = w.TEXT_1
        body: list[View] = [_grid(apps, ctx, "apps_list_view")]
        if not apps:
            body = [w.text("No apps found", fg=(220, 225, 230), talign="center", h=200)]
        return w.column(
            w.column(search, pad=(48, 40, 48, 40), h=WRAP),
            w.scroll_list(self, "apps", body, rid="apps_list_view_container"),
            cls=FRAME,
            bg=(32, 38, 46),
            rid="apps_view",
        )

    def on_enter(self, ctx: Ctx, field: str) -> None:
        query = self.text("search").strip().casefold()
        apps = sorted(_apps().values(), key=lambda a: a.label.casefold())
        hits = [a for a in apps if query and query in a.label.casefold()]
        if hits:
            ctx.launch(hits[0].package)
        else:
            self.ime = False

    def on_swipe(self, ctx: Ctx, x1: int, y1: int, x2: int, y2: int) -> None:
        if y2 - y1 > 200:
            ctx.pop()


class Recents(Screen):
    """The overview: one card per task, most recent first; swipe a card up to dismiss it."""

    package = PKG
    activity = ".Launcher"

    def build(self, ctx: Ctx) -> View:
        tasks = ctx.phone.nav.recent_tasks()
        root = w.column(cls=FRAME, bg=(50, 54, 60), rid="overview_panel")
        if not tasks:
            root.add(
                w.spacer(),
                w.text("No recent items", size=46, fg=(230, 230, 230), talign="center", h=200),
                w.spacer(),
            )
            return root
        cards = View(
            cls=HSCROLL,
            layout="hscroll",
            scroll_key="cards",
            scroll_pos=self.scroll.get("cards", 0),
            gap=60,
            pad=(150, 120, 150, 60),
            rid="overview_cards",
            scrollable=len(tasks) > 1,
        )
        for task in tasks:
            cards.add(self._card(ctx, task))
        root.add(cards)
        root.add(
            w.row(
                w.spacer(),
                w.button("Clear all", ctx.cb(self._clear_all, ctx), style="tonal", rid="clear_all"),
                w.spacer(),
                h=200,
                align="center",
            )
        )
        return root

    def _card(self, ctx: Ctx, task: Task) -> View:
        app = _apps().get(task.package)
        label = app.label if app else task.package
        color = app.color if app else (120, 120, 120)

        def open_task() -> None:
            ctx.phone.nav.bring_to_front(task)

        header = w.row(
            View(
                cls="android.widget.ImageView",
                icon=app.icon if app else "apps",
                icon_size=54,
                icon_fg=(255, 255, 255),
                bg=color,
                radius=45,
                w=90,
                h=90,
            ),
            w.text(label, size=40, fg=(255, 255, 255), pad=(24, 0, 0, 0), h=90),
            h=120,
            align="center",
            rid="task_header",
        )
        key, image = ctx.phone.thumbnail(task)
        body = View(
            cls=FRAME,
            kind="image",
            image=image,
            image_key=key,
            bg=(250, 250, 250),
            clickable=True,
            focusable=True,
            on_click=open_task,
            desc=label,
            rid="snapshot",
        )
        return w.column(header, body, w=720, cls=FRAME, rid="task_view")

    def _clear_all(self, ctx: Ctx) -> None:
        nav = ctx.phone.nav
        for t in list(nav.tasks):
            nav.remove(t.package)
        nav.go_home()

    def on_swipe(self, ctx: Ctx, x1: int, y1: int, x2: int, y2: int) -> None:
        if y1 - y2 < 300 or abs(y1 - y2) < abs(x1 - x2):
            return
        frame = ctx.phone.frame()
        card = frame.windows[0].root.find(
            lambda v: v.rid == "task_view" and v.visible and v.clip[0] <= x1 < v.clip[2]
        )
        if card is None:
            return
        label = card.children[1].desc
        for t in ctx.phone.nav.recent_tasks():
            app = _apps().get(t.package)
            if (app.label if app else t.package) == label:
                ctx.phone.nav.remove(t.package)
                break
        if not ctx.phone.nav.tasks:
            ctx.phone.nav.go_home()
