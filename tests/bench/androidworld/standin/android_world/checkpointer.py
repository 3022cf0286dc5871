"""Stand-in for `android_world.checkpointer`: one gzipped pickle per task instance.

As theirs: a file is written in place (not atomically), and `load` skips, with a log line, a
file it cannot read, such as one another worker is writing at that moment.
"""

from __future__ import annotations

import gzip
import logging
import os
import pickle
from typing import Any

INSTANCE_SEPARATOR = "_"


class IncrementalCheckpointer:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def save_episodes(self, task_episodes: list[dict[str, Any]], task_name: str) -> None:
        with open(os.path.join(self.directory, f"{task_name}.pkl.gz"), "wb") as f:
            f.write(gzip.compress(pickle.dumps(task_episodes)))

    def load(self, fields: list[str] | None = None) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = []
        for name in sorted(os.listdir(self.directory)):
            if not name.endswith(".pkl.gz"):
                continue
            try:
                with open(os.path.join(self.directory, name), "rb") as f:
                    episodes = pickle.loads(gzip.decompress(f.read()))
                if fields is not None:
                    episodes = [{k: ep[k] for k in fields} for ep in episodes]
            except Exception as exc:  # theirs: broad, logged at info level, file skipped
                logging.info("Unable to load %s with exception: %s", name, exc)
                continue
            data.extend(episodes)
        return data
