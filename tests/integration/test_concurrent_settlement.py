"""Several processes settling for the same person at once end with exact accumulators.

Per-person serialisation is optimistic: each save checks the person's version; the loser
re-decides on fresh state. Run on both backends, several rounds, real OS processes.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from interfaces.bootstrap import Container, build
from interfaces.settings import Settings
from tests.support import claim, enroll, institution, sign

PROCESSES = 4
CLAIMS_PER_PROCESS = 5
ROUNDS = 5


def _fixed_clock() -> datetime:
    return datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _settle_many(settings: Settings, person: UUID, worker: int, round_: int) -> list[str]:
    container = build(settings, clock=_fixed_clock)
    try:
        fund_pays = []
        for n in range(CLAIMS_PER_PROCESS):
            request_id = f"R{round_}-W{worker}-{n}"
            record = container.region.settle(
                institution(request_id=request_id), claim(person, "150.00", request_id=request_id)
            )
            assert record.result is not None
            fund_pays.append(str(record.result.fund_pay))
        return fund_pays
    finally:
        container.close()


def _settle_same_request(settings: Settings, person: UUID) -> str:
    container = build(settings, clock=_fixed_clock)
    try:
        record = container.region.settle(
            institution(request_id="SAME"), claim(person, "150.00", request_id="SAME")
        )
        return str(record.settlement_id)
    finally:
        container.close()


def test_processes_settling_for_one_person_end_with_exact_accumulators(
    container: Container,
) -> None:
    region = container.region
    sign(region)
    person = enroll(region, date(1961, 1, 5))
    context = multiprocessing.get_context("spawn")
    fund_pays: list[Decimal] = []
    with context.Pool(PROCESSES) as pool:
        for round_ in range(ROUNDS):
            jobs = [(container.settings, person, w, round_) for w in range(PROCESSES)]
            for result in pool.starmap(_settle_many, jobs):
                fund_pays += [Decimal(v) for v in result]

    claims = PROCESSES * CLAIMS_PER_PROCESS * ROUNDS
    summary = region.person(person, 2026)
    # A senior's 300.00 outpatient deductible is consumed exactly once, whatever the order.
    assert summary.outpatient_deductible_used == Decimal("300.00")
    assert summary.fund_paid_basic == sum(fund_pays)
    assert summary.fund_paid_basic == (claims * Decimal("150.00") - Decimal("300.00")) * Decimal(
        "0.65"
    )
    assert summary.version == 1 + claims


def test_concurrent_duplicates_from_several_processes_make_one_record(
    container: Container,
) -> None:
    region = container.region
    sign(region)
    person = enroll(region, date(1961, 1, 5))
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        ids = pool.starmap(_settle_same_request, [(container.settings, person)] * PROCESSES)
    assert len(set(ids)) == 1
    assert region.person(person, 2026).version == 2  # enrolled + one claim
