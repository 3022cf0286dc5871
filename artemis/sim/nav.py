"""Tasks and back stacks: which app is in front and which screens lie under its top one.

As on Android: launching an app that already has a task brings that task to the front as it
was; BACK pops the top screen, and at a task's root it goes home and keeps the task in recents;
HOME shows the launcher; the recents screen lists tasks, most recent first.
"""

from __future__ import annotations

from typing import Any

from artemis.sim.apps.base import Screen

LAUNCHER = "com.android.launcher3"


class Task:
    def __init__(self, package: str, stack: list[Screen]) -> None:
        self.package = package
        self.stack = stack

    def dump(self) -> dict[str, object]:
        return {"package": self.package, "stack": [s.dump() for s in self.stack]}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Task:
        return cls(str(data["package"]), [Screen.load(s) for s in data["stack"]])


class Nav:
    def __init__(self, home: Screen, recents: Screen) -> None:
        self.home = Task(LAUNCHER, [home])
        self.tasks: list[Task] = []  # least recent first
        self.front = LAUNCHER
        self.recents_open = False
        self.recents = recents

    # --- queries ---------------------------------------------------------------------------
    def front_task(self) -> Task:
        if self.front == LAUNCHER:
            return self.home
        for t in self.tasks:
            if t.package == self.front:
                return t
        self.front = LAUNCHER
        return self.home

    def top(self) -> Screen:
        """The screen that gets input: a dialog when one is up, else the top screen."""
        if self.recents_open:
            return self.recents
        return self.front_task().stack[-1]

    def page(self) -> Screen:
        """The top screen that is not a dialog: what fills the app window."""
        if self.recents_open:
            return self.recents
        for s in reversed(self.front_task().stack):
            if not s.is_dialog:
                return s
        return self.front_task().stack[0]

    def dialog(self) -> Screen | None:
        if self.recents_open:
            return None
        top = self.front_task().stack[-1]
        return top if top.is_dialog else None

    def task(self, package: str) -> Task | None:
        return next((t for t in self.tasks if t.package == package), None)

    def recent_tasks(self) -> list[Task]:
        """Most recent first."""
        return list(reversed(self.tasks))

    # --- changes ---------------------------------------------------------------------------
    def push(self, screen: Screen) -> None:
        self.front_task().stack.append(screen)

    def pop(self) -> None:
        task = self.front_task()
        if len(task.stack) > 1:
            task.stack.pop()
        elif task is not self.home:
            self.go_home()

    def go_home(self) -> None:
        self.recents_open = False
        self.front = LAUNCHER
        del self.home.stack[1:]
        for s in self.home.stack:
            s.clear_focus()
            s.scroll.clear()
            s.texts.clear()

    def bring_to_front(self, task: Task) -> None:
        self.recents_open = False
        if task is self.home:
            self.go_home()
            return
        self.tasks.remove(task)
        self.tasks.append(task)
        self.front = task.package

    def start(self, package: str, screen: Screen) -> None:
        """Open `screen` in the package's task: a new task, or on top of the existing one."""
        self.recents_open = False
        task = self.task(package)
        if task is None:
            task = Task(package, [screen])
            self.tasks.append(task)
        else:
            self.tasks.remove(task)
            self.tasks.append(task)
            task.stack.append(screen)
        self.front = package

    def remove(self, package: str) -> None:
        task = self.task(package)
        if task is not None:
            self.tasks.remove(task)
        if self.front == package:
            self.front = LAUNCHER

    def open_recents(self) -> None:
        self.recents_open = True
        self.recents.scroll.clear()

    # --- snapshot --------------------------------------------------------------------------
    def dump(self) -> dict[str, object]:
        return {
            "home": self.home.dump(),
            "tasks": [t.dump() for t in self.tasks],
            "front": self.front,
            "recents_open": self.recents_open,
            "recents": self.recents.dump(),
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> Nav:
        home = Task.load(data["home"])
        nav = cls(home.stack[0], Screen.load(data["recents"]))
        nav.home = home
        nav.tasks = [Task.load(t) for t in data["tasks"]]
        nav.front = str(data["front"])
        nav.recents_open = bool(data["recents_open"])
        return nav
