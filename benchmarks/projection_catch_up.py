"""Projection catch-up: batched transactions against one commit per event, same process.

    .venv/bin/python -m benchmarks.projection_catch_up [--backend sqlite|postgres|both]
        [-n 600] [--persons 600]

Records `n` settlements (two events each) for `persons` enrolled persons once, then catches
every projection up from position 0 twice: one transaction per event per projection
(batch size 1), and the runner's batches (500). Each pass starts from fresh, empty
generations, in a process whose key store has read no key yet (as a runner started on its
own would). The figure to compare is the ratio; machines here are noisy.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from pydantic import SecretStr

from interfaces.bootstrap import Container, build
from interfaces.migrate import upgrade
from interfaces.settings import Settings
from projections.catalog import build_projections
from projections.rebuild import start_generation, switch
from projections.runtime import BATCH_SIZE, Runner
from tests.conftest import create_pg_database, drop_pg_database
from tests.support import claim, enroll, institution, sign


def record(container: Container, settlements: int, persons: int) -> int:
    region = container.region
    sign(region)
    people = [enroll(region, date(1961, 1, 5)) for _ in range(persons)]
    for n in range(settlements):
        request = claim(people[n % len(people)], "120.00", request_id=f"B{n}")
        region.settle(institution(request_id=request.request_id), request)
    return region.head()


def catch_up_rate(settings: Settings, batch_size: int) -> float:
    """Events per second for every projection to go from position 0 to the head."""
    container = build(settings)
    try:
        return _rate(container, batch_size)
    finally:
        container.close()


def _rate(container: Container, batch_size: int) -> float:
    projections = build_projections(container.region.region_code)
    with container.engine.begin() as connection:
        for projection in projections:
            fresh = start_generation(connection, projection)
            switch(connection, projection, fresh.generation)
    runner = Runner(container.region, container.engine, projections, batch_size=batch_size)
    started = time.perf_counter()
    events = runner.catch_up()
    return events / (time.perf_counter() - started)


def measure(settings: Settings, settlements: int, persons: int) -> dict[str, float]:
    container = build(settings)
    try:
        events = record(container, settlements, persons)
    finally:
        container.close()
    per_event = catch_up_rate(settings, 1)
    batched = catch_up_rate(settings, BATCH_SIZE)
    return {
        "events": events,
        "per_event_commit_events_per_s": per_event,
        "batched_events_per_s": batched,
        "ratio": batched / per_event,
    }


def run(backend: str, settlements: int, persons: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            settings = Settings(database_url=url, data_dir=Path(tmp))
        else:
            url = create_pg_database()
            settings = Settings(database_url=url, data_dir=Path(tmp), id_secret=SecretStr("bench"))
        try:
            upgrade(settings)
            figures = measure(settings, settlements, persons)
        finally:
            if backend == "postgres":
                drop_pg_database(url)
    print(f"{backend}: " + ", ".join(f"{k}={v:,.1f}" for k, v in figures.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("-n", type=int, default=600, help="settlements to record")
    parser.add_argument("--persons", type=int, default=600, help="persons they are for")
    args = parser.parse_args()
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        run(backend, args.n, args.persons)


if __name__ == "__main__":
    main()
