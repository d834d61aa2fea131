"""A small region history that touches every view, and helpers to project and compare it.

Days are the region's (Asia/Shanghai): the clock fixture starts at 2026-03-02 10:00 there.
  2 March: two agreements, four funds, contributions, two persons, two settlements.
  3 March: a second settlement for the senior; a claim at the private hospital while its
           agreement is suspended (rejected).
  4 March: the second settlement reversed; a disbursement, a clawback with penalty, a
           recovery by offset; the private hospital reinstated and suspended again.
  1 April: one more settlement (closes March in the archive catalogue); an inspection hold
           (封存) on the public hospital's records, one on the clawback (released); the
           private hospital's employee budget issued and adjusted; an API token issued and
           revoked, another issued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, select

from application.context import ARCHIVIST, SYSTEM, Actor, Context
from application.region import Region
from domain.archive_records import RecordScope
from domain.fund import fund_id
from interfaces.bootstrap import Container, event_log
from projections.catalog import PROJECTION_CLASSES, build_projections
from projections.projection import tables_of
from projections.rebuild import rebuild
from projections.runtime import Runner
from projections.tracking import live
from tests.conftest import Clock
from tests.support import agency, claim, enroll, institution

ARCHIVIST_CTX = Context(Actor("archivist-1", ARCHIVIST))
PUBLIC_HOSPITAL = "H31010100001"
PRIVATE_HOSPITAL = "H31010100002"


@dataclass
class History:
    public_agreement: UUID
    private_agreement: UUID
    senior: UUID
    employee: UUID
    first_claim: UUID  # settled 2 March, partly clawed back
    reversed_claim: UUID
    rejected_claim: UUID
    employee_claim: UUID
    clawback: UUID
    resident_basic: UUID
    positions: list[int]


def record_history(
    region: Region, clock: Clock, after_each: Callable[[], Any] = lambda: None
) -> History:
    """Record the history; `after_each` runs after every command (e.g. a live catch-up)."""
    positions: list[int] = []

    def step(position: int) -> int:
        positions.append(position)
        after_each()
        return position

    public = region.sign_agreement(
        agency(),
        institution_code=PUBLIC_HOSPITAL,
        institution_name="示范社区卫生服务中心",
        level=1,
        ownership="public",
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
        annual_budget=Decimal("800.00"),
    )
    step(public.position)
    private = region.sign_agreement(
        agency(),
        institution_code=PRIVATE_HOSPITAL,
        institution_name="示范民营医院",
        level=2,
        ownership="private",
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
        annual_budget=Decimal("1200000.00"),
    )
    step(private.position)
    for scheme in ("resident", "employee"):
        for layer in ("basic", "major"):
            opened = region.open_fund(
                agency(), scheme=scheme, layer=layer, region_code="310000", name=f"{scheme} {layer}"
            )
            step(opened.position)
    resident_basic = fund_id("resident", "basic", "310000")
    step(
        region.receive_contribution(
            agency(),
            resident_basic,
            amount=Decimal("10000.00"),
            period="2026-03",
            source="employer",
        )
    )
    senior = enroll(region)  # born 1961: 65 in 2026
    step(region.head())
    employee = enroll(region, date(1990, 1, 20), scheme="employee")
    step(region.head())
    step(region.credit_account(agency(), employee, amount=Decimal("300.00"), period="2026-03"))
    first = region.settle(
        institution(request_id="REQ-1"),
        claim(senior, "1300.00", request_id="REQ-1", day=date(2026, 3, 2)),
    )
    step(first.position)
    employee_claim = region.settle(
        institution(PRIVATE_HOSPITAL, request_id="EMP-1"),
        claim(employee, "1500.00", request_id="EMP-1", code=PRIVATE_HOSPITAL, day=date(2026, 3, 2)),
    )
    step(employee_claim.position)

    clock.advance(days=1)  # 3 March
    second = region.settle(
        institution(request_id="REQ-2"),
        claim(senior, "400.00", request_id="REQ-2", day=date(2026, 3, 3)),
    )
    step(second.position)
    step(
        region.suspend_agreement(
            agency(),
            private.agreement_id,
            reason="稽核发现违规",
            effective_from=date(2026, 3, 5),
            effective_until=date(2026, 3, 20),
        )
    )
    rejected = region.settle(
        institution(PRIVATE_HOSPITAL, request_id="EMP-2"),
        claim(employee, "80.00", request_id="EMP-2", code=PRIVATE_HOSPITAL, day=date(2026, 3, 10)),
    )
    step(rejected.position)

    clock.advance(days=1)  # 4 March
    reversal = region.reverse_settlement(
        institution(request_id="REQ-2-R"), second.settlement_id, reason="收费项目录入错误"
    )
    step(reversal.position)
    step(
        region.disburse(
            agency(),
            resident_basic,
            agreement_id=public.agreement_id,
            period="2026-03",
            amount=Decimal("500.00"),
        )
    )
    assessed = region.assess_clawback(
        agency("CLAW-1"),
        agreement_id=public.agreement_id,
        settlement_ids=[first.settlement_id],
        amount=Decimal("100.00"),
        basis="violation",
        penalty_multiple=Decimal("1.5"),
        reason="超标准收费",
    )
    step(assessed.position)
    step(
        region.record_recovery(
            agency(), assessed.clawback_id, amount=Decimal("250.00"), method="offset"
        )
    )
    step(
        region.reinstate_agreement(
            agency(), private.agreement_id, reason="整改完成", effective_from=date(2026, 3, 15)
        )
    )
    step(
        region.suspend_agreement(
            agency(),
            private.agreement_id,
            reason="再次违规",
            effective_from=date(2026, 5, 1),
            effective_until=date(2026, 5, 10),
        )
    )

    clock.advance(days=28)  # 1 April
    april = region.settle(
        institution(request_id="REQ-3"),
        claim(senior, "200.00", request_id="REQ-3", day=date(2026, 4, 1)),
    )
    step(april.position)
    inspection = region.place_hold(
        ARCHIVIST_CTX,
        RecordScope(institution_code=PUBLIC_HOSPITAL),
        reason="专项稽核",
        legal_basis="稽核封存",
    )
    step(inspection.position)
    on_clawback = region.place_hold(
        ARCHIVIST_CTX,
        RecordScope(aggregate_ids=(assessed.clawback_id,)),
        reason="复核",
        legal_basis="复核",
    )
    step(on_clawback.position)
    step(region.release_hold(ARCHIVIST_CTX, on_clawback.hold_id, reason="复核结束"))
    budget = region.issue_budget(
        agency(),
        agreement_id=private.agreement_id,
        year=2026,
        scheme="employee",
        amount=Decimal("600000.00"),
        basis="2026 年职工统筹基金预算",
    )
    step(budget.position)
    step(
        region.adjust_budget(agency(), budget.budget_id, amount=Decimal("540000.00"), reason="下调")
    )
    operator = Context(Actor("cli:operator", SYSTEM))
    revoked = region.issue_token(operator, role="auditor", name="稽核")
    step(revoked.position)
    step(region.revoke_token(operator, revoked.token_id))
    step(
        region.issue_token(operator, role="institution", institution_code=PUBLIC_HOSPITAL).position
    )
    return History(
        public_agreement=public.agreement_id,
        private_agreement=private.agreement_id,
        senior=senior,
        employee=employee,
        first_claim=first.settlement_id,
        reversed_claim=second.settlement_id,
        rejected_claim=rejected.settlement_id,
        employee_claim=employee_claim.settlement_id,
        clawback=assessed.clawback_id,
        resident_basic=resident_basic,
        positions=positions,
    )


def runner_for(container: Container, batch_size: int = 500) -> Runner:
    projections = build_projections(container.region.region_code)
    return Runner(event_log(container), container.engine, projections, batch_size=batch_size)


def projected_history(container: Container, clock: Clock) -> History:
    """The history, with every view caught up."""
    history = record_history(container.region, clock)
    runner_for(container).catch_up()
    return history


def snapshot(engine: Engine, name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the live generation of projection `name`, table by table, sorted."""
    projection = next(p for p in PROJECTION_CLASSES if p.name == name)
    with engine.connect() as connection:
        generation = live(connection, [name])[name].generation
        tables = tables_of(projection, generation)
        return {
            short: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for short, table in tables.items()
        }


def rebuilt_snapshot(container: Container, name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Rebuild `name` from position 0 (the next generation) and snapshot it."""
    rebuild(runner_for(container), name)
    return snapshot(container.engine, name)
