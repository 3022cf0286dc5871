"""Finding the episodes under a folder and loading them, saying what is missing or broken.

An episode folder is one with `episode.json` or `steps.jsonl` (format `artemis.trajectory/1`,
see `artemis.agent.trajectory`). `find_episodes` accepts the folder itself, or episode folders
up to two levels below it (a benchmark's `--out`). Loading never raises on bad content: what
cannot be read becomes a sentence in `Episode.problems`, and the rest is still shown.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.agent.trajectory import read_steps
from artemis.errors import StorageError

EPISODE_FILE = "episode.json"
STEPS_FILE = "steps.jsonl"
#: How deep below the report folder episodes are looked for.
MAX_DEPTH = 2
SUCCESS = frozenset({"success", "answered"})


def is_episode(folder: Path) -> bool:
    return (folder / EPISODE_FILE).is_file() or (folder / STEPS_FILE).is_file()


def find_episodes(root: Path) -> list[Path]:
    """`root` when it is an episode, else the episode folders below it (sorted, not nested
    inside one another)."""
    if is_episode(root):
        return [root]
    found: list[Path] = []
    level = [root]
    for _ in range(MAX_DEPTH):
        below: list[Path] = []
        for folder in level:
            try:
                children = sorted(p for p in folder.iterdir() if p.is_dir())
            except OSError:
                continue
            for child in children:
                if child.name.startswith("."):
                    continue
                (found if is_episode(child) else below).append(child)
        level = below
    return sorted(found)


@dataclass
class Episode:
    """One episode as read from disk: `data` is episode.json ({} when unreadable)."""

    folder: Path
    name: str
    data: dict[str, Any]
    steps: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    #: The benchmark's result record of this episode, when one was found beside it.
    record: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return str(self.data.get("id") or self.folder.name)

    @property
    def task(self) -> str:
        return str(self.data.get("task") or "")

    @property
    def status(self) -> str:
        """`running`, `done`, `crashed`, or `unknown` when episode.json is unreadable."""
        return str(self.data.get("status") or "unknown")

    @property
    def outcome(self) -> dict[str, Any]:
        out = self.data.get("outcome")
        return out if isinstance(out, dict) else {}

    @property
    def result(self) -> str:
        """What the agent's episode came to: the outcome's status, else the episode's status
        (`crashed`, `running`, `unknown`)."""
        status = self.outcome.get("status")
        if isinstance(status, str) and status:
            return status
        return self.status

    @property
    def success(self) -> bool:
        return self.result in SUCCESS

    @property
    def config(self) -> dict[str, Any]:
        cfg = self.data.get("config")
        return cfg if isinstance(cfg, dict) else {}

    @property
    def usage_total(self) -> dict[str, Any]:
        usage = self.data.get("usage")
        total = usage.get("total") if isinstance(usage, dict) else None
        return total if isinstance(total, dict) else {}

    @property
    def total_tokens(self) -> int:
        return _int(self.usage_total.get("total_tokens"))

    @property
    def cost_usd(self) -> float:
        return _float(self.usage_total.get("cost_usd"))

    @property
    def calls(self) -> int:
        return _int(self.usage_total.get("calls"))

    @property
    def duration_s(self) -> float | None:
        """Seconds from start to end: the recorded total, else the two timestamps."""
        timings = self.data.get("timings")
        if isinstance(timings, dict) and isinstance(timings.get("total_s"), int | float):
            return float(timings["total_s"])
        start, end = parse_time(self.data.get("started")), parse_time(self.data.get("ended"))
        if start is None or end is None:
            return None
        return max(0.0, (end - start).total_seconds())

    @property
    def started(self) -> str:
        return str(self.data.get("started") or "")

    @property
    def score(self) -> float | None:
        """The benchmark's score of the episode (its checker's verdict), when recorded."""
        value = (self.record or {}).get("score")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return None


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def load_episode(folder: Path, name: str) -> Episode:
    """Read one episode folder; whatever is missing or broken is listed in `problems`."""
    problems: list[str] = []
    data: Any = {}
    if not (folder / EPISODE_FILE).is_file():
        problems.append(
            f"{EPISODE_FILE} is missing: the task, configuration and outcome are unknown"
        )
    else:
        data, why = load_json(folder / EPISODE_FILE)
        if why is not None:
            problems.append(why)
            data = {}
    steps: list[dict[str, Any]] = []
    if not (folder / STEPS_FILE).is_file():
        problems.append(f"{STEPS_FILE} is missing: no step was recorded")
    else:
        try:
            steps, unread = read_steps(folder)
        except StorageError as exc:
            problems.append(f"{STEPS_FILE} cannot be read: {exc}")
        else:
            problems += unread
    if not isinstance(data, dict):
        problems.append(f"{EPISODE_FILE} holds {type(data).__name__}, not an object")
        data = {}
    counted = data.get("steps")
    if isinstance(counted, int) and counted > len(steps):
        problems.append(
            f"{EPISODE_FILE} counts {counted} steps but only {len(steps)} could be read "
            f"from {STEPS_FILE}"
        )
    if data.get("status") == "running":
        problems.append(
            "the episode has no end: it is still running, or its process was killed "
            "before it could record one"
        )
    return Episode(folder, name, data, steps, problems)


def load_json(path: Path) -> tuple[Any, str | None]:
    """A JSON file's content, or None and why not."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, ValueError) as exc:
        return None, f"{path.name} cannot be read: {exc}"
