"""Peak memory of rebuilding every projection from a large log: bounded, and flat as it grows.

    .venv/bin/python -m benchmarks.scenarios.rebuild_memory [--size smoke|mid|full]

The runner reads the log in pages and keeps at most `SEEN_ROWS` rows per projection between
pages, so its memory must not grow with the log. The scenario catches every projection up
from fresh generations in four equal steps and samples the resident set after each; the
baseline is the resident set after the first quarter (same process, same log).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.cloned_log import extend_by_cloning, record_template
from benchmarks.databases import fresh_database
from benchmarks.readside import fresh_generations, peak_rss_mb
from benchmarks.result import ScenarioResult, Size
from interfaces.bootstrap import READ_SIDE_KEY_CACHE, build
from projections import tracking
from projections.catalog import build_projections
from projections.rebuild import REBUILD_BATCH_SIZE
from projections.runtime import Runner

NAME = "rebuild_memory"
EVENTS = {"smoke": 800, "mid": 50_000, "full": 1_000_000}
TARGETS = {"peak_rss_mb": "< 500", "growth_after_first_quarter_mb": "< 50"}


def run(size: Size, backend: str) -> ScenarioResult:
    with fresh_database(backend) as settings:
        record_template(settings, settlements=10 if size == "smoke" else 200)
        events = extend_by_cloning(settings, EVENTS[size])
        container = build(settings, key_cache=READ_SIDE_KEY_CACHE)  # as `projections run`
        try:
            fresh_generations(container)
            projections = build_projections(container.region.region_code)
            runner = Runner(
                container.log, container.engine, projections, batch_size=REBUILD_BATCH_SIZE
            )
            samples = []
            for quarter in range(1, 5):
                runner.catch_up(upto=events * quarter // 4)
                samples.append(current_rss_mb())
            with container.engine.connect() as connection:
                live = tracking.live(connection)
        finally:
            container.close()
    peak, growth = peak_rss_mb(), samples[-1] - samples[0]
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures={"events": float(events), "peak_rss_mb": peak, "rss_at_end_mb": samples[-1]},
        baseline={"rss_after_first_quarter_mb": samples[0]},
        ratio=samples[-1] / samples[0],
        targets=TARGETS,
        met=None if size == "smoke" else (peak < 500 and growth < 50),
        checks={
            "every projection at the head": all(g.position == events for g in live.values()),
            "no projection stopped": not any(g.failed for g in live.values()),
        },
        notes="resident set after each quarter: " + ", ".join(f"{s:.0f}" for s in samples),
    )


def current_rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["smoke", "mid", "full"], default="smoke")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args()
    print(json.dumps(run(args.size, args.backend).as_json(), indent=2))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
