"""Benchmark scenarios, one module each, exposing `NAME` and `run(size, backend) -> ScenarioResult`
(see `benchmarks/result.py`). A scenario builds its own data (the synthetic region generator lives
in `benchmarks/`, never in `tests/`), runs its baseline in the same process, and cleans up after
itself.
"""
