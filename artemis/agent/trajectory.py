"""Trajectory recording: every episode writes a folder, as it goes.

Layout of `<out_dir>/<episode id>/` (format `artemis.trajectory/1`)::

    episode.json      the episode: rewritten atomically (write, fsync, rename) at the start,
                      after every step, and at the end
    steps.jsonl       one JSON object per finished step, appended durably at its end
                      (`artemis.durable`: one write, flush, fsync)
    screens/NNN.png   the screen before step NNN (0-based), unless `log_screens` is off
    screens/NNN-action.png   the same screen with the action drawn, when TAC/ACA looked at it
    screens/final.png the last screen seen

`episode.json` fields:

- `format`, `id`, `task`;
- `status`: `running` | `done` | `interrupted` (Ctrl-C, or the task was cancelled) |
  `crashed`; `started`, `ended` (ISO 8601, UTC);
- `config`: the agent settings and the model of each role;
- `outcome`: null while running, then `{status, reason, answer}`, status one of `success`,
  `failure`, `infeasible`, `answered`, `step_budget`, `step_failures`, `time_budget`
  (`agent.episode_timeout_s` ran out), `error`;
- `steps`: steps recorded;
- `usage`: `by_role` -> {model, input_tokens, output_tokens, calls}, and `total`;
- `timings`: `total_s`, and `by_stage` -> seconds summed over the steps;
- `lessons`: learnt tips proposed to the tip store (`step`, `app`, `text`, `id`, `duplicate`);
- `errors`: episode-level errors, a crash's included.

A `steps.jsonl` record:

- `step` (0-based), `started`, `app` (foreground package), `screen` (relative path or null);
- `screen_blank`: true when the device captured nothing of the screen (an all-black or empty
  screenshot, as for a window with FLAG_SECURE); the Manager was told so;
- `tips`: the texts retrieved;
- `thought`, `action`: the Manager's plan; actions are the action union's JSON, device pixels;
- `tac`: null, or `consistent`, `reason`, `decided_by` (`precheck` | `model` | `unchecked`)
  and `precheck` (`consistent`, `reason`, `element`, `score`);
- `correction`: null, or `error_type`, `thought`, `action`;
- `safety`: null (the gate is off, or the action does not reach the device), or the gate's
  verdict: `verdict` (`allow` | `confirm` | `block`), `category`, `clause`, `reason`,
  `decided_by` (`rules` | `model`), `outcome` (`allowed` | `confirmed` | `denied` |
  `blocked`), `rules` (the rule stage's `verdict`, `category`, `clause`, `reason`, `sure`,
  `signals`), `guard` (null, or its `verdict`, `category`, `clause`, `reason`, `analysis`),
  `confirmation` (null, or `approved` and `by`: `terminal` | `setting`), and `error` when the
  guard gave no usable answer (the gate then failed closed);
- `executed`: the action carried out, or null;
- `reflection`: null, or `success`, `analysis`, `guidance`, `lesson`; `ui_diff`: text or null;
- `settle`: null, or `stable`, `polls`, `waited_s`, `observed_first` (the screen was observed
  right after the first poll, which the later polls confirmed: `artemis.agent.settle`);
- `status`: `ok`; `failed` (no usable plan, or the action could not be carried out);
  `rejected` (TAC found the action inconsistent with ACA off, so it did not run); `blocked`
  (the safety gate blocked it, or no one confirmed it, so it did not run); `done` (finish or
  answer);
- `timings`: seconds per stage (observe, tips, plan, check, correct, gate, confirm, execute,
  settle, reflect; only the stages that ran); a kept speculative plan's stages that ran beside
  the previous reflection are `speculative_tips`, `speculative_plan_call`,
  `speculative_check` and `speculative_correct`, and its `plan` is the wait for them;
- `tokens`: per role, `model`, `input_tokens`, `output_tokens`, `calls`, `latency_s`,
  `attempts`, `errors` (the rejected replies' problems);
- `errors`: what went wrong in the step; `device_retries`: restarts after device drops;
- `elements`: the UI elements that the step's actions name by index (planned, corrected,
  executed), so that a viewer can draw them: index (a string) -> `bounds` [x1, y1, x2, y2] in
  device pixels, `class`, `name`.

A crash loses at most the step in flight: finished steps are on disk, and `episode.json` says
`crashed` with the error (`interrupted` after a Ctrl-C). `read_trajectory` skips a torn last
line of `steps.jsonl` and any broken line, and says which in its problems.

With `log_typed_text` off, the text of `type` actions is replaced by `[redacted]` in every
record, and every occurrence of it elsewhere (thoughts, reflections, the task) is masked too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import secrets
from pathlib import Path
from typing import Any

from artemis.durable import JsonlLog, ensure_dir, iter_jsonl, write_atomic
from artemis.errors import StorageError

FORMAT = "artemis.trajectory/1"
REDACTED = "[redacted]"


def new_episode_id() -> str:
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Redactor:
    """Masks typed text in records when `log_typed_text` is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.secrets: set[str] = set()

    def scan(self, value: Any) -> None:
        """Remember the text of every `type` action found in `value`."""
        if not self.enabled:
            return
        if isinstance(value, dict):
            if value.get("type") == "type" and isinstance(value.get("text"), str):
                self.secrets.add(value["text"])
            for v in value.values():
                self.scan(v)
        elif isinstance(value, list):
            for v in value:
                self.scan(v)

    def __call__(self, value: Any) -> Any:
        if not self.enabled:
            return value
        if isinstance(value, dict):
            if value.get("type") == "type" and "text" in value:
                value = {**value, "text": REDACTED}
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, str):
            for s in sorted(self.secrets, key=len, reverse=True):
                value = value.replace(s, REDACTED)
            return value
        return value


class TrajectoryWriter:
    """Writes one episode's folder (see the module docstring). File I/O runs off the loop."""

    def __init__(
        self,
        root: Path,
        episode: dict[str, Any],
        *,
        log_screens: bool = True,
        log_typed_text: bool = True,
    ) -> None:
        self.root = root
        self.episode = episode
        self.log_screens = log_screens
        self.redact = Redactor(enabled=not log_typed_text)
        self._steps = JsonlLog(root / "steps.jsonl")
        self._lock = asyncio.Lock()

    @classmethod
    async def create(
        cls,
        out_dir: Path,
        *,
        task: str,
        config: dict[str, Any],
        episode_id: str | None = None,
        log_screens: bool = True,
        log_typed_text: bool = True,
    ) -> TrajectoryWriter:
        episode_id = episode_id or new_episode_id()
        root = Path(out_dir) / episode_id
        episode: dict[str, Any] = {
            "format": FORMAT,
            "id": episode_id,
            "task": task,
            "status": "running",
            "started": now_iso(),
            "ended": None,
            "config": config,
            "outcome": None,
            "steps": 0,
            "usage": {},
            "timings": {},
            "lessons": [],
            "errors": [],
        }
        writer = cls(root, episode, log_screens=log_screens, log_typed_text=log_typed_text)
        await asyncio.to_thread(writer._init_dirs)
        await writer.update()
        return writer

    def _init_dirs(self) -> None:
        ensure_dir(self.root / "screens")
        try:
            (self.root / "steps.jsonl").touch()
        except OSError as exc:
            raise StorageError(f"cannot write in {self.root}: {exc.strerror or exc}") from exc

    @property
    def id(self) -> str:
        return str(self.episode["id"])

    async def screen(self, name: str, png: bytes) -> str | None:
        """Save a screenshot; returns its path relative to the episode folder (None when off)."""
        if not self.log_screens:
            return None
        rel = f"screens/{name}.png"
        # Not synced: a screenshot may be lost in a power cut, unlike the records.
        await asyncio.to_thread(functools.partial(write_atomic, sync=False), self.root / rel, png)
        return rel

    async def step(self, record: dict[str, Any]) -> None:
        self.redact.scan(record)
        async with self._lock:
            await asyncio.to_thread(self._steps.append, self.redact(record))
            self.episode["steps"] += 1

    async def update(self, **fields: Any) -> None:
        """Merge `fields` into episode.json and rewrite it atomically."""
        async with self._lock:
            self.episode.update(fields)
            text = self._episode_text()
            await asyncio.to_thread(write_atomic, self.root / "episode.json", text)

    def update_now(self, **fields: Any) -> None:
        """Synchronous `update`, for crash paths where the event loop may be going away."""
        self.episode.update(fields)
        write_atomic(self.root / "episode.json", self._episode_text())

    def _episode_text(self) -> str:
        return json.dumps(self.redact(self.episode), ensure_ascii=False, indent=2, default=str)


def read_trajectory(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An episode folder's `episode.json` and step records (lines that cannot be read are
    skipped: `read_steps` says which)."""
    episode = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    return episode, read_steps(folder)[0]


def read_steps(folder: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The step records of `folder/steps.jsonl`, and a sentence for each line that could not
    be read (a torn last line: the episode stopped while writing it)."""
    steps: list[dict[str, Any]] = []
    problems: list[str] = []
    for line in iter_jsonl(folder / "steps.jsonl"):
        if line.record is not None:
            steps.append(line.record)
        elif line.torn:
            problems.append(
                "the last line of steps.jsonl is torn (the episode stopped while writing it); "
                "that step is not shown"
            )
        else:
            problems.append(f"steps.jsonl line {line.number} is broken ({line.reason}); not shown")
    return steps, problems
