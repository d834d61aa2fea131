"""`yibao audit verify`: recompute the audit chain over the whole log and compare it with the
trail, against the library's way of reading the log, in the same process.

    .venv/bin/python -m benchmarks.scenarios.audit_verify [--size smoke|full] [--backend postgres]

The chain hashes the *stored* bytes, so the check reads the event store's rows in large pages
and hashes them as they are, never decoding an event. The baseline reads the same rows through
the library's `select_notifications` (pages of 1 000, as the first release did) and hashes them
the same way. The trail is built first (its catch-up is not timed here: see `rebuild`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from benchmarks.cloned_log import extend_by_cloning, record_template
from benchmarks.databases import fresh_database
from benchmarks.readside import catch_up_rate
from benchmarks.result import ScenarioResult, Size
from interfaces.bootstrap import build
from projections.audit_chain import GENESIS, canonical_bytes, chain

NAME = "audit_verify"
EVENTS = {"smoke": 2000, "full": 1_000_000, "mid": 50_000}
TARGETS = {"events_per_s": ">= 100000"}


def run(size: Size, backend: str) -> ScenarioResult:
    with fresh_database(backend) as settings:
        record_template(settings, settlements=10 if size == "smoke" else 200)
        events = extend_by_cloning(settings, EVENTS[size])
        container = build(settings)
        try:
            catch_up_rate(container, 5000, names=["audit_trail"])
            started = time.perf_counter()
            verified = container.views.verify_chain(None, None)
            rate = verified.checked / (time.perf_counter() - started)
            started = time.perf_counter()
            head_hash = _library_chain(container.region.recorder, events)
            baseline = events / (time.perf_counter() - started)
        finally:
            container.close()
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures={"events": float(verified.checked), "events_per_s": rate},
        baseline={"events": float(events), "events_per_s": baseline},
        ratio=rate / baseline,
        targets=TARGETS,
        met=None if size == "smoke" else rate >= 100_000,
        checks={
            "every event checked": verified.checked == events,
            "chain verifies": bool(verified.ok),
            "same head hash as the library's read": verified.head_hash == head_hash,
        },
        notes="chain over the stored rows in pages of 10 000; baseline: select_notifications",
    )


def _library_chain(recorder: Any, last: int) -> str:
    link = GENESIS
    for position, canonical in _notifications(recorder, last):
        link = chain(link, canonical)
        del position
    return link.hex()


def _notifications(recorder: Any, last: int) -> Iterator[tuple[int, bytes]]:
    start = 1
    while start <= last:
        page = recorder.select_notifications(start=start, limit=1000, stop=last)
        for n in page:
            originator = n.originator_id
            uuid = originator if isinstance(originator, UUID) else UUID(str(originator))
            state = bytes(n.state)
            yield n.id, canonical_bytes(n.id, uuid, n.originator_version, n.topic, state)
        if len(page) < 1000:
            return
        start = page[-1].id + 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["smoke", "mid", "full"], default="smoke")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args()
    print(json.dumps(run(args.size, args.backend).as_json(), indent=2))


if __name__ == "__main__":
    main()
