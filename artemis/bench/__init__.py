"""Benchmarks: ScreenSpot grounding, and the shared result/checkpoint store (`results`)."""
