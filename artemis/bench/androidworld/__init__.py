"""AndroidWorld (google-research/android_world) for artemis: the adapter and the runner.

- `convert`: our actions to their `JSONAction`s, their `State` to our `Observation`;
- `device`: `AndroidWorldDevice`, our Device protocol over their env;
- `agent`: the `EnvironmentInteractingAgent` subclass that runs one artemis step per `step`;
- `worker`, `runner`: one emulator's share of a run, and the run across emulators;
- `results`: the usage ledger and the summary AndroidWorld's way;
- `deps`: the lazy import of android_world and how to install it.

Nothing here imports android_world at import time.
"""
