"""Loading a person with a long claim history (1,000 settlements), with no cache: by replaying
every event, and from the latest snapshot; the baseline loads a one-event aggregate the same way.

Checks: both loads give the same person, whose year totals are the sums of their settlements.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository

from application.core import project
from application.settlements import SettlementRequest
from benchmarks.checks import accumulators_exact
from benchmarks.databases import fresh_database
from benchmarks.naive import BENCH_AUDIT, Ping
from benchmarks.result import ScenarioResult, Size
from benchmarks.synthetic import YEAR, SyntheticRegion, institution_context
from domain.audit import recorded_as
from domain.person import InsuredPerson
from domain.settlement_rules import ClaimItem
from interfaces.bootstrap import build

NAME = "person_load"
SIZES = {"smoke": {"settlements": 60, "loads": 5}, "full": {"settlements": 1000, "loads": 30}}
TARGETS = {"postgres": {"load_ms": "<= 15", "snapshot_load_ms": "<= 2"}}


def run(size: Size, backend: str) -> ScenarioResult:
    shape = SIZES[size]
    with fresh_database(backend) as settings:
        synthetic = SyntheticRegion(persons=1, institutions=3)
        container = build(settings)
        try:
            region = container.region
            synthetic.load(region)
            person_id = synthetic.person_ids[0]
            for n in range(shape["settlements"]):
                request = _claim(person_id, synthetic.institution_codes[n % 3], n)
                region.settle(
                    institution_context(request.institution_code, request.request_id), request
                )
            with recorded_as(BENCH_AUDIT, region.clock()):
                ping = Ping(n=0)
            region.save(ping)
        finally:
            container.close()
        reader = build(settings)
        try:
            region = reader.region
            replay = Repository(region.repository.event_store)
            snapshots = Repository(region.repository.event_store, snapshot_store=region.snapshots)
            loads = shape["loads"]
            # As the region loads (`RegionCore._find`), with its projector.
            from_events, replayed = _timed(
                lambda: replay.get(person_id, projector_func=project), loads
            )
            from_snapshot, restored = _timed(
                lambda: snapshots.get(person_id, projector_func=project), loads
            )
            baseline, _ = _timed(lambda: replay.get(ping.id, projector_func=project), loads)
            checks = {
                "same_person_both_ways": _state(replayed) == _state(restored),
                "history_kept_in_the_events": replayed.version == shape["settlements"] + 1,
                "accumulators_exact": accumulators_exact(region, [person_id], YEAR, Decimal(0)),
            }
        finally:
            reader.close()
    targets = TARGETS.get(backend, {})
    figures = {"load_ms": from_events, "snapshot_load_ms": from_snapshot}
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures=figures,
        baseline={"one_event_aggregate_load_ms": baseline},
        ratio=baseline / from_snapshot,
        targets=targets,
        met=None if size == "smoke" or not targets else from_events <= 15 and from_snapshot <= 2,
        checks=checks,
        notes=f"median of {shape['loads']} loads, person with {shape['settlements']} settlements; "
        "ratio = one-event load / snapshot load",
    )


def _claim(person_id: UUID, code: str, n: int) -> SettlementRequest:
    amount = Decimal("80.00") + n % 7
    return SettlementRequest(
        request_id=f"P{n:06d}",
        institution_code=code,
        person_id=person_id,
        visit_id=f"V-P{n:06d}",
        visit_type="outpatient",
        service_date=date(YEAR, 1, 1) + timedelta(days=n % 360),
        diagnosis_code="E11.900",
        items=(ClaimItem("M1001", "二甲双胍片", "A", Decimal(1), amount, amount),),
    )


def _timed(load: Callable[[], Any], times: int) -> tuple[float, Any]:
    durations, loaded = [], None
    for _ in range(times):
        started = time.perf_counter()
        loaded = load()
        durations.append(1000 * (time.perf_counter() - started))
    return statistics.median(durations), loaded


def _state(person: InsuredPerson) -> tuple[Any, ...]:
    return (person.version, person.years, person.account_balance, person.suspensions)
