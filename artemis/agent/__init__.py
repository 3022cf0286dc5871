"""The deliberative agent: roles (Manager, TAC, ACA, SRA), working memory, and the loop.

Entry points: `run_episode` (one episode, recorded), `Agent` (one step at a time, for
benchmarks that drive the episode themselves), `RoleModels` (the model of each role), and
`HeuristicPolicy` (the offline, model-free baseline). Importing this package registers the
`heuristic` model spec with `artemis.models.registry`.
"""

from artemis.agent.episode import EpisodeResult, propose_lessons, run_episode
from artemis.agent.events import AgentEvent
from artemis.agent.heuristic import HeuristicPolicy, register
from artemis.agent.loop import Agent
from artemis.agent.steps import Continue, Finished, NextStep, StepResult, Stopped
from artemis.models.roles import RoleModels

register()

__all__ = [
    "Agent",
    "AgentEvent",
    "Continue",
    "EpisodeResult",
    "Finished",
    "HeuristicPolicy",
    "NextStep",
    "RoleModels",
    "StepResult",
    "Stopped",
    "propose_lessons",
    "run_episode",
]
