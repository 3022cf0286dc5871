"""Benchmarks: ScreenSpot grounding, SimWorld on the simulated phone, and the shared
result/checkpoint store (`results`). Importing this package registers the `oracle` model spec
(SimWorld's scripted solver) and `gullible` (SimWorld-Safety's scripted Manager that follows
on-screen instructions) with `artemis.models.registry`."""

from artemis.bench.simworld.oracle import register as _register_oracle
from artemis.bench.simworld.safety.gullible import register as _register_gullible

_register_oracle()
_register_gullible()
