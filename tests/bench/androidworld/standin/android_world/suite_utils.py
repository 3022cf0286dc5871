"""Stand-in for `android_world.suite_utils`: build a seeded suite and run it with resume.

Behaviour as android_world's (read at the commit artemis was checked against): each instance
is checkpointed as `{task.name}_{i}`, under the task's own name, not its registry key (they
differ for MiniWoB); finished instances are skipped on resume and errored ones rerun; a task
that raises (in its set-up, the episode or its grading) is recorded with its traceback and the
run goes on; the step budget is `int(10 * complexity)`; `is_successful` grades every episode,
and an episode the agent never ended scores 0; MiniWoB tasks end when the page gives a reward;
`process_episodes_fn` is called after each instance with the metadata so far.
"""

from __future__ import annotations

import hashlib
import math
import random
import traceback
from collections.abc import Callable
from typing import Any

from android_world.checkpointer import INSTANCE_SEPARATOR


class Suite(dict[str, Any]):
    suite_family: str = ""


def create_suite(
    task_registry: dict[str, Any],
    n_task_combinations: int = 1,
    seed: int | None = None,
    tasks: list[str] | None = None,
    use_identical_params: bool = False,
    env: Any = None,
) -> Suite:
    del use_identical_params
    suite = {}
    for name, task_type in task_registry.items():
        if tasks is not None and name not in tasks:
            continue
        instances = []
        for i in range(n_task_combinations):
            digest = hashlib.sha256(f"{seed}/{name}/{i}".encode()).hexdigest()
            task_type.set_device_time(env)
            random.seed(int(digest, 16) % 2**32)
            params = task_type.generate_random_params()
            params["seed"] = seed
            instances.append(task_type(params))
        suite[name] = instances
    for name in tasks or ():
        if name not in task_registry:
            raise ValueError(f"Task {name} not found in the task registry.")
    return Suite(sorted(suite.items()))


def _budget(complexity: float) -> int:
    return int(10 * complexity)


def _episode(task: Any, agent: Any) -> tuple[bool, dict[str, list[int]]]:
    """`episode_runner.run_episode`: whether it is done, and the per-step data."""
    steps = _budget(task.complexity)
    if steps == 0:
        return False, {}
    terminated = task.name.lower().startswith("miniwob")
    agent.reset(task.start_on_home_screen)
    agent.set_max_steps(steps)
    numbers: list[int] = []
    done = False
    for n in range(steps):
        done = agent.step(task.goal).done
        numbers.append(n)
        if terminated and agent.env.reward:  # the MiniWoB page ends the episode
            return True, {"step_number": numbers}
        if done:
            break
    return done, {"step_number": numbers}


def run(
    suite: Suite,
    agent: Any,
    checkpointer: Any,
    demo_mode: bool = False,
    return_full_episode_data: bool = False,
    process_episodes_fn: Callable[..., Any] | None = None,
    check_episode_fn: Callable[[dict[str, Any]], bool] | None = None,
) -> list[dict[str, Any]]:
    del demo_mode, return_full_episode_data, check_episode_fn
    fields = ["task_template", "instance_id", "is_successful", "episode_length", "exception_info"]
    done_before: dict[str, dict[str, Any]] = {}
    for ep in checkpointer.load(fields=fields):
        done_before[f"{ep['task_template']}{INSTANCE_SEPARATOR}{ep['instance_id']}"] = ep
    metadata: list[dict[str, Any]] = []
    env = agent.env
    for instances in suite.values():
        for i, task in enumerate(instances):
            key = f"{task.name}{INSTANCE_SEPARATOR}{i}"
            old = done_before.get(key)
            if old is not None:
                metadata.append(old)
                if old["exception_info"] is None:
                    continue
            try:
                task.initialize_task(env)
                done, step_data = _episode(task, agent)
                score = task.is_successful(env)  # graded whether or not the agent said done
                length = len(step_data["step_number"])
            except Exception:
                episode = {
                    "task_template": task.name,
                    "is_successful": math.nan,
                    "episode_length": math.nan,
                    "exception_info": traceback.format_exc(),
                }
            else:
                episode = {
                    "task_template": task.name,
                    "is_successful": float(score) if done else 0.0,
                    "episode_length": length,
                    "exception_info": None,
                }
                task.tear_down(env)
            episode["instance_id"] = i
            episode["agent_name"] = agent.name
            checkpointer.save_episodes([episode], key)
            metadata.append({k: episode[k] for k in fields})
            if process_episodes_fn is not None:
                process_episodes_fn(metadata, print_summary=True)
    return metadata
