"""Read-your-writes: how long after a settlement is acknowledged a `min_position` read of it
can answer, with the projections following the log in the background (as `yibao serve`).

    .venv/bin/python -m benchmarks.scenarios.read_your_writes [--size smoke|full]

Each settlement is recorded through the application; the clock starts when `settle` returns
its position and stops when `Views.wait_for` says the settlement view has reached it — what
`GET /v1/settlements/{id}?min_position=` waits for. The baseline waits for every projection
to reach the position, as every read did before reads named the projections they need.
One writer, one reader: the HTTP load scenario measures the same wait under load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.claims import claim, enroll, institution, sign
from benchmarks.databases import fresh_database
from benchmarks.result import ScenarioResult, Size
from interfaces.bootstrap import build, start_projections

NAME = "read_your_writes"
WRITES = {"smoke": 20, "full": 300}
TARGETS = {"p99_ms": "< 50"}


def run(size: Size, backend: str) -> ScenarioResult:
    with fresh_database(backend) as settings:
        container = build(settings)
        background = start_projections(container)
        try:
            region = container.region
            sign(region)
            people = [enroll(region, n) for n in range(20)]
            assert container.views.wait_for(region.head(), timeout=30)
            own, every, seen = [], [], 0
            for n in range(WRITES[size]):
                request = claim(people[n % len(people)], n)
                written = region.settle(institution(request.request_id), request)
                started = time.perf_counter()
                seen += container.views.wait_for(written.position, 5.0, ["settlements"])
                own.append(time.perf_counter() - started)
                every.append(time.perf_counter() - started)
                container.views.wait_for(written.position, 5.0)
                every[-1] = time.perf_counter() - started
        finally:
            background.stop()
            container.close()
    p99, baseline_p99 = _p99_ms(own), _p99_ms(every)
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures={"p50_ms": statistics.median(own) * 1000, "p99_ms": p99},
        baseline={"p50_ms": statistics.median(every) * 1000, "p99_ms": baseline_p99},
        ratio=baseline_p99 / p99 if p99 else None,
        targets=TARGETS,
        met=None if size == "smoke" else p99 < 50,
        checks={"every write was read": seen == WRITES[size]},
        notes="one writer; baseline: waiting for every projection",
    )


def _p99_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["smoke", "full"], default="smoke")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args()
    print(json.dumps(run(args.size, args.backend).as_json(), indent=2))


if __name__ == "__main__":
    main()
