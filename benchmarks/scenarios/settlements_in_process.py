"""In-process settlements from 32 threads, against the library's naive loop in the same run.

The claims come from the synthetic region (both schemes, every level, A/B/C mixes, ~2 %
exact retries, some rejections). Checks: every request answered without error, every retry
answered from the stored record (one settlement per request id), the persons' accumulators
and accounts equal the sums of their settlements, and a reader following the log
during the run missed no event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from application.settlements import SettlementRecord, SettlementRequest
from benchmarks.checks import LogTail, accumulators_exact, settlements_stored
from benchmarks.databases import fresh_database
from benchmarks.naive import concurrently, naive_saves_per_s, percentile
from benchmarks.result import ScenarioResult, Size
from benchmarks.synthetic import YEAR, SyntheticRegion, institution_context
from domain.settlement import settlement_id
from interfaces.bootstrap import build

NAME = "settlements_in_process"
CLIENTS = 32
SIZES: dict[str, dict[str, int]] = {
    "smoke": {"persons": 12, "institutions": 4, "claims": 120},
    "full": {"persons": 400, "institutions": 8, "claims": 6000},
}
TARGETS = {"postgres": {"settlements_per_s": ">= 3000", "ratio": ">= 3"}}


def run(size: Size, backend: str) -> ScenarioResult:
    shape = SIZES[size]
    with fresh_database(backend) as settings:
        synthetic = SyntheticRegion(persons=shape["persons"], institutions=shape["institutions"])
        container = build(settings)
        try:
            synthetic.load(container.region)
            requests = synthetic.claims(shape["claims"])
            answers: dict[int, SettlementRecord] = {}

            def settle(indexed: tuple[int, SettlementRequest]) -> None:
                n, request = indexed
                ctx = institution_context(request.institution_code, request.request_id)
                answers[n] = container.region.settle(ctx, request)

            with LogTail(settings) as tail:
                elapsed, latencies = concurrently(settle, enumerate(requests), CLIENTS)
        finally:
            container.close()
        baseline = naive_saves_per_s(settings, clients=CLIENTS, count=len(requests))
        checks = _checks(settings, synthetic, requests, answers, tail)
    rate = len(requests) / elapsed
    figures = {
        "settlements_per_s": rate,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
    }
    targets = TARGETS.get(backend, {})
    ratio = rate / baseline
    return ScenarioResult(
        scenario=NAME,
        backend=backend,
        size=size,
        figures=figures,
        baseline={"naive_saves_per_s": baseline},
        ratio=ratio,
        targets=targets,
        met=None if size == "smoke" or not targets else rate >= 3000 and ratio >= 3,
        checks=checks,
        notes=f"{len(requests)} requests, {CLIENTS} threads, {shape['persons']} persons",
    )


def _checks(
    settings: Any,
    synthetic: SyntheticRegion,
    requests: list[SettlementRequest],
    answers: dict[int, SettlementRecord],
    tail: LogTail,
) -> dict[str, bool]:
    first: dict[str, SettlementRecord] = {}
    consistent = True
    created = 0
    for n, request in enumerate(requests):
        answer = answers[n]
        created += answer.created
        earlier = first.setdefault(request.request_id, answer)
        consistent &= earlier.settlement_id == answer.settlement_id
        consistent &= earlier.result == answer.result
    ids = {settlement_id(r.institution_code, r.request_id) for r in requests}
    reader = build(settings)
    try:
        region = reader.region
        return {
            "every_request_answered": len(answers) == len(requests),
            "one_settlement_per_request_id": created == len(ids) and consistent,
            "every_settlement_stored": settlements_stored(region, ids) == len(ids),
            "accumulators_exact": accumulators_exact(
                region, synthetic.person_ids, YEAR, Decimal("3000.00")
            ),
            "log_followed_without_loss": tail.missed_nothing(region),
        }
    finally:
        reader.close()
