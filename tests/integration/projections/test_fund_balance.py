"""The balances view keeps a fund's balance as `FundAccount` does: contributions and
recoveries paid in, disbursements out; a recovery by offset brings no cash (it is withheld
from what the fund owes the institution), so it is shown beside income, never in it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from interfaces.bootstrap import Container
from projections.queries.ledgers import PositionRow
from tests.conftest import Clock
from tests.contract.scenario import runner_for
from tests.integration.test_budget_cycle import FUND, funded_budget
from tests.support import HOSPITAL, agency, claim, enroll, institution


def test_the_views_fund_balance_is_the_aggregates_after_payments_and_offsets(
    container: Container, clock: Clock
) -> None:
    region = container.region
    budget = funded_budget(region, balance="2000000.00")
    agreement_id: UUID = region.repository.get(budget).agreement_id
    person = enroll(region)
    settled = region.settle(
        institution(request_id="R1"),
        claim(person, "1300.00", request_id="R1", day=date(2026, 3, 2)),
    )
    region.disburse(
        agency(), FUND, agreement_id=agreement_id, period="2026-03", amount=Decimal("650.00")
    )
    clawback = region.assess_clawback(
        agency("CLAW-1"),
        agreement_id=agreement_id,
        settlement_ids=[settled.settlement_id],
        amount=Decimal("100.00"),
        basis="violation",
        penalty_multiple=Decimal("1"),
        reason="超标准收费",
    ).clawback_id
    region.record_recovery(agency(), clawback, amount=Decimal("60.00"), method="payment")
    region.record_recovery(agency(), clawback, amount=Decimal("140.00"), method="offset")
    for m in range(1, 13):
        region.prepay(agency(), budget, month=f"2026-{m:02d}")
    clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    region.propose_clearing(agency(), budget, actual=Decimal("800000.00"), as_of_position=0)
    region.confirm_clearing(agency(), budget, reason="清算结果已公示")  # owed back
    region.record_clearing_recovery(agency(), budget, amount=Decimal("9000.00"), method="payment")
    region.record_clearing_recovery(agency(), budget, amount=Decimal("1000.00"), method="offset")
    runner_for(container).catch_up()

    view = container.views.fund_balance(FUND, None)

    assert view is not None
    assert view.balance == region.fund_balance(FUND)
    assert (view.income["recovery"], view.income["clearing_recovery"]) == (
        Decimal("60.00"),
        Decimal("9000.00"),
    )
    assert view.offsets == {
        "offset": Decimal("140.00"),
        "clearing_offset": Decimal("1000.00"),
    }
    assert view.balance == view.income_total - view.outgo_total
    year = container.views.institution_balance(HOSPITAL, 2026)
    # Offsets settle both ways: withheld from what the fund owes, recovered from the debt.
    assert year.recovered == Decimal("200.00") + Decimal("10000.00")
    # DOMAIN.md §4: the confirmed clearing's fund pays (920 000.00: A 800 000 + incentive
    # 120 000) replaces the year's fund pay; disbursed 650 + 12 × 90 000; repaid in cash
    # 60 + 9 000 (offsets move nothing until a smaller disbursement); penalty 100.
    assert year.position == PositionRow(
        obligation=Decimal("920000.00"),
        disbursed=Decimal("1080650.00"),
        repaid=Decimal("9060.00"),
        penalties=Decimal("100.00"),
        amount=Decimal("-151690.00"),
    )
    assert (year.owed_by_fund, year.owed_to_fund) == (Decimal("0.00"), Decimal("151690.00"))
