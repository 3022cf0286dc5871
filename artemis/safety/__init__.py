"""The safety gate between the check (TAC/ACA) and the execution of an action.

- `policy.yaml` and `policy`: the written policy, its numbered clauses and verdicts;
- `facts`: the step the gate judges; `rules`, `signals`, `text`: the free rule stage;
- `gate`: the rule stage, then the guard model (`artemis.agent.guard`) when it is unsure;
- `confirm`: who answers a "confirm"; `modes`: the gate of a benchmark run;
- `cases`, `evaluate`, `keyword`, `data/`: case files, scoring, the keyword baseline, and the
  labelled cases.

Importing this package imports nothing else; the agent loop imports what it uses.
"""
