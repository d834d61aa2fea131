"""Catch-up / rebuild of every projection from position 0, against the library-style runner.

    .venv/bin/python -m benchmarks.scenarios.rebuild [--size smoke|full] [--backend postgres]

The log is the demo region and a few hundred claims recorded through the application, cloned
(`benchmarks/cloned_log.py`) to `EVENTS[size]` events. The headline is `yibao projections
rebuild --all`: a new generation of every projection built from position 0 beside the live
one, in `WORKERS` processes (`interfaces/parallel_rebuild.py`), each reading the log in pages
of `PAGE` events for its group of projections. Beside it, the same catch-up in one process
(fresh generations, one transaction per page for all projections). The baseline is the
library's way — one event, one transaction with its tracking row — over the first
`BASELINE_EVENTS[size]` events of the same log, in the same process (it is far too slow to
run over all of them).
"""

from __future__ import annotations

import argparse
import json

from benchmarks.cloned_log import extend_by_cloning, record_template
from benchmarks.databases import fresh_database
from benchmarks.readside import catch_up_rate, parallel_rebuild_rate
from benchmarks.result import ScenarioResult, Size
from interfaces.bootstrap import build
from projections import tracking

NAME = "rebuild"
EVENTS = {"smoke": 800, "mid": 20_000, "full": 100_000}
BASELINE_EVENTS = {"smoke": 30, "mid": 300, "full": 1500}
TEMPLATE_SETTLEMENTS = {"smoke": 10, "mid": 200, "full": 200}
PAGE = 2000
WORKERS = 2
TARGETS = {"events_per_s": ">= 40000", "ratio": ">= 20"}


def run(size: Size, backend: str) -> ScenarioResult:
    with fresh_database(backend) as settings:
        record_template(settings, settlements=TEMPLATE_SETTLEMENTS[size])
        events = extend_by_cloning(settings, EVENTS[size])
        container = build(settings)
        try:
            upto = BASELINE_EVENTS[size]
            _, per_event = catch_up_rate(container, 1, upto=upto)
            read, one_process = catch_up_rate(container, PAGE)
            with container.engine.connect() as connection:
                before = tracking.live(connection)
            parallel = parallel_rebuild_rate(settings, WORKERS, PAGE)
            with container.engine.connect() as connection:
                live = tracking.live(connection)
        finally:
            container.close()
    ratio = parallel / per_event
    figures = {
        "events": float(read),
        "events_per_s": parallel,
        "one_process_events_per_s": one_process,
    }
    met = None if size == "smoke" else (parallel >= 40_000 and ratio >= 20)
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures=figures,
        baseline={"events": float(upto), "events_per_s": per_event},
        ratio=ratio,
        targets=TARGETS,
        met=met,
        checks={
            "read every event": read == events,
            "every projection rebuilt to the head": all(
                g.generation > before[name].generation and g.position == events
                for name, g in live.items()
            ),
            "no projection stopped": not any(g.failed for g in live.values()),
        },
        notes=f"rebuild --all in {WORKERS} processes, pages of {PAGE}; "
        "baseline: one event per transaction",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["smoke", "mid", "full"], default="smoke")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args()
    print(json.dumps(run(args.size, args.backend).as_json(), indent=2))


if __name__ == "__main__":
    main()
