"""Find the scenarios, run each on each backend, and judge the run.

A scenario is a module of `benchmarks/scenarios/` with `NAME` and `run(size, backend)`; one
that raises is reported as a failed result (its checks fail), never silently left out.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from collections.abc import Iterable

from benchmarks import scenarios
from benchmarks.result import Scenario, ScenarioResult, Size


def discover(only: Iterable[str] = ()) -> list[Scenario]:
    """Every scenario module, in name order; `only` keeps those whose NAME or module it names."""
    wanted = set(only)
    found: list[Scenario] = []
    for info in sorted(pkgutil.iter_modules(scenarios.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{scenarios.__name__}.{info.name}")
        if not hasattr(module, "run") or not hasattr(module, "NAME"):
            continue
        if wanted and module.NAME not in wanted and info.name not in wanted:
            continue
        found.append(module)  # type: ignore[arg-type]
    return found


def run_all(found: list[Scenario], size: Size, backends: list[str]) -> list[ScenarioResult]:
    results: list[ScenarioResult] = []
    for scenario in found:
        for backend in backends:
            print(f"· {scenario.NAME} on {backend} ({size}) …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            result = _run_one(scenario, size, backend)
            took = time.perf_counter() - started
            print(f"  {_verdict(result)} in {took:.1f} s", file=sys.stderr, flush=True)
            results.append(result)
    return results


def _run_one(scenario: Scenario, size: Size, backend: str) -> ScenarioResult:
    try:
        return scenario.run(size, backend)
    except Exception:
        return ScenarioResult(
            scenario=scenario.NAME,
            backend=backend,
            size=size,
            figures={},
            baseline={},
            ratio=None,
            checks={"ran": False},
            notes=traceback.format_exc(limit=8),
        )


def checks_hold(results: list[ScenarioResult]) -> bool:
    return all(all(r.checks.values()) and r.checks for r in results)


def _verdict(result: ScenarioResult) -> str:
    failed = [name for name, ok in result.checks.items() if not ok]
    if failed or not result.checks:
        return "CHECKS FAILED: " + ", ".join(failed or ["none reported"])
    if result.met is None:
        return "checks hold"
    return "targets met" if result.met else "checks hold, targets NOT met"
