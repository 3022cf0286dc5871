"""Benchmarks: ScreenSpot grounding, SimWorld on the simulated phone, and the shared
result/checkpoint store (`results`). Importing this package registers the `oracle` model spec
(SimWorld's scripted solver) with `artemis.models.registry`."""

from artemis.bench.simworld.oracle import register as _register_oracle

_register_oracle()
