"""Settlement throughput, as a ratio to the library's bare one-event save in the same process.

    .venv/bin/python -m benchmarks.settlement_throughput [--backend sqlite|postgres] [-n 300]

The baseline saves one new trivial aggregate per transaction (the floor any command pays);
a settlement loads the agreement and person (cached), adjudicates, and saves two aggregates.
Machines here are noisy: compare the ratio, not the absolute rate.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from eventsourcing.domain import event
from pydantic import SecretStr

from benchmarks.claims import claim, enroll, institution, sign
from benchmarks.cloned_log import create_pg_database, drop_pg_database
from domain.audit import Audit, recorded_as
from domain.base import YibaoAggregate
from interfaces.bootstrap import build
from interfaces.migrate import upgrade
from interfaces.settings import Settings


class Ping(YibaoAggregate):
    @event("Pinged")
    def __init__(self, n: int) -> None:
        self.n = n


def measure(settings: Settings, count: int) -> dict[str, float]:
    container = build(settings)
    region = container.region
    try:
        sign(region)
        people = [enroll(region, n) for n in range(20)]
        started = time.perf_counter()
        for n in range(count):
            with recorded_as(Audit("bench", "system"), region.clock()):
                ping = Ping(n=n)
            region.save(ping)
        baseline = count / (time.perf_counter() - started)
        started = time.perf_counter()
        for n in range(count):
            request = claim(people[n % len(people)], n)
            region.settle(institution(request.request_id), request)
        settle = count / (time.perf_counter() - started)
        return {
            "baseline_saves_per_s": baseline,
            "settlements_per_s": settle,
            "ratio": settle / baseline,
        }
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("-n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            settings = Settings(database_url=url, data_dir=Path(tmp))
        else:
            url = create_pg_database()
            settings = Settings(database_url=url, data_dir=Path(tmp), id_secret=SecretStr("bench"))
        try:
            upgrade(settings)
            figures = measure(settings, args.n)
        finally:
            if args.backend == "postgres":
                drop_pg_database(url)
    print(f"{args.backend}: " + ", ".join(f"{k}={v:.2f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
