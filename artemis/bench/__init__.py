"""Benchmarks: ScreenSpot grounding, SimWorld on the simulated phone, and the shared
result/checkpoint store (`results`). The model specs `oracle` (SimWorld's scripted solver) and
`gullible` (SimWorld-Safety's scripted Manager that follows on-screen instructions) are loaded
by `artemis.models.registry` when a spec first names them."""
