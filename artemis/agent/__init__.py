"""The deliberative agent: roles (Manager, TAC, ACA, SRA), working memory, and the loop.

Entry points: `run_episode` (one episode, recorded), `Agent` (one step at a time, for
benchmarks that drive the episode themselves), `RoleModels` (the model of each role), and
`HeuristicPolicy` (the offline, model-free baseline).
"""

from artemis.agent.episode import EpisodeResult, propose_lessons, run_episode
from artemis.agent.events import AgentEvent
from artemis.agent.loop import Agent, RoleModels
from artemis.agent.steps import Continue, Finished, NextStep, StepResult, Stopped

__all__ = [
    "Agent",
    "AgentEvent",
    "Continue",
    "EpisodeResult",
    "Finished",
    "NextStep",
    "RoleModels",
    "StepResult",
    "Stopped",
    "propose_lessons",
    "run_episode",
]
