"""artemis: an async runtime for deliberative mobile GUI agents.

One step of an episode observes the device, retrieves app-specific tips, plans an action with
the Manager, checks it for thought-action consistency (TAC), corrects it when needed (ACA),
executes it over ADB and reflects on the outcome (SRA).
"""

__version__ = "0.1.0"
