"""The total budget cycle (§4b), persisted: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from application.region import Region
from domain.budget import Budget
from domain.errors import AlreadyPrepaid, InsufficientFunds
from domain.fund import fund_id
from interfaces.bootstrap import Container, build
from tests.conftest import Clock
from tests.support import agency, sign

B = Decimal("1200000.00")
FUND = fund_id("resident", "basic", "310000")


def funded_budget(region: Region, balance: str = "5000000.00") -> UUID:
    agreement_id = sign(region, annual_budget="2000000.00")  # room for a raised budget
    region.open_fund(
        agency(), scheme="resident", layer="basic", region_code="310000", name="居民统筹基金"
    )
    region.receive_contribution(
        agency(), FUND, amount=Decimal(balance), period="2026-01", source="subsidy"
    )
    return region.issue_budget(
        agency(), agreement_id=agreement_id, year=2026, scheme="resident", amount=B, basis="预算"
    ).budget_id


def test_a_year_is_issued_prepaid_adjusted_cleared_and_survives_a_restart(
    container: Container, clock: Clock
) -> None:
    region = container.region
    budget = funded_budget(region)
    for month in ("2026-01", "2026-02", "2026-03"):
        region.prepay(agency(), budget, month=month)
    region.adjust_budget(agency(), budget, amount=Decimal("1320000.00"), reason="扩容")
    for m in range(4, 13):
        region.prepay(agency(), budget, month=f"2026-{m:02d}")
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)

    proposed = region.propose_clearing(
        agency(),
        budget,
        actual=Decimal("1000000.00"),
        as_of_position=region.head(),
    )
    region.confirm_clearing(agency(), budget, reason="清算结果已公示")

    # P = 3 × 90 000 + 9 × 99 000; surplus 320 000 → incentive capped at 132 000.
    assert proposed.prepaid == Decimal("1161000.00")
    assert (proposed.fund_pays, proposed.clearing_amount) == (
        Decimal("1132000.00"),
        Decimal("-29000.00"),
    )
    restarted = build(container.settings, clock=clock)
    try:
        reloaded: Budget = restarted.region.repository.get(budget)
        assert reloaded.amount == Decimal("1320000.00") and reloaded.prepaid == proposed.prepaid
        assert reloaded.confirmed
        assert reloaded.outstanding == Decimal("29000.00")
        assert restarted.region.fund_balance(FUND) == Decimal("3839000.00")
    finally:
        restarted.close()


def test_a_positive_clearing_is_paid_from_the_basic_fund_with_its_confirmation(
    region: Region, clock: Clock
) -> None:
    budget = funded_budget(region)
    for m in range(1, 13):
        region.prepay(agency(), budget, month=f"2026-{m:02d}")
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    region.propose_clearing(agency(), budget, actual=Decimal("1260000.00"), as_of_position=0)

    position = region.confirm_clearing(agency(), budget, reason="清算结果已公示")

    assert region.fund_balance(FUND) == Decimal("5000000.00") - Decimal("1230000.00")
    assert position == region.head()


def test_refused_prepayments_record_nothing(region: Region) -> None:
    budget = funded_budget(region, balance="100000.00")
    region.prepay(agency(), budget, month="2026-01")
    head = region.head()

    with pytest.raises(AlreadyPrepaid):
        region.prepay(agency(), budget, month="2026-01")
    with pytest.raises(InsufficientFunds):
        region.prepay(agency(), budget, month="2026-02")
    assert region.head() == head
    assert region.fund_balance(FUND) == Decimal("10000.00")
