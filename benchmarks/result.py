"""What every benchmark scenario reports: its figures beside a baseline run in the same process.

The harness (`python -m benchmarks`, `make bench`, `make bench-smoke`) finds each module in
`benchmarks/scenarios/`, calls its `run(size, backend)` and writes the results as JSON, a Markdown
table and a chart. Machines here are noisy, so a scenario judges itself by ratios to its same-run
baseline wherever it can, and by absolute figures only where the issue states one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

Size = Literal["smoke", "full"]


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's outcome on one backend."""

    scenario: str
    backend: str
    size: Size
    figures: dict[str, float]
    """What was measured, named with its unit: `settlements_per_s`, `p99_ms`, `peak_rss_mb`, …"""
    baseline: dict[str, float]
    """The same-run baseline's figures (the library's naive loop, a one-event-per-transaction
    runner, …)."""
    ratio: float | None
    """The scenario's headline figure divided by the baseline's, where one applies."""
    targets: dict[str, str] = field(default_factory=dict)
    """Each target as a person reads it, keyed by figure: `{"ratio": ">= 3", "p99_ms": "< 100"}`."""
    met: bool | None = None
    """Whether every target was met; None for smoke runs, which check correctness, not speed."""
    checks: dict[str, bool] = field(default_factory=dict)
    """Correctness checks of the run (nothing lost, totals equal, chain verifies): all must hold."""
    notes: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class Scenario(Protocol):
    """What a module in `benchmarks/scenarios/` offers the harness."""

    NAME: str

    def run(self, size: Size, backend: str) -> ScenarioResult: ...
