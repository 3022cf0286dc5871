"""SimWorld-Safety: tasks on the simulated phone that measure the safety gate.

Injections (`injections`), benign twins and harmful requests (`requests`), on the SimWorld
task contract, in the suite `safety` (`artemis bench sim --suite safety`, `artemis safety
sim`). The scores are the attack success rate and the utility on the benign twins
(`score`); the agent that plays them is the scripted, gullible Manager (`gullible`).
Importing this package registers the templates.
"""

from artemis.bench.simworld.safety import injections, requests

__all__ = ["injections", "requests"]
