"""Stand-in for `android_world.registry`: a few fake task templates on the fake emulator."""

from __future__ import annotations

import random
from typing import Any


class FakeTask:
    """The task contract the suite runner uses: goal, complexity, init, grade, tear down."""

    template = ""
    complexity = 1.0
    start_on_home_screen = True

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.initialized = False

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    def goal(self) -> str:
        return self.template.format(**self.params)

    @classmethod
    def generate_random_params(cls) -> dict[str, Any]:
        return {}

    @classmethod
    def set_device_time(cls, env: Any) -> None:
        del env

    def initialize_task(self, env: Any) -> None:
        env.interaction_cache = ""
        env.clicked.clear()
        env.typed.clear()
        env.current_task = self.name
        self.initialized = True

    def is_successful(self, env: Any) -> float:
        raise NotImplementedError

    def tear_down(self, env: Any) -> None:
        del env
        self.initialized = False


class FakeTapOk(FakeTask):
    template = "Tap the OK button"

    def is_successful(self, env: Any) -> float:
        return 1.0 if "OK" in env.clicked else 0.0


class FakeTypeName(FakeTask):
    template = "Type {name} into the Name field"

    @classmethod
    def generate_random_params(cls) -> dict[str, Any]:
        return {"name": random.choice(["Ada", "Grace", "Alan", "Edsger"])}

    def is_successful(self, env: Any) -> float:
        return 1.0 if env.typed.get("Name") == self.params["name"] else 0.0


class FakeAnswerSum(FakeTask):
    template = "Answer: what is {a} plus {b}?"
    complexity = 0.5

    @classmethod
    def generate_random_params(cls) -> dict[str, Any]:
        return {"a": random.randint(1, 50), "b": random.randint(1, 50)}

    def is_successful(self, env: Any) -> float:
        return 1.0 if env.interaction_cache == str(self.params["a"] + self.params["b"]) else 0.0


class FakeWander(FakeTask):
    template = "Wander around"
    complexity = 0.3

    def is_successful(self, env: Any) -> float:
        if env.script.get("grading_fails"):
            raise RuntimeError("the grader could not read the app's database")
        return 1.0


class FakeBroken(FakeTask):
    template = "Tap the OK button"

    def initialize_task(self, env: Any) -> None:
        raise RuntimeError("the app could not be set up")

    def is_successful(self, env: Any) -> float:
        return 1.0


def _miniwob_task(page: str) -> type[FakeTask]:
    """As their MiniWoB registry builds its tasks: one class per HTML page, named
    `MiniWob` + the page's words capitalised, registered under the page's name."""
    name = "MiniWob" + "".join(part.capitalize() for part in page.split("-"))
    return type(name, (FakeTapOk,), {"complexity": 0.3})


MINIWOB = {page: _miniwob_task(page) for page in ("click-button", "click-button-sequence")}


class TaskRegistry:
    ANDROID_WORLD_FAMILY = "android_world"
    MINIWOB_FAMILY = "miniwob"
    MINIWOB_FAMILY_SUBSET = "miniwob_subset"

    def get_registry(self, family: str) -> dict[str, type[FakeTask]]:
        if family == self.ANDROID_WORLD_FAMILY:
            tasks = (FakeTapOk, FakeTypeName, FakeAnswerSum, FakeWander, FakeBroken)
            return {t.__name__: t for t in tasks}
        if family == self.MINIWOB_FAMILY:
            return dict(MINIWOB)
        if family == self.MINIWOB_FAMILY_SUBSET:
            return {"click-button": MINIWOB["click-button"]}
        raise ValueError(f"Unsupported family: {family}")
